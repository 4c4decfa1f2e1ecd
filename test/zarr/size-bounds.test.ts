// Issue 9 item 8 (the Zarr half), as the attack went: metadata and chunks whose sizes would make
// Node allocate without bound. A `.zarray` of shape [1e15, 1e15] opened by fromZarr aborted the
// process ("Fatal JavaScript invalid size error", exit 133): no try/catch could stop it. Every
// size that comes from a file is now bounded before anything is allocated from it, and the
// error names the file and the field. This test process staying alive is part of the assertion.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { InvalidOptionError } from "../../src/core/errors.js";
import * as ta from "../../src/array/index.js";
import { ZarrCorruptChunkError, ZarrMetadataError, createArray, openArray, readChunk, readRegion } from "../../src/zarr/index.js";
import { makeTempDirectory } from "./python-anchor.js";

async function writeZarray(directory: string, fields: Record<string, unknown>): Promise<string> {
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, ".zarray"), JSON.stringify({
    zarr_format: 2, shape: [4], chunks: [2], dtype: "<u2", compressor: null, fill_value: 0, order: "C", filters: null, ...fields,
  }));
  return directory;
}

describe("sizes from files are bounded before anything is allocated", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-bounds");
  });
  after(() => temp.remove());

  it("fromZarr on a .zarray of shape [1e15, 1e15] fails with an error naming the file, the process lives", async () => {
    const store = await writeZarray(path.join(temp.path, "huge.zarr"), { shape: [1e15, 1e15], chunks: [1, 1] });
    await assert.rejects(ta.fromZarr(store), (error: Error) => {
      assert.ok(error instanceof InvalidOptionError, `${error.name}: ${error.message}`);
      assert.ok(error.message.includes(path.join(store, ".zarray")), error.message);
      assert.match(error.message, /"shape" and "chunks"/);
      assert.match(error.message, /makes 1e\+30 blocks/);
      assert.match(error.message, /Choose larger chunks/);
      return true;
    });
    // Opening and reading a box of it stay possible: only the lazy grid is too large to list.
    const info = await openArray(store);
    assert.deepEqual(info.shape, [1e15, 1e15]);
    const corner = await readRegion({ path: store }, [999_999_999_999_998, 0], [1e15, 3]);
    assert.deepEqual([...corner.data], [0, 0, 0, 0, 0, 0]);
    // With chunks the caller chooses, the same array is a lazy array like any other.
    const coarse = await ta.fromZarr(store, { chunks: [1e14, 1e14] });
    assert.deepEqual(coarse.numblocks, [10, 10]);
  });

  it("the same in a v3 zarr.json, and for toZarr's storage chunks", async () => {
    const store = path.join(temp.path, "huge-v3.zarr");
    await mkdir(store);
    await writeFile(path.join(store, "zarr.json"), JSON.stringify({
      zarr_format: 3, node_type: "array", shape: [1e12], data_type: "uint8",
      chunk_grid: { name: "regular", configuration: { chunk_shape: [1] } }, fill_value: 0, codecs: [{ name: "bytes" }],
    }));
    await assert.rejects(ta.fromZarr(store), (error: Error) => error instanceof InvalidOptionError && error.message.includes(path.join(store, "zarr.json")));
    const big = await ta.fromZarr(store, { chunks: [1e11] });
    await assert.rejects(big.toZarr(path.join(temp.path, "out.zarr"), { chunks: [1] }), /toZarr chunks: .* makes 1000000000000 blocks/);
    // A region write into that array is cut at its storage chunks of 1: bounded the same way.
    await assert.rejects(ta.zeros([1e12], { chunks: [1e11], dtype: "uint8" }).toZarr(store, { region: [] }), (error: Error) =>
      error instanceof InvalidOptionError && /region of .*huge-v3\.zarr in its storage chunks: .* makes 1000000000000 blocks/.test(error.message));
  });

  it("refuses shape and chunk entries that are not safe integers, and chunks larger than a buffer", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ shape: [1e300], chunks: [1] }, /"shape" must be a list of at most 32 integers from 0 to 2\^53 - 1, found \[1e\+300\]/],
      [{ shape: [10], chunks: [2 ** 60] }, /"chunks" must be a list/],
      [{ shape: new Array(40).fill(1), chunks: new Array(40).fill(1) }, /"shape" must be a list of at most 32/],
      [{ shape: [1e6, 1e6], chunks: [1e6, 1e6], dtype: "<f8" }, /"chunks" \[1000000, 1000000\] makes chunks of 8000000000000 bytes of float64/],
    ];
    for (const [index, [fields, message]] of cases.entries()) {
      const store = await writeZarray(path.join(temp.path, `bad-${index}.zarr`), fields);
      await assert.rejects(openArray(store), (error: Error) =>
        error instanceof ZarrMetadataError && message.test(error.message) && error.message.includes(path.join(store, ".zarray")));
      await assert.rejects(ta.fromZarr(store), ZarrMetadataError);
    }
  });

  it("a Blosc header that claims 2 GiB for a 16-byte chunk is refused before the memory is taken", async () => {
    const store = await writeZarray(path.join(temp.path, "blosc-claim.zarr"), {
      shape: [8], chunks: [8], dtype: "<u2", compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
    });
    const frame = new Uint8Array(16 + 16);
    const view = new DataView(frame.buffer);
    frame[0] = 2; frame[1] = 1; frame[2] = 0x02 /* raw */; frame[3] = 2;
    view.setInt32(4, 2 ** 31 - 1, true); // nbytes
    view.setInt32(8, 2 ** 31 - 1, true); // blocksize
    view.setInt32(12, frame.length, true); // cbytes
    await writeFile(path.join(store, "0"), frame);
    await assert.rejects(readChunk({ path: store }, [0]), (error: Error) =>
      error instanceof ZarrCorruptChunkError && /claims 2147483647 bytes, more than a chunk of this array holds \(16\)/.test(error.message));
  });

  it("a gzip bomb (64 MiB of zeros in a 64 KiB chunk file) is refused after one chunk's worth of output", async () => {
    for (const id of ["gzip", "zlib"]) {
      const ref = { path: path.join(temp.path, `bomb-${id}.zarr`) };
      await createArray(ref, { shape: [4, 4], chunks: [4, 4], dtype: "uint16", compressor: { id: id as "gzip" } });
      const bomb = id === "gzip" ? gzipSync(new Uint8Array(64 * 2 ** 20)) : (await import("node:zlib")).deflateSync(new Uint8Array(64 * 2 ** 20));
      await writeFile(path.join(ref.path, "0.0"), bomb);
      await assert.rejects(readChunk(ref, [0, 0]), (error: Error) => error instanceof ZarrCorruptChunkError && error.message.includes(`the numcodecs.${id} codec failed`));
      // A chunk of exactly the right size still decodes.
      await writeFile(path.join(ref.path, "0.0"), id === "gzip" ? gzipSync(new Uint8Array(32).fill(1)) : (await import("node:zlib")).deflateSync(new Uint8Array(32).fill(1)));
      assert.deepEqual([...(await readChunk(ref, [0, 0])).data], new Array(16).fill(257));
    }
  });
});
