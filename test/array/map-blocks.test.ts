// ta.mapBlocks over several arrays: chunks unified and blocks matched as Dask's blockwise does
// with align_arrays (unify_chunks, right-aligned broadcasting), checked against Dask on the same
// inputs. (Dask's map_blocks itself skips the alignment and refuses different block counts.)
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

const x = nd.astype(nd.multiply(nd.random([10, 12], { seed: 11 }), 50), "float32");
const y = nd.astype(nd.multiply(nd.random([10, 12], { seed: 12 }), 50), "int16");
const row = nd.random([12], { seed: 13 });
const column = nd.random([10, 1], { seed: 14 });

describe("mapBlocks over arrays with different chunkings", () => {
  it("ta.mapBlocks(nd.add, [x, y]) equals Dask's blockwise(np.add) in values, dtype and chunks (issue 9 item 11)", async () => {
    const cases: Array<[string, ta.Array[], string]> = [
      ["regular vs regular", [ta.fromArray(x, { chunks: [5, 4] }), ta.fromArray(y, { chunks: [3, 6] })], "da.from_array(x, chunks=(5, 4)), 'ij', da.from_array(y, chunks=(3, 6)), 'ij'"],
      ["irregular vs single chunk", [ta.fromArray(x, { chunks: [[1, 6, 3], [7, 5]] }), ta.fromArray(y, { chunks: -1 })], "da.from_array(x, chunks=((1, 6, 3), (7, 5))), 'ij', da.from_array(y, chunks=-1), 'ij'"],
      ["row broadcast", [ta.fromArray(x, { chunks: [4, 4] }), ta.fromArray(row, { chunks: [5] })], "da.from_array(x, chunks=(4, 4)), 'ij', da.from_array(row, chunks=5), 'j'"],
      ["column broadcast", [ta.fromArray(column, { chunks: [3, 1] }), ta.fromArray(y, { chunks: [4, 7] })], "da.from_array(column, chunks=(3, 1)), 'ij', da.from_array(y, chunks=(4, 7)), 'ij'"],
    ];
    const reference = evaluatePython({ x, y, row, column }, Object.fromEntries(cases.map(([, , python], i) => [`c${i}`, `da.blockwise(np.add, 'ij', ${python})`])));
    for (const [i, [label, arrays]] of cases.entries()) {
      const lazy = ta.mapBlocks(nd.add, arrays);
      const expected = reference[`c${i}`];
      assert.equal(expected.error, undefined, `${label}: ${expected.error}`);
      assertSameArray(await lazy.compute(), expected.array as nd.NDArray, label);
      assert.deepEqual(lazy.chunks, expected.chunks, `${label}: chunks`);
      assert.equal(lazy.dtype, (expected.array as nd.NDArray).dtype, `${label}: dtype`);
    }
  });

  it("matches blocks of three arrays (where) and of the elementwise methods the same way", async () => {
    const condition = nd.greater(nd.random([10, 12], { seed: 15 }), 0.5);
    const a = ta.fromArray(condition, { chunks: [2, 12] });
    const b = ta.fromArray(x, { chunks: [10, 3] });
    const c = ta.fromArray(y, { chunks: [[4, 6], [6, 6]] });
    assertSameArray(await ta.mapBlocks(nd.where, [a, b, c]).compute(), nd.where(condition, x, y), "where");
    assertSameArray(await b.sub(c).compute(), nd.subtract(x, y), "sub");
  });
});
