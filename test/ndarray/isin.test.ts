// nd.isin, the block kernel of ta.isin (test/array/manipulation-differential.test.ts compares
// both with NumPy over every dtype): how a list of test elements is read, and bad input.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";

describe("nd.isin", () => {
  it("reads a list as NumPy's asarray does: integers exactly (int64, uint64 past 2^63), booleans as bool", () => {
    const big = nd.fromTypedArray(BigUint64Array.from([2n ** 64n - 1n, 2n ** 63n, 7n]));
    assert.deepEqual(nd.isin(big, [2n ** 64n - 1n, 7]).toArray(), [true, false, true]);
    const ints = nd.array([0, 1, 2], { dtype: "int32" });
    assert.deepEqual(nd.isin(ints, [true]).toArray(), [false, true, false]);
    assert.deepEqual(nd.isin(ints, []).toArray(), [false, false, false]);
    assert.deepEqual(nd.isin(ints, nd.array([2.0, 1.5])).toArray(), [false, false, true]);
    assert.equal(nd.isin(nd.reshape(ints, [3, 1]), [1]).shape.join(), "3,1");
  });

  it("refuses bad input by name", () => {
    const x = nd.array([1, 2]);
    assert.throws(() => nd.isin(x, [1], { assumeUnique: true } as never), /isin: unknown option "assumeUnique"; isin takes invert/);
    assert.throws(() => nd.isin(x, [-1n, 2n ** 63n]), /isin: test elements mix values below 0 and above 2\^63 − 1/);
    assert.throws(() => nd.isin(x, "12" as never), /isin: test elements must be an NDArray or a list of numbers, got string/);
    assert.throws(() => nd.isin([1, 2] as never, [1]), /isin: element must be an NDArray/);
  });
});
