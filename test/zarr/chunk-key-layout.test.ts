// The chunk keys a replaced array's metadata can produce, for each layout of both versions,
// and an overwrite of arrays in the layouts tessera does not write itself (v3 "c.i.j" and v3's
// "v2" encoding, metadata written by hand as other Zarr writers write it).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { layoutMatcher, readChunkKeyLayouts } from "../../src/zarr/chunk-key-layout.js";
import { createArray, readChunk } from "../../src/zarr/index.js";
import { makeTempDirectory } from "./python-anchor.js";

describe("chunk key layouts", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-key-layout");
  });
  after(() => temp.remove());

  it("matches exactly the keys of each layout, and the directories on the way to them", () => {
    const v2Dot = layoutMatcher([{ prefix: null, separator: ".", ndim: 3 }]);
    assert.deepEqual(["0.1.2", "10.0.3", "0.1", "0.1.2.3", "c.0.1.2", "2024", "0/1/2"].map(v2Dot.isKey), [true, true, false, false, false, false, false]);
    assert.deepEqual(["0", "2024", "c"].map(v2Dot.isKeyDirectory), [false, false, false]);
    const v2Nested = layoutMatcher([{ prefix: null, separator: "/", ndim: 2 }]);
    assert.deepEqual(["1/0", "1/0/7", "1", "1.0", "c/1/0"].map(v2Nested.isKey), [true, false, false, false, false]);
    assert.deepEqual(["1", "1/0", "c"].map(v2Nested.isKeyDirectory), [true, false, false]);
    const v3Nested = layoutMatcher([{ prefix: "c", separator: "/", ndim: 2 }]);
    assert.deepEqual(["c/1/0", "1/0", "c/1", "c/1/0/7", "c.1.0"].map(v3Nested.isKey), [true, false, false, false, false]);
    assert.deepEqual(["c", "c/1", "1", "c/1/0"].map(v3Nested.isKeyDirectory), [true, true, false, false]);
    const v3Dot = layoutMatcher([{ prefix: "c", separator: ".", ndim: 2 }]);
    assert.deepEqual(["c.1.0", "c/1/0", "1.0", "c.1"].map(v3Dot.isKey), [true, false, false, false]);
    assert.equal(v3Dot.isKeyDirectory("c"), false);
    // 0-d arrays: one chunk, "0" in v2 and v3's "v2" encoding, "c" in v3's default.
    assert.deepEqual(["0", "c", "0.0"].map(layoutMatcher([{ prefix: null, separator: ".", ndim: 0 }]).isKey), [true, false, false]);
    assert.deepEqual(["c", "0", "c/0"].map(layoutMatcher([{ prefix: "c", separator: "/", ndim: 0 }]).isKey), [true, false, false]);
  });

  it("reads the layout from .zarray and zarr.json, and says it does not know one zarr never writes", async () => {
    const cases: [string, string, unknown][] = [
      [".zarray", JSON.stringify({ zarr_format: 2, shape: [4, 4, 4] }), [{ prefix: null, separator: ".", ndim: 3 }]],
      [".zarray", JSON.stringify({ zarr_format: 2, shape: [4], dimension_separator: "/" }), [{ prefix: null, separator: "/", ndim: 1 }]],
      ["zarr.json", JSON.stringify({ zarr_format: 3, node_type: "array", shape: [4, 4] }), [{ prefix: "c", separator: "/", ndim: 2 }]],
      ["zarr.json", JSON.stringify({ zarr_format: 3, node_type: "array", shape: [4, 4], chunk_key_encoding: { name: "default", configuration: { separator: "." } } }), [{ prefix: "c", separator: ".", ndim: 2 }]],
      ["zarr.json", JSON.stringify({ zarr_format: 3, node_type: "array", shape: [4, 4], chunk_key_encoding: { name: "v2" } }), [{ prefix: null, separator: ".", ndim: 2 }]],
      ["zarr.json", JSON.stringify({ zarr_format: 3, node_type: "group" }), undefined],
      [".zarray", JSON.stringify({ zarr_format: 2, shape: [4], dimension_separator: "-" }), undefined],
      [".zarray", "{ not json", undefined],
      ["zarr.json", JSON.stringify({ zarr_format: 3, node_type: "array", shape: [4], chunk_key_encoding: { name: "custom" } }), undefined],
    ];
    for (const [index, [file, text, expected]] of cases.entries()) {
      const directory = path.join(temp.path, `layout-${index}`);
      await mkdir(directory);
      await writeFile(path.join(directory, file), text);
      assert.deepEqual(await readChunkKeyLayouts(directory), expected, `${file}: ${text}`);
    }
  });

  it("an overwrite of a v3 array in the \"c.i.j\" or \"v2\" encoding deletes its keys and keeps the user's files", async () => {
    const encodings = [
      { encoding: { name: "default", configuration: { separator: "." } }, keys: ["c.0.0", "c.1.1"], user: ["c/0/0", "0.0", "c.0"] },
      { encoding: { name: "v2", configuration: { separator: "." } }, keys: ["0.0", "1.1"], user: ["c.0.0", "0/0", "2024/1"] },
      { encoding: { name: "v2", configuration: { separator: "/" } }, keys: ["0/0", "1/1"], user: ["c/0/0", "1.1", "0/5/1"] },
    ];
    for (const [index, { encoding, keys, user }] of encodings.entries()) {
      const ref = { path: path.join(temp.path, `v3-encoding-${index}.zarr`) };
      await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8", zarrFormat: 3, compressor: null });
      const metadataFile = path.join(ref.path, "zarr.json");
      const document = JSON.parse(await readFile(metadataFile, "utf8")) as Record<string, unknown>;
      await writeFile(metadataFile, JSON.stringify({ ...document, chunk_key_encoding: encoding }));
      // The old chunks, uncompressed (4 bytes each), as the other writer left them, among the user's files.
      for (const file of [...keys, ...user]) {
        await mkdir(path.dirname(path.join(ref.path, file)), { recursive: true });
        await writeFile(path.join(ref.path, file), user.includes(file) ? `the user's ${file}` : Buffer.from([7, 7, 7, 7]));
      }
      await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8", zarrFormat: 3, compressor: null, overwrite: true });
      for (const file of user) assert.equal(await readFile(path.join(ref.path, file), "utf8"), `the user's ${file}`, `${encoding.name} ${file}`);
      for (const key of keys) {
        assert.equal(await readFile(path.join(ref.path, key)).then(() => true, () => false), false, `${encoding.name}: the old chunk ${key} is gone`);
      }
      assert.ok((await readdir(ref.path)).includes("zarr.json"));
      assert.deepEqual([...(await readChunk(ref, [1, 1])).data], [0, 0, 0, 0]);
    }
  });
});
