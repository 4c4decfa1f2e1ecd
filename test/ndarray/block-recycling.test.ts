// Generated blocks' buffers kept for the next generated block (block-recycling.ts): a fused
// task gives back only what it made and no longer reaches, and a recycled block holds exactly
// the values a new one would.
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { recycledHeldBytes, releaseRecycled, setRecycleKeepCap, recycleKeepBytes } from "../../src/ndarray/block-recycling.js";
import { fusedBuiltin, onReleasedBlocks, runTask, stepRef, type FusedStep } from "../../src/graph/task-runner.js";

const shape = [100, 100];
const blockBytes = 100 * 100 * 8;
const random = (seed: number): FusedStep => ({ fn: { builtin: "ndarray.random" }, args: [shape, { seed: [seed, 0, 0], dtype: "float64" }] });
const transpose = (step: number): FusedStep => ({ fn: { builtin: "ndarray.transpose" }, args: [stepRef(step), { axes: [1, 0] }] });
const sum = (step: number): FusedStep => ({ fn: { builtin: "ndarray.sum" }, args: [stepRef(step)] });
const fused = (steps: FusedStep[]) => runTask({ builtin: fusedBuiltin }, [{ steps }]) as Promise<NDArray>;
const values = (array: NDArray) => Array.from(nd.ascontiguousarray(array).data as Float64Array);

describe("generated blocks recycled between fused tasks", () => {
  beforeEach(() => releaseRecycled());
  afterEach(() => {
    setRecycleKeepCap(recycleKeepBytes);
    releaseRecycled();
  });

  it("keeps the random blocks a fused task used up, and the next random block in one holds a new block's values", async () => {
    const fresh = values(nd.random(shape, { seed: [9, 0, 0] }));
    // x + x.T's block (0, 1): two generated blocks, one read transposed, summed.
    const expected = nd.sum(nd.add(nd.random(shape, { seed: [1, 0, 0] }), nd.transpose(nd.random(shape, { seed: [2, 0, 0] }))));
    const total = await fused([random(1), random(2), transpose(1), { fn: { builtin: "ndarray.add" }, args: [stepRef(0), stepRef(2)] }, sum(3)]);
    assert.equal(total.item(), expected.item());
    // Both random blocks (the transposed view's buffer once); the added block is not generated: V8's.
    assert.equal(recycledHeldBytes(), 2 * blockBytes);
    const reused = nd.random(shape, { seed: [9, 0, 0] });
    assert.equal(recycledHeldBytes(), blockBytes, "the next block took a kept buffer");
    assert.deepEqual(values(reused), fresh, "bit for bit the values of a new block");
  });

  it("fills a recycled buffer even with zeros (full)", async () => {
    await fused([{ fn: { builtin: "ndarray.full" }, args: [shape, 7, "float64"] }, sum(0)]);
    assert.equal(recycledHeldBytes(), blockBytes);
    const zeros = nd.full(shape, 0, "float64");
    assert.equal(recycledHeldBytes(), 0);
    assert.ok(values(zeros).every((v) => v === 0), "a recycled buffer held the old block's sevens");
  });

  it("full with -0.0 gives -0 in a fresh buffer and in a recycled one, as np.full does", async () => {
    const fresh = nd.full(shape, -0, "float64");
    assert.ok(values(fresh).every((v) => Object.is(v, -0)), "a fresh block held +0");
    await fused([{ fn: { builtin: "ndarray.full" }, args: [shape, 7, "float64"] }, sum(0)]);
    assert.equal(recycledHeldBytes(), blockBytes);
    const recycled = nd.full(shape, -0, "float64");
    assert.equal(recycledHeldBytes(), 0);
    assert.ok(values(recycled).every((v) => Object.is(v, -0)), "a recycled block held other values");
  });

  it("keeps no block the task's result reaches (a view of a generated block)", async () => {
    const result = await fused([random(3), transpose(0)]);
    const before = values(result);
    assert.equal(recycledHeldBytes(), 0);
    nd.random(shape, { seed: [4, 0, 0] });
    assert.deepEqual(values(result), before, "the result's block was overwritten by the next generated block");
  });

  it("keeps no generated block the task was given (made before it started)", async () => {
    const input = nd.random(shape, { seed: [5, 0, 0] });
    const before = values(input);
    const steps: FusedStep[] = [{ fn: { builtin: "ndarray.transpose" }, args: [input, { axes: [1, 0] }] }, sum(0)];
    await fused(steps);
    assert.equal(recycledHeldBytes(), 0);
    nd.random(shape, { seed: [6, 0, 0] });
    assert.deepEqual(values(input), before, "an input's block was overwritten by the next generated block");
  });

  it("gives a generated block back as soon as its step is released, and counts one it does not keep as released", async () => {
    // Kept: the second random block of the task takes the first one's buffer, so the task
    // never holds two (12 chained blocks held all 12 until the task's end).
    setRecycleKeepCap(blockBytes);
    await fused([random(1), sum(0), random(2), sum(2), { fn: { builtin: "ndarray.add" }, args: [stepRef(1), stepRef(3)] }]);
    assert.equal(recycledHeldBytes(), blockBytes);
    // Not kept (no room): garbage at once, and reported as released (the thread's early
    // collection and the task meter see it).
    releaseRecycled();
    setRecycleKeepCap(0);
    let released = 0;
    onReleasedBlocks((bytes) => (released += bytes));
    try {
      await fused([random(1), sum(0), random(2), sum(2), { fn: { builtin: "ndarray.add" }, args: [stepRef(1), stepRef(3)] }]);
    } finally {
      onReleasedBlocks(null);
    }
    assert.ok(released >= 2 * blockBytes, `released ${released} bytes: the generated blocks were held back`);
  });

  it("counts a kept buffer evicted to make room for a newer one as released", async () => {
    setRecycleKeepCap(blockBytes);
    const half: FusedStep = { fn: { builtin: "ndarray.random" }, args: [[50, 100], { seed: [2, 0, 0], dtype: "float64" }] };
    let released = 0;
    onReleasedBlocks((bytes) => (released += bytes));
    try {
      // The 100² block is kept at its release; keeping the 50 × 100 one after it evicts it.
      await fused([random(1), sum(0), half, sum(2), { fn: { builtin: "ndarray.add" }, args: [stepRef(1), stepRef(3)] }]);
    } finally {
      onReleasedBlocks(null);
    }
    assert.equal(recycledHeldBytes(), blockBytes / 2);
    assert.ok(released >= blockBytes, `released ${released} bytes: the evicted buffer was not counted`);
  });

  it("recycles nothing in a task with a user's function, which may keep its input", async () => {
    const keeper = "data:text/javascript,export function keep(block) { globalThis.__tesseraKept = block; return block.data.length; }";
    await fused([random(7), { fn: { module: keeper, export: "keep" }, args: [stepRef(0)] }]);
    const kept = (globalThis as { __tesseraKept?: NDArray }).__tesseraKept as NDArray;
    const before = values(kept);
    assert.equal(recycledHeldBytes(), 0);
    nd.random(shape, { seed: [8, 0, 0] });
    assert.deepEqual(values(kept), before, "the block the user's function kept was overwritten");
  });

  it("keeps no more than the thread's cap", async () => {
    setRecycleKeepCap(blockBytes);
    await fused([random(1), random(2), { fn: { builtin: "ndarray.add" }, args: [stepRef(0), stepRef(1)] }, sum(2)]);
    assert.equal(recycledHeldBytes(), blockBytes);
    setRecycleKeepCap(0);
    assert.equal(recycledHeldBytes(), 0);
  });
});
