// ta.gufunc and ta.asGufunc: the callable carries Dask's attributes, binds its options into
// every call, lets a call add allowRechunk (either allows it, as Dask's __call__), passes the
// function's options on, and checks the signature and option names when it is made.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";

const ramp = (shape: number[]) => nd.reshape(nd.arange(0, shape.reduce((a, b) => a * b, 1)), shape);
const total = function total(a: nd.NDArray) { return nd.sum(a, { axis: -1 }); };
const scaled = function scaled(a: nd.NDArray, options: { k: number }) { return nd.multiply(nd.sum(a, { axis: -1 }), options.k); };

describe("ta.gufunc", () => {
  it("carries Dask's attributes", () => {
    const g = ta.gufunc(total, "(i)->()", { outputDtypes: "float32", axis: 0, keepdims: true });
    assert.equal(g.pyfunc, total);
    assert.equal(g.signature, "(i)->()");
    assert.equal(g.outputDtypes, "float32");
    assert.equal(g.axis, 0);
    assert.equal(g.keepdims, true);
    assert.equal(g.vectorize, false);
    assert.equal(g.allowRechunk, false);
    assert.equal(g.axes, undefined);
    assert.equal(g.name, "total");
  });
  it("binds its options into each call", async () => {
    const x = ta.fromArray(ramp([4, 6]), { chunks: [[2, 2], [6]] });
    const out = ta.gufunc(total, "(i)->()", { outputDtypes: "float32", axis: 0, keepdims: true })(x.transpose()) as ta.Array;
    assert.deepEqual(out.shape, [1, 4]);
    assert.equal(out.dtype, "float32");
    assert.deepEqual([...(await out.compute()).toTypedArray()], [15, 51, 87, 123]);
  });
  it("allowRechunk from the gufunc or from the call", async () => {
    const x = ta.fromArray(ramp([4, 6]), { chunks: [[2, 2], [3, 3]] });
    assert.throws(() => ta.gufunc(total, "(i)->()")(x), /consists of multiple chunks/);
    const fromCall = ta.gufunc(total, "(i)->()")(x, { allowRechunk: true }) as ta.Array;
    const fromGufunc = ta.gufunc(total, "(i)->()", { allowRechunk: true })(x, { allowRechunk: false }) as ta.Array;
    for (const out of [fromCall, fromGufunc]) assert.deepEqual([...(await out.compute()).toTypedArray()], [15, 51, 87, 123]);
  });
  it("passes the function's options (Dask's **kwargs)", async () => {
    const x = ta.fromArray(ramp([4, 6]), { chunks: [[2, 2], [6]] });
    const out = ta.gufunc(scaled, "(i)->()")(x, {}, { k: 2 }) as ta.Array;
    assert.deepEqual([...(await out.compute()).toTypedArray()], [30, 102, 174, 246]);
  });
  it("checks the signature and the option names when made", () => {
    assert.throws(() => ta.gufunc(total, "(i)->"), /gufunc: not a valid gufunc signature/);
    assert.throws(() => ta.gufunc(total, "(i)->()", { vectorise: true } as never), /gufunc: unknown option "vectorise"/);
    assert.throws(() => ta.gufunc("total" as never, "(i)->()"), /gufunc: the first argument must be a function/);
  });
});

describe("result types follow the signature (checked by the compiler)", () => {
  it("one array for one output, a list for several, whatever the spacing", () => {
    const x = ta.fromArray(ramp([4, 6]), { chunks: [[2, 2], [6]] });
    const one: ta.Array = ta.applyGufunc(total, "(i)->()", x);
    const matrix: ta.Array = ta.applyGufunc(function pairs(a: nd.NDArray) { return nd.stack([a, a], -1); }, "(i)->(i,j)", x, { outputSizes: { j: 2 } });
    const two: ta.Array[] = ta.applyGufunc(function both(a: nd.NDArray) { return [a, a]; }, "(i) -> (i) , (i)", x);
    const bound: ta.Array[] = ta.gufunc(function both(a: nd.NDArray) { return [a, a]; }, "(i)->(i),(i)")(x);
    assert.ok(!Array.isArray(one) && !Array.isArray(matrix));
    assert.equal(two.length, 2);
    assert.equal(bound.length, 2);
  });
});

describe("ta.asGufunc", () => {
  it("returns a maker of gufuncs (Dask's decorator)", async () => {
    const stats = ta.asGufunc("(i)->(),()", { outputDtypes: ["float64", "float64"] })(function stats(a: nd.NDArray) { return [nd.min(a, { axis: -1 }), nd.max(a, { axis: -1 })]; });
    assert.equal(stats.signature, "(i)->(),()");
    const [low, high] = stats(ta.fromArray(ramp([4, 6]), { chunks: [[1, 1, 2], [6]] })) as ta.Array[];
    assert.deepEqual([...(await low.compute()).toTypedArray()], [0, 6, 12, 18]);
    assert.deepEqual([...(await high.compute()).toTypedArray()], [5, 11, 17, 23]);
  });
  it("checks the signature when made", () => {
    assert.throws(() => ta.asGufunc("i->()"), /asGufunc: not a valid gufunc signature/);
  });
});
