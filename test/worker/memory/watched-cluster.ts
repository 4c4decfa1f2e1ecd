/**
 * A LocalCluster of worker processes for the memory tests, with what they all look at: a
 * client, the operating system's view of the worker processes (ProcessWatch) and the
 * scheduler's observed records (task runs, lost keys, worker warnings). close() ends all.
 */
import { Client, LocalCluster } from "../../../src/index.js";
import type { LocalClusterOptions } from "../../../src/deploy/local-cluster.js";
import type { ObservedRecord } from "../../../src/scheduler/state/commands.js";
import { ProcessWatch } from "./process-watch.js";

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

  async close(): Promise<void> {
    this.watch.stop();
    await this.client.close();
    await this.cluster.close();
  }
}

/** Polls `condition` until it holds (a last resort where no event says so), failing after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
