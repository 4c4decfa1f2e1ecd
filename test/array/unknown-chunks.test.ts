/**
 * Arrays of unknown chunk sizes (NaN, as Dask's): what works on them (compute, persist,
 * computeChunkSizes, elementwise with scalars and with arrays of the same block grid, astype,
 * full reductions, ravel of a 1-d one, squeeze, arg-reductions along one axis of known sizes)
 * and the guard's refusal of the rest, naming
 * computeChunkSizes.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { UnknownChunksError } from "../../src/array/unknown-chunks.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

const values = nd.reshape(nd.arange(60, { dtype: "float64" }), [12, 5]);
const x = ta.fromArray(values, { chunks: [2, 5] });
/** 6 blocks of unknown size: [0, 0, 0, 5, 10, 10] elements above 22 (ravelled blocks of 10). */
const y = x.get(x.gt(22));
const expected = nd.maskSelect(values, nd.greater(values, 22));
const refusal = (what: string) => (e: Error) => e instanceof UnknownChunksError && e.message.startsWith(`${what}: the array`) && /call x\.computeChunkSizes\(\) first \(Dask's compute_chunk_sizes\)/.test(e.message);

describe("arrays of unknown chunk sizes", () => {
  it("say NaN in shape and chunks, as Dask", () => {
    assert.equal(y.ndim, 1);
    assert.ok(Number.isNaN(y.shape[0]));
    assert.equal(y.chunks[0].length, 6);
    assert.ok(y.chunks[0].every(Number.isNaN));
  });

  it("compute, persist and elementwise with scalars, astype, ravel", async () => {
    assertSameArray(await y.compute(), expected, "compute");
    const persisted = await y.persist();
    assertSameArray(await persisted.mul(2).compute(), nd.multiply(expected, 2), "persisted then elementwise");
    assertSameArray(await y.add(1).astype("int32").compute(), nd.astype(nd.add(expected, 1), "int32"), "elementwise, astype");
    assert.equal(ta.ravel(y), y);
    assertSameArray(await ta.sqrt(y).gt(6).compute(), nd.greater(nd.sqrt(expected), 6), "ufunc, comparison");
  });

  it("elementwise with arrays of the same block grid; a size mismatch is an error when the blocks exist", async () => {
    const z = x.mul(10).get(x.gt(22));
    assertSameArray(await y.add(z).compute(), nd.add(expected, nd.multiply(expected, 10)), "same sizes");
    const fewer = x.get(x.gt(50));
    await assert.rejects(y.add(fewer).compute(), /blocks of unknown size paired by index have different shapes \(\[\d+\] and \[\d+\]\)/);
    // A block of one element would broadcast: still refused.
    const one = x.get(x.eq(25).or(x.eq(35)).or(x.eq(45)).or(x.eq(55)));
    await assert.rejects(y.add(one).compute(), /have different shapes/);
    const otherGrid = ta.fromArray(values, { chunks: [3, 5] });
    assert.throws(() => y.add(otherGrid.get(otherGrid.gt(22))), /arrays of unknown chunk sizes pair their blocks by index and must have the same block grid \(got \[6 blocks\] and \[4 blocks\]\)/);
    assert.throws(() => y.add(ta.fromArray(nd.ones([3]))), /same block grid/);
  });

  it("full reductions, empty blocks included; min of nothing is NumPy's refusal, mean of nothing NaN", async () => {
    const sums = { sum: nd.sum(expected), mean: nd.mean(expected), min: nd.min(expected), max: nd.max(expected), std: nd.std(expected), var: nd.variance(expected), prod: nd.prod(expected) };
    for (const [op, want] of Object.entries(sums)) {
      const got = (await (y as unknown as Record<string, () => ta.Array>)[op]().compute()).item() as number;
      assert.ok(Math.abs(got - (want.item() as number)) <= 1e-9 * Math.abs(want.item() as number), `${op}: ${got} vs ${String(want.item())}`);
    }
    assert.equal((await ta.countNonzero(y.sub(30)).compute()).item(), 36n);
    assert.equal((await ta.nanmean(y).compute()).item(), nd.mean(expected).item());
    assert.equal((await ta.nanmin(y).compute()).item(), 23);
    assert.equal((await y.any().compute()).item(), true);
    const none = x.get(x.gt(100));
    assert.ok(Number.isNaN((await none.mean().compute()).item() as number));
    assert.equal((await none.sum().compute()).item(), 0);
    await assert.rejects(none.min().compute(), /min: zero-size array to reduction operation minimum which has no identity/);
    await assert.rejects(ta.nanmax(none).compute(), /nanmax: zero-size array to reduction operation fmax which has no identity/);
    assert.throws(() => y.argmin(), (e: Error) => e instanceof UnknownChunksError && /argmin needs each block's offset/.test(e.message));
    assert.throws(() => ta.moment(y, 3), (e: Error) => e instanceof UnknownChunksError && /moment's partials of empty blocks are not left out/.test(e.message));
  });

  it("a 2-d array of unknown sizes (argwhere's): reductions along either axis, transposes", async () => {
    const a = ta.argwhere(x.gt(22));
    const want = nd.argwhere(nd.greater(values, 22));
    assertSameArray(await a.T.compute(), nd.transpose(want), "transpose");
    assertSameArray(await ta.moveaxis(a, 0, 1).compute(), nd.transpose(want), "moveaxis");
    assertSameArray(await a.min({ axis: 0 }).compute(), nd.min(want, { axis: 0 }), "min along the unknown axis");
    assertSameArray(await a.max({ axis: 0 }).compute(), nd.max(want, { axis: 0 }), "max along the unknown axis");
    assertSameArray(await a.sum({ axis: 1 }).compute(), nd.sum(want, { axis: 1 }), "sum along the known axis");
    const variance = await a.var({ axis: 0 }).compute();
    nd.variance(want, { axis: 0 }).toTypedArray().forEach((v, i) => assert.ok(Math.abs((variance.toTypedArray()[i] as number) - (v as number)) < 1e-12, "var along the unknown axis"));
    assert.throws(() => a.dot(a), refusal("dot"));
    assert.throws(() => ta.coarsen(nd.sum, a, { 0: 2 }), refusal("coarsen"));
    assert.throws(() => ta.broadcastTo(y, [2, 5]), refusal("broadcastTo"));
  });

  it("squeeze and arg-reductions along an axis of known sizes work, as in Dask (found by pipeline-fuzz)", async () => {
    // Rows of unknown sizes, a known length-1 axis and a known last axis.
    const v = nd.reshape(nd.arange(36, { dtype: "int16" }), [12, 1, 3]);
    const z = ta.fromArray(v, { chunks: [4, 1, 2] });
    const masked = z.get(ta.fromArray(nd.array(Array.from({ length: 12 }, (_, i) => i % 5 !== 1)), { chunks: 4 }), ":", ":");
    const py = evaluatePython({ v }, {
      squeezed: "(lambda d: d[da.from_array(np.arange(12) % 5 != 1, chunks=4)])(da.from_array(v, chunks=(4, 1, 2))).squeeze(1)",
      arg: "da.argmax((lambda d: d[da.from_array(np.arange(12) % 5 != 1, chunks=4)])(da.from_array(v, chunks=(4, 1, 2))) % 7, axis=2)",
    });
    const squeezed = masked.squeeze(1);
    assert.deepEqual(squeezed.chunks.map((c) => c.map((n) => (Number.isNaN(n) ? null : n))), py.squeezed.chunks);
    assertSameArray(await squeezed.compute(), py.squeezed.array as nd.NDArray, "squeeze of a known axis");
    assertSameArray(await ta.squeeze(masked).compute(), py.squeezed.array as nd.NDArray, "squeeze of every length-1 axis");
    assertSameArray(await ta.argmax(ta.remainder(masked, 7), { axis: 2 }).compute(), py.arg.array as nd.NDArray, "argmax along the known axis");
    assert.throws(() => ta.argmax(masked, { axis: 0 }), (e: Error) => e instanceof UnknownChunksError && /argmax needs each block's offset along the axes it reduces/.test(e.message));
    // One block of unknown size along the axis starts at 0: Dask's arg_reduction allows it too.
    const oneBlock = ta.fromArray(v, { chunks: [12, 1, 2] });
    const rows = oneBlock.get(ta.fromArray(nd.array(Array.from({ length: 12 }, (_, i) => i % 5 !== 1)), { chunks: 12 }), ":", ":");
    const want = evaluatePython({ v }, { a: "np.argmin(v[np.arange(12) % 5 != 1] % 4, axis=0)" });
    assertSameArray(await ta.argmin(ta.remainder(rows, 4), { axis: 0 }).compute(), want.a.array as nd.NDArray, "argmin along one block of unknown size");
    assert.throws(() => ta.argmin(masked, { axis: null }), UnknownChunksError);
  });

  it("computeChunkSizes gives a NEW array of known sizes (Dask's), the original keeps NaN", async () => {
    const py = evaluatePython({ v: values }, { chunks: "(lambda d: d[d > 22])(da.from_array(v, chunks=(2, 5))).compute_chunk_sizes()" });
    const known = await y.computeChunkSizes();
    assert.notEqual(known, y);
    assert.deepEqual(known.chunks, py.chunks.chunks);
    assert.deepEqual(known.shape, [37]);
    assert.equal(known.name, y.name);
    assert.ok(Number.isNaN(y.shape[0]), "the original is unchanged");
    assert.equal(await known.computeChunkSizes(), known);
    await assert.rejects(known.computeChunkSizes({ retires: 2 } as never), /computeChunkSizes: unknown option "retires"/, "refused even when nothing is to compute");
    // Now everything works, slicing and rechunking included.
    assertSameArray(await known.rechunk(8).get({ start: 3, stop: 30, step: 4 }).compute(), nd.slice(expected, { start: 3, stop: 30, step: 4 }), "rechunked, sliced");
    assertSameArray(await ta.concatenate([known, known]).compute(), nd.concatenate([expected, expected]), "concatenated");
  });

  it("the guard refuses the operations that need sizes, naming computeChunkSizes", async () => {
    assert.throws(() => y.rechunk(4), refusal("rechunk"));
    assert.throws(() => y.get({ start: 1, stop: 3 }), refusal("getitem"));
    assert.throws(() => y.get(0), refusal("getitem"));
    assert.throws(() => y.mapOverlap((b: nd.NDArray) => b, { depth: 1 }), refusal("overlap"));
    assert.throws(() => ta.concatenate([y, y]), refusal("concatenate"));
    assert.throws(() => ta.stack([y, y]), UnknownChunksError);
    assert.throws(() => y.reshape([2, -1]), refusal("reshape"));
    assert.throws(() => ta.cumsum(y), UnknownChunksError);
    assert.throws(() => ta.pad(y, 1), UnknownChunksError);
    assert.throws(() => y.mapBlocks((b: nd.NDArray) => b, { blockInfo: true }), /blockInfo/);
    const dir = mkdtempSync(join(tmpdir(), "unknownchunks-"));
    try {
      await assert.rejects(y.toZarr(join(dir, "y.zarr")), refusal("toZarr"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
