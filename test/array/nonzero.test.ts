/**
 * argwhere, nonzero, flatnonzero, where(condition) and extract against Dask 2022.12 (chunks with
 * NaN, values) and NumPy (values), 1-d to 3-d with many blocks, empty results included.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { pyChunks, randomArray, rngOf } from "./differential-inputs.js";

const nanChunks = (chunks: readonly number[][]) => chunks.map((axis) => axis.map((n) => (Number.isNaN(n) ? null : n)));

const cases = [
  { shape: [40], chunks: [new Array(10).fill(4)], dtype: "float64" as const },
  { shape: [18, 7], chunks: [new Array(9).fill(2), [3, 4]], dtype: "int16" as const },
  { shape: [16, 3, 4], chunks: [new Array(8).fill(2), [1, 2], [4]], dtype: "uint8" as const },
  { shape: [12, 5], chunks: [[5, 7], [2, 3]], dtype: "bool" as const },
];

describe("argwhere, nonzero, flatnonzero, where(condition), extract as Dask's", () => {
  for (const [n, c] of cases.entries()) {
    it(`${c.shape.length}-d ${c.dtype}, [${c.chunks.map((a) => a.length).join(", ")}] blocks`, async () => {
      const rng = rngOf(700 + n);
      const data = randomArray(rng, c.dtype, c.shape, { small: true, specials: true });
      // Mostly zeros, so blocks with none and with some both occur.
      const x = c.dtype === "bool" ? data : nd.where(nd.greater(nd.abs(nd.astype(data, "float64")), 3), data, nd.zeros([1], c.dtype));
      const none = nd.zeros(c.shape, c.dtype);
      const chunks = pyChunks(c.chunks);
      const py = evaluatePython({ x, none }, {
        argwhere: `da.argwhere(da.from_array(x, chunks=${chunks}))`,
        flatnonzero: `da.flatnonzero(da.from_array(x, chunks=${chunks}))`,
        ...Object.fromEntries(c.shape.map((_, a) => [`nonzero${a}`, `da.nonzero(da.from_array(x, chunks=${chunks}))[${a}]`])),
        extract: `da.extract(da.from_array(x, chunks=${chunks}) != 0, da.from_array(x, chunks=${chunks}) * 2)`,
        empty: `da.argwhere(da.from_array(none, chunks=${chunks}))`,
        numpyArgwhere: "np.argwhere(x)",
      });
      const lazy = ta.fromArray(x, { chunks: c.chunks });
      const argwhere = ta.argwhere(lazy);
      assert.deepEqual(nanChunks(argwhere.chunks), py.argwhere.chunks, "argwhere chunks");
      assertSameArray(await argwhere.compute(), py.argwhere.array as nd.NDArray, "argwhere");
      assertSameArray(await argwhere.compute(), py.numpyArgwhere.array as nd.NDArray, "argwhere as NumPy's");
      assertSameArray(nd.argwhere(x), py.numpyArgwhere.array as nd.NDArray, "eager argwhere");
      const flat = ta.flatnonzero(lazy);
      assert.deepEqual(nanChunks(flat.chunks), py.flatnonzero.chunks, "flatnonzero chunks");
      assertSameArray(await flat.compute(), py.flatnonzero.array as nd.NDArray, "flatnonzero");
      const nonzero = ta.nonzero(lazy);
      assert.deepEqual(lazy.nonzero().map((axis) => axis.name), nonzero.map((axis) => axis.name), "x.nonzero() is ta.nonzero(x)");
      const where = ta.where(lazy);
      for (const [a, axis] of nonzero.entries()) {
        assert.deepEqual(nanChunks(axis.chunks), py[`nonzero${a}`].chunks, `nonzero ${a} chunks`);
        assertSameArray(await axis.compute(), py[`nonzero${a}`].array as nd.NDArray, `nonzero ${a}`);
        assertSameArray(await where[a].compute(), py[`nonzero${a}`].array as nd.NDArray, `where ${a}`);
      }
      const extract = ta.extract(lazy.ne(0), lazy.mul(2));
      assert.deepEqual(nanChunks(extract.chunks), py.extract.chunks, "extract chunks");
      assertSameArray(await extract.compute(), py.extract.array as nd.NDArray, "extract");
      const empty = ta.argwhere(ta.fromArray(none, { chunks: c.chunks }));
      assert.deepEqual(nanChunks(empty.chunks), py.empty.chunks, "empty chunks");
      assertSameArray(await empty.compute(), py.empty.array as nd.NDArray, "empty");
    });
  }

  it("refuses inputs of unknown sizes and 0-d ones, by name", () => {
    const x = ta.fromArray(nd.arange(10), { chunks: 3 });
    const y = x.get(x.gt(4));
    assert.throws(() => ta.argwhere(y), /argwhere: the array .* has unknown chunk sizes .*computeChunkSizes/);
    assert.throws(() => ta.nonzero(x.sum()), /nonzero: a 0-d array has no axes/);
    assert.throws(() => ta.extract(x.gt(3), x.get({ stop: 5 })), /extract: the condition has 10 elements, the array 5/);
  });
});
