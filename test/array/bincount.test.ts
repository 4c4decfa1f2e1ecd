/**
 * bincount for every numeric dtype against NumPy 1.24 (values and refusals, eager and lazy) and
 * Dask 2022.12 (chunks: NaN, or minlength's; weighted sums bit for bit with split_every=16).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { numberDtypes, randomArray, rngOf } from "./differential-inputs.js";

const nanChunks = (chunks: readonly number[][]) => chunks.map((axis) => axis.map((n) => (Number.isNaN(n) ? null : n)));

describe("bincount as NumPy's values and Dask's chunks", () => {
  for (const [n, dtype] of numberDtypes.entries()) {
    it(dtype, async () => {
      const rng = rngOf(300 + n);
      const raw = randomArray(rng, dtype, [70], { small: true });
      // Non-negative values of the dtype (NumPy refuses negative ones; that is checked below).
      const x = dtype.startsWith("float") || dtype === "bool" || dtype.startsWith("u") ? raw : nd.abs(raw);
      const weights = randomArray(rng, "float64", [70], { small: false });
      const py = evaluatePython({ x, weights }, {
        counts: "np.bincount(x)",
        long: "np.bincount(x, minlength=20)",
        weighted: "np.bincount(x, weights=weights)",
        dask: "da.bincount(da.from_array(x, chunks=4))",
        daskLong: "da.bincount(da.from_array(x, chunks=4), minlength=20)",
        daskWeighted: "da.bincount(da.from_array(x, chunks=4), weights=da.from_array(weights, chunks=4), split_every=16)",
      });
      const lazy = ta.fromArray(x, { chunks: 4 });
      if (py.counts.error !== undefined) {
        // uint64 and floats: NumPy's casting refusal, eager and lazy.
        // (The reference reads its inputs little-endian: NumPy names the dtype '<f4' there.)
        assert.match(py.counts.error, /^TypeError: Cannot cast array data from dtype\('.*'\) to dtype\('int64'\) according to the rule 'safe'$/);
        const message = new RegExp(`Cannot cast array data from dtype\\('${dtype}'\\) to dtype\\('int64'\\) according to the rule 'safe'$`);
        assert.throws(() => nd.bincount(x), message);
        assert.throws(() => ta.bincount(lazy), message);
        return;
      }
      assertSameArray(nd.bincount(x), py.counts.array as nd.NDArray, "eager");
      assertSameArray(nd.bincount(x, { minlength: 20 }), py.long.array as nd.NDArray, "eager minlength");
      assertSameArray(nd.bincount(x, { weights }), py.weighted.array as nd.NDArray, "eager weights");
      const counts = ta.bincount(lazy);
      assert.deepEqual(nanChunks(counts.chunks), py.dask.chunks);
      assertSameArray(await counts.compute(), py.dask.array as nd.NDArray, "lazy");
      const long = ta.bincount(lazy, { minlength: 20 });
      assert.deepEqual(long.chunks, py.daskLong.chunks);
      assertSameArray(await long.compute(), py.daskLong.array as nd.NDArray, "lazy minlength");
      const weighted = ta.bincount(lazy, { weights: ta.fromArray(weights, { chunks: 4 }) });
      assertSameArray(await weighted.compute(), py.daskWeighted.array as nd.NDArray, "lazy weights (Dask's tree)");
    });
  }

  it("of an array of unknown sizes; refusals by name", async () => {
    const x = nd.astype(nd.remainder(nd.arange(200), 17), "int32");
    const py = evaluatePython({ x }, { counts: "np.bincount(x[x > 3])", negative: "np.bincount(x - 5)" });
    const lazy = ta.fromArray(x, { chunks: 9 });
    assertSameArray(await ta.bincount(lazy.get(lazy.gt(3))).compute(), py.counts.array as nd.NDArray, "unknown sizes");
    const message = (py.negative.error as string).replace(/^ValueError: /, "");
    assert.throws(() => nd.bincount(nd.subtract(x, 5)), (e: Error) => e.message.endsWith(message));
    await assert.rejects(ta.bincount(lazy.sub(5)).compute(), (e: Error) => e.message.endsWith(message));
    // minlength below the largest value: Dask's chunks would say 3 and the result have 17; refused instead.
    await assert.rejects(ta.bincount(lazy, { minlength: 3 }).compute(), /bincount: a value reaches 16, past minlength 3/);
    assert.throws(() => ta.bincount(lazy.reshape([20, 10])), /Input array must be one dimensional \(got 2 axes\)\. Try using x\.ravel\(\)/);
    assert.throws(() => ta.bincount(lazy, { weights: ta.fromArray(nd.ones([200]), { chunks: 10 }) }), /Chunks of input array x and weights must match/);
    assert.throws(() => ta.bincount(lazy, { minlength: -1 }), /'minlength' must not be negative/);
    assert.throws(() => ta.bincount(lazy, { length: 3 } as never), /bincount: unknown option "length"/);
  });
});
