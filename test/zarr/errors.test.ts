// Bad input: each refusal is one of our error classes and its message names the path,
// component, chunk key, codec or dtype, and says what to do.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, rename, truncate, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { InvalidOptionError, TesseraError } from "../../src/core/errors.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import {
  ZarrArrayExistsError, ZarrCorruptChunkError, ZarrNotADirectoryError, ZarrNotFoundError, ZarrUnknownCodecError, ZarrUnsupportedError,
  chunkExists, createArray, openArray, readChunk, readRegion, writeChunk,
} from "../../src/zarr/index.js";
import { makeTempDirectory } from "./python-anchor.js";

function rejectsWith(promise: Promise<unknown>, errorClass: new (...args: never[]) => Error, ...fragments: string[]) {
  return assert.rejects(promise, (error: Error) => {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${error.name}: ${error.message}`);
    assert.ok(error instanceof TesseraError);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" should mention "${fragment}"`);
    return true;
  });
}

async function writeZarray(directory: string, fields: Record<string, unknown>): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, ".zarray"), JSON.stringify({
    zarr_format: 2, shape: [4], chunks: [2], dtype: "<u2", compressor: null, fill_value: 0, order: "C", filters: null, ...fields,
  }));
}

describe("errors that say what is wrong and what to do", () => {
  let temp: { path: string; remove(): Promise<void> };
  let store: string;
  before(async () => {
    temp = await makeTempDirectory("zarr-errors");
    store = path.join(temp.path, "data.zarr");
    await createArray({ path: store, component: "0/0" }, { shape: [10, 10], chunks: [5, 5], dtype: "uint16" });
  });
  after(() => temp.remove());

  it("a missing store names the path", async () => {
    const missing = path.join(temp.path, "nope.zarr");
    await rejectsWith(openArray(missing), ZarrNotFoundError, missing, "check the path");
  });

  it("a missing component names it and lists what the store holds", async () => {
    await rejectsWith(openArray(store, { component: "1/0" }), ZarrNotFoundError, 'component "1/0"', '"0"');
  });

  it("a group is not an array: the error says to pass a component inside it", async () => {
    await rejectsWith(openArray(store), ZarrNotFoundError, "is a Zarr group", "component", '"0"');
    await rejectsWith(openArray({ path: store, component: "0" }), ZarrNotFoundError, "is a Zarr group", '"0"');
  });

  it("a path that is a file is refused when opening and when creating", async () => {
    const file = path.join(temp.path, "file.zarr");
    await writeFile(file, "not a directory");
    await rejectsWith(openArray(file), ZarrNotADirectoryError, file, "is a file");
    await rejectsWith(createArray(file, { shape: [2], chunks: [2], dtype: "uint8" }), ZarrNotADirectoryError, file);
  });

  it("an unknown compressor id in .zarray names the codec and the array", async () => {
    await writeZarray(path.join(temp.path, "lzma.zarr"), { compressor: { id: "lzma", preset: 1 } });
    await rejectsWith(openArray(path.join(temp.path, "lzma.zarr")), ZarrUnknownCodecError, '"numcodecs.lzma"', "lzma.zarr", "recompress");
  });

  it("an unknown compressor id asked of createArray is refused before anything is written", async () => {
    const target = path.join(temp.path, "bad-compressor.zarr");
    await rejectsWith(createArray(target, { shape: [2], chunks: [2], dtype: "uint8", compressor: { id: "snappy" } as never }), ZarrUnknownCodecError, '"snappy"', "blosc");
    await assert.rejects(readdir(target), /ENOENT/);
  });

  for (const [dtype, why] of [["<f2", "f2"], [">f2", "f2"], ["<c32", "c32"], ["|S5", "S5"], ["<M8[ns]", "M8"]]) {
    it(`the v2 dtype ${dtype} is refused naming it and the array`, async () => {
      const directory = path.join(temp.path, `dtype-${dtype.replace(/\W/g, "")}.zarr`);
      await writeZarray(directory, { dtype });
      await rejectsWith(openArray(directory), ZarrUnsupportedError, why, directory, "convert");
    });
  }

  it("createArray refuses an existing array unless overwrite: true, naming the path", async () => {
    await rejectsWith(createArray({ path: store, component: "0/0" }, { shape: [3], chunks: [3], dtype: "uint8" }),
      ZarrArrayExistsError, 'component "0/0"', store, "overwrite: true");
  });

  it("overwrite: true replaces only that array's node: its chunks go, a sibling's stay", async () => {
    const target = path.join(temp.path, "siblings.zarr");
    for (const component of ["a", "b"]) {
      await createArray({ path: target, component }, { shape: [4], chunks: [2], dtype: "uint8" });
      await writeChunk({ path: target, component }, [0], new NDArray(new Uint8Array([1, 2]), [2]));
    }
    const info = await createArray({ path: target, component: "a" }, { shape: [6], chunks: [3], dtype: "int16", overwrite: true });
    assert.deepEqual(info.shape, [6]);
    assert.equal(await chunkExists({ path: target, component: "a" }, [0]), false);
    assert.deepEqual((await readdir(path.join(target, "a"))).sort(), [".zarray"]);
    assert.equal(await chunkExists({ path: target, component: "b" }, [0]), true);
    assert.deepEqual([...(await readChunk({ path: target, component: "b" }, [0])).data], [1, 2]);
  });

  it("createArray refuses a component under an array", async () => {
    await rejectsWith(createArray({ path: store, component: "0/0/x" }, { shape: [2], chunks: [2], dtype: "uint8" }), InvalidOptionError, '"0/0" is an array');
  });

  it("createArray validates its options at the edge", async () => {
    const target = { path: path.join(temp.path, "opts.zarr") };
    await rejectsWith(createArray(target, { shape: [4, 4], chunks: [2], dtype: "uint8" }), InvalidOptionError, "chunks");
    await rejectsWith(createArray(target, { shape: [4], chunks: [0], dtype: "uint8" }), InvalidOptionError, "chunks");
    await rejectsWith(createArray(target, { shape: [4], chunks: [2], dtype: "float16" as never }), InvalidOptionError, "float16");
    await rejectsWith(createArray(target, { shape: [4], chunks: [2], dtype: "uint8", fillValue: 0.5 }), InvalidOptionError, "fillValue");
    await rejectsWith(createArray(target, { shape: [4], chunks: [2], dtype: "uint8", compressor: { id: "blosc", clevel: 12 } }), InvalidOptionError, "clevel");
    await rejectsWith(createArray(target, { shape: [4], chunks: [2], dtype: "uint8", zarrFormat: 4 as never }), InvalidOptionError, "zarrFormat");
  });

  it("a truncated chunk is an error naming the chunk key and the array, never garbage", async () => {
    const target = { path: path.join(temp.path, "corrupt.zarr") };
    for (const compressor of [undefined, { id: "zstd" as const }, { id: "gzip" as const }, { id: "lz4" as const }, null]) {
      await createArray(target, { shape: [64, 64], chunks: [32, 64], dtype: "float32", compressor, overwrite: true });
      const block = new NDArray(new Float32Array(32 * 64).map((_, i) => Math.sin(i)), [32, 64]);
      await writeChunk(target, [1, 0], block);
      const file = path.join(target.path, "1.0");
      const size = (await readFile(file)).length;
      await truncate(file, size - 7);
      await rejectsWith(readChunk(target, [1, 0]), ZarrCorruptChunkError, 'chunk "1.0"', target.path, "rewrite the chunk");
      await rejectsWith(readRegion(target, [0, 0], [64, 64]), ZarrCorruptChunkError, 'chunk "1.0"');
    }
  });

  it("chunk coordinates, block shapes and dtypes that do not fit are refused", async () => {
    const ref = { path: store, component: "0/0" };
    await rejectsWith(readChunk(ref, [2, 0]), InvalidOptionError, "[2,0]", "[2, 2]");
    await rejectsWith(readChunk(ref, [0]), InvalidOptionError, "chunk grid");
    await rejectsWith(writeChunk(ref, [1, 1], new NDArray(new Uint16Array(4), [2, 2])), InvalidOptionError, "[5, 5]");
    await rejectsWith(writeChunk(ref, [0, 0], new NDArray(new Float32Array(25), [5, 5])), InvalidOptionError, "float32", "uint16");
    await rejectsWith(readRegion(ref, [0, 0], [11, 3]), InvalidOptionError, "[10, 10]");
  });
});

describe("metadata opened once per process", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-cache");
  });
  after(() => temp.remove());

  it("does not re-read .zarray for each chunk", async () => {
    const ref = { path: path.join(temp.path, "once.zarr") };
    await createArray(ref, { shape: [4], chunks: [2], dtype: "uint8" });
    await writeChunk(ref, [0], new NDArray(new Uint8Array([5, 6]), [2]));
    // Spoil the metadata in place: reads within the next second must not notice.
    await writeFile(path.join(ref.path, ".zarray"), "{ not json");
    assert.deepEqual([...(await readChunk(ref, [0])).data], [5, 6]);
    assert.deepEqual([...(await readChunk(ref, [1])).data], [0, 0]);
  });

  it("sees createArray's overwrite at once", async () => {
    const ref = { path: path.join(temp.path, "replaced.zarr") };
    await createArray(ref, { shape: [4], chunks: [2], dtype: "uint8" });
    assert.deepEqual((await openArray(ref)).shape, [4]);
    await createArray(ref, { shape: [8, 3], chunks: [4, 3], dtype: "float64", overwrite: true });
    const info = await openArray(ref);
    assert.deepEqual([info.shape, info.dtype], [[8, 3], "float64"]);
  });

  it("notices an array replaced by another process (its cache revalidates, once a second)", async () => {
    const ref = { path: path.join(temp.path, "elsewhere.zarr") };
    await createArray(ref, { shape: [4], chunks: [2], dtype: "uint8" });
    assert.deepEqual((await openArray(ref)).shape, [4]);
    // What another process's createArray does: a new .zarray renamed into place.
    const replacement = path.join(ref.path, ".zarray.new");
    await writeFile(replacement, JSON.stringify({ zarr_format: 2, shape: [9], chunks: [3], dtype: "<i2", compressor: null, fill_value: 0, order: "C", filters: null }));
    await rename(replacement, path.join(ref.path, ".zarray"));
    // No event says the cache revalidated: poll, with a deadline only as a hang guard.
    const deadline = Date.now() + 30_000;
    while ((await openArray(ref)).shape[0] !== 9) {
      assert.ok(Date.now() < deadline, "the replaced array was still served from the cache after 30 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const info = await openArray(ref);
    assert.deepEqual([info.shape, info.dtype], [[9], "int16"], "the new array's metadata, all of it");
  });
});
