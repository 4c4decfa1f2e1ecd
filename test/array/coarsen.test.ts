// coarsen (block reduction, issue 12 items 2 and 4) against Dask's da.coarsen: values, dtypes
// and chunks, with and without trimExcess, several reductions, dtypes and chunkings; and
// nd.coarsen against NumPy.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { alignedCoarsenChunks } from "../../src/array/coarsen.js";
import { difference } from "../ndarray/numpy-anchor.js";
import { evaluatePython } from "./python-eval.js";

const u16 = nd.astype(nd.multiply(nd.random([12, 15], { seed: 81 }), 4000), "uint16");
const f32 = nd.astype(nd.random([12, 15], { seed: 82 }), "float32");
const odd = nd.astype(nd.multiply(nd.random([13, 16], { seed: 83 }), 100), "int16");

describe("coarsen", () => {
  it("equals Dask's coarsen in values, dtype and chunks", async () => {
    // [label, tessera, Dask]
    const cases: Array<[string, () => ta.Array, string]> = [
      ["mean 2×3, uint16, regular", () => ta.coarsen(nd.mean, ta.fromArray(u16, { chunks: [4, 5] }), { 0: 2, 1: 3 }), "da.coarsen(np.mean, da.from_array(u16, chunks=(4, 5)), {0: 2, 1: 3})"],
      ["sum 3 on axis 1, uint16, irregular (rechunked)", () => ta.coarsen(nd.sum, ta.fromArray(u16, { chunks: [[5, 7], [1, 2, 7, 5]] }), { 1: 3 }), "da.coarsen(np.sum, da.from_array(u16, chunks=((5, 7), (1, 2, 7, 5))), {1: 3})"],
      ["max 4×5, float32, single chunk", () => ta.coarsen(nd.max, ta.fromArray(f32, { chunks: -1 }), [4, 5]), "da.coarsen(np.max, da.from_array(f32, chunks=-1), {0: 4, 1: 5})"],
      ["mean with trimExcess", () => ta.coarsen(nd.mean, ta.fromArray(odd, { chunks: [6, 5] }), { 0: 2, 1: 3 }, { trimExcess: true }), "da.coarsen(np.mean, da.from_array(odd, chunks=(6, 5)), {0: 2, 1: 3}, trim_excess=True)"],
      ["min with trimExcess, negative axis", () => ta.coarsen(nd.min, ta.fromArray(odd, { chunks: [4, 7] }), { "-1": 5 }, { trimExcess: true }), "da.coarsen(np.min, da.from_array(odd, chunks=(4, 7)), {1: 5}, trim_excess=True)"],
      ["sum with dtype option", () => ta.coarsen(nd.sum, ta.fromArray(f32, { chunks: 6 }), { 0: 3 }, { reductionOptions: { dtype: "float64" } }), "da.coarsen(np.sum, da.from_array(f32, chunks=6), {0: 3}, dtype='float64')"],
    ];
    const reference = evaluatePython({ u16, f32, odd }, Object.fromEntries(cases.map(([, , python], i) => [`c${i}`, python])));
    for (const [i, [label, build]] of cases.entries()) {
      const expected = reference[`c${i}`];
      assert.equal(expected.error, undefined, `${label}: ${expected.error}`);
      const lazy = build();
      assert.equal(difference(await lazy.compute(), expected.array as nd.NDArray, { ulps: 1 }), undefined, label);
      assert.deepEqual(lazy.chunks, expected.chunks, `${label}: chunks`);
      assert.equal(lazy.dtype, (expected.array as nd.NDArray).dtype, `${label}: dtype`);
    }
  });

  it("aligns chunks to the factor exactly as Dask's aligned_coarsen_chunks", () => {
    const cases: Array<[number[], number]> = [[[1, 2, 3], 4], [[1, 20, 3, 4], 4], [[20, 10, 15, 23, 24], 10], [[7, 7, 7, 7, 7], 3], [[5, 5, 5], 5], [[3, 1, 4, 1, 5, 9, 2, 6], 4]];
    const reference = evaluatePython({}, Object.fromEntries(cases.map(([chunks, multiple], i) =>
      [`a${i}`, `np.array(__import__('dask.array.routines', fromlist=['x']).aligned_coarsen_chunks(${JSON.stringify(chunks)}, ${multiple}))`])));
    cases.forEach(([chunks, multiple], i) => {
      assert.deepEqual(alignedCoarsenChunks(chunks, multiple), [...((reference[`a${i}`].array as nd.NDArray).toArray() as number[])].map(Number), `${chunks} by ${multiple}`);
    });
  });

  it("refuses factors that do not divide the shape (without trimExcess) and bad factors, naming them", () => {
    const x = ta.fromArray(odd, { chunks: 4 });
    assert.throws(() => ta.coarsen(nd.mean, x, { 0: 2 }), (e: Error) => e instanceof InvalidOptionError && /factors \[2, 1\] do not divide the shape \[13, 16\]; pass \{ trimExcess: true \}/.test(e.message));
    assert.throws(() => ta.coarsen(nd.mean, x, { 2: 2 }), /axis 2 does not exist in an array of 2 axes/);
    assert.throws(() => ta.coarsen(nd.mean, x, { 1: 0 }), /factor for axis 1 must be a positive integer, got 0/);
    assert.throws(() => ta.coarsen(nd.mean, x, [2]), /one entry per axis/);
    assert.throws(() => ta.coarsen("mean" as never, x, { 1: 2 }), /reduction must be a function/);
    // Dask hands other keywords to the reduction; ignoring them returned float64 for a float32 request.
    assert.throws(() => ta.coarsen(nd.mean, x, { 1: 2 }, { dtype: "float32" } as never), /unknown option "dtype"; coarsen takes trimExcess and reductionOptions .*reductionOptions: \{ dtype: … \}/);
    assert.throws(() => ta.coarsen(nd.mean, x, { 1: 2 }, { trim_excess: true } as never), /unknown option "trim_excess"/);
  });

  it("nd.coarsen equals NumPy's reshape-and-reduce on one block", () => {
    const reference = evaluatePython({ u16 }, { m: "u16.reshape(6, 2, 3, 5).mean(axis=(1, 3))", t: "u16[:10, :12].reshape(2, 5, 3, 4).max(axis=(1, 3))" });
    assert.equal(difference(nd.coarsen(nd.mean, u16, { factors: [2, 5] }), reference.m.array as nd.NDArray), undefined);
    assert.equal(difference(nd.coarsen(nd.max, u16, { factors: [5, 4], trimExcess: true }), reference.t.array as nd.NDArray), undefined);
    assert.throws(() => nd.coarsenView(u16, { factors: [5, 4] }), /factor 5 does not divide axis 0 of length 12/);
  });
});
