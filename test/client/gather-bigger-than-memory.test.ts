/**
 * Gathering results bigger than a worker's memory (src/client/data-transfer.ts with the
 * worker's get-data serving, src/worker/server/data-serving.ts): a LocalCluster of 2 workers
 * × 1 thread at 256 MiB each holds a persisted 288 MB float64 array (360 blocks of 800 KB, most
 * of each worker's half spilled to disk). `compute()` brings it all to the client: each worker
 * is asked for its keys in requests of a tenth of its memory, and reads back from disk only
 * what one reply carries. Before, each worker read its whole half into one reply, passed 95%
 * of its limit and was killed by its nanny, again on every retry, until the gather gave up
 * after 21 attempts. The values equal those computed locally with the same seed before the
 * cluster started; no worker is restarted; each worker's resident memory, as the operating
 * system measures it, stays under its limit. Then a rechunk whose tasks take 18 spilled
 * blocks each, half of them from the other worker, runs the same way (peer fetches through
 * the same serving).
 */
import { before, describe, it } from "node:test";
import * as ta from "../../src/array/index.js";
import type * as nd from "../../src/ndarray/index.js";
import { useMemoryLimitedCluster } from "../worker/memory/memory-limited-cluster.js";
import { assertSameArray } from "../array/python-eval.js";

const MiB = 2 ** 20;
const memoryLimit = 256 * MiB;
const [rows, cols] = [18_000, 2000];

describe(`gathering a ${((rows * cols * 8) / 1e6).toFixed(0)} MB persisted array from 2 workers of ${memoryLimit / MiB} MiB`, () => {
  let x: ta.Array;
  let expected: nd.NDArray;
  let expectedBandMax: nd.NDArray;
  const made = () => ta.random([rows, cols], { chunks: [1000, 100], seed: 7 });

  before(async () => {
    // The reference: the same seeded values made here, before the cluster becomes the default executor.
    expected = await made().compute();
    expectedBandMax = await made().rechunk([9000, 200]).max({ axis: 0 }).compute();
  });
  const { client, checkRun } = useMemoryLimitedCluster(memoryLimit, "gather-big");
  before(async () => {
    x = await made().persist();
  });

  /** No worker restarted, each worker's peak under the limit (the gather itself runs no task). */
  const assertWithinMemory = (label: string, t: { diagnostic(message: string): void }) => checkRun(label, t, null);

  it("brings the whole array to the client, equal to the local values, without a worker passing its limit", async (t) => {
    const spilled = Object.values((await client().refreshSchedulerInfo()).workers).map((w) => Number(w.metrics.spilledBytes ?? 0));
    t.diagnostic(`spilled before the gather: ${spilled.map((bytes) => `${(bytes / MiB).toFixed(0)} MiB`).join(", ")}`);
    const started = Date.now();
    const gathered = await x.compute();
    t.diagnostic(`gathered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assertSameArray(gathered, expected, "the gathered array");
    await assertWithinMemory("gather", t);
  });

  it("runs tasks that each fetch 18 spilled blocks, half from the other worker", async (t) => {
    assertSameArray(await x.rechunk([9000, 200]).max({ axis: 0 }).compute(), expectedBandMax, "rechunk then max");
    await assertWithinMemory("rechunk", t);
  });
});
