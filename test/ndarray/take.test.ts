// nd.take and nd.maskSelect against NumPy (np.take, boolean indexing) on several dtypes,
// axes and layouts (views with negative and broadcast strides included).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { assertSameArray, evaluatePython } from "../array/python-eval.js";

const dtypes: nd.DType[] = ["float64", "float32", "int64", "uint16", "int8", "bool"];
const base = nd.random([4, 5, 6], { seed: 31 });
const inputs = Object.fromEntries(dtypes.map((dtype) => [dtype, dtype === "bool" ? nd.greater(base, 0.5) : nd.astype(nd.multiply(nd.subtract(base, 0.3), 100), dtype)]));
const mask2 = nd.greater(nd.random([5, 6], { seed: 32 }), 0.5);
const mask1 = nd.greater(nd.random([4], { seed: 33 }), 0.3);

describe("nd.take and nd.maskSelect", () => {
  it("equal NumPy on every dtype, axis and layout", () => {
    const cases: Array<[string, (a: nd.NDArray) => nd.NDArray, string]> = [
      ["take axis 0", (a) => nd.take(a, [3, 0, 0, -1], { axis: 0 }), "np.take(A, [3, 0, 0, -1], axis=0)"],
      ["take with no axis: the flattened array", (a) => nd.take(a, [7, 0, 119, -1, 7]), "np.take(A, [7, 0, 119, -1, 7])"],
      ["take with axis null, from a transposed view", (a) => nd.take(nd.transpose(a), [1, 2, 30], { axis: null }), "np.take(A.T, [1, 2, 30], axis=None)"],
      ["take axis 2", (a) => nd.take(a, [5, 1], { axis: 2 }), "np.take(A, [5, 1], axis=2)"],
      ["take axis -2, empty", (a) => nd.take(a, [], { axis: -2 }), "np.take(A, np.array([], dtype=int), axis=-2)"],
      ["take 0-d index", (a) => nd.take(a, nd.array(2, { dtype: "int32" }), { axis: 1 }), "np.take(A, np.int32(2), axis=1)"],
      ["take from a reversed, transposed view", (a) => nd.take(nd.transpose(nd.slice(a, { step: -1 })), [4, 2], { axis: 1 }), "np.take(A[::-1].T, [4, 2], axis=1)"],
      ["take from a broadcast view", (a) => nd.take(nd.broadcastTo(nd.slice(a, 0, 0), [3, 6]), [1, 1], { axis: 0 }), "np.take(np.broadcast_to(A[0, 0], (3, 6)), [1, 1], axis=0)"],
      ["mask over axes 1 and 2", (a) => nd.maskSelect(a, mask2, { axis: 1 }), "A[:, M2]"],
      ["mask over axis 0", (a) => nd.maskSelect(a, mask1), "A[M1]"],
      ["mask of a strided view", (a) => nd.maskSelect(nd.slice(a, ":", { step: 2 }), nd.slice(mask2, { step: 2 }), { axis: 1 }), "A[:, ::2][:, M2[::2]]"],
      ["all-false mask", (a) => nd.maskSelect(a, nd.zeros([4, 5], "bool")), "A[np.zeros((4, 5), dtype=np.bool_)]"],
    ];
    const expressions: Record<string, string> = {};
    for (const dtype of dtypes) cases.forEach(([, , python], i) => { expressions[`${dtype}_${i}`] = python.replaceAll("A", dtype); });
    const reference = evaluatePython({ ...inputs, M2: mask2, M1: mask1 }, expressions);
    for (const dtype of dtypes) {
      cases.forEach(([label, run], i) => {
        const expected = reference[`${dtype}_${i}`];
        assert.equal(expected.error, undefined, `${dtype} ${label}: ${expected.error}`);
        assertSameArray(run(inputs[dtype]), expected.array as nd.NDArray, `${dtype} ${label}`);
      });
    }
  });

  it("refuse what NumPy refuses, naming it", () => {
    const a = inputs.float64;
    assert.throws(() => nd.take(a, [4], { axis: 0 }), (e: Error) => e instanceof InvalidOptionError && /index 4 is out of bounds for axis 0 with size 4/.test(e.message));
    assert.throws(() => nd.take(a, [120]), /index 120 is out of bounds for axis 0 with size 120/, "no axis: the flattened array's 120 elements");
    assert.throws(() => nd.take(a, [1.5]), /index 1\.5 is out of bounds/);
    assert.throws(() => nd.take(a, nd.array([1.0])), /indices must be an integer array, got dtype float64/);
    assert.throws(() => nd.take(a, [0], { axis: 3 }), /axis 3 is out of bounds/);
    assert.throws(() => nd.maskSelect(a, nd.ones([5, 5], "bool"), { axis: 1 }), /along axis 2; the axis has 6 elements but the mask 5/);
    assert.throws(() => nd.maskSelect(a, nd.ones([5], "uint8"), { axis: 1 }), /must have dtype bool, got uint8/);
    assert.throws(() => nd.maskSelect(a, nd.ones([5, 6, 1], "bool"), { axis: 1 }), /does not fit an array of 3 axes/);
  });
});
