// Large kernel outputs recycled between fused tasks (block-recycling.ts, outputArray): a region
// read, a separable filter's result and an elementwise result that a fused task used up serve
// the next task's outputs of the same size, bit for bit what new buffers give; small outputs,
// a task's result (or a view of it) and anything in a task with a user's function are never
// handed out again; what is kept stays within the thread's cap and goes when released.
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import * as nd from "../../src/ndarray/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import {
  outputArray, recycleKeepBytes, recycleMinBytes, recycledHeldBytes, releaseRecycled, setRecycleKeepCap,
} from "../../src/ndarray/block-recycling.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { fusedBuiltin, runTask, stepRef, type FusedStep } from "../../src/graph/task-runner.js";
import { createArray, readRegion, writeChunk } from "../../src/zarr/index.js";

// float64 blocks of 2 MiB: above recycleMinBytes.
const shape = [16, 128, 128];
const bytes = 16 * 128 * 128 * 8;
const random = (seed: number): FusedStep => ({ fn: { builtin: "ndarray.random" }, args: [shape, { seed: [seed, 0, 0], dtype: "float64" }] });
const gaussian = (step: number, sigma: number): FusedStep => ({ fn: { builtin: "ndimage.gaussianFilter" }, args: [stepRef(step), { sigma, mode: "nearest" }] });
const subtract = (a: number, b: number): FusedStep => ({ fn: { builtin: "ndarray.subtract" }, args: [stepRef(a), stepRef(b)] });
const sum = (step: number): FusedStep => ({ fn: { builtin: "ndarray.sum" }, args: [stepRef(step)] });
const fused = (steps: FusedStep[]) => runTask({ builtin: fusedBuiltin }, [{ steps }]) as Promise<NDArray>;
const values = (array: NDArray) => Array.from(nd.ascontiguousarray(array).data as Float64Array);

/** The DoG of random block `seed`, computed without any fused task (new buffers throughout). */
function dogOf(seed: number): NDArray {
  const block = nd.random(shape, { seed: [seed, 0, 0] });
  return nd.subtract(gaussianFilter(block, { sigma: 1, mode: "nearest" }), gaussianFilter(block, { sigma: 2, mode: "nearest" }));
}

describe("large kernel outputs recycled between fused tasks", () => {
  beforeEach(() => releaseRecycled());
  afterEach(() => {
    setRecycleKeepCap(recycleKeepBytes);
    releaseRecycled();
  });

  it("keeps the filter and elementwise results a task used up, and the next task's DoG in them is bit for bit a new one's", async () => {
    // The expected values first: outputs made outside a task take kept buffers too.
    const expected = [nd.sum(dogOf(1)).item(), values(dogOf(2))];
    releaseRecycled();
    const first = await fused([random(1), gaussian(0, 1), gaussian(0, 2), subtract(1, 2), sum(3)]);
    assert.equal(first.item(), expected[0]);
    // Both filter results and the difference (which took the random block's buffer, released
    // before it: the task never held more than three blocks).
    assert.equal(recycledHeldBytes(), 3 * bytes);
    const second = await fused([random(2), gaussian(0, 1), gaussian(0, 2), subtract(1, 2)]);
    // Its four blocks from the pool (the difference the random block's again); its result stays out.
    assert.equal(recycledHeldBytes(), 2 * bytes, "the second task's blocks did not come from the pool");
    assert.deepEqual(values(second), expected[1]);
  });

  it("never hands out a task's result, or a block a result's view reaches", async () => {
    const result = await fused([random(3), gaussian(0, 1)]);
    const before = values(result);
    const view = await fused([random(4), gaussian(0, 2), { fn: { builtin: "ndarray.transpose" }, args: [stepRef(1), { axes: [2, 1, 0] }] }]);
    const viewBefore = values(view);
    // Only the random block came back (the second task's took the first's); neither filter result did.
    assert.equal(recycledHeldBytes(), bytes);
    await fused([random(5), gaussian(0, 1), gaussian(0, 2), subtract(1, 2), sum(3)]);
    assert.deepEqual(values(result), before, "a task's result was overwritten by a later task's output");
    assert.deepEqual(values(view), viewBefore, "a result's view was overwritten by a later task's output");
  });

  it("recycles nothing in a task with a user's function, which may keep a result", async () => {
    const keeper = "data:text/javascript,export function keep(block) { globalThis.__tesseraKeptOutput = block; return block.data.length; }";
    await fused([random(6), gaussian(0, 1), { fn: { module: keeper, export: "keep" }, args: [stepRef(1)] }]);
    const kept = (globalThis as { __tesseraKeptOutput?: NDArray }).__tesseraKeptOutput as NDArray;
    const before = values(kept);
    assert.equal(recycledHeldBytes(), 0);
    await fused([random(7), gaussian(0, 1), gaussian(0, 2), subtract(1, 2), sum(3)]);
    assert.deepEqual(values(kept), before, "the block the user's function kept was overwritten");
  });

  it("leaves outputs under recycleMinBytes to the allocator", async () => {
    const small = [4, 16, 16];
    const smallBytes = small.reduce((a, b) => a * b, 1) * 8;
    assert.ok(smallBytes < recycleMinBytes);
    await fused([
      { fn: { builtin: "ndarray.random" }, args: [small, { seed: [8, 0, 0], dtype: "float64" }] },
      gaussian(0, 1), gaussian(0, 2), subtract(1, 2), sum(3),
    ]);
    // Only the random block (a generator's, kept whatever its size): the filter results and the
    // difference were not generated here, so none came back.
    assert.equal(recycledHeldBytes(), smallBytes);
    // And a small output does not take that kept buffer of its size: it is a new zeroed block.
    const smallOut = outputArray(small, "float64");
    assert.equal(recycledHeldBytes(), smallBytes, "a small output took a kept buffer");
    assert.equal(values(smallOut).every((v) => v === 0), true, "a small output holds an old block's values");
    // While a large one does take a kept buffer of its size.
    releaseRecycled();
    await fused([random(9), sum(0)]);
    assert.equal(recycledHeldBytes(), bytes);
    const large = outputArray(shape, "float64");
    assert.equal(recycledHeldBytes(), 0, "a large output did not take the kept buffer");
    assert.equal(values(large).some((v) => v !== 0), true);
  });

  it("keeps no more than the thread's cap, and nothing once released", async () => {
    setRecycleKeepCap(2 * bytes);
    await fused([random(1), gaussian(0, 1), gaussian(0, 2), subtract(1, 2), sum(3)]);
    assert.equal(recycledHeldBytes(), 2 * bytes);
    releaseRecycled();
    assert.equal(recycledHeldBytes(), 0);
  });
});

describe("a region read into a recycled buffer", () => {
  let dir: string;
  let path: string;
  // uint16 chunks of 64 × 64 × 64 (512 KiB); chunk [1, 1, 1] is never written (fill value 7).
  const chunk = [64, 64, 64];
  const valueAt = (z: number, y: number, x: number) => (z * 97 + y * 31 + x * 7) % 65536;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-output-recycling-"));
    path = join(dir, "volume.zarr");
    await createArray({ path }, { shape: [128, 128, 128], chunks: chunk, dtype: "uint16", fillValue: 7, compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1 } });
    for (let z = 0; z < 2; z++) for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) {
      if (z + y + x === 3) continue;
      const data = new Uint16Array(64 * 64 * 64);
      let i = 0;
      for (let a = 0; a < 64; a++) for (let b = 0; b < 64; b++) for (let c = 0; c < 64; c++) data[i++] = valueAt(z * 64 + a, y * 64 + b, x * 64 + c);
      await writeChunk({ path }, [z, y, x], new NDArray(data, chunk, { dtype: "uint16" }));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => releaseRecycled());
  afterEach(() => releaseRecycled());

  it("holds exactly what a new buffer holds, the missing chunk's fill value included", async () => {
    // A 100³ box (~2 MiB of uint16) across all eight chunks, read twice: the second read takes
    // the first's buffer, which held different values there.
    const read = (start: number[]): FusedStep => ({ fn: { builtin: "zarr.readRegion" }, args: [{ path }, start, start.map((s) => s + 100)] });
    const fresh = (await readRegion({ path }, [28, 28, 28], [128, 128, 128])).data.slice();
    await fused([read([0, 0, 0]), sum(0)]);
    assert.equal(recycledHeldBytes(), 100 ** 3 * 2);
    const again = await fused([read([28, 28, 28])]);
    assert.equal(recycledHeldBytes(), 0, "the second read took the kept buffer");
    assert.deepEqual(Array.from(again.data as Uint16Array), Array.from(fresh as Uint16Array));
    assert.equal((again.data as Uint16Array)[again.size - 1], 7);
  });
});
