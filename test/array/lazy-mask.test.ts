/**
 * x.get(lazyMask) against Dask 2022.12's slice_with_bool_dask_array (chunks: one NaN per block of
 * the ravelled array; values, in NumPy's C order for known sizes and in block order for unknown
 * ones) and the reductions of the result against Dask and NumPy, empty blocks and empty
 * selections included.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { pyChunks, randomArray, rngOf } from "./differential-inputs.js";

const nanChunks = (chunks: readonly number[][]) => chunks.map((axis) => axis.map((n) => (Number.isNaN(n) ? null : n)));

interface Case { label: string; shape: number[]; chunks: number[][]; threshold: number }

const cases: Case[] = [
  { label: "1-d, 10 blocks", shape: [50], chunks: [new Array(10).fill(5)], threshold: 0.3 },
  { label: "2-d, 8 blocks along axis 0", shape: [24, 10], chunks: [new Array(8).fill(3), [4, 4, 2]], threshold: 0.5 },
  { label: "3-d", shape: [16, 6, 5], chunks: [new Array(8).fill(2), [3, 3], [5]], threshold: 0.7 },
  { label: "2-d irregular", shape: [17, 9], chunks: [[1, 4, 2, 3, 7], [2, 7]], threshold: 0.2 },
  { label: "2-d, empty selection", shape: [12, 8], chunks: [new Array(6).fill(2), [4, 4]], threshold: 2 },
  { label: "2-d, one block selects", shape: [12, 8], chunks: [new Array(6).fill(2), [4, 4]], threshold: 0.97 },
];

const reductions = ["sum", "mean", "min", "max", "any", "all", "prod"] as const;
/** Dask 2022.12 gives NaN for these when a block is empty (its moments' mean of no element); NumPy's are the reference. */
const moments = ["std", "var"] as const;

describe("x.get(lazy boolean mask) as Dask's", () => {
  for (const c of cases) {
    it(`${c.label}: chunks, values and reductions`, async () => {
      const data = randomArray(rngOf(c.shape.length * 101 + c.threshold * 10), "float64", c.shape, { small: false });
      const x = nd.divide(nd.abs(data), nd.max(nd.abs(data)));
      const lazy = ta.fromArray(x, { chunks: c.chunks });
      const y = lazy.get(lazy.gt(c.threshold));
      const expressions: Record<string, string> = { y: `(lambda d: d[d > ${c.threshold}])(da.from_array(x, chunks=${pyChunks(c.chunks)}))` };
      for (const op of reductions) expressions[op] = `getattr(da, "${op}")((lambda d: d[d > ${c.threshold}])(da.from_array(x, chunks=${pyChunks(c.chunks)})), split_every=16)`;
      expressions.numpyMean = `np.mean(x[x > ${c.threshold}])`;
      for (const op of moments) expressions[op] = `np.${op}(x[x > ${c.threshold}])`;
      const py = evaluatePython({ x }, expressions);
      assert.deepEqual(nanChunks(y.chunks), py.y.chunks, "chunks");
      assert.ok(Number.isNaN(y.shape[0]));
      assertSameArray(await y.compute(), py.y.array as nd.NDArray, "values");
      for (const op of reductions) {
        const expected = py[op];
        if (expected.error !== undefined) {
          // min / max of an empty selection: NumPy's (and Dask's) refusal.
          assert.match(expected.error, /zero-size array to reduction operation/);
          await assert.rejects(y[op]().compute(), /zero-size array to reduction operation (minimum|maximum) which has no identity/);
          continue;
        }
        const actual = await y[op]().compute();
        const want = expected.array as nd.NDArray;
        assert.equal(actual.dtype, want.dtype, `${op} dtype`);
        const [a, b] = [Number(actual.item()), Number(want.item())];
        assert.ok(Object.is(a, b), `${op}: ${a} vs Dask ${b}`);
      }
      for (const op of moments) {
        const [got, want] = [(await y[op]().compute()).item() as number, (py[op].array as nd.NDArray).item() as number];
        assert.ok(Object.is(got, want) || Math.abs(got - want) <= 1e-14, `${op} ${got} vs NumPy's ${want}`);
      }
      // NumPy sums the whole at once, Dask and tessera block by block: the same to rounding (NaN for none).
      const [mean, numpyMean] = [(await y.mean().compute()).item() as number, (py.numpyMean.array as nd.NDArray).item() as number];
      assert.ok(Object.is(mean, numpyMean) || Math.abs(mean - numpyMean) <= 1e-14, `mean ${mean} vs NumPy's ${numpyMean}`);
    });
  }

  it("pairs blocks of unknown size by index: Dask's block order, not NumPy's C order (2-d of unknown sizes)", async () => {
    const x = nd.reshape(nd.arange(96, { dtype: "int64" }), [24, 4]);
    const lazy = ta.fromArray(x, { chunks: [3, 4] });
    const a = ta.argwhere(lazy.gt(40));
    const selected = a.get(a.gt(2));
    const py = evaluatePython({ x }, { s: "(lambda a: a[a > 2])(da.argwhere(da.from_array(x, chunks=(3, 4)) > 40))", numpy: "(lambda a: a[a > 2])(np.argwhere(x > 40))" });
    assert.deepEqual(nanChunks(selected.chunks), py.s.chunks);
    const got = await selected.compute();
    assertSameArray(got, py.s.array as nd.NDArray, "block order");
    // The same values as NumPy's but in another order: the reason the order is Dask's, on purpose.
    assert.notDeepEqual([...got.toTypedArray()], [...(py.numpy.array as nd.NDArray).toTypedArray()]);
    assert.deepEqual([...got.toTypedArray()].sort(), [...(py.numpy.array as nd.NDArray).toTypedArray()].sort());
  });

  it("1-d lazy masks along axes, as Dask's (chunks aligned, NaN along the masked axes)", async () => {
    const x = randomArray(rngOf(31), "float64", [18, 6, 10], { small: false });
    const m0 = nd.greater(randomArray(rngOf(32), "float64", [18], { small: false }), 0);
    const m2 = nd.greater(randomArray(rngOf(33), "float64", [10], { small: false }), 0);
    const py = evaluatePython({ x, m0, m2 }, {
      axis0: "da.from_array(x, chunks=(2, 3, 5))[da.from_array(m0, chunks=4), :, :]",
      // Dask 2022.12 mis-indexes a second mask (its blockwise gives it index 4, not 2) and fails: NumPy's values.
      axes02: "x[m0][:, :, m2]",
      last: "da.from_array(x[0], chunks=(3, 5))[:, da.from_array(m2, chunks=5)]",
    });
    const lazy = ta.fromArray(x, { chunks: [2, 3, 5] });
    const axis0 = lazy.get(ta.fromArray(m0, { chunks: 4 }), ":", ":");
    assert.deepEqual(nanChunks(axis0.chunks), py.axis0.chunks);
    assertSameArray(await axis0.compute(), py.axis0.array as nd.NDArray, "axis 0");
    const axes02 = lazy.get(ta.fromArray(m0, { chunks: 4 }), ":", ta.fromArray(m2, { chunks: [[3, 7]] }));
    // Each mask's chunks aligned with its axis's: the common refinement, as Dask's common_blockdim gives ((5, 5) and (3, 7): (3, 2, 5)).
    assert.deepEqual(nanChunks(axes02.chunks), [new Array(9).fill(null), [3, 3], [null, null, null]]);
    assertSameArray(await axes02.compute(), py.axes02.array as nd.NDArray, "axes 0 and 2");
    const last = ta.fromArray(nd.slice(x, 0), { chunks: [3, 5] }).get(":", ta.fromArray(m2, { chunks: 5 }));
    assert.deepEqual(nanChunks(last.chunks), py.last.chunks);
    assertSameArray(await last.compute(), py.last.array as nd.NDArray, "last axis");
    assertSameArray(await last.sum().compute(), nd.sum(py.last.array as nd.NDArray), "sum over its blocks");
  });

  it("a selection of unknown sizes takes new axes, \":\" and \"...\" as Dask's x[None] (found by pipeline-fuzz); other indices are refused", async () => {
    const v = nd.reshape(nd.arange(24, { dtype: "int16" }), [4, 6]);
    const x = ta.fromArray(v, { chunks: [2, 4] });
    const rows = x.get(ta.fromArray(nd.array([true, false, true, true]), { chunks: 2 }), ":");
    const py = evaluatePython({ v }, {
      front: "da.from_array(v, chunks=(2, 4))[da.from_array(np.array([1, 0, 1, 1], bool), chunks=2)][None, ..., None]",
      middle: "da.from_array(v, chunks=(2, 4))[da.from_array(np.array([1, 0, 1, 1], bool), chunks=2)][:, None]",
    });
    for (const [label, got] of [["front", rows.get(null, "...", null)], ["middle", rows.get(":", null)]] as const) {
      assert.deepEqual(nanChunks(got.chunks), py[label].chunks, label);
      assertSameArray(await got.compute(), py[label].array as nd.NDArray, label);
    }
    assertSameArray(await ta.expandDims(rows, 1).compute(), py.middle.array as nd.NDArray, "expandDims");
    assert.equal(rows.get(":", "...").name, rows.name);
    assert.throws(() => rows.get(null, 0), /getitem: the array .* has unknown chunk sizes/);
  });

  it("refuses what it does not support, by name", async () => {
    const lazy = ta.fromArray(nd.arange(12), { chunks: 4 }).reshape([3, 4]);
    assert.throws(() => lazy.get(0, ta.fromArray(nd.array([true, false, true, true]))), /lazy masks are taken as one boolean mask of the array's shape .* or as 1-d boolean masks along axes with ":" for every other axis/);
    // A mask of unknown sizes pairs its blocks with the axis's; a size mismatch shows when the blocks exist.
    const unknown = ta.fromArray(nd.array([true, false, true])).get(ta.fromArray(nd.array([true, true, false])));
    await assert.rejects(lazy.get(":", unknown).compute(), /getitem: a mask block of 2 elements faces a block of 4 along axis 1/);
    assert.throws(() => lazy.get(":", ta.fromArray(nd.ones([4], "bool"), { chunks: 2 }).get(ta.fromArray(nd.ones([4], "bool"), { chunks: 2 }))), /has 2 blocks, the axis 1, and one has unknown sizes; call computeChunkSizes\(\) first/);
    assert.throws(() => lazy.get(":", ta.fromArray(nd.array([true, false]))), /boolean index did not match indexed array along axis 1; the axis has 4 elements but the mask 2/);
    assert.throws(() => lazy.get(lazy.astype("int32")), /a lazy index must be a boolean mask \(dtype bool\), got dtype int32/);
    assert.throws(() => lazy.get(lazy.reshape([12]).gt(3)), /boolean index did not match indexed array along axis 0; the axis has 3 elements but the mask 12/);
    assert.throws(() => lazy.get(ta.fromArray(nd.ones([3, 4, 1], "bool"))), /the lazy mask has 3 axes, the array 2/);
    assert.throws(() => lazy.get(ta.fromArray(nd.ones([3, 5], "bool"))), /boolean index did not match indexed array: the array has shape \[3, 4\], the mask \[3, 5\]/);
  });
});
