// The eager tri, triangle indices, ediff1d, vdot and resultType against NumPy 1.24 (values,
// dtype, shape), over the seeded draw of test/array/tri-ediff-cases.ts; then the refusals.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { mismatch } from "../array/differential-compare.js";
import { Inputs, rngOf } from "../array/differential-inputs.js";
import { drawMatrixCases } from "../array/tri-ediff-cases.js";

describe("eager tri, triangle indices, ediff1d, vdot against NumPy", () => {
  it("NumPy's values, dtypes and shapes", () => {
    const inputs = new Inputs();
    const cases = drawMatrixCases(rngOf(20261206), inputs, 300);
    const reference = evaluatePython(inputs.arrays, Object.fromEntries(cases.map((c) => [c.label, c.numpy])));
    const problems = cases.map((c) => {
      let ours: nd.NDArray | Error;
      try {
        ours = c.eager();
      } catch (error) {
        ours = error as Error;
      }
      const problem = mismatch({ ulps: 0 }, ours, reference[c.label]);
      return problem ? `${c.label}: ${problem}\n    numpy: ${c.numpy}` : null;
    }).filter((p) => p !== null);
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} differ:\n${problems.slice(0, 30).join("\n")}`);
  });

  it("refuses bad arguments, naming the function and the argument", () => {
    const i8 = nd.arange(6, "int8");
    assert.throws(() => nd.tri(3, { M: -1 }), /tri: M must not be negative/);
    assert.throws(() => nd.tri(3, { dtype: "float16" }), /unknown dtype "float16"/);
    assert.throws(() => nd.trilIndices(3.5), /trilIndices: n must be an integer, got 3\.5/);
    assert.throws(() => nd.trilIndicesFrom(nd.zeros([2, 2, 2])), /trilIndicesFrom: the input array must be 2-d, it has 3 axes/);
    assert.throws(() => nd.ediff1d(i8, { toBegin: nd.zeros([1]) }), /ediff1d: the dtype of toBegin \(float64\) must be compatible/);
    assert.throws(() => nd.ediff1d(nd.zeros([2], "bool")), /ediff1d: a bool array has no differences/);
    assert.throws(() => nd.ediff1d(i8, { toEnd: ["a"] } as never), /ediff1d: toEnd must hold numbers/);
    assert.throws(() => nd.vdot(i8, nd.zeros([5])), /vdot: the arrays must have the same size, got 6 and 5/);
    assert.equal(nd.ediff1d(i8, { toEnd: 300 }).toTypedArray().at(-1), 44, "wraps as NumPy's assignment");
  });
});
