// A graph's refs carry the stamp of the metadata file its layout came from (open-array.ts): a
// thread whose cached open of the array is behind reopens it, and a graph built before the
// array was replaced refuses to read it (ZarrArrayChangedError) instead of decoding the new
// chunks with the old layout. The clock is frozen, so the cache's one-second revalidation
// never runs: only the stamp can tell the thread that the array was replaced.
import { after, before, beforeEach, afterEach, describe, it, mock } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { InvalidOptionError } from "../../src/core/errors.js";
import { ZarrArrayChangedError, openArrayForGraph, readChunk, readRegion } from "../../src/zarr/index.js";
import { resolveRef } from "../../src/zarr/zarr-ref.js";
import { openedArray } from "../../src/zarr/open-array.js";
import { rewriteMetadataIdentically, stampOnDisk, touchMetadata, writeForeignArray } from "./foreign-writer.js";
import { makeTempDirectory } from "./python-anchor.js";

const first = Array.from({ length: 100 }, (_, i) => i);
const second = Array.from({ length: 100 }, (_, i) => 1000 + 3 * i);

describe("stamped Zarr refs", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-stamp");
  });
  after(() => temp.remove());
  beforeEach(() => mock.timers.enable({ apis: ["Date"], now: Date.now() }));
  afterEach(() => mock.timers.reset());

  it("refuses a stamp that is not one: users never set it", () => {
    assert.throws(() => resolveRef({ path: "/x", stamp: 5 as unknown as string }), InvalidOptionError);
    assert.throws(() => resolveRef({ path: "/x", stamp: "../etc" }), /Zarr stamp: "\.\.\/etc" is not a metadata file stamp/);
    // The old stat stamp (inode:mtimeNs:size) is not one either: a graph keyed by it would break on `touch`.
    assert.throws(() => resolveRef({ path: "/x", stamp: "12:34:56" }), /Zarr stamp: "12:34:56" is not a metadata file stamp/);
    const stamp = "0123456789abcdef0123456789abcdef";
    assert.deepEqual(resolveRef({ path: "/x", component: "a/", stamp }), { path: "/x", component: "a", stamp });
    assert.deepEqual(resolveRef({ path: "/x" }), { path: "/x", component: "" }, "no stamp, none added");
  });

  it("openArrayForGraph stamps the ref with the content of the metadata file it read (a hash of its bytes)", async () => {
    const store = path.join(temp.path, "stamped.zarr");
    await writeForeignArray(store, "float64", 10, first);
    const { info, ref } = await openArrayForGraph(store);
    assert.equal(info.dtype, "float64");
    assert.deepEqual(ref, { path: store, stamp: await stampOnDisk(store) });
    const nested = await openArrayForGraph({ path: store, component: "" });
    assert.deepEqual(nested.ref, ref);
  });

  it("a thread that cached the old array reads the replacement through a ref stamped from the new metadata", async () => {
    const store = path.join(temp.path, "replaced.zarr");
    await writeForeignArray(store, "float64", 10, first);
    assert.deepEqual([...(await readRegion({ path: store }, [0], [100])).data], first, "the first array, now cached");
    // Same chunk bytes (10 float64 = 20 int32), another layout: the old one decodes the new chunks without an error, wrongly.
    await writeForeignArray(store, "int32", 20, second);
    const ref = { path: store, stamp: await stampOnDisk(store) };
    const block = await readRegion(ref, [0], [100]);
    assert.equal(block.dtype, "int32");
    assert.deepEqual([...block.data], second);
    assert.deepEqual([...(await readChunk(ref, [1])).data], second.slice(20, 40));
  });

  it("a ref stamped before the array was replaced refuses to read it, whatever this thread cached", async () => {
    const store = path.join(temp.path, "changed.zarr");
    await writeForeignArray(store, "float64", 10, first);
    const { ref: before } = await openArrayForGraph(store);
    assert.deepEqual([...(await readChunk(before, [2])).data], first.slice(20, 30), "the first array, cached with the graph's stamp");
    await writeForeignArray(store, "int32", 20, second);
    const refused = (error: Error): boolean => {
      assert.ok(error instanceof ZarrArrayChangedError, String(error));
      assert.match(error.message, new RegExp(`the Zarr array at ${store} changed after the graph was built: its metadata file .*\\.zarray .*call fromZarr`));
      return true;
    };
    await assert.rejects(readChunk(before, [2]), refused);
    await assert.rejects(readRegion(before, [0], [100]), refused);
    // The same holds on a thread that opened the new array already.
    const { ref: after } = await openArrayForGraph(store);
    assert.deepEqual([...(await readChunk(after, [0])).data], second.slice(0, 20));
    await assert.rejects(readChunk(before, [0]), refused);
  });

  // The stamp is the metadata's content: what `touch`, `cp -p` or a restore leave alone must not
  // make a graph built before them fail, nor change the stamp of a graph built after them.
  it("a touch of the metadata file (content unchanged) changes no stamp, and a ref stamped before it reads on", async () => {
    const store = path.join(temp.path, "touched.zarr");
    await writeForeignArray(store, "float64", 10, first);
    const { ref } = await openArrayForGraph(store);
    const cachedBefore = await openedArray(resolveRef(ref));
    await touchMetadata(store, 5);
    assert.deepEqual([...(await readChunk(ref, [3])).data], first.slice(30, 40));
    assert.deepEqual([...(await readRegion(ref, [0], [100])).data], first);
    assert.equal(await openedArray(resolveRef(ref)), cachedBefore, "the same content keeps the cached open (only its stat hint is refreshed)");
    assert.deepEqual((await openArrayForGraph(store)).ref, ref, "a graph built after the touch has the same stamp");
  });

  it("an identical rewrite of the metadata file by rename (a new inode, the same bytes) changes no stamp either", async () => {
    const store = path.join(temp.path, "rewritten.zarr");
    await writeForeignArray(store, "float64", 10, first);
    const { ref } = await openArrayForGraph(store);
    await rewriteMetadataIdentically(store);
    assert.deepEqual([...(await readRegion(ref, [0], [100])).data], first);
    assert.deepEqual((await openArrayForGraph(store)).ref, ref);
    // The chunks rewritten too (the same layout, other values): the stamp says "same layout", and the new values are read.
    await writeForeignArray(store, "float64", 10, second);
    assert.deepEqual((await openArrayForGraph(store)).ref, ref);
    assert.deepEqual([...(await readRegion(ref, [0], [100])).data], second);
  });

  it("a touch after a replacement still refuses a ref stamped before it: the content differs", async () => {
    const store = path.join(temp.path, "replaced-touched.zarr");
    await writeForeignArray(store, "float64", 10, first);
    const { ref } = await openArrayForGraph(store);
    await writeForeignArray(store, "int32", 20, second);
    await touchMetadata(store, 5);
    await assert.rejects(readChunk(ref, [0]), ZarrArrayChangedError);
  });

  // The stat is only a hint: an NFS client's attribute cache can show a replaced file's old
  // stat for a while. Simulated by giving the new layout (of the same size) the old file's
  // inode and mtime, after this thread cached the first layout.
  async function replaceKeepingStat(store: string): Promise<void> {
    const file = path.join(store, ".zarray");
    await writeForeignArray(store, "float64", 10, first);
    const seconds = Math.floor(Date.now() / 1000) + 5; // whole seconds, which utimes sets again exactly
    await fs.utimes(file, seconds, seconds);
    const old = await fs.stat(file, { bigint: true });
    assert.deepEqual([...(await readRegion({ path: store }, [0], [100])).data], first, "the first layout, now cached");
    await fs.link(file, `${file}.keep`); // the first file's inode lives on
    await writeForeignArray(store, "int32", 20, second);
    const layout = await fs.readFile(file);
    await fs.rename(`${file}.keep`, file);
    await fs.writeFile(file, layout); // in place: "<i4" for "<f8", [20] for [10], the same size
    await fs.utimes(file, seconds, seconds);
    const now = await fs.stat(file, { bigint: true });
    assert.deepEqual([now.ino, now.mtimeNs, now.size], [old.ino, old.mtimeNs, old.size], "the stat a stale attribute cache would show");
  }

  it("a ref stamped with content other than the cached entry's reads the file even when its stat is unchanged", async () => {
    const store = path.join(temp.path, "same-stat.zarr");
    await replaceKeepingStat(store);
    // Not a ZarrArrayChangedError: the graph was built from the new metadata (on another host, say).
    const block = await readRegion({ path: store, stamp: await stampOnDisk(store) }, [0], [100]);
    assert.equal(block.dtype, "int32");
    assert.deepEqual([...block.data], second);
  });

  it("openArrayForGraph reads the metadata file, whatever the cached entry's stat says", async () => {
    const store = path.join(temp.path, "same-stat-graph.zarr");
    await replaceKeepingStat(store);
    const { info, ref } = await openArrayForGraph(store);
    assert.deepEqual([info.dtype, info.chunks], ["int32", [20]]);
    assert.equal(ref.stamp, await stampOnDisk(store));
  });
});
