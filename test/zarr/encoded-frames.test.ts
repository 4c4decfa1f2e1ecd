// Encoded Blosc frames lent by the thread's write pool (src/zarr/chunk-scratch.ts
// borrowFrameBuffer, blosc-frame.ts): a chunk's frame goes back once its file is written and
// the next chunk is encoded into it, never while a file is still being written from it, and
// only a frame the pool lent goes back, once.
import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { slice } from "../../src/ndarray/slice.js";
import { createArray, readChunk, writeChunk, writeChunkGroup } from "../../src/zarr/index.js";
import { borrowFrameBuffer, keptChunkBufferBytes, releaseChunkBuffers, returnEncodedBytes } from "../../src/zarr/chunk-scratch.js";
import { makeTempDirectory } from "./python-anchor.js";

const blosc = { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1 } as const;

/** Values that compress to frames of different sizes per chunk (noise over a ramp), distinct for each `seed`. */
function values(count: number, seed: number): Uint16Array {
  const out = new Uint16Array(count);
  let state = seed * 2654435761 + 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = (i * seed) % 4096 + (state >>> (22 + (seed % 6)));
  }
  return out;
}

describe("encoded frames lent by the write pool", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("encoded-frames");
  });
  after(() => temp.remove());
  beforeEach(() => releaseChunkBuffers());

  it("takes a chunk's frame back once its file is written, and encodes the next chunk into it", async () => {
    const ref = { path: path.join(temp.path, "one.zarr") };
    await createArray(ref, { shape: [4, 64, 64], chunks: [1, 64, 64], dtype: "uint16", compressor: blosc });
    // Each chunk a whole contiguous block of its own: no copy buffer, only the frame is lent.
    await writeChunk(ref, [0, 0, 0], new NDArray(values(64 * 64, 1), [1, 64, 64], { dtype: "uint16" }));
    const kept = keptChunkBufferBytes();
    assert.ok(kept > 0, "the frame was not given back to the pool");
    for (let z = 1; z < 4; z++) await writeChunk(ref, [z, 0, 0], new NDArray(values(64 * 64, z + 1), [1, 64, 64], { dtype: "uint16" }));
    assert.equal(keptChunkBufferBytes(), kept, "a later chunk was encoded into a new frame, not the one given back");
    for (let z = 0; z < 4; z++) assert.deepEqual(Array.from((await readChunk(ref, [z, 0, 0])).data as Uint16Array), Array.from(values(64 * 64, z + 1)), `chunk ${z}`);
  });

  it("stores each of many chunks written at once with its own bytes (a frame is never reused while its file is written)", async () => {
    const ref = { path: path.join(temp.path, "many.zarr") };
    await createArray(ref, { shape: [16, 64, 64], chunks: [2, 32, 32], dtype: "uint16", compressor: blosc });
    const block = new NDArray(values(16 * 64 * 64, 7), [16, 64, 64], { dtype: "uint16" });
    const chunks = Array.from({ length: 8 }, (_, z) => [0, 1].flatMap((y) => [0, 1].map((x) => [z, y, x]))).flat();
    const piece = ([z, y, x]: number[]) => slice(block, { start: 2 * z, stop: 2 * z + 2 }, { start: 32 * y, stop: 32 * y + 32 }, { start: 32 * x, stop: 32 * x + 32 });
    const other = new NDArray(values(16 * 64 * 64, 11), [16, 64, 64], { dtype: "uint16" });
    // One group of 32 chunks (4 files in flight), and writes of other values to a second array
    // started one event-loop turn apart, all sharing this thread's pool.
    const otherRef = { path: path.join(temp.path, "other.zarr") };
    await createArray(otherRef, { shape: [16, 64, 64], chunks: [2, 32, 32], dtype: "uint16", compressor: blosc });
    const group = writeChunkGroup(ref, { origin: [0, 0, 0], chunks }, block);
    const staggered: Array<Promise<void>> = [];
    for (const coords of chunks) {
      const [z, y, x] = coords;
      staggered.push(writeChunk(otherRef, coords, slice(other, { start: 2 * z, stop: 2 * z + 2 }, { start: 32 * y, stop: 32 * y + 32 }, { start: 32 * x, stop: 32 * x + 32 })));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([group, ...staggered]);
    for (const coords of chunks) {
      const expected = toArray(piece(coords));
      assert.deepEqual(Array.from((await readChunk(ref, coords)).data as Uint16Array), expected, `chunk ${coords.join(".")}`);
    }
  });

  it("gives back only a frame it lent, and only once", () => {
    returnEncodedBytes(new Uint8Array(4096).subarray(0, 100));
    assert.equal(keptChunkBufferBytes(), 0, "a frame the pool never lent was kept");
    const frame = borrowFrameBuffer(4096);
    returnEncodedBytes(frame.subarray(0, 100));
    returnEncodedBytes(frame.subarray(0, 100));
    assert.equal(keptChunkBufferBytes(), 4096);
    assert.equal(borrowFrameBuffer(4096).buffer, frame.buffer);
  });
});

function toArray(array: NDArray): number[] {
  const out: number[] = [];
  const [a, b, c] = array.shape;
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) for (let k = 0; k < c; k++) out.push(Number(array.get(i, j, k)));
  return out;
}
