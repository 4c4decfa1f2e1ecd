// ta.reduction's refusals (Dask 2022.12 raising the same where it has the option), the
// options Dask calls its functions with, and its first level spread over a 2 × 1 cluster.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { useCluster2x1 } from "./cluster-sample.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { unixSeconds } from "../../src/core/clock.js";
import { evaluatePython } from "./python-eval.js";
import { ownTasks } from "./own-tasks.js";
import { lowerArrays } from "../../src/array/lower.js";

const x = ta.fromArray(nd.reshape(nd.arange(60, { dtype: "float64" }), [6, 10]), { chunks: [2, 3] });
const X = "da.from_array(np.arange(60.).reshape(6, 10), chunks=(2, 3))";

const refusals: Array<{ label: string; ours: () => unknown; dask?: string; message: RegExp }> = [
  { label: "no_dtype", ours: () => ta.reduction(x, nd.sum, nd.sum), dask: `da.reduction(${X}, np.sum, np.sum)`, message: /Must specify dtype/ },
  { label: "axis_bounds", ours: () => ta.reduction(x, nd.sum, nd.sum, { axis: 2, dtype: "float64" }), dask: `da.reduction(${X}, np.sum, np.sum, axis=2, dtype='f8')`, message: /Axis 2 is out of bounds for array of dimension 2/ },
  { label: "axis_twice", ours: () => ta.reduction(x, nd.sum, nd.sum, { axis: [0, -2], dtype: "float64" }), dask: `da.reduction(${X}, np.sum, np.sum, axis=(0, -2), dtype='f8')`, message: /duplicate value in axis/ },
  { label: "split_every_kind", ours: () => ta.reduction(x, nd.sum, nd.sum, { dtype: "float64", splitEvery: "4" as never }), dask: `da.reduction(${X}, np.sum, np.sum, dtype='f8', split_every='4')`, message: /splitEvery must be an integer ≥ 2 or an object/ },
  // Dask ignores a split_every entry for an axis it does not reduce, and takes 1 (no tree); both refused as the built-in reductions refuse them.
  { label: "split_every_axis", ours: () => ta.reduction(x, nd.sum, nd.sum, { axis: 0, dtype: "float64", splitEvery: { 1: 2 } }), message: /splitEvery names axis 1, which this reduction does not reduce/ },
  { label: "split_every_one", ours: () => ta.reduction(x, nd.sum, nd.sum, { dtype: "float64", splitEvery: 1 }), message: /splitEvery must be an integer ≥ 2/ },
  { label: "weights", ours: () => ta.reduction(x, nd.sum, nd.sum, { dtype: "float64", weights: x }), message: /weights is not supported/ },
  { label: "meta", ours: () => ta.reduction(x, nd.sum, nd.sum, { dtype: "float64", meta: nd.zeros([0]) }), message: /meta is not supported/ },
  { label: "option", ours: () => ta.reduction(x, nd.sum, nd.sum, { dtype: "float64", split_every: 4 } as never), message: /unknown option "split_every"/ },
  { label: "output_size", ours: () => ta.reduction(x, nd.sum, nd.sum, { dtype: "float64", outputSize: 0 }), message: /outputSize must be a positive integer/ },
  { label: "combine", ours: () => ta.reduction(x, nd.sum, nd.sum, { dtype: "float64", combine: 3 as never }), message: /combine must be a function/ },
  { label: "not_array", ours: () => ta.reduction(nd.ones([3]) as never, nd.sum, nd.sum, { dtype: "float64" }), message: /x must be a tessera array/ },
  { label: "keepdims", ours: () => ta.reduction(x, nd.sum, nd.sum, { dtype: "float64", keepdims: 1 as never }), message: /keepdims must be true or false/ },
];

describe("ta.reduction refusals", () => {
  const python = evaluatePython({}, Object.fromEntries(refusals.filter((r) => r.dask).map((r) => [r.label, r.dask as string])));
  for (const r of refusals) {
    it(`${r.label}: refused by name${r.dask ? ", as Dask refuses it" : ""}`, () => {
      assert.throws(r.ours, (error: Error) => error instanceof InvalidOptionError && r.message.test(error.message), r.label);
      if (r.dask) assert.ok(python[r.label].error, `Dask accepted ${r.dask}`);
    });
  }

  it("a partial that is not an NDArray with concatenate true is refused by name when the join runs", async () => {
    const bad = ta.reduction(x, function pair(b: nd.NDArray, o: object) { return { t: nd.sum(b, o) }; }, nd.sum, { dtype: "float64" });
    await assert.rejects(bad.compute(), /with concatenate true every partial must be an NDArray, got an object \(t\); pass concatenate: false/);
  });
});

describe("ta.reduction calls", () => {
  it("calls chunk and combine with keepdims true and aggregate with the caller's, axis the sorted reduced axes", async () => {
    // Each function reports what it was called with ([axes, axis 0, axis 1, keepdims]), as an array the next level passes on.
    const chunk = function chunk(_b: nd.NDArray, o: { axis: number[]; keepdims: boolean }) {
      return nd.reshape(nd.array([o.axis.length, o.axis[0], o.axis[1], o.keepdims ? 1 : 0], { dtype: "float64" }), [1, 1, 4]);
    };
    const combine = function combine(_p: unknown, o: { axis: number[]; keepdims: boolean }) {
      return nd.reshape(nd.array([10 + o.axis.length, 10 + o.axis[0], 10 + o.axis[1], o.keepdims ? 11 : 10], { dtype: "float64" }), [1, 1, 4]);
    };
    const aggregate = function aggregate(p: unknown[][], o: { axis: number[]; keepdims: boolean }) {
      return nd.add(nd.multiply(nd.reshape(p[0][0] as nd.NDArray, [4]), 100), nd.array([o.axis.length, o.axis[0], o.axis[1], o.keepdims ? 1 : 0], { dtype: "float64" }));
    };
    const cube = ta.ones([8, 8, 4], { chunks: [2, 2, 4] });
    const out = await ta.reduction(cube, chunk, aggregate, { axis: [1, 0], dtype: "float64", splitEvery: 2, combine, concatenate: false }).compute();
    // 100 × the aggregate's first partial, from combine (10 + [2, 0, 1, 1]), plus its own options (keepdims false).
    assert.deepEqual(Array.from(out.toTypedArray() as Float64Array), [1202, 1000, 1101, 1100]);
  });
});

describe("ta.reduction tree depth", () => {
  // Dask takes ceil(log(n, split_every)) in floating point: log(125, 5) = 3.0000000000000004 gives
  // it a fourth level whose combines each take one partial. Here the depth is exact (the least d
  // with 5^d ≥ 125): the same values for any combine that keeps a lone partial as it is.
  it("125 blocks with splitEvery 5: three levels (125 + 25 + 5 + 1 tasks), one fewer than Dask 2022.12", () => {
    const line = ta.ones([125], { chunks: 1 });
    const ours = ownTasks(ta.reduction(line, nd.sum, nd.sum, { dtype: "float64", splitEvery: 5, concatenate: false })).length;
    const python = evaluatePython({}, { dask: "np.array(sum(len(l) for n, l in da.reduction(da.ones(125, chunks=1), np.sum, np.sum, dtype='f8', split_every=5, concatenate=False).dask.layers.items() if not n.startswith('ones')))" });
    assert.equal(ours, 125 + 25 + 5 + 1);
    assert.equal(Number((python.dask.array as nd.NDArray).item()), ours + 1, "Dask's extra level of single-partial combines");
  });
});

describe("ta.reduction fused", () => {
  // The aggregate gathers its group's partials: were it marked as computing one block from the
  // same block of its inputs, fusion would pull every chunk task into it, and a whole group of
  // blocks would be reduced one after another in one task (it was, with concatenate false).
  it("keeps a chunk task per block with concatenate false, as with true (where a join task sits between)", () => {
    const grid = ta.fromArray(nd.reshape(nd.arange(1600, { dtype: "float64" }), [40, 40]), { chunks: [4, 20] }).add(1);
    const joined = (parts: unknown, options: { axis: number[]; keepdims: boolean }) => nd.sum(nd.concatenate((parts as nd.NDArray[][]).flat(), 0), options);
    const fusedTasks = (array: ta.Array) => lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys(), Infinity).graph.size;
    // 10 × 2 blocks: 20 chunk tasks (the add fused into them) and one aggregate per column of blocks.
    assert.equal(fusedTasks(ta.reduction(grid, nd.sum, joined, { axis: 0, dtype: "float64", concatenate: false })), 20 + 2);
    assert.equal(fusedTasks(ta.reduction(grid, nd.sum, nd.sum, { axis: 0, dtype: "float64" })), 20 + 2);
  });
});

interface StreamRecord { key: string; worker: string }

describe("ta.reduction on a cluster of 2 workers × 1 thread", () => {
  const client = useCluster2x1();

  it("runs the first level (chunk on each of 64 blocks) on both workers and equals the local result", async () => {
    const big = ta.random([512, 256], { chunks: [32, 64], seed: 11 });
    const reduced = ta.reduction(big, nd.sum, nd.sum, { axis: 0, dtype: "float64", splitEvery: 4 });
    const since = unixSeconds();
    const remote = await reduced.compute();
    const stream = (await client().getTaskStream({ since: since - 1 })) as StreamRecord[];
    const chunkTasks = stream.filter((record) => record.key.includes(`${reduced.name}-chunk-`));
    assert.equal(chunkTasks.length, 64, `${chunkTasks.length} chunk tasks in the stream: ${stream.slice(0, 3).map((r) => r.key).join(", ")}`);
    const perWorker = new Map<string, number>();
    for (const record of chunkTasks) perWorker.set(record.worker, (perWorker.get(record.worker) ?? 0) + 1);
    assert.equal(perWorker.size, 2, "the chunk tasks ran on both workers");
    // A real share each (work stealing may rightly move some on a loaded machine).
    for (const [worker, n] of perWorker) assert.ok(n >= 8, `${worker} ran only ${n} of 64 chunk tasks`);
    const expected = nd.sum(await big.compute(), { axis: 0 });
    const diff = nd.max(nd.abs(nd.subtract(remote, expected))).item() as number;
    assert.ok(diff < 1e-9, `differs from the whole-array sum by ${diff}`);
  });
});
