// nd.linalg.norm against NumPy 1.24's np.linalg.norm on seeded cases (norm-cases.ts): dtype and shape
// exactly (float32 stays float32, integers become float64), values within 1e-12 relative for
// float64 and 1e-5 for float32 (NumPy sums by BLAS dot or pairwise; the extremes and counts are
// exact anyway); NumPy's refusals (orders invalid for vectors or matrices, duplicate axes, three
// axes) refused by name, and the SVD-based orders refused as not computed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { rngOf } from "../array/differential-inputs.js";
import { evaluatePython } from "../array/python-eval.js";
import { closeValues, drawNormCase } from "./norm-cases.js";

describe("nd.linalg.norm", () => {
  it("equals np.linalg.norm: every order, axes, keepdims, dtypes", () => {
    const rng = rngOf(5122026);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 150 }, (_, i) => drawNormCase(rng, inputs, i));
    const python = evaluatePython(inputs, Object.fromEntries(cases.map((c, i) => [`c${i}`, `np.linalg.norm(${c.input}, ${c.python})`])));
    for (const [i, c] of cases.entries()) {
      const expected = python[`c${i}`];
      assert.equal(expected.error, undefined, `${c.label}: NumPy raised ${expected.error}`);
      const actual = nd.linalg.norm(inputs[c.input], c.options);
      const reference = expected.array as nd.NDArray;
      assert.equal(actual.dtype, reference.dtype, `${c.label}: dtype`);
      assert.deepEqual([...actual.shape], [...reference.shape], `${c.label}: shape`);
      const why = closeValues(actual, reference, actual.dtype === "float32" ? 1e-5 : 1e-12);
      assert.equal(why, undefined, `${c.label}: ${why}`);
    }
  });

  it("refuses what NumPy refuses, by name (the singular-value orders: linalg-decompositions.test.ts)", () => {
    const m = nd.ones([3, 4], "float64");
    const v = nd.ones([5], "float64");
    assert.throws(() => nd.linalg.norm(v, { ord: "fro" }), /invalid norm order "fro" for vectors/);
    assert.throws(() => nd.linalg.norm(m, { ord: 3 }), /invalid norm order 3 for matrices/);
    // ones(3, 4) has one singular value, √12: its 2-norm and nuclear norm.
    assert.ok(Math.abs(Number(nd.linalg.norm(m, { ord: 2 }).toTypedArray()[0]) - Math.sqrt(12)) < 1e-14);
    assert.ok(Math.abs(Number(nd.linalg.norm(m, { ord: "nuc" }).toTypedArray()[0]) - Math.sqrt(12)) < 1e-14);
    assert.throws(() => nd.linalg.norm(m, { axis: [1, -1] }), /duplicate axes/);
    assert.throws(() => nd.linalg.norm(nd.ones([2, 2, 2], "float64"), { ord: 1 }), /improper number of dimensions/);
    assert.throws(() => nd.linalg.norm(m, { axis: 2 }), /axis 2/);
    assert.throws(() => nd.linalg.norm(m, { ord: "max" as never }), /ord "max" is not a norm order/);
    assert.throws(() => nd.linalg.norm(m, { order: 2 } as never), /unknown option "order"/);
  });
});
