/**
 * `waitForWorkers(n)` of the clusters (LocalCluster, job-queue clusters, FargateCluster): wait
 * until n workers are connected, bounded by a timeout whose error says what each job is doing
 * (a LocalCluster: its workers' logs), and fail at once when they cannot come (the cluster
 * stopped replacing jobs that kept failing to start), rather than waiting for the timeout.
 */
import { sleep } from "../core/clock.js";
import { ClosedError, TimeoutError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";

export interface WorkerWaitSource {
  connectedWorkers(): number;
  isClosing(): boolean;
  /** Why fewer than `n` workers can ever connect now, or null while they may. */
  cannotCome(n: number): string | null;
  /** The jobs' states, for the timeout message ("jobs: 12 running, 13 pending (Resources)"). */
  describe(): string;
}

/** `pollMs`: how often the count is read (a LocalCluster's workers join within milliseconds; jobs within seconds). */
export async function waitForConnectedWorkers(n: number, timeout: string | number | undefined, source: WorkerWaitSource, pollMs = 100): Promise<void> {
  const seconds = timeout === undefined ? Infinity : parseDuration(timeout, "timeout");
  const deadline = Date.now() + seconds * 1000;
  while (source.connectedWorkers() < n) {
    if (source.isClosing()) throw new ClosedError("the cluster closed while waiting for workers");
    const why = source.cannotCome(n);
    if (why !== null) throw new TimeoutError(`only ${source.connectedWorkers()} of ${n} workers can connect: ${why}`);
    if (Date.now() > deadline) throw new TimeoutError(`only ${source.connectedWorkers()} of ${n} workers connected within ${seconds} s; ${source.describe()}`);
    await sleep(pollMs);
  }
}
