// Delayed graphs on a real cluster (2 worker processes × 1 thread): a 32-task fan-out with a
// tree fan-in runs on both workers and gives the right sum; persisted values stay on the
// workers and are read from there; refusals raised in a worker reach the caller.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { Delayed, compute, delayed, persist } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { unixSeconds } from "../../src/core/clock.js";
import { useLocalCluster2x1 } from "../deploy/cluster-2x1.js";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

interface StreamRecord { key: string; worker: string }

/** A tile's worth of work, so that the 32 leaves overlap in time and spread. */
const leaf = (i: number) => {
  const tile = nd.random([1000, 1000], { seed: [i] });
  return nd.sum(nd.multiply(tile, 0)).item() as number + i;
};
const pairSum = (a: number, b: number) => a + b;

describe("delayed on a LocalCluster of 2 workers × 1 thread", () => {
  const { client } = useLocalCluster2x1();

  it("runs a 32-leaf fan-out and tree fan-in on both workers, with the right sum", async () => {
    const leaves = Array.from({ length: 32 }, (_, i) => delayed(leaf)(i));
    let level: Delayed[] = leaves;
    while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => delayed(pairSum)(level[2 * i], level[2 * i + 1]));
    const since = unixSeconds();
    assert.equal(await level[0].compute(), (31 * 32) / 2);
    const stream = (await client().getTaskStream({ since: since - 1 })) as StreamRecord[];
    const leafKeys = new Set(leaves.map((d) => d.key));
    const leafRuns = stream.filter((record) => leafKeys.has(record.key));
    assert.equal(leafRuns.length, 32, "every leaf in the task stream");
    const perWorker = new Map<string, number>();
    for (const record of leafRuns) perWorker.set(record.worker, (perWorker.get(record.worker) ?? 0) + 1);
    assert.equal(perWorker.size, 2, `the leaves ran on ${perWorker.size} worker(s)`);
    // A real share each, not half: on a loaded machine stealing rightly moves work to the faster one.
    for (const [worker, n] of perWorker) assert.ok(n >= 32 / 8, `${worker} ran only ${n} of 32 leaves`);
  });

  it("computes several Delayed and an array that reads one of them in one graph", async () => {
    const tile = delayed((n: number) => nd.arange(n))(6);
    const x = ta.fromDelayed(tile, [6]);
    const [sum, value, length] = await compute(x.sum(), tile, tile.getattr("shape").get(0));
    assert.equal((sum as nd.NDArray).item(), 15);
    assert.deepEqual([...(value as nd.NDArray).data], [0, 1, 2, 3, 4, 5]);
    assert.equal(length, 6);
    // An array among the arguments is its whole value, assembled from blocks computed on the workers.
    assert.equal(Number(((await delayed(nd.sum)(ta.arange(12, { chunks: 5 })).compute()) as nd.NDArray).item()), 66);
  });

  it("keeps persisted values on the workers and reads them from there", async () => {
    const [kept] = await persist(delayed((n: number) => nd.full([n], n))(4));
    assert.ok((kept as Delayed).task === null, "the persisted Delayed holds no task");
    assert.deepEqual([...((await delayed(nd.add)(kept, 1).compute()) as nd.NDArray).data], [5, 5, 5, 5]);
    const blocks = ta.arange(12, { chunks: 5 }).toDelayed() as Delayed[];
    assert.deepEqual([...((await blocks[2].compute()) as nd.NDArray).data], [10, 11]);
  });

  it("keeps persisted results a Delayed reads on the cluster while the Delayed lives, through garbage collection", async () => {
    // The persist handle's futures release their keys when collected: the Delayed must hold them.
    const alone = await delayed((n: number) => nd.full([n], n))(4).persist();
    const [withArray] = (await persist(ta.ones([6], { chunks: 2 }), delayed((n: number) => nd.full([n], n))(3))).slice(1) as Delayed[];
    // Blocks of a persisted array, and a delayed call reading a persisted array whole: the array itself is dropped.
    const blocks = (await ta.arange(12, { chunks: 5 }).persist()).toDelayed() as Delayed[];
    const total = delayed(nd.sum)(await ta.arange(12, { chunks: 5 }).mul(3).persist());
    for (let round = 0; round < 5; round++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(client().holds(alone.key), "the Delayed persisted alone is still held");
    assert.ok(client().holds(withArray.key), "the Delayed persisted beside an array is still held");
    assert.deepEqual([...((await alone.add(1).compute()) as nd.NDArray).data], [5, 5, 5, 5]);
    assert.deepEqual([...((await withArray.compute()) as nd.NDArray).data], [3, 3, 3]);
    assert.deepEqual([...((await blocks[2].compute()) as nd.NDArray).data], [10, 11]);
    assert.equal(Number(((await total.compute()) as nd.NDArray).item()), 198);
  });

  it("raises a worker's refusal of a wrong nout or a wrong block at the caller", async () => {
    const [first] = delayed((x: number) => [x], { nout: 2 })(1);
    await assert.rejects(first.compute(), /declared with nout: 2 but returned an array of length 1/);
    const wrong = ta.fromDelayed(delayed((n: number) => nd.zeros([n]))(3), [4]);
    await assert.rejects(wrong.compute(), /declared shape \[4\] and dtype float64, but the delayed value has shape \[3\]/);
  });
});
