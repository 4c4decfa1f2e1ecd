import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { smallerChunks } from "../../src/array/plan-memory.js";
import { LazyArray } from "../../src/array/array.js";
import { PersistedExpr } from "../../src/array/sources.js";

const plan = (array: ta.Array) => lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys()).memory;

describe("the memory plan of arrays", () => {
  it("estimates the largest task from block sizes and kernel scratch, and names its array", () => {
    const x = ta.random([4000, 4000], { chunks: [1000, 2000], seed: 1 });
    const block = 1000 * 2000 * 8;
    const mean = plan(x.mean());
    // The random block, then its (count, total) partial, two float64 (summed in place: no scratch).
    assert.equal(mean.largest?.bytes, block + 16);
    // Moments as Dask's moment_chunk: the float64 deviations (squared in place), a block of scratch.
    assert.equal(plan(x.astype("int64").var()).largest?.bytes, 2 * block + 24);
    // moment(order 4): the deviations and one power of them at a time, then the count, total
    // and the central sums of orders 2, 3 and 4 (float64; float32 sums when asked).
    assert.equal(plan(ta.moment(x, 4)).largest?.bytes, 3 * block + 8 + 4 * 8);
    assert.equal(plan(ta.moment(x, 3, { dtype: "float32" })).largest?.bytes, 3 * block + 8 + 3 * 4);
    assert.equal(mean.largest?.array?.name, x.name);
    assert.deepEqual([...mean.byPrefix.keys()], ["mean"]);
    // x + 1 then a sum: the partial sum computes x + 1 into its scratch (a block) while the
    // random block is alive, then writes its one value.
    assert.equal(plan(x.add(1).sum()).largest?.bytes, 2 * block + 8);
  });

  it("counts a median's copy of its lanes: whole-lane blocks of a persisted array need three blocks", () => {
    // Persisted (its blocks are inputs from outside); da.median makes axis 0 one chunk, the
    // other "auto": one 128 MB block of whole lanes, gathered from the 32 blocks under it.
    const layout = ta.zeros([4000, 4000], { chunks: [1000, 500] });
    const x = new LazyArray("held-4000", layout.shape, layout.chunks, "float64", new PersistedExpr(() => undefined));
    const block = 4000 * 4000 * 8;
    // The 32 source blocks, the gathered block, its contiguous copy with the reduced axis last,
    // and the 4000 medians.
    const held = (array: ta.Array) => lowerArrays([array], () => true, (node) => (node as ta.Array).blockKeys()).memory;
    assert.equal(held(ta.median(x, { axis: 0 })).largest?.bytes, 3 * block + 4000 * 8);
    assert.equal(held(ta.nanmedian(x, { axis: 1 })).largest?.bytes, 3 * block + 4000 * 8);
    // The task is named after the block it gathers (the median's whole-lane rechunk), not x's blocks.
    const gathered = held(ta.median(x, { axis: 0 })).largest?.array;
    assert.deepEqual(gathered?.chunks, [[4000], [4000]]);
  });

  it("suggests chunks that shrink the block by the factor asked, halving the longest axis first", () => {
    const x = ta.random([8000, 6000], { chunks: [8000, 6000] });
    assert.deepEqual(smallerChunks(x, 4), [4000, 3000]);
    assert.deepEqual(smallerChunks(x, 1.5), [4000, 6000]);
    assert.equal(smallerChunks(ta.random([2, 2], { chunks: [1, 1] }), 2), undefined);
    // An axis kept whole (a median's lanes) is split last: the axes in blocks shrink first.
    assert.deepEqual(smallerChunks(ta.random([18_000, 2000], { chunks: [18_000, 900] }), 4), [18_000, 225]);
    assert.deepEqual(smallerChunks(ta.random([18_000, 2000], { chunks: [18_000, 2] }), 4), [9000, 1]);
  });
});
