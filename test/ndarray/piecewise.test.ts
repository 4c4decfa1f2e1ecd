// The eager piecewise and fromfunction against NumPy 1.24: later conditions overwrite earlier
// ones, the "otherwise" piece, a single condition not in a list, values cast to x's dtype
// (truncated floats), constants and functions, index grids of each dtype.
// (The lazy forms and more dtypes: test/array/piecewise-differential.test.ts.)
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { mismatch } from "../array/differential-compare.js";

describe("eager piecewise and fromfunction against NumPy", () => {
  it("overlapping conditions, otherwise, a single condition, casts to x's dtype, index grids", () => {
    const x = nd.fromTypedArray(Int16Array.from([-5, -1, 0, 1, 2, 3, 7, 9]), [2, 4]);
    const f = nd.fromTypedArray(Float64Array.from([-2.5, NaN, -0, 0.5, 1.5, Infinity]), [6]);
    const ours = {
      overlap: nd.piecewise(x, [nd.less(x, 3), nd.less(x, 1)], [(v) => nd.multiply(v, 1.7), -3]),
      otherwise: nd.piecewise(x, [nd.less(x, 0)], [(v) => nd.negative(v), (v) => nd.divide(v, 2)]),
      single: nd.piecewise(f, nd.greater(f, 0), [(v) => nd.sqrt(v)]),
      truthy: nd.piecewise(f, [f], [1, 2]),
      grids: nd.fromfunction((i, j) => nd.add(nd.multiply(i, 3), j), [3, 4], { dtype: "int32" }),
      floats: nd.fromfunction((i) => nd.divide(i, 4), [5]),
    };
    const reference = evaluatePython({ x, f }, {
      overlap: "np.piecewise(x, [x < 3, x < 1], [lambda v: v * 1.7, -3])",
      otherwise: "np.piecewise(x, [x < 0], [lambda v: -v, lambda v: v / 2])",
      single: "np.piecewise(f, f > 0, [np.sqrt])",
      truthy: "np.piecewise(f, [f], [1, 2])",
      grids: "np.fromfunction(lambda i, j: i * 3 + j, (3, 4), dtype=np.int32)",
      floats: "np.fromfunction(lambda i: i / 4, (5,))",
    });
    for (const [name, result] of Object.entries(ours)) assert.equal(mismatch({ ulps: 0 }, result, reference[name]), null, name);
  });
});
