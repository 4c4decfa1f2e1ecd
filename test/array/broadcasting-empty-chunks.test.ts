// A length-1 axis chunked with an empty chunk ([0, 1], as Dask allows) broadcasts as one
// block (broadcasting.ts unifyOperands): elementwise results, and concatenate of mixed dtypes
// (which casts each input), used to read the empty block and give zeros.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";

const values = (array: nd.NDArray): number[] => Array.from(array.toTypedArray() as ArrayLike<number>);
const column = nd.astype(nd.add(nd.reshape(nd.arange(0, 3, 1, "float64"), [3, 1]), 100), "uint16");

describe("length-1 axes with empty chunks", () => {
  it("keep their values through astype, arithmetic against a wider array, and a mixed-dtype concatenate", async () => {
    const x = ta.fromArray(column, { chunks: [3, [0, 1]] });
    assert.deepEqual(values(await x.astype("int32").compute()), [100, 101, 102]);
    const wide = ta.fromArray(nd.zeros([3, 4], "float64"), { chunks: [3, 2] });
    assert.deepEqual(values(await wide.add(x).compute()), [100, 100, 100, 100, 101, 101, 101, 101, 102, 102, 102, 102]);
    const left = ta.fromArray(nd.astype(nd.reshape(nd.arange(0, 6, 1, "float64"), [3, 2]), "int32"), { chunks: [3, 1] });
    const joined = ta.concatenate([left, x], -1);
    assert.equal(joined.dtype, "int32");
    assert.deepEqual(values(await joined.compute()), [0, 1, 100, 2, 3, 101, 4, 5, 102]);
  });
});
