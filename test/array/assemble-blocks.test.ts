// Joining computed blocks into the result: a block whose shape is not the one its chunks give
// (a user's function returning another shape than declared) is refused by name, where joining
// it would leave zeros in the result or cut the block short (Dask returns an array of another
// shape than it declared). So is a block of another dtype than declared: joined, it was cast to
// the declared dtype (floats truncated into ints), where a lone block came back as it was.
// Blocks of the declared shapes and dtype, and unknown sizes, join as before.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { assertSameArray } from "./python-eval.js";

const A = nd.reshape(nd.arange(7 * 10, { dtype: "float64" }), [7, 10]);
const x = ta.fromArray(A, { chunks: [2, 3] });
const misshapen = /block \[0, 0\] has shape \[1, 3\] where the array's chunks give \[2, 3\]/;

describe("assembling a computed array from its blocks", () => {
  it("refuses a block smaller than its chunks (blockwise, mapBlocks) instead of leaving zeros", async () => {
    const firstRow = (b: nd.NDArray) => nd.take(b, [0], { axis: 0 });
    await assert.rejects(ta.blockwise(firstRow, "ij", [x, "ij"], { dtype: "float64" }).compute(), (e: Error) => e instanceof InvalidOptionError && misshapen.test(e.message));
    await assert.rejects(x.mapBlocks(firstRow, { dtype: "float64" }).compute(), (e: Error) => e instanceof InvalidOptionError && misshapen.test(e.message));
  });

  it("refuses a single block of another shape (a user reduction's aggregate keeping dims it was told to drop)", async () => {
    const sum = (b: nd.NDArray, o: { axis: number[]; keepdims: boolean }) => nd.sum(b, o);
    const keeps = (b: nd.NDArray, o: { axis: number[] }) => nd.sum(b, { axis: o.axis, keepdims: true });
    await assert.rejects(ta.reduction(x, sum, keeps, { dtype: "float64" }).compute(), /block \[\] has shape \[1, 1\] where the array's chunks give \[\]/);
  });

  it("refuses blocks of another dtype than declared, many blocks or one, naming both dtypes", async () => {
    const halves = (b: nd.NDArray) => nd.divide(b, 2);
    const anotherDType = /block 0 \(in C order\) has dtype float64 where the array declares int32/;
    const ints = x.astype("int32");
    await assert.rejects(ints.mapBlocks(halves, { dtype: "int32" }).compute(), (e: Error) => e instanceof InvalidOptionError && anotherDType.test(e.message));
    await assert.rejects(ints.rechunk([7, 10]).mapBlocks(halves, { dtype: "int32" }).compute(), anotherDType);
    assertSameArray(await ints.mapBlocks(halves, { dtype: "float64" }).compute(), nd.divide(nd.astype(A, "int32"), 2), "declared rightly");
  });

  it("joins blocks of the declared shapes, with uneven last chunks, and blocks of unknown sizes", async () => {
    assertSameArray(await ta.blockwise((b: nd.NDArray) => nd.multiply(b, 2), "ij", [x, "ij"], { dtype: "float64" }).compute(), nd.multiply(A, 2), "declared shapes");
    const positive = x.get(x.gt(30));
    assertSameArray(await positive.compute(), nd.add(nd.arange(39, { dtype: "float64" }), 31), "unknown sizes");
  });
});
