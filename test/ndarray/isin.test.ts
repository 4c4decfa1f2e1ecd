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
    // Below 0 and past 2^63 − 1 together: NumPy compares Python integers exactly, and so does this.
    const mixed = nd.fromTypedArray(BigUint64Array.from([2n ** 64n - 5n, 2n ** 63n, 3n]));
    assert.deepEqual(nd.isin(mixed, [2n ** 64n - 5n, -1, 3]).toArray(), [true, false, true]);
    assert.deepEqual(nd.isin(nd.array([-1, 2.5, 3]), [2n ** 64n - 5n, -1]).toArray(), [true, false, false]);
  });

  it("refuses bad input by name", () => {
    const x = nd.array([1, 2]);
    assert.throws(() => nd.isin(x, [1], { assumeUnique: true } as never), /isin: unknown option "assumeUnique"; isin takes invert/);
    assert.throws(() => nd.isin(x, [2n ** 64n]), /isin: test element 18446744073709551616 is past every integer dtype/);
    assert.throws(() => nd.isin(x, "12" as never), /isin: test elements must be an NDArray or a list of numbers, got string/);
    assert.throws(() => nd.isin([1, 2] as never, [1]), /isin: element must be an NDArray/);
  });
});
