// The chunk buffers a thread reuses for the copies it encodes (src/zarr/chunk-scratch.ts):
// a reused buffer never leaks one chunk's values into another's file, whether the chunks
// are written one after another (an edge chunk's padding after a full chunk) or many at
// once (uncompressed, the stored bytes are the buffer itself until the file is written).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { slice } from "../../src/ndarray/slice.js";
import { createArray, writeChunk, writeChunkGroup } from "../../src/zarr/index.js";
import { borrowChunkBuffer, returnChunkBuffer } from "../../src/zarr/chunk-scratch.js";
import { makeTempDirectory } from "./python-anchor.js";

async function storedInt32(file: string): Promise<number[]> {
  const bytes = new Uint8Array(await readFile(file));
  return [...new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)];
}

describe("chunk buffers reused by writes", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("chunk-scratch");
  });
  after(() => temp.remove());

  it("pads an edge chunk with the fill value 0 after a full chunk of other values went through the same buffer", async () => {
    const ref = { path: path.join(temp.path, "edge.zarr") };
    // 6 × 4 in chunks of 4 × 4: chunk [1, 0] is an edge chunk of 2 × 4, stored padded to 4 × 4.
    await createArray(ref, { shape: [6, 4], chunks: [4, 4], dtype: "int32", zarrFormat: 3, compressor: null, fillValue: 0 });
    // A transposed (strided) block: copied into a chunk buffer before encoding.
    const full = new NDArray(Int32Array.from({ length: 16 }, (_, i) => 100 + i), [4, 4], { strides: [1, 4] });
    await writeChunk(ref, [0, 0], full);
    await writeChunk(ref, [1, 0], new NDArray(Int32Array.from({ length: 8 }, (_, i) => -1 - i), [2, 4]));
    assert.deepEqual(await storedInt32(path.join(ref.path, "c", "1", "0")), [-1, -2, -3, -4, -5, -6, -7, -8, 0, 0, 0, 0, 0, 0, 0, 0]);
    const expected = Array.from({ length: 16 }, (_, i) => 100 + (i % 4) * 4 + Math.floor(i / 4));
    assert.deepEqual(await storedInt32(path.join(ref.path, "c", "0", "0")), expected);
  });

  it("stores each of many chunks written at once with its own values (uncompressed: the file is written from the buffer)", async () => {
    const ref = { path: path.join(temp.path, "many.zarr") };
    await createArray(ref, { shape: [8, 64], chunks: [8, 8], dtype: "int32", zarrFormat: 3, compressor: null, fillValue: 0 });
    const block = new NDArray(Int32Array.from({ length: 8 * 64 }, (_, i) => i * 7 + 1), [8, 64]);
    // One group of 8 chunks (each a strided piece of the block), and the same chunks again one by one, all in flight together.
    const group = writeChunkGroup(ref, { origin: [0, 0], chunks: Array.from({ length: 8 }, (_, c) => [0, c]) }, block);
    const singles = Array.from({ length: 8 }, (_, c) => writeChunk(ref, [0, c], slice(block, { start: 0, stop: 8 }, { start: 8 * c, stop: 8 * c + 8 })));
    // And writes started one event-loop turn apart, so a later one copies while an earlier one's file is being written.
    const staggered: Array<Promise<void>> = [];
    for (let round = 0; round < 4; round++) {
      for (let c = 0; c < 8; c++) {
        staggered.push(writeChunk(ref, [0, c], slice(block, { start: 0, stop: 8 }, { start: 8 * c, stop: 8 * c + 8 })));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await Promise.all([group, ...singles, ...staggered]);
    for (let c = 0; c < 8; c++) {
      const expected = Array.from({ length: 64 }, (_, i) => (Math.floor(i / 8) * 64 + 8 * c + (i % 8)) * 7 + 1);
      assert.deepEqual(await storedInt32(path.join(ref.path, "c", "0", String(c))), expected, `chunk ${c}`);
    }
  });

  it("lends a returned buffer again, and keeps none that is not a whole buffer of its own", () => {
    const first = borrowChunkBuffer("float32", 1024);
    returnChunkBuffer(first);
    assert.equal(borrowChunkBuffer("float32", 1024).buffer, first.buffer);
    const view = new Float32Array(new ArrayBuffer(8192), 4096, 1024);
    returnChunkBuffer(view);
    assert.notEqual(borrowChunkBuffer("float32", 1024).buffer, view.buffer);
  });
});
