/**
 * The eager nonzero, argwhere, flatnonzero and extract against NumPy 1.24 (NaN is non-zero, -0
 * is zero), and unique and bincount at their edges (empty input, 0-d input).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "../array/python-eval.js";

describe("nonzero, argwhere, flatnonzero, extract, unique and bincount (eager) as NumPy's", () => {
  it("gives NumPy's positions and values", () => {
    const x = nd.array([[0, NaN, -0, 2], [1, 0, 0, -3], [0, 0, 0, 0]], { dtype: "float64" });
    const empty = nd.zeros([0, 3]);
    const scalar = nd.array(7, { dtype: "int32" });
    const py = evaluatePython({ x, empty, scalar }, {
      nz0: "np.nonzero(x)[0]", nz1: "np.nonzero(x)[1]", argwhere: "np.argwhere(x)", flat: "np.flatnonzero(x)",
      extract: "np.extract(x > 0, x * 2)", argwhereEmpty: "np.argwhere(empty)", argwhereScalar: "np.argwhere(scalar)",
      unique: "np.unique(empty)", uniqueScalar: "np.unique(scalar, return_inverse=True)[1]", bincountEmpty: "np.bincount(np.zeros(0, dtype=np.int8), minlength=3)",
    });
    const [nz0, nz1] = nd.nonzero(x);
    assertSameArray(nz0, py.nz0.array as nd.NDArray, "nonzero 0");
    assertSameArray(nz1, py.nz1.array as nd.NDArray, "nonzero 1");
    assertSameArray(nd.argwhere(x), py.argwhere.array as nd.NDArray, "argwhere");
    assertSameArray(nd.flatnonzero(x), py.flat.array as nd.NDArray, "flatnonzero");
    assertSameArray(nd.extract(nd.greater(x, 0), nd.multiply(x, 2)), py.extract.array as nd.NDArray, "extract");
    assertSameArray(nd.argwhere(empty), py.argwhereEmpty.array as nd.NDArray, "argwhere of nothing");
    assertSameArray(nd.argwhere(scalar), py.argwhereScalar.array as nd.NDArray, "argwhere of a 0-d array");
    assertSameArray(nd.unique(empty) as nd.NDArray, py.unique.array as nd.NDArray, "unique of nothing");
    assertSameArray((nd.unique(scalar, { returnInverse: true }) as nd.NDArray[])[1], py.uniqueScalar.array as nd.NDArray, "unique inverse of a 0-d array");
    assertSameArray(nd.bincount(nd.zeros([0], "int8"), { minlength: 3 }), py.bincountEmpty.array as nd.NDArray, "bincount of nothing");
  });

  it("refuses what NumPy refuses, by name", () => {
    assert.throws(() => nd.nonzero(nd.array(3)), /nonzero: a 0-d array has no axes/);
    assert.throws(() => nd.extract(nd.array([true, false, true]), nd.array([1, 2])), /extract: index 2 is out of bounds for axis 0 with size 2/);
    assert.throws(() => nd.bincount(nd.zeros([2, 2], "int32")), /bincount: the input must be 1-d/);
    assert.throws(() => nd.bincount(nd.array([1, 2], { dtype: "int32" }), { weights: nd.ones([3]) }), /The weights and list don't have the same length/);
    assert.throws(() => nd.unique(nd.ones([2]), { sorted: false } as never), /unique: unknown option "sorted"/);
  });
});
