// Overwriting an array moves its old keys aside in one folder and deletes that folder while the
// new chunks are written (src/zarr/replaced-aside.ts). What a user checks: no old chunk is ever
// readable under the new metadata (zarr-python and tessera read only the new array), nothing is
// left behind once the write returns, a writer killed midway leaves the old data only in the
// clearly named folder, which the next write of the array removes, and files that are not the
// array's stay where they are.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { ZarrNotFoundError, beginArrayWrite, createArray, createArrayHeld, openArray, readChunk, writeChunk } from "../../src/zarr/index.js";
import { forgetArrays } from "../../src/zarr/open-array.js";
import { moveArrayKeysAside } from "../../src/zarr/replaced-aside.js";
import { resolveRef } from "../../src/zarr/zarr-ref.js";
import { makeTempDirectory, runPythonCode } from "./python-anchor.js";

const isAside = (name: string) => name.startsWith(".tessera-replaced-");
const isMarker = (name: string) => name.startsWith(".tessera-done");

/** What zarr-python sees at `store`: shape, the sum of the values and how many chunks it finds stored. */
async function zarrPythonView(store: string): Promise<string> {
  const code = "import sys, zarr; z = zarr.open_array(sys.argv[1], mode='r'); print(z.shape, int(z[:].sum()), z.nchunks_initialized)";
  return (await runPythonCode(code, [store])).trim();
}

describe("overwriting an array moves its old keys aside and deletes them behind the new write", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-replaced-aside");
  });
  after(() => temp.remove());

  it("toZarr over a larger array: only the new chunks are stored, no folder is left, zarr-python reads the new array", async () => {
    const store = path.join(temp.path, "larger.zarr");
    await ta.full([40, 40], 7, { chunks: [5, 5], dtype: "uint8" }).toZarr(store); // 64 chunks "0.0" … "7.7"
    await ta.full([10, 10], 1, { chunks: [5, 5], dtype: "uint8" }).toZarr(store, { overwrite: true });
    const names = (await readdir(store)).filter((name) => !isMarker(name)).sort();
    assert.deepEqual(names, [".zarray", "0.0", "0.1", "1.0", "1.1"], "no old chunk and no aside folder once toZarr returns");
    assert.equal(await zarrPythonView(store), "(10, 10) 100 4");
    assert.equal(Number((await (await ta.fromZarr(store)).sum().compute()).data[0]), 100);
  });

  it("right after the new metadata is written the old chunks are out of the key space, and the deferred deletion removes them", async () => {
    const ref = { path: path.join(temp.path, "deferred.zarr") };
    await ta.full([12, 12], 9, { chunks: [4, 4], dtype: "uint16" }).toZarr(ref.path);
    const lease = await beginArrayWrite(ref);
    let removal: Promise<void> | undefined;
    try {
      await createArrayHeld(ref, { shape: [12, 12], chunks: [4, 4], dtype: "uint16", overwrite: true }, { deferRemoval: (r) => (removal = r) });
      assert.ok(removal, "the deletion was handed to the caller");
      // The state every task of the new write starts from: new metadata, no chunk, the old keys in one folder.
      const names = (await readdir(ref.path)).filter((name) => !name.startsWith(".tessera-write-lease")).sort();
      assert.equal(names.filter(isAside).length, 1, names.join(", "));
      assert.deepEqual(names.filter((name) => !isAside(name)), [".zarray"]);
      assert.deepEqual([...(await readChunk(ref, [2, 2])).data], new Array(16).fill(0), "the old chunk is not read under the new metadata");
      assert.equal(await zarrPythonView(ref.path), "(12, 12) 0 0");
      await removal;
      assert.deepEqual((await readdir(ref.path)).filter(isAside), [], "the folder is gone once the deletion is done");
    } finally {
      await removal;
      await lease.release();
    }
  });

  it("a writer killed after moving the keys aside, before its metadata: no array is there, and the next write removes the folder", async () => {
    const store = path.join(temp.path, "killed-before-metadata.zarr");
    await ta.full([8, 8], 5, { chunks: [4, 4], dtype: "uint8" }).toZarr(store);
    await moveArrayKeysAside(store); // what the killed writer did before it died
    const aside = (await readdir(store)).filter(isAside);
    assert.equal(aside.length, 1);
    assert.deepEqual((await readdir(path.join(store, aside[0]))).filter((name) => !isMarker(name)).sort(), [".zarray", "0.0", "0.1", "1.0", "1.1"]);
    forgetArrays(resolveRef(store)); // this process's cached opening (the writer drops its own)
    await assert.rejects(openArray(store), ZarrNotFoundError);
    await assert.rejects(zarrPythonView(store), /ArrayNotFoundError|not found|No array/i);
    // The next write needs no overwrite (there is no array) and leaves no old data behind.
    await ta.full([8, 8], 2, { chunks: [4, 4], dtype: "uint8" }).toZarr(store);
    assert.deepEqual((await readdir(store)).filter(isAside), []);
    assert.equal(await zarrPythonView(store), "(8, 8) 128 4");
  });

  it("a writer killed after its new metadata: readers see only the new array, and the next overwrite removes the folder", async () => {
    const store = path.join(temp.path, "killed-after-metadata.zarr");
    await ta.full([8, 8], 5, { chunks: [4, 4], dtype: "uint8" }).toZarr(store);
    await moveArrayKeysAside(store);
    // The new array's metadata and one chunk, written by the killed writer (here: zarr-python, which knows nothing of the folder).
    await runPythonCode(
      "import sys, zarr, numpy as np\nz = zarr.open_array(sys.argv[1], mode='a', shape=(8, 8), chunks=(4, 4), dtype='u1', fill_value=0)\nz[0:4, 0:4] = 3\n",
      [store],
    );
    assert.equal(await zarrPythonView(store), "(8, 8) 48 1", "the old chunks in the folder are not the array's");
    assert.equal(Number((await (await ta.fromZarr(store)).sum().compute()).data[0]), 48);
    await ta.full([8, 8], 1, { chunks: [4, 4], dtype: "uint8" }).toZarr(store, { overwrite: true });
    assert.deepEqual((await readdir(store)).filter(isAside), [], "the stale folder went with the overwrite");
    assert.equal(await zarrPythonView(store), "(8, 8) 64 4");
  });

  it("a chunk directory that also holds a user's file keeps the file; chunk directories of chunks only move whole", async () => {
    const ref = { path: path.join(temp.path, "nested.zarr") };
    const shape = { shape: [4, 4], chunks: [2, 2], dtype: "uint8" as const, dimensionSeparator: "/" as const };
    await createArray(ref, shape);
    for (const coords of [[0, 0], [0, 1], [1, 0], [1, 1]]) await writeChunk(ref, coords, new NDArray(new Uint8Array([1, 2, 3, 4]), [2, 2]));
    await writeFile(path.join(ref.path, "0", "mine.txt"), "mine");
    await mkdir(path.join(ref.path, "figures"));
    await writeFile(path.join(ref.path, "figures", "plot.txt"), "plot");
    await createArray(ref, { ...shape, overwrite: true });
    assert.equal(await readFile(path.join(ref.path, "0", "mine.txt"), "utf8"), "mine");
    assert.equal(await readFile(path.join(ref.path, "figures", "plot.txt"), "utf8"), "plot");
    assert.deepEqual((await readdir(path.join(ref.path, "0"))).sort(), ["mine.txt"], "the chunks beside the user's file are deleted");
    assert.deepEqual((await readdir(ref.path)).sort(), [".zarray", "0", "figures"], "chunk directory 1 went whole, no folder is left");
    // (zarr-python counts the user's "0/mine.txt" as a stored chunk: only shape and values are compared.)
    assert.match(await zarrPythonView(ref.path), /^\(4, 4\) 0 /);
  });
});
