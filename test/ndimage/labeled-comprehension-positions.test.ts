// ndimage.labeledComprehension with passPositions (scipy's pass_positions): the function gets each
// value's position in the flattened array beside it, in every label and index form, against
// scipy.ndimage 1.10 with functions that scipy's unspecified order within a label cannot change.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { seededRandom } from "./helpers.js";

const shape = [9, 11, 6];
const rng = seededRandom(5122026);
const size = shape.reduce((a, b) => a * b, 1);
const x = nd.fromTypedArray(Float64Array.from({ length: size }, () => Math.floor(rng() * 200) - 50), shape);
const l = nd.astype(nd.fromTypedArray(Float64Array.from({ length: size }, () => Math.floor(rng() * 6) - 1), shape), "int16");

const valueTimesPosition = (v: Float64Array, p: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * p[i];
  return s;
};
const lowestPosition = (_v: Float64Array, p: Float64Array): number => Math.min(...p);

describe("ndimage.labeledComprehension with passPositions", () => {
  it("passes each value's flat position, as scipy's pass_positions", () => {
    const python = evaluatePython({ x, l }, {
      list: "np.asarray(ndi.labeled_comprehension(x, l, [4, 0, 7, 1], lambda v, p: float((v * p).sum()), np.float64, -3.0, pass_positions=True))",
      lowest: "np.asarray(ndi.labeled_comprehension(x, l, [1, 2, 3], lambda v, p: float(p.min()), np.int64, 0, pass_positions=True))",
      one: "np.asarray(ndi.labeled_comprehension(x, l, 2, lambda v, p: float((v * p).sum()), np.float64, 0, pass_positions=True))",
      labelsOnly: "np.asarray(ndi.labeled_comprehension(x, l, None, lambda v, p: float((v * p).sum()), np.float64, 0, pass_positions=True))",
      none: "np.asarray(ndi.labeled_comprehension(x, None, None, lambda v, p: float((v * p).sum()), np.float64, 0, pass_positions=True))",
    });
    const list = ndimage.labeledComprehension(x, l, [4, 0, 7, 1], valueTimesPosition, "float64", -3, true) as nd.NDArray;
    assert.deepEqual(Array.from(list.data as Float64Array), Array.from(python.list.array?.data as Float64Array));
    const lowest = ndimage.labeledComprehension(x, l, [1, 2, 3], lowestPosition, "int64", 0, true) as nd.NDArray;
    assert.deepEqual(Array.from(lowest.data as BigInt64Array), Array.from(python.lowest.array?.data as BigInt64Array));
    assert.equal(ndimage.labeledComprehension(x, l, 2, valueTimesPosition, "float64", 0, true), python.one.array?.data[0]);
    assert.equal(ndimage.labeledComprehension(x, l, undefined, valueTimesPosition, "float64", 0, true), python.labelsOnly.array?.data[0]);
    assert.equal(ndimage.labeledComprehension(x, undefined, undefined, valueTimesPosition, "float64", 0, true), python.none.array?.data[0]);
  });

  it("calls the function with the values alone without it", () => {
    let seen = -1;
    ndimage.labeledComprehension(x, l, [1], function count(...args: Float64Array[]) {
      seen = args.length;
      return 0;
    }, "float64", 0);
    assert.equal(seen, 1);
  });

  it("refuses a passPositions that is not a boolean", () => {
    assert.throws(() => ndimage.labeledComprehension(x, l, [1], valueTimesPosition, "float64", 0, "yes" as never), /labeledComprehension: passPositions must be true or false, got "yes"/);
  });
});
