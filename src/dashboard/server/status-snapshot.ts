/**
 * What the Status and Workers pages show at one moment, built from the scheduler's
 * read-only view: task counts, one row per worker (memory, CPU, tasks, job id) and one
 * progress row per task prefix, and why tasks wait for a worker. Built once per update and shared by every browser.
 */
import type { SchedulerView, UnrunnableGroup, WorkerInfo } from "../../scheduler/server/view.js";
import type { SystemSample } from "./system-monitor.js";
import { prefixColour } from "./prefix-colour.js";

/** Fractions of a worker's memory limit (distributed.worker.memory.*), false when off. */
export interface MemoryThresholds {
  target: number | false;
  spill: number | false;
  pause: number | false;
  terminate: number | false;
}

export interface WorkerRow {
  address: string;
  name: string;
  host: string;
  nthreads: number;
  memory: number;
  memoryLimit: number;
  managed: number;
  spilled: number;
  cpu: number;
  processing: number;
  executing: number;
  ready: number;
  inFlight: number;
  finished: number;
  storedKeys: number;
  status: string;
  lastSeen: number;
  jobId: string | null;
  /** normal / high (orange: above target or spill, or retiring) / critical (red: above terminate, or paused). */
  memoryLevel: "normal" | "high" | "critical";
}

export interface ProgressRow {
  prefix: string;
  colour: string;
  memory: number;
  released: number;
  erred: number;
  processing: number;
  queued: number;
  noWorker: number;
  waiting: number;
  total: number;
  durationAverage: number;
}

export interface StatusSnapshot {
  time: number;
  counts: Record<string, number>;
  clients: number;
  totalThreads: number;
  workers: WorkerRow[];
  progress: ProgressRow[];
  /** Why tasks wait for a worker (e.g. no worker offers the resources they ask for), by reason; most first. */
  unrunnable: UnrunnableGroup[];
  thresholds: MemoryThresholds;
  system: SystemSample;
}

function smallest(...fractions: Array<number | false>): number {
  const set = fractions.filter((f): f is number => f !== false);
  return set.length > 0 ? Math.min(...set) : Infinity;
}

function memoryLevel(worker: Pick<WorkerInfo, "status" | "memoryLimit"> & { memory: number }, thresholds: MemoryThresholds): WorkerRow["memoryLevel"] {
  const limit = worker.memoryLimit;
  if (worker.status === "paused" || (limit > 0 && worker.memory >= Math.min(smallest(thresholds.terminate), 1) * limit)) return "critical";
  if (worker.status === "closing-gracefully" || (limit > 0 && worker.memory >= smallest(thresholds.target, thresholds.spill) * limit)) return "high";
  return "normal";
}

function workerRow(worker: WorkerInfo, thresholds: MemoryThresholds): WorkerRow {
  const metrics = worker.metrics;
  const memory = metrics.memory || worker.storedBytes;
  return {
    address: worker.address, name: worker.name, host: worker.host, nthreads: worker.nthreads,
    memory, memoryLimit: worker.memoryLimit, managed: metrics.managedBytes || worker.storedBytes, spilled: metrics.spilledBytes,
    cpu: metrics.cpu, processing: worker.processing, executing: worker.executing, ready: metrics.ready, inFlight: metrics.inFlight,
    finished: worker.finished, storedKeys: worker.storedKeys, status: worker.status, lastSeen: worker.lastSeen, jobId: worker.jobId ?? null,
    memoryLevel: memoryLevel({ status: worker.status, memoryLimit: worker.memoryLimit, memory }, thresholds),
  };
}

function progressRows(view: SchedulerView): ProgressRow[] {
  return view.progress().map((entry) => {
    const c = entry.counts;
    const row: ProgressRow = {
      prefix: entry.prefix, colour: prefixColour(entry.prefix),
      memory: c.memory ?? 0, released: c.released ?? 0, erred: c.erred ?? 0, processing: c.processing ?? 0,
      queued: c.queued ?? 0, noWorker: c["no-worker"] ?? 0, waiting: c.waiting ?? 0, total: 0,
      durationAverage: entry.durationAverage,
    };
    row.total = row.memory + row.released + row.erred + row.processing + row.queued + row.noWorker + row.waiting;
    return row;
  }).filter((row) => row.total > 0).sort((a, b) => a.prefix.localeCompare(b.prefix));
}

/** Reasons the Status page lists at most (the commonest). */
const unrunnableGroupsShown = 20;

export function statusSnapshot(view: SchedulerView, thresholds: MemoryThresholds, system: SystemSample, now: number): StatusSnapshot {
  const workers = view.workers().map((worker) => workerRow(worker, thresholds)).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  return {
    time: now, counts: view.counts(), clients: view.clientCount(),
    totalThreads: workers.reduce((sum, w) => sum + w.nthreads, 0),
    workers, progress: progressRows(view), unrunnable: view.unrunnable().slice(0, unrunnableGroupsShown), thresholds, system,
  };
}
