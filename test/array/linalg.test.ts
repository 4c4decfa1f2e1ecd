// ta.linalg.norm against dask.array.linalg.norm 2022.12 (float64 whatever the input, its chunks) on
// seeded cases with many blocks per axis (test/ndarray/norm-cases.ts): dtype, shape, chunks exactly,
// values within 1e-12 relative (tree sums in another order; extremes and counts exact). Beyond
// Dask: the Frobenius norm of a 3-d volume with no axis (Dask refuses it), against NumPy's value in
// float64. On a LocalCluster 2 × 1: a norm over many blocks equals the local executor's bits.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { pyChunks, randomArray, rngOf } from "./differential-inputs.js";
import { evaluatePython } from "./python-eval.js";
import { closeValues, drawNormCase } from "../ndarray/norm-cases.js";
import { describeOnCluster } from "./cluster-sample.js";

describe("ta.linalg.norm", () => {
  it("equals da.linalg.norm: every order, axes, keepdims, dtypes, many blocks", async () => {
    const rng = rngOf(20261205);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 120 }, (_, i) => drawNormCase(rng, inputs, i));
    const python = evaluatePython(inputs, Object.fromEntries(cases.map((c, i) => {
      const wholeVolume = inputs[c.input].ndim === 3 && c.options.axis === undefined;
      // Dask refuses a norm over three axes; NumPy's (in float64, Dask's dtype) is the reference there.
      return [`c${i}`, wholeVolume ? `np.linalg.norm(${c.input}.astype(np.float64), ${c.python})` : `da.linalg.norm(da.from_array(${c.input}, chunks=${pyChunks(c.chunks)}), ${c.python})`];
    })));
    for (const [i, c] of cases.entries()) {
      const expected = python[`c${i}`];
      assert.equal(expected.error, undefined, `${c.label}: Python raised ${expected.error}`);
      const lazy = ta.linalg.norm(ta.fromArray(inputs[c.input], { chunks: c.chunks }), c.options);
      if (expected.chunks) assert.deepEqual(lazy.chunks.map((a) => [...a]), expected.chunks, `${c.label}: chunks`);
      const actual = await lazy.compute();
      const reference = expected.array as nd.NDArray;
      assert.equal(actual.dtype, reference.dtype, `${c.label}: dtype`);
      assert.deepEqual([...actual.shape], [...reference.shape], `${c.label}: shape`);
      const why = closeValues(actual, reference, 1e-12);
      assert.equal(why, undefined, `${c.label}: ${why}`);
    }
  });

  it("refuses what it cannot compute, by name", () => {
    const m = ta.ones([6, 8], { chunks: [2, 3] });
    // The SVD orders go through ta.linalg.svd (linalg-decompositions.test.ts), which refuses blocks along both axes.
    assert.throws(() => ta.linalg.norm(m, { ord: 2 }), /chunked in one dimension only/);
    assert.throws(() => ta.linalg.norm(ta.ones([2, 6, 8], { chunks: [1, 6, 8] }), { ord: "nuc", axis: [1, 2] }), /not implemented for chunked arrays/);
    assert.throws(() => ta.linalg.norm(m, { axis: [0, 1, 0] as never }), /duplicate axes/);
    assert.throws(() => ta.linalg.norm(nd.ones([3], "float64") as never), /needs a tessera array/);
  });
});

describeOnCluster("ta.linalg.norm", () => {
  const x = ta.fromArray(randomArray(rngOf(9), "float32", [40, 36]), { chunks: [5, 4] });
  return [ta.linalg.norm(x), ta.linalg.norm(x, { ord: Infinity }), ta.linalg.norm(x, { ord: 3, axis: 1 })];
});
