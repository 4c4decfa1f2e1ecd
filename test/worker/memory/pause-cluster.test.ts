/**
 * Spilling off: pausing is the only defence. The same workload as spill-cluster.test.ts
 * (results totalling 3× the cluster's memory, all wanted by the client) cannot fit, so it
 * must end in a clear error, not in a worker killed for memory and not in a hang.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../../src/ndarray/index.js";
import { WatchedCluster, within } from "./watched-cluster.js";

const MiB = 2 ** 20;
const memoryLimit = 256 * MiB;
const nWorkers = 2;
const blockElements = MiB; // float64: 8 MiB per result
const blocks = Math.ceil((3 * nWorkers * memoryLimit) / (8 * blockElements));

const makeBlock = (seed: number, n: number) => {
  const block = nd.empty([n], "float64");
  (block.data as Float64Array).fill(seed);
  return block;
};
const first = (block: { data: Float64Array }) => block.data[0];

describe("with spilling off, the same workload", () => {
  let watched: WatchedCluster;
  before(async () => {
    watched = await within(WatchedCluster.start({ nWorkers, memoryLimit, memoryTargetFraction: false, memorySpillFraction: false, pauseTimeout: "3s" }), "starting the cluster");
  });
  after(async () => {
    await watched?.close();
  });

  it("pauses, then fails with an error that says why, and no worker is killed", async () => {
    const { client, cluster, watch } = watched;
    const futures = Array.from({ length: blocks }, (_, i) => client.submit({ fn: makeBlock, args: [i, blockElements], key: `block-${i}` }));
    const firsts = futures.map((block, i) => client.submit({ fn: first, args: [block], key: `first-${i}` }));
    let outcome: unknown[] | Error;
    try {
      outcome = await watched.step(client.gather(firsts), "the workload that cannot fit (it should end, in an error or done)");
    } catch (error) {
      outcome = error as Error;
    }
    assert.ok(watch.statuses.has("paused"), "the scheduler saw a worker paused");
    if (Array.isArray(outcome)) {
      assert.deepEqual(outcome, Array.from({ length: blocks }, (_, i) => i), "if it completes, it completes correctly");
    } else {
      assert.equal(outcome.name, "WorkerMemoryError", outcome.message);
      assert.match(outcome.message, /paused for 3 s at .* of its 256\.00 MiB memory limit \(pause at 80%\) with nothing left to spill \(spilling is off\)/);
      assert.match(outcome.message, /Raise memoryLimit, turn spilling on, or release results/);
    }
    const peak = watch.peakRss();
    assert.ok(peak < 0.95 * memoryLimit, `peak resident memory ${(peak / MiB).toFixed(0)} MiB stayed under the terminate threshold`);
    assert.deepEqual(cluster.nannies.map((nanny) => nanny.restarts.length), [0, 0], "no worker was killed or restarted");
    assert.ok(cluster.workerProcesses.every((worker) => worker.alive));
    for (const future of [...futures, ...firsts]) future.release();
  });

  it("recovers when the results are released: the cluster serves again", async () => {
    const { client } = watched;
    // The results of the test above were released: memory falls and the workers resume.
    await client.waitForWorkers(nWorkers, { timeout: 30 });
    const deadline = Date.now() + 30_000;
    let value: unknown;
    while (Date.now() < deadline) {
      try {
        value = await watched.step(client.submit({ fn: (x: number) => x + 1, args: [41], pure: false }).result(), "a small task after the release");
        break;
      } catch (error) {
        if ((error as Error).name !== "WorkerMemoryError") throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    assert.equal(value, 42);
  });
});
