/**
 * The cluster of the tests of data bigger than a worker: a LocalCluster of process workers
 * (2 unless told) × 1 thread with a small memory limit, spilling into its own temporary directory, watched from
 * outside (ProcessWatch). `useMemoryLimitedCluster` registers its `before` and `after` hooks
 * where it is called: a test makes its references (on the local executor) in a `before`
 * registered earlier, since a connected client becomes the default executor.
 */
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, LocalCluster } from "../../../src/index.js";
import { unixSeconds } from "../../../src/core/clock.js";
import { ProcessWatch } from "./process-watch.js";

const MiB = 2 ** 20;

export interface MemoryLimitedCluster {
  cluster(): LocalCluster;
  client(): Client;
  /** The workers' local directory (their spill files), removed after the tests. */
  directory(): string;
  /** The highest resident memory any worker process reached so far (bytes). */
  peakRss(): number;
  /** Runs `step`, then asserts the run stayed within memory (see checkRun). */
  run<T>(label: string, t: { diagnostic(message: string): void }, step: () => Promise<T>, expect?: RunExpectations): Promise<T>;
  /** No worker restarted and the peak below the ceiling; tasks since `since` (unix seconds) on every worker. */
  checkRun(label: string, t: { diagnostic(message: string): void }, since: number | null, expect?: RunExpectations): Promise<void>;
}

export interface RunExpectations {
  /** The peak must stay below this (default: the memory limit). */
  ceilingBytes?: number;
}

export function useMemoryLimitedCluster(memoryLimit: number, name: string, nWorkers = 2): MemoryLimitedCluster {
  let dir: string | undefined;
  let cluster: LocalCluster | undefined;
  let client: Client | undefined;
  let watch: ProcessWatch | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), `tessera-${name}-`));
    cluster = await LocalCluster.start({ nWorkers, threadsPerWorker: 1, dashboardAddress: false, memoryLimit, localDirectory: dir });
    client = await Client.connect(cluster);
    watch = new ProcessWatch(cluster);
  });
  after(async () => {
    watch?.stop();
    await client?.close();
    await cluster?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const setup: MemoryLimitedCluster = {
    cluster: () => cluster ?? assert.fail("the cluster has not started"),
    client: () => client ?? assert.fail("the client has not connected"),
    directory: () => dir ?? assert.fail("the cluster has not started"),
    peakRss: () => (watch ?? assert.fail("the cluster has not started")).peakRss(),
    async run(label, t, step, expect) {
      const since = unixSeconds();
      const started = Date.now();
      const result = await step();
      t.diagnostic(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await setup.checkRun(label, t, since, expect);
      return result;
    },
    async checkRun(label, t, since, expect = {}) {
      const peak = setup.peakRss();
      if (since !== null) {
        const stream = (await setup.client().getTaskStream({ since: since - 1 })) as Array<{ worker: string }>;
        t.diagnostic(`${label}: ${stream.length} tasks`);
        assert.equal(new Set(stream.map((record) => record.worker)).size, nWorkers, `${label}: tasks ran on every worker`);
      }
      t.diagnostic(`${label}: peak resident memory of a worker so far ${(peak / MiB).toFixed(0)} MiB`);
      assert.deepEqual(setup.cluster().nannies.map((nanny) => nanny.restarts.length), new Array(nWorkers).fill(0), `${label}: no worker was restarted`);
      const ceiling = expect.ceilingBytes ?? memoryLimit;
      assert.ok(peak < ceiling, `${label}: peak resident memory ${(peak / MiB).toFixed(0)} MiB, not below ${(ceiling / MiB).toFixed(0)} MiB`);
    },
  };
  return setup;
}
