// The array operations of issues 9 and 12 on a LocalCluster (two worker processes' threads,
// tasks shipped by name with their arguments): each gives what the local executor gives, which
// the other tests check against NumPy and Dask.
import { after, before, describe, it } from "node:test";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { assertSameArray } from "./python-eval.js";

describe("array operations on a LocalCluster", () => {
  let cluster: LocalCluster;
  let client: Client;
  const local = new LocalExecutor();
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("computes the same arrays as the local executor", async () => {
    const x = ta.random([12, 15], { chunks: [5, 4], seed: 91 }).mul(20).sub(10);
    const i = ta.arange(0, 180, { chunks: 40, dtype: "int32" }).reshape([12, 15]);
    const mask = await x.gt(3).compute({ executor: local });
    const cases: Array<[string, ta.Array]> = [
      ["sqrt/abs", ta.sqrt(ta.abs(x))], ["sin, round", ta.round(ta.sin(x), 3)], ["isnan of log", ta.isnan(ta.log(x))],
      ["floorDivide/remainder", ta.floorDivide(i, x.astype("int32")).add(ta.remainder(i, -7))],
      ["where/clip", ta.where(x.gt(0), ta.clip(x, 1, 2), i)],
      ["reshape", i.rechunk([5, 4]).reshape([3, 4, 15])],
      ["concatenate/stack", ta.stack([ta.concatenate([x, i.astype("float64")], 1), ta.concatenate([i.astype("float64"), x], 1)])],
      ["linspace/zerosLike", ta.linspace(0, 1, 15, { chunks: 4 }).add(ta.onesLike(x))],
      ["coarsen", ta.coarsen(nd.mean, x, { 0: 3, 1: 5 })],
      ["get: list and newaxis", x.get([11, 0, 0, 5]).get(null, "...", null)],
      ["get: integer next to a list, put first", x.reshape([3, 4, 15]).get(1, ":", [3, 1])],
      ["get: mask", x.get(mask)],
      ["mapBlocks over different chunkings", ta.mapBlocks(nd.add, [x, i.rechunk([3, 7])])],
    ];
    for (const [label, array] of cases) {
      assertSameArray(await array.compute(), await array.compute({ executor: local }), label);
    }
  });
});
