/**
 * unique (values, first indices, inverse, counts) and union1d for every numeric dtype against
 * NumPy 1.24 (values, eager and lazy) and Dask 2022.12 (chunks, and values where Dask's
 * aggregate agrees with NumPy: Dask counts a NaN 0 times and cannot give its first index).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { numberDtypes, randomArray, rngOf } from "./differential-inputs.js";

const nanChunks = (chunks: readonly number[][]) => chunks.map((axis) => axis.map((n) => (Number.isNaN(n) ? null : n)));
const chunks = [new Array(10).fill(2), [3, 3]];
const daX = "da.from_array(x, chunks=((2,) * 10, (3, 3)))";

describe("unique and union1d as NumPy's values and Dask's chunks", () => {
  for (const [n, dtype] of numberDtypes.entries()) {
    it(dtype, async () => {
      const rng = rngOf(900 + n);
      const x = randomArray(rng, dtype, [20, 6], { small: true, specials: true });
      const other = randomArray(rng, dtype, [9], { small: true, specials: true });
      const py = evaluatePython({ x, other }, {
        np0: "np.unique(x, return_index=True, return_inverse=True, return_counts=True)[0]",
        np1: "np.unique(x, return_index=True, return_inverse=True, return_counts=True)[1]",
        np2: "np.unique(x, return_index=True, return_inverse=True, return_counts=True)[2]",
        np3: "np.unique(x, return_index=True, return_inverse=True, return_counts=True)[3]",
        da0: `da.unique(${daX}, return_index=True, return_inverse=True, return_counts=True)[0]`,
        da1: `da.unique(${daX}, return_index=True, return_inverse=True, return_counts=True)[1]`,
        da2: `da.unique(${daX}, return_index=True, return_inverse=True, return_counts=True)[2]`,
        da3: `da.unique(${daX}, return_index=True, return_inverse=True, return_counts=True)[3]`,
        union: "np.union1d(x, other)",
        daUnion: `da.union1d(${daX}, da.from_array(other, chunks=4))`,
        hasNaN: "np.array(np.isnan(x.astype('float64')).any())",
        ravelled: `${daX}.ravel()`,
      });
      const lazy = ta.fromArray(x, { chunks });
      const outputs = ta.unique(lazy, { returnIndex: true, returnInverse: true, returnCounts: true }) as ta.Array[];
      const eager = nd.unique(x, { returnIndex: true, returnInverse: true, returnCounts: true }) as nd.NDArray[];
      const hasNaN = (py.hasNaN.array as nd.NDArray).item() === true;
      for (let k = 0; k < 4; k++) {
        const dask = py[`da${k}`];
        if (dask.error !== undefined) {
          // Dask's aggregate looks for NaN by == and fails to find its first index; chunks by their structure then.
          assert.ok(hasNaN && /zero-size array to reduction operation minimum/.test(dask.error), dask.error);
          assert.deepEqual(nanChunks(outputs[k].chunks), k === 2 ? py.ravelled.chunks : [[null]], `output ${k} chunks`);
        } else assert.deepEqual(nanChunks(outputs[k].chunks), dask.chunks, `output ${k} chunks`);
        const got = await outputs[k].compute();
        assertSameArray(got, py[`np${k}`].array as nd.NDArray, `output ${k} as NumPy's`);
        assertSameArray(eager[k], py[`np${k}`].array as nd.NDArray, `eager output ${k}`);
        if (!hasNaN) assertSameArray(got, dask.array as nd.NDArray, `output ${k} as Dask's`);
      }
      assertSameArray(await (ta.unique(lazy) as ta.Array).compute(), py.np0.array as nd.NDArray, "values alone");
      const union = ta.union1d(lazy, ta.fromArray(other, { chunks: 4 }));
      assert.deepEqual(nanChunks(union.chunks), py.daUnion.chunks, "union1d chunks");
      assertSameArray(await union.compute(), py.union.array as nd.NDArray, "union1d");
      assertSameArray(nd.union1d(x, other), py.union.array as nd.NDArray, "eager union1d");
    });
  }

  it("of an array of unknown sizes (a lazy mask's), values and counts; a first index needs the offsets", async () => {
    const x = nd.astype(randomArray(rngOf(5), "int32", [30, 4], { small: true }), "int32");
    const py = evaluatePython({ x }, {
      // Dask 2022.12 cannot count on unknown sizes (its ones(nan) fails): NumPy's counts.
      values: "da.unique((lambda d: d[d > 0])(da.from_array(x, chunks=3)))",
      counts: "np.unique(x[x > 0], return_counts=True)[1]",
    });
    const lazy = ta.fromArray(x, { chunks: 3 });
    const selected = lazy.get(lazy.gt(0));
    const [values, counts] = ta.unique(selected, { returnCounts: true }) as ta.Array[];
    assert.deepEqual(nanChunks(values.chunks), py.values.chunks, "values chunks");
    assertSameArray(await values.compute(), py.values.array as nd.NDArray, "values");
    assertSameArray(await counts.compute(), py.counts.array as nd.NDArray, "counts");
    assert.throws(() => ta.unique(selected, { returnIndex: true }), /unique with returnIndex: the array .* has unknown chunk sizes/);
    assert.throws(() => ta.unique(lazy, { return_counts: true } as never), /unique: unknown option "return_counts"; unique takes returnIndex, returnInverse, returnCounts/);
  });
});
