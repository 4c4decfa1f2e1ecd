// Table tests of the pure parts behind histogramdd, applyAlongAxis, topk and moment (the
// differential tests in test/array compare the whole functions with NumPy and Dask).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { binOf, dimensionBins } from "../../src/ndarray/histogram-bins.js";
import { roundedIntegerPower } from "../../src/ndarray/moment-order-partials.js";
import { topkCombine, topkFinish, topkPartial } from "../../src/ndarray/topk-partials.js";

describe("histogram bins", () => {
  it("puts a value in NumPy's bin (searchsorted right, the last edge closed, NaN nowhere)", () => {
    const edges = [0, 1, 1, 2, 4];
    const table: Array<[number, number]> = [[-0.5, -1], [0, 0], [0.5, 0], [1, 2], [1.5, 2], [2, 3], [4, 3], [4.5, -1], [NaN, -1], [-0, 0]];
    for (const [x, bin] of table) assert.equal(binOf(edges, x), bin, `x = ${x}`);
  });

  it("widens an empty range by 0.5 for counting, as NumPy's _get_outer_edges", () => {
    assert.deepEqual(dimensionBins("t", 0, 2, [3, 3], undefined, true).edges, [2.5, 3, 3.5]);
    assert.deepEqual(dimensionBins("t", 0, 2, [3, 3], undefined, false).edges, [3, 3, 3]);
    // float32 data's own range: NumPy's linspace of float32 scalars, in float32.
    const own = dimensionBins("t", 0, 3, null, () => ({ first: Math.fround(0.1), last: Math.fround(0.3), float32: true }), true);
    assert.equal(own.dtype, "float32");
    assert.deepEqual(own.edges, [Math.fround(0.1), Math.fround(0.16666667), Math.fround(0.23333335), Math.fround(0.3)]);
  });
});

describe("applyAlongAxis layout", () => {
  it("puts the result's axes where the lane's axis was", () => {
    const x = nd.reshape(nd.arange(24), [2, 3, 4]);
    const pair = (v: nd.NDArray) => nd.stack([nd.min(v), nd.max(v)]);
    assert.deepEqual(nd.applyAlongAxis(pair, 0, x).shape, [2, 3, 4]);
    assert.deepEqual(nd.applyAlongAxis(pair, 1, x).toArray(), [[[0, 1, 2, 3], [8, 9, 10, 11]], [[12, 13, 14, 15], [20, 21, 22, 23]]]);
    assert.deepEqual(nd.applyAlongAxis((v) => nd.reshape(v, [2, 2]), 2, x).shape, [2, 3, 2, 2]);
  });

  it("reads a scalar result as NumPy's asanyarray would (number float64, bigint int64, boolean bool)", () => {
    const x = nd.ones([2, 3]);
    assert.equal(nd.applyAlongAxis(() => 2, 1, x).dtype, "float64");
    assert.equal(nd.applyAlongAxis(() => 2n, 1, x).dtype, "int64");
    assert.equal(nd.applyAlongAxis(() => true, 1, x).dtype, "bool");
    assert.throws(() => nd.applyAlongAxis(() => "2" as never, 1, x), /applyAlongAxis: the function must return an NDArray or a number, got string/);
    assert.throws(() => nd.applyAlongAxis((v) => v, 1, nd.ones([0, 3])), /cannot apply along an axis when any iteration dimension is 0/);
  });

  it("casts later lanes to the first lane's dtype and refuses another shape", () => {
    let calls = 0;
    const out = nd.applyAlongAxis((v) => (calls++ === 0 ? nd.astype(nd.sum(v), "int32") : 2.75), 1, nd.ones([3, 2]));
    assert.deepEqual([out.dtype, out.toArray()], ["int32", [2, 2, 2]]);
    let first = true;
    assert.throws(() => nd.applyAlongAxis((v) => (first ? ((first = false), v) : nd.concatenate([v, v])), 1, nd.ones([2, 2])), /returned shape \[4\] for lane 1, \[2\] for the first/);
  });

  it("applyOverAxes gives a reduced axis back with length 1", () => {
    const x = nd.reshape(nd.arange(24), [2, 3, 4]);
    const out = nd.applyOverAxes((a, axis) => nd.sum(a, { axis }), x, [0, -1]);
    assert.deepEqual(out.shape, [1, 3, 1]);
    assert.deepEqual(out.toArray(), [[[60], [92], [124]]]);
  });
});

describe("topk steps", () => {
  it("keeps the |k| largest (NaN above all) or smallest per lane, with indices in the whole array", () => {
    const block = nd.array([[3, NaN, 1], [0, 5, 2]]);
    const options = { k: 2, axis: 1, arg: true };
    const left = topkPartial(block, options, 10);
    assert.deepEqual(left.values.toArray(), [[NaN, 3], [5, 2]]);
    assert.deepEqual(left.indices?.toArray(), [[11n, 10n], [11n, 12n]]);
    const right = topkPartial(nd.array([[4], [-1]]), options, 13);
    const joined = topkCombine([left, right], options);
    assert.deepEqual(topkFinish(joined, options).toArray(), [[11n, 13n], [11n, 12n]]);
    assert.deepEqual(topkFinish(topkPartial(block, { k: -2, axis: 0, arg: false }, 0), { k: -2, axis: 0, arg: false }).toArray(), [[0, 5, 1], [3, NaN, 2]]);
  });
});

describe("roundedIntegerPower", () => {
  it("rounds x^k once (exact cases and a case V8's Math.pow misses)", () => {
    assert.equal(roundedIntegerPower(3, 5), 243);
    assert.equal(roundedIntegerPower(-1.5, 3), -3.375);
    assert.equal(roundedIntegerPower(5.5 - 43 / 6, 3), -4.629629629629632);
    assert.equal(roundedIntegerPower(NaN, 3), NaN);
    assert.equal(roundedIntegerPower(-Infinity, 3), -Infinity);
    assert.equal(roundedIntegerPower(1e200, 3), Infinity);
  });
});
