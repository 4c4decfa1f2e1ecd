/**
 * Arg reductions, any/all and the NaN-ignoring reductions on a real cluster (2 worker
 * processes × 1 thread), against NumPy run at test time on the same bytes: their partials
 * (value/index pairs, NaN-skipping moments, booleans) cross between worker processes, the tree
 * has several combining levels, and an all-NaN slice fails the computation with NumPy's error.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { unixSeconds } from "../../src/core/clock.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { useCluster2x1 } from "./cluster-sample.js";

describe("arg, any/all and NaN-ignoring reductions on a cluster of 2 workers × 1 thread", () => {
  const client = useCluster2x1();

  // 120 × 90 float32 with NaN scattered and one all-NaN column; 24 × 6 blocks (irregular).
  const f32 = nd.astype(nd.subtract(nd.multiply(nd.random([120, 90], { seed: 11 }), 100), 50), "float32");
  const data = f32.data as Float64Array;
  for (let i = 0; i < data.length; i += 7) data[i] = NaN;
  for (let r = 0; r < 120; r++) data[r * 90 + 44] = NaN;
  const i16 = nd.astype(nd.multiply(nd.random([120, 90], { seed: 12 }), 40), "int16");
  const chunks = [Array.from({ length: 24 }, () => 5), [10, 20, 15, 15, 25, 5]];

  it("equals NumPy for arg, any/all and nan-reductions whose partials cross between the workers", async () => {
    const x = ta.fromArray(f32, { chunks });
    const y = ta.fromArray(i16, { chunks });
    const ours = {
      argmaxFlat: y.argmax({ splitEvery: 4 }),
      argminAxis0: y.argmin({ axis: 0, splitEvery: 3 }),
      nanargmaxAxis1: ta.nanargmax(x, { axis: 1, splitEvery: 2 }),
      nanmaxAxis0: ta.nanmax(x, { axis: 0, splitEvery: 3 }),
      nansumAxis1: ta.nansum(x, { axis: 1, splitEvery: 2 }),
      nanmeanAxis0: ta.nanmean(x, { axis: 0, splitEvery: 4 }),
      nanstdFlat: ta.nanstd(x, { ddof: 1, splitEvery: 5 }),
      anyAxis0: y.gt(38).any({ axis: 0, splitEvery: 3 }),
      allFlat: x.lt(60).all({ splitEvery: 3 }),
    };
    const expected = evaluatePython({ f32, i16 }, {
      argmaxFlat: "np.argmax(i16)",
      argminAxis0: "np.argmin(i16, axis=0)",
      nanargmaxAxis1: "np.nanargmax(f32, axis=1)",
      nanmaxAxis0: "np.nanmax(f32, axis=0)",
      nansumAxis1: "np.nansum(f32, axis=1)",
      nanmeanAxis0: "np.nanmean(f32, axis=0)",
      nanstdFlat: "np.nanstd(f32, ddof=1)",
      anyAxis0: "np.any(i16 > 38, axis=0)",
      allFlat: "np.all(f32 < 60)",
    });
    const results = await ta.compute(Object.values(ours));
    const approximate = new Set(["nansumAxis1", "nanmeanAxis0", "nanstdFlat"]);
    Object.keys(ours).forEach((label, i) => {
      const want = expected[label].array as nd.NDArray;
      if (!approximate.has(label)) return assertSameArray(results[i], want, label);
      // float32 sums: NumPy accumulates pairwise in float32, the tree in its own order.
      assert.equal(results[i].dtype, want.dtype, `${label}: dtype`);
      assert.deepEqual([...results[i].shape], [...want.shape], `${label}: shape`);
      const got = results[i].toTypedArray();
      want.toTypedArray().forEach((value, j) => {
        if (Number.isNaN(Number(value))) return assert.ok(Number.isNaN(Number(got[j])), `${label}[${j}]: ${got[j]}, NumPy gives NaN`);
        assert.ok(Math.abs(Number(got[j]) - Number(value)) <= 5e-4 * Math.max(1, Math.abs(Number(value))), `${label}[${j}]: ${got[j]}, NumPy gives ${value}`);
      });
    });
  });

  it("equals Dask for percentile and histogram folded over 40 blocks on both workers", async () => {
    const values = nd.astype(nd.multiply(nd.random([4000], { seed: 13 }), 1000), "int32");
    const x = ta.fromArray(values, { chunks: 100 });
    const [counts, edges] = ta.histogram(x, { bins: 16, range: [100, 900], splitEvery: 3 });
    const ours = {
      percentileLinear: ta.percentile(x, [1, 25, 50, 90, 99.5], { splitEvery: 3 }),
      percentileNearest: ta.percentile(x, [1, 25, 50, 90, 99.5], { method: "nearest", splitEvery: 5 }),
      counts,
      density: ta.histogram(x.astype("float32"), { bins: [0, 10, 250, 251, 999.5, 1000], density: true })[0],
    };
    const dask = "da.from_array(values, chunks=100)";
    const expected = evaluatePython({ values }, {
      percentileLinear: `da.percentile(${dask}, [1, 25, 50, 90, 99.5])`,
      percentileNearest: `da.percentile(${dask}, [1, 25, 50, 90, 99.5], method="nearest")`,
      counts: `da.histogram(${dask}, bins=16, range=(100, 900))[0]`,
      edges: `da.histogram(${dask}, bins=16, range=(100, 900))[1]`,
      density: `da.histogram(${dask}.astype(np.float32), bins=[0, 10, 250, 251, 999.5, 1000], density=True)[0]`,
    });
    const since = unixSeconds();
    const results = await ta.compute(Object.values(ours));
    Object.keys(ours).forEach((label, i) => assertSameArray(results[i], expected[label].array as nd.NDArray, label));
    const stream = (await client().getTaskStream({ since: since - 1 })) as Array<{ key: string; worker: string }>;
    const workers = new Set(stream.filter((record) => /-partial-/.test(record.key)).map((record) => record.worker));
    assert.equal(workers.size, 2, "the partials ran on both workers");
    assertSameArray(edges, expected.edges.array as nd.NDArray, "edges");
  });

  it("fails the computation with NumPy's All-NaN error for nanargmax over an all-NaN column", async () => {
    await assert.rejects(ta.nanargmax(ta.fromArray(f32, { chunks }), { axis: 0, splitEvery: 4 }).compute(), /All-NaN slice encountered/);
  });
});
