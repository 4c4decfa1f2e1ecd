/**
 * performanceReport(filename, async () => …): records what the cluster does while the
 * callback runs and writes it as one self-contained HTML file (Dask's performance_report):
 * duration, task count, time per action, bytes moved between workers, the task stream,
 * flame graphs per worker, worker bandwidth, tessera's version, the effective
 * configuration, the cluster's shape with batch job ids, the calling script's source, and
 * each mapOverlap's halo overhead with the chunks that would bring it under 2×.
 * The report is written even when the callback throws; the error is then re-thrown.
 */
import { unixSeconds, sleep } from "../../core/clock.js";
import { InvalidOptionError } from "../../core/errors.js";
import { config } from "../../config/index.js";
import { Client } from "../../client/client.js";
import { buildPerformanceReport, type TaskRecord, type TransferRecord } from "./report-builder.js";
import { callerFile, readSource } from "./caller-source.js";
import { writeReportHtml } from "./report-html.js";
import { tesseraVersion } from "./tessera-version.js";
import { planEstimatesSince } from "../../graph/plan-estimates.js";
import { halosSince } from "../../graph/halo-log.js";

export interface PerformanceReportOptions {
  /** The client whose cluster to record (default: Client.current()). */
  client?: Client;
  title?: string;
  /**
   * Milliseconds to wait after the callback for the last profile samples (workers send
   * them with their heartbeats, about once a second). Default 1500.
   */
  profileWaitMs?: number;
}

export async function performanceReport<T>(filename: string, body: () => Promise<T>, options: PerformanceReportOptions = {}): Promise<T> {
  const client = options.client ?? Client.current();
  if (!client) throw new InvalidOptionError("performanceReport needs a connected Client: call Client.connect(…) first, or pass { client }");
  const file = callerFile(new Error().stack);
  const start = unixSeconds();
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await body() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const stop = unixSeconds();
  await writePerformanceReport(filename, client, { start, stop, file, callback: body.toString(), title: options.title, profileWaitMs: options.profileWaitMs });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

async function writePerformanceReport(
  filename: string, client: Client,
  run: { start: number; stop: number; file: string | null; callback: string; title?: string; profileWaitMs?: number },
): Promise<void> {
  const tasks = (await client.getTaskStream({ since: run.start })) as TaskRecord[];
  if (tasks.length > 0) await sleep(run.profileWaitMs ?? 1500);
  const [transfers, profile, info] = await Promise.all([
    client.getTransferLog({ since: run.start }) as Promise<TransferRecord[]>,
    client.profile({ since: run.start - 1 }),
    client.refreshSchedulerInfo(),
  ]);
  const workers = Object.values(info.workers).map((w) => ({
    name: w.name, address: w.address, host: w.host, nthreads: w.nthreads, memoryLimit: w.memoryLimit, jobId: w.jobId ?? null,
  })).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const data = buildPerformanceReport({
    title: run.title ?? "tessera performance report",
    start: run.start, stop: run.stop, version: tesseraVersion(),
    tasks: tasks.filter((t) => t.startstops.some((s) => s.start >= run.start - 1)),
    transfers: transfers.filter((t) => t.start >= run.start - 1),
    profile,
    scheduler: { address: info.address, id: info.id, dashboard: client.dashboardLink?.replace(/([?&])token=[^&]*/, "$1token=…") ?? null },
    workers,
    config: config.get(""),
    source: { file: run.file, code: readSource(run.file), callback: run.callback },
    estimates: planEstimatesSince(run.start - 1),
    halos: halosSince(run.start - 1),
  }, unixSeconds());
  await writeReportHtml(filename, data);
}
