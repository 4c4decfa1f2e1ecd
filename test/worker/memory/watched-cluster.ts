/**
 * A LocalCluster of worker processes for the memory tests, with what they all look at: a
 * client, the operating system's view of the worker processes (ProcessWatch) and the
 * scheduler's observed records (task runs, lost keys, worker warnings). close() ends all.
 *
 * Every wait of these tests is bounded (`step`, `within`, `until`, the close): a step that
 * never ends fails by name within minutes, instead of stalling the test run until CI's deadline.
 */
import { Client, LocalCluster } from "../../../src/index.js";
import type { LocalClusterOptions } from "../../../src/deploy/local-cluster.js";
import type { ObservedRecord } from "../../../src/scheduler/state/commands.js";
import { ProcessWatch } from "./process-watch.js";

/** How long starting or closing may take (seconds on a quiet machine; a loaded 2-core machine is many times slower). */
const startOrCloseTimeoutMs = 300_000;

/**
 * How long a step may go without the cluster making progress (no task run, transfer or loss
 * recorded) before it fails as hung. Progress, not the step's total time: on a loaded 2-core
 * machine a healthy step of these tests can take minutes, one task rarely more than seconds.
 */
const stepIdleTimeoutMs = 180_000;

export class WatchedCluster {
  readonly records: ObservedRecord[] = [];

  private constructor(readonly cluster: LocalCluster, readonly client: Client, readonly watch: ProcessWatch) {
    cluster.scheduler.view.subscribe((record) => this.records.push(record));
  }

  static async start(options: LocalClusterOptions): Promise<WatchedCluster> {
    const cluster = await LocalCluster.start({ threadsPerWorker: 1, dashboardAddress: false, ...options });
    try {
      return new WatchedCluster(cluster, await Client.connect(cluster), new ProcessWatch(cluster));
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /**
   * Ends the client and the cluster. Bounded: should closing hang, the worker processes are
   * killed (so that none outlives the test) and the close fails saying so.
   */
  async close(timeoutMs = startOrCloseTimeoutMs): Promise<void> {
    this.watch.stop();
    const closing = (async () => {
      await this.client.close();
      await this.cluster.close();
    })();
    try {
      await within(closing, "closing the client and the cluster", timeoutMs);
    } catch (error) {
      for (const worker of this.cluster.workerProcesses) worker.kill("SIGKILL");
      throw error;
    }
  }

  /**
   * `promise` (a compute, a gather), or a failure naming `what` once the cluster has made no
   * progress for `idleMs`: a step that hangs (a result waited for that never comes) fails by
   * name, a slow one on a loaded machine does not.
   */
  step<T>(promise: Promise<T>, what: string, idleMs = stepIdleTimeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      let seen = this.records.length;
      let lastProgress = Date.now();
      timer = setInterval(() => {
        if (this.records.length !== seen) {
          seen = this.records.length;
          lastProgress = Date.now();
        } else if (Date.now() - lastProgress > idleMs) {
          const last = this.records.at(-1);
          reject(new Error(`${what} did not end, and the cluster made no progress for ${idleMs / 1000} s (${seen} records, the last: ${last ? JSON.stringify(last).slice(0, 300) : "none"})`));
        }
      }, 1000);
    });
    return Promise.race([promise, stalled]).finally(() => clearInterval(timer));
  }
}

/**
 * `promise`, or a failure naming `what` once `timeoutMs` have passed: a bound on a wait that
 * should end (a compute that never resolves fails by name), not a check of how fast it is.
 */
export function within<T>(promise: Promise<T>, what: string, timeoutMs = startOrCloseTimeoutMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Polls `condition` until it holds (a last resort where no event says so), failing after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
