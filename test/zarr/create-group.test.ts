// Groups written with their arrays (an OME-Zarr pyramid's): the group's lease, replacing a group
// (its arrays go, other files stay), reading group attributes; and v2 arrays with nested chunk
// keys (dimension_separator "/"), which zarr-python 2.13 reads.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { InvalidOptionError } from "../../src/core/errors.js";
import * as nd from "../../src/ndarray/index.js";
import {
  ZarrArrayExistsError, ZarrNotFoundError, ZarrWriteConflictError, beginGroupWrite, createArray, createArrayHeld, createGroupHeld,
  readGroupAttributes, writeChunk, writeGroupAttributesHeld,
} from "../../src/zarr/index.js";
import { makeTempDirectory, runPythonCode } from "./python-anchor.js";

describe("groups written with their arrays", () => {
  let dir: { path: string; remove(): Promise<void> };
  before(async () => { dir = await makeTempDirectory("group"); });
  after(async () => dir.remove());

  it("writes nested chunk keys for dimensionSeparator \"/\", as zarr-python reads them", async () => {
    const store = path.join(dir.path, "nested.zarr");
    await createArray({ path: store, component: "a" }, { shape: [5, 6], chunks: [2, 4], dtype: "int32", dimensionSeparator: "/" });
    await writeChunk({ path: store, component: "a" }, [2, 1], nd.full([1, 2], 7, "int32"));
    assert.ok(existsSync(path.join(store, "a", "2", "1")), "chunk (2, 1) is the file a/2/1");
    assert.equal(JSON.parse(readFileSync(path.join(store, "a", ".zarray"), "utf8")).dimension_separator, "/");
    const read = await runPythonCode("import sys, zarr; a = zarr.open_array(sys.argv[1], mode='r'); print(int(a[4, 4]), int(a[4, 5]), int(a[0, 0]))", [path.join(store, "a")]);
    assert.equal(read.trim(), "7 7 0");
    await assert.rejects(createArray({ path: store, component: "b" }, { shape: [2], chunks: [1], dtype: "int8", zarrFormat: 3, dimensionSeparator: "/" }), /Zarr v3 arrays always use/);
    await assert.rejects(createArray({ path: store, component: "c" }, { shape: [2], chunks: [1], dtype: "int8", dimensionSeparator: "-" as never }), InvalidOptionError);
  });

  it("creates a group under its lease, refuses an existing one without overwrite, replaces one's arrays and keeps other files", async () => {
    const ref = { path: path.join(dir.path, "image.zarr"), component: "images/a" };
    let lease = await beginGroupWrite(ref);
    await createGroupHeld(ref, { overwrite: false });
    await createArrayHeld({ ...ref, component: "images/a/0" }, { shape: [4], chunks: [2], dtype: "uint8" });
    await assert.rejects(beginGroupWrite(ref), ZarrWriteConflictError);
    await assert.rejects(createArray({ ...ref, component: "images/a/1" }, { shape: [4], chunks: [2], dtype: "uint8" }), ZarrWriteConflictError);
    await writeGroupAttributesHeld(ref, { hello: "world" });
    await lease.release();
    assert.deepEqual(await readGroupAttributes(ref), { hello: "world" });
    assert.deepEqual(await readGroupAttributes({ ...ref, component: "images" }), {}, "parents are groups");

    writeFileSync(path.join(ref.path, "images", "a", "notes.txt"), "mine");
    lease = await beginGroupWrite(ref);
    await assert.rejects(createGroupHeld(ref, { overwrite: false }), (e: Error) => e instanceof ZarrArrayExistsError && /already holds a Zarr group; pass overwrite: true/.test(e.message));
    await createGroupHeld(ref, { overwrite: true });
    await lease.release();
    assert.equal(existsSync(path.join(ref.path, "images", "a", "0")), false, "the old array is gone");
    assert.equal(readFileSync(path.join(ref.path, "images", "a", "notes.txt"), "utf8"), "mine");
    assert.deepEqual(await readGroupAttributes(ref), {});

    mkdirSync(path.join(dir.path, "plain"));
    const arrayRef = { path: path.join(dir.path, "plain"), component: "arr" };
    await createArray(arrayRef, { shape: [2], chunks: [1], dtype: "uint8" });
    const below = { path: arrayRef.path, component: "arr/image" };
    lease = await beginGroupWrite(below);
    await assert.rejects(createGroupHeld(below, { overwrite: true }), (e: Error) => e instanceof InvalidOptionError && /"arr" is an array, not a group/.test(e.message));
    await lease.release();
    await assert.rejects(readGroupAttributes(arrayRef), (e: Error) => e instanceof ZarrNotFoundError && /is an array, not an image group/.test(e.message));
    await assert.rejects(readGroupAttributes({ path: path.join(dir.path, "nothing") }), ZarrNotFoundError);
  });
});
