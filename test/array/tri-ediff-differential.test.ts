// The lazy tri, triangle indices, ediff1d, vdot, empty, resultType and unifyChunks against
// NumPy 1.24 (values, dtype, shape) and Dask 2022.12 (chunks; the triangle indices have none
// there: Dask's are NaN, tessera's known length is chunked "auto"), over a seeded draw of
// sizes, diagonals, dtypes, chunkings and edge values (tri-ediff-cases.ts); then the refusals.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { mismatch } from "./differential-compare.js";
import { Inputs, rngOf } from "./differential-inputs.js";
import { drawMatrixCases } from "./tri-ediff-cases.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);

describe(`lazy tri, triangle indices, ediff1d, vdot, empty, resultType against NumPy and Dask (seed ${seed})`, () => {
  it("NumPy's values, dtypes and shapes, Dask's chunks", async () => {
    const inputs = new Inputs();
    const cases = drawMatrixCases(rngOf(seed), inputs, 240);
    const expressions: Record<string, string> = {};
    for (const c of cases) {
      expressions[`${c.label}_np`] = c.numpy;
      if (c.dask) expressions[`${c.label}_da`] = c.dask;
    }
    const reference = evaluatePython(inputs.arrays, expressions);
    const problems: string[] = [];
    let manyBlocks = 0;
    let refused = 0;
    for (const c of cases) {
      let lazy: ta.Array;
      try {
        lazy = c.lazy();
      } catch (error) {
        // A refusal when the graph is built must be NumPy's refusal too.
        const problem = mismatch({ ulps: 0 }, error as Error, reference[`${c.label}_np`]);
        if (problem) problems.push(`${c.label}: ${problem}\n    numpy: ${c.numpy}`);
        refused++;
        continue;
      }
      const problem = mismatch({ ulps: 0 }, await lazy.compute(), reference[`${c.label}_np`]);
      if (problem) problems.push(`${c.label}: ${problem}\n    numpy: ${c.numpy}`);
      const dask = c.dask ? reference[`${c.label}_da`] : undefined;
      if (c.dask && !dask?.chunks) problems.push(`${c.label}: Dask gave no chunks: ${dask?.error ?? ""}`);
      if (dask?.chunks && JSON.stringify(lazy.chunks) !== JSON.stringify(dask.chunks)) problems.push(`${c.label}: chunks ${JSON.stringify(lazy.chunks)}, Dask ${JSON.stringify(dask.chunks)}\n    dask: ${c.dask}`);
      if (lazy.blockKeys().length >= 8) manyBlocks++;
    }
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} differ:\n${problems.slice(0, 30).join("\n")}`);
    assert.ok(manyBlocks > cases.length / 5, `${manyBlocks} cases of ≥ 8 blocks`);
    assert.ok(refused > 0 && refused < cases.length / 5, `${refused} refusals`);
  });

  it("resultType of every dtype pair, given as lazy arrays, NDArrays or names, is np.result_type's", () => {
    const dtypes = nd.dtypes as readonly nd.DType[];
    const expressions: Record<string, string> = {};
    const py = (d: string) => `np.${d === "bool" ? "bool_" : d}`;
    for (const a of dtypes) for (const b of dtypes) expressions[`${a}_${b}`] = `np.zeros(0, np.result_type(${py(a)}, ${py(b)}))`;
    const reference = evaluatePython({}, expressions);
    const wrong = [];
    for (const a of dtypes) {
      for (const b of dtypes) {
        const ours = ta.resultType(ta.zeros([2], { dtype: a }), nd.zeros([1], b));
        if (ours !== reference[`${a}_${b}`].array?.dtype || ta.resultType(a, b) !== ours) wrong.push(`${a}, ${b}: ${ours}, NumPy ${reference[`${a}_${b}`].array?.dtype}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("unifyChunks: Dask's common chunks of each index letter and its rechunked arrays", () => {
    const x = ta.fromArray(nd.zeros([10, 6]), { chunks: [[5, 5], [2, 4]] });
    const y = ta.fromArray(nd.zeros([6, 9]), { chunks: [[3, 3], [9]] });
    const row = ta.fromArray(nd.zeros([1, 6]), { chunks: [[1], [6]] });
    const [chunks, arrays] = ta.unifyChunks(x, "ij", y, "jk", row, "lj", 5, null);
    const reference = evaluatePython({}, {
      a: "da.unify_chunks(da.zeros((10, 6), chunks=((5, 5), (2, 4))), 'ij', da.zeros((6, 9), chunks=((3, 3), (9,))), 'jk', da.zeros((1, 6), chunks=((1,), (6,))), 'lj', 5, None)[1][0]",
      b: "da.unify_chunks(da.zeros((10, 6), chunks=((5, 5), (2, 4))), 'ij', da.zeros((6, 9), chunks=((3, 3), (9,))), 'jk', da.zeros((1, 6), chunks=((1,), (6,))), 'lj', 5, None)[1][1]",
      c: "da.unify_chunks(da.zeros((10, 6), chunks=((5, 5), (2, 4))), 'ij', da.zeros((6, 9), chunks=((3, 3), (9,))), 'jk', da.zeros((1, 6), chunks=((1,), (6,))), 'lj', 5, None)[1][2]",
    });
    assert.deepEqual(chunks, { i: [5, 5], j: [2, 1, 3], k: [9], l: [1] });
    assert.deepEqual((arrays[0] as ta.Array).chunks, reference.a.chunks);
    assert.deepEqual((arrays[1] as ta.Array).chunks, reference.b.chunks);
    assert.deepEqual((arrays[2] as ta.Array).chunks, reference.c.chunks);
    assert.equal(arrays[3], 5);
    assert.throws(() => ta.unifyChunks(x, "ij", ta.fromArray(nd.zeros([7])), "j"), /unifyChunks: index "j" of an array of shape \[7\] does not fit the common chunks \[\[2,4\]\]/);
    assert.throws(() => ta.unifyChunks(x, "ij", ta.fromArray(nd.zeros([7]), { chunks: 3 }), "j"), /unifyChunks: the chunks of index "j" do not add up to the same length/);
    assert.throws(() => ta.unifyChunks(x, "i"), /argument 1 must be an index string of one letter per axis \(2\)/);
    assert.throws(() => ta.unifyChunks(x), /expected arrays each followed by its index string/);
  });

  it("refuses bad arguments, naming the function and the argument", () => {
    const x = ta.fromArray(nd.arange(6, "int8"), { chunks: 4 });
    assert.throws(() => ta.tri(3, { k: 0.5 }), /tri: k must be an integer, got 0\.5/);
    assert.throws(() => ta.tri(3, { chunk: 2 } as never), /tri: unknown option "chunk"/);
    assert.throws(() => ta.tri(-1), /tri: N must be a non-negative integer, got -1/);
    assert.throws(() => ta.trilIndices(3, { n: 2 } as never), /trilIndices: unknown option "n"/);
    assert.throws(() => ta.triuIndicesFrom(x), /triuIndicesFrom: the input array must be 2-d, it has 1 axes/);
    assert.throws(() => ta.ediff1d(x, { toEnd: 1.5 }), /ediff1d: the dtype of toEnd \(float64\) must be compatible with the input's int8 under the same_kind rule/);
    assert.throws(() => ta.ediff1d(x.gt(2)), /ediff1d: a bool array has no differences/);
    assert.throws(() => ta.ediff1d(x, { to_end: 1 } as never), /ediff1d: unknown option "to_end"/);
    assert.throws(() => ta.vdot(x, ta.fromArray(nd.zeros([5]))), /vdot: the arrays must have the same size, got 6 and 5/);
    assert.throws(() => ta.resultType(), /resultType: give at least one/);
    assert.throws(() => ta.resultType(x, "float16"), /unknown dtype "float16"/);
  });
});
