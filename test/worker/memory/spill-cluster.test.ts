/**
 * Real worker processes with a real memory limit, a workload whose results total three times
 * the cluster's memory, and memory measured by the operating system.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Future } from "../../../src/client/future.js";
import * as nd from "../../../src/ndarray/index.js";
import type { NDArray } from "../../../src/ndarray/ndarray.js";
import { WatchedCluster, within } from "./watched-cluster.js";

const MiB = 2 ** 20;
const memoryLimit = 256 * MiB;
const nWorkers = 2;
const blockElements = MiB; // float64: 8 MiB per result
const blocks = Math.ceil((3 * nWorkers * memoryLimit) / (8 * blockElements));

/** One result: smooth values (they compress) that differ per block. */
const makeBlock = (seed: number, n: number) => {
  const block = nd.empty([n], "float64");
  const data = block.data as Float64Array;
  for (let k = 0; k < n; k++) data[k] = Math.round(Math.sin((k + seed) / 500) * 1000) + (k % 13);
  return block;
};
const checksum = (block: { data: Float64Array }) => {
  let sum = 0;
  for (let k = 0; k < block.data.length; k++) sum += block.data[k] * ((k % 7) + 1);
  return sum;
};
/** The same sums computed here, in the test process. */
function expectedChecksum(seed: number): number {
  let sum = 0;
  for (let k = 0; k < blockElements; k++) sum += (Math.round(Math.sin((k + seed) / 500) * 1000) + (k % 13)) * ((k % 7) + 1);
  return sum;
}

describe(`results totalling 3× the cluster's memory (${nWorkers} workers × 256 MiB, ${blocks} results of 8 MiB)`, () => {
  let dir: string;
  let watched: WatchedCluster;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-spill-"));
    watched = await within(WatchedCluster.start({ nWorkers, memoryLimit, localDirectory: dir }), "starting the cluster");
  });
  after(async () => {
    try {
      await watched?.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("completes with every result correct, spilling to disk and staying under the limit", async () => {
    const { client, cluster, records, watch } = watched;
    const futures: Future[] = Array.from({ length: blocks }, (_, i) => client.submit({ fn: makeBlock, args: [i, blockElements], key: `block-${i}` }));
    const sums = futures.map((block, i) => client.submit({ fn: checksum, args: [block], key: `checksum-${i}` }));
    const values = await watched.step(client.gather(sums), "the first pass (computing and spilling the results)");
    assert.deepEqual(values, Array.from({ length: blocks }, (_, i) => expectedChecksum(i)));

    // A second pass over the results reads them back from disk, on whichever worker runs it.
    const again = futures.map((block, i) => client.submit({ fn: checksum, args: [block], key: `checksum-again-${i}` }));
    assert.deepEqual(await watched.step(client.gather(again), "the second pass (reading the results back from disk)"), values);

    // Spilled results come back to the client too.
    for (const i of [0, 1, blocks - 1]) {
      const back = (await watched.step(futures[i].result(), `gathering the spilled result ${i}`)) as NDArray;
      assert.equal(back.data[12345], Math.round(Math.sin((12345 + i) / 500) * 1000) + (12345 % 13));
    }

    const info = await within(client.refreshSchedulerInfo(), "asking the scheduler for the workers' metrics");
    const spilled = Object.values(info.workers).reduce((sum, w) => sum + ((w.metrics as { spilledBytes?: number }).spilledBytes ?? 0), 0);
    assert.ok(spilled > memoryLimit, `the workers report ${spilled} bytes spilled`);

    const peak = watch.peakRss();
    assert.ok(peak < memoryLimit, `peak resident memory ${(peak / MiB).toFixed(0)} MiB is under the 256 MiB limit`);
    assert.deepEqual(cluster.nannies.map((nanny) => nanny.restarts.length), [0, 0], "no worker was restarted");

    const actions = new Set(records.flatMap((r) => (r.kind === "task" ? r.startstops.map((s) => s.action) : [])));
    assert.ok(actions.has("disk-write"), "spilling shows in the task stream");
    assert.ok(actions.has("disk-read"), "reading back shows in the task stream");
  });
});
