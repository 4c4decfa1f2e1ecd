/**
 * Turns what the scheduler recorded during a performance report (task records, transfers,
 * profiles, cluster information) into the report's data: totals per action and per task
 * prefix, the task stream in compact form, bytes moved between each pair of workers.
 */
import type { ProfileResult } from "../../protocol/profile-tree.js";
import type { HaloRecord } from "../../graph/halo-log.js";
import type { ObservedRecord } from "../../scheduler/state/commands.js";
import { prefixColour } from "../server/prefix-colour.js";
import { StreamEncoder } from "../server/stream-encoder.js";
import type { PerformanceReportData, ReportSummary, ReportWorker } from "./report-data.js";

export type TaskRecord = Extract<ObservedRecord, { kind: "task" }>;
export type TransferRecord = Extract<ObservedRecord, { kind: "transfer" }>;

export interface ReportInputs {
  title: string;
  start: number;
  stop: number;
  version: string;
  tasks: TaskRecord[];
  transfers: TransferRecord[];
  profile: ProfileResult;
  scheduler: { address: string; id: string; dashboard: string | null };
  workers: ReportWorker[];
  config: unknown;
  source: PerformanceReportData["source"];
  /** Estimated peak bytes of one task, per prefix, from the plans submitted (graph/plan-estimates.ts). */
  estimates?: ReadonlyMap<string, number>;
  /** The mapOverlaps lowered during the run (graph/halo-log.ts). */
  halos?: readonly HaloRecord[];
}

export function summarise(tasks: readonly TaskRecord[], transfers: readonly TransferRecord[]): ReportSummary {
  const summary: ReportSummary = { tasks: tasks.length, erred: 0, computeSeconds: 0, transferSeconds: 0, diskSeconds: 0, serializationSeconds: 0, bytesTransferred: 0, transfers: transfers.length };
  for (const task of tasks) {
    if (task.status === "error") summary.erred++;
    for (const part of task.startstops) {
      const seconds = Math.max(part.stop - part.start, 0);
      if (part.action === "compute") summary.computeSeconds += seconds;
      else if (part.action === "transfer") summary.transferSeconds += seconds;
      else if (part.action === "disk-read" || part.action === "disk-write") summary.diskSeconds += seconds;
      else if (part.action === "deserialize") summary.serializationSeconds += seconds;
    }
  }
  for (const transfer of transfers) {
    summary.transferSeconds += Math.max(transfer.stop - transfer.start, 0);
    summary.bytesTransferred += transfer.bytes;
  }
  return summary;
}

export function bandwidthMatrix(transfers: readonly TransferRecord[], workers: readonly ReportWorker[]): PerformanceReportData["bandwidth"] {
  const addresses = [...new Set([...workers.map((w) => w.address), ...transfers.flatMap((t) => [t.from, t.worker])])];
  const names = new Map(workers.map((w) => [w.address, w.name]));
  const index = new Map(addresses.map((a, i) => [a, i]));
  const bytes = addresses.map(() => addresses.map(() => 0));
  const seconds = addresses.map(() => addresses.map(() => 0));
  for (const transfer of transfers) {
    const from = index.get(transfer.from) as number;
    const to = index.get(transfer.worker) as number;
    bytes[from][to] += transfer.bytes;
    seconds[from][to] += Math.max(transfer.stop - transfer.start, 0);
  }
  return { workers: addresses.map((a) => names.get(a) ?? a), bytes, seconds };
}

export function buildPerformanceReport(inputs: ReportInputs, generated: number): PerformanceReportData {
  const names = new Map(inputs.workers.map((w) => [w.address, w.name]));
  const encoder = new StreamEncoder(inputs.start, (address) => names.get(address) ?? address);
  const records: ObservedRecord[] = [...inputs.tasks, ...inputs.transfers];
  const perPrefix = new Map<string, { tasks: number; computeSeconds: number; estimatedPeakBytes: number | null; measuredPeakBytes: number | null }>();
  for (const task of inputs.tasks) {
    const entry = perPrefix.get(task.prefix) ?? { tasks: 0, computeSeconds: 0, estimatedPeakBytes: inputs.estimates?.get(task.prefix) ?? null, measuredPeakBytes: null };
    entry.tasks++;
    if (task.peakBytes !== undefined) entry.measuredPeakBytes = Math.max(entry.measuredPeakBytes ?? 0, task.peakBytes);
    for (const part of task.startstops) if (part.action === "compute") entry.computeSeconds += Math.max(part.stop - part.start, 0);
    perPrefix.set(task.prefix, entry);
  }
  return {
    kind: "performance-report", title: inputs.title, generated, version: inputs.version, start: inputs.start, stop: inputs.stop,
    summary: summarise(inputs.tasks, inputs.transfers),
    prefixes: [...perPrefix].map(([prefix, entry]) => ({ prefix, colour: prefixColour(prefix), ...entry })).sort((a, b) => b.computeSeconds - a.computeSeconds),
    stream: encoder.encodeHistory(records),
    profile: {
      intervalMs: inputs.profile.intervalMs, tree: inputs.profile.tree,
      byWorker: Object.entries(inputs.profile.byWorker).map(([address, tree]) => ({ worker: names.get(address) ?? address, tree })),
    },
    bandwidth: bandwidthMatrix(inputs.transfers, inputs.workers),
    cluster: { scheduler: inputs.scheduler.address, id: inputs.scheduler.id, dashboard: inputs.scheduler.dashboard, workers: inputs.workers },
    config: inputs.config,
    source: inputs.source,
    halos: (inputs.halos ?? []).map(({ name, shape, chunks, depth, overhead, suggestedChunks }) => ({ name, shape, chunks, depth, overhead, suggestedChunks })),
  };
}
