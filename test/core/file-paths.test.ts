/**
 * Where stored arrays are read and written (src/core/file-paths.ts): a path, or a file:// URL
 * naming one; any other URL (a Dask user's "s3://bucket/volume.zarr") is refused by every
 * reader and writer, naming the scheme and what to do, and nothing is written — before, a
 * toZarr to "s3://bucket/x.zarr" wrote a local directory "s3:/bucket/x.zarr" and succeeded.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { filesystemPathOf } from "../../src/core/file-paths.js";
import * as ta from "../../src/array/index.js";

describe("a stored array's location", () => {
  it("resolves a path against the working directory and takes a file:// URL as its path", () => {
    assert.equal(filesystemPathOf("t", "data/volume.zarr"), resolve("data/volume.zarr"));
    assert.equal(filesystemPathOf("t", "/data/volume.zarr"), "/data/volume.zarr");
    assert.equal(filesystemPathOf("t", "file:///data/my%20volume.zarr"), "/data/my volume.zarr");
    assert.equal(filesystemPathOf("t", "FILE:///data/v.zarr"), "/data/v.zarr");
    assert.equal(filesystemPathOf("t", "a:b/c.zarr"), resolve("a:b/c.zarr"), "a colon in a file name is no URL");
  });

  it("refuses any other scheme, naming it, the caller and what to do", () => {
    for (const url of ["s3://bucket/volume.zarr", "gs://bucket/v.zarr", "https://example.org/v.zarr", "abfs://c/v.zarr"]) {
      const scheme = url.slice(0, url.indexOf(":"));
      assert.throws(() => filesystemPathOf("toZarr: url", url), (error: Error) => {
        assert.equal(error.name, "InvalidOptionError");
        assert.ok(error.message.startsWith(`toZarr: url: "${url}" is a ${scheme}:// URL`), error.message);
        assert.match(error.message, /Mount the store .* and pass that path/);
        return true;
      });
    }
    assert.throws(() => filesystemPathOf("t", "file://host/data/v.zarr"), /is not a file URL naming a local path/);
  });
});

describe("readers and writers given a URL", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-file-paths-"));
  const cwd = process.cwd();
  process.chdir(dir);
  after(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });
  const x = ta.random([20, 30], { chunks: [10, 10], seed: 5 });

  it("refuses s3:// in every writer and reader, writing nothing", async () => {
    const refused = /is a s3:\/\/ URL; tessera reads and writes stored arrays on a filesystem/;
    await assert.rejects(x.toZarr("s3://bucket/x.zarr"), refused);
    await assert.rejects(ta.toOmeZarr(x, "s3://bucket/o.zarr"), refused);
    await assert.rejects(ta.toHdf5("s3://bucket/x.h5", "/data", x), refused);
    await assert.rejects(ta.toNpyStack("s3://bucket/npy", x), refused);
    await assert.rejects(ta.fromZarr("s3://bucket/x.zarr"), refused);
    await assert.rejects(ta.fromOmeZarr("s3://bucket/o.zarr"), refused);
    await assert.rejects(ta.fromHdf5("s3://bucket/x.h5", "/data"), refused);
    assert.throws(() => ta.fromNpyStack("s3://bucket/npy"), refused);
    assert.deepEqual(readdirSync(dir), [], "nothing written in the working directory");
  });

  it("writes and reads through a file:// URL at its path", async () => {
    const target = join(dir, "through url.zarr");
    await x.toZarr(pathToFileURL(target).href);
    assert.ok(existsSync(join(target, ".zarray")), "written at the URL's path");
    const back = await ta.fromZarr(pathToFileURL(target).href);
    assert.deepEqual((await back.compute()).data, (await x.compute()).data);
  });
});

describe("fromZarr's options", () => {
  it("refuses a key it does not know, naming it and those it takes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-from-zarr-keys-"));
    try {
      await ta.ones([4, 4], { chunks: 2 }).toZarr(join(dir, "a.zarr"));
      await assert.rejects(ta.fromZarr(join(dir, "a.zarr"), { compnent: "x" } as never), /^InvalidOptionError: fromZarr: unknown option "compnent"; fromZarr takes component, chunks$/);
      await assert.rejects(ta.fromZarr(join(dir, "a.zarr"), { chunkz: 1 } as never), /fromZarr: unknown option "chunkz"/);
      await assert.rejects(ta.fromZarr(join(dir, "a.zarr"), { storageOptions: {} } as never), /fromZarr: unknown option "storageOptions"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
