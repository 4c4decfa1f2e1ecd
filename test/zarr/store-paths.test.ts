// Issue 9 item 10 and the component half of the "Weaker" list, as the attacks went: a Zarr v3
// `zarr.json` whose chunk key separator climbs out of the store, and components holding "..",
// NUL bytes or climbing keys. Every path the store builds stays inside the store: the secret
// file outside is never read, and each refusal is a clear error naming the thing, not a raw
// Node error.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { InvalidOptionError } from "../../src/core/errors.js";
import * as ta from "../../src/array/index.js";
import { AtomicFileSystemStore, ZarrInvalidKeyError, ZarrMetadataError, createArray, openArray, readChunk, readRegion } from "../../src/zarr/index.js";
import { makeTempDirectory } from "./python-anchor.js";

const secret = "root:x:0:0:secret\n";

async function writeV3Array(directory: string, encoding: unknown): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, "zarr.json"), JSON.stringify({
    zarr_format: 3, node_type: "array", shape: [secret.length], data_type: "uint8",
    chunk_grid: { name: "regular", configuration: { chunk_shape: [secret.length] } },
    chunk_key_encoding: encoding, fill_value: 0, codecs: [{ name: "bytes" }], attributes: {},
  }));
}

describe("every path a store builds stays inside the store", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-paths");
    // The file the crafted separator aims at: <temp>/outside/x0, beside the store.
    await mkdir(path.join(temp.path, "outside"));
    await writeFile(path.join(temp.path, "outside", "x0"), secret);
  });
  after(() => temp.remove());

  it("refuses a v3 chunk key separator that climbs out of the store, at metadata parse", async () => {
    const store = path.join(temp.path, "crafted.zarr");
    // Chunk key "c" + separator + "0" = "c/../../outside/x0", the secret beside the store.
    await writeV3Array(store, { name: "default", configuration: { separator: "/../../outside/x" } });
    for (const read of [() => openArray(store), () => readChunk({ path: store }, [0]), () => readRegion({ path: store }, [0], [secret.length])]) {
      await assert.rejects(read(), (error: Error) => {
        assert.ok(error instanceof ZarrMetadataError, `${error.name}: ${error.message}`);
        assert.match(error.message, /crafted\.zarr\/zarr\.json: chunk_key_encoding separator "\/\.\.\/\.\.\/outside\/x" must be "\." or "\/"/);
        return true;
      });
    }
    await assert.rejects(ta.fromZarr(store), ZarrMetadataError);
    // The v2 encoding, and a v2 .zarray, are held to the same rule.
    const v2Encoding = path.join(temp.path, "crafted-v2-encoding.zarr");
    await writeV3Array(v2Encoding, { name: "v2", configuration: { separator: "/../" } });
    await assert.rejects(openArray(v2Encoding), /separator "\/\.\.\/" must be/);
  });

  it("refuses in the store layer every key that would leave the store, whoever built it", async () => {
    const root = path.join(temp.path, "layer.zarr");
    const store = new AtomicFileSystemStore(root);
    for (const key of ["/c/../../outside/x0", "/../outside/x0", "/a/./b", "/a//b", "/a/\u0000b", "/.."]) {
      await assert.rejects(store.get(key as `/${string}`), ZarrInvalidKeyError, key);
      await assert.rejects(store.set(key as `/${string}`, new Uint8Array([1])), ZarrInvalidKeyError, key);
      await assert.rejects(store.has(key as `/${string}`), ZarrInvalidKeyError, key);
      await assert.rejects(store.getRange(key as `/${string}`, { offset: 0, length: 4 }), ZarrInvalidKeyError, key);
      await assert.rejects(store.delete(key as `/${string}`), ZarrInvalidKeyError, key);
    }
    assert.throws(() => store.pathOf("/../outside/x0"), (error: Error) => error instanceof ZarrInvalidKeyError && error.message.includes(root));
    assert.deepEqual(await readdir(path.join(temp.path, "outside")), ["x0"], "nothing was written outside");
    assert.equal(store.pathOf("/0/0/.zarray"), path.join(root, "0", "0", ".zarray"));
    assert.equal(store.pathOf("/"), root);
  });

  it("refuses a component with a NUL byte or \"..\" by name, never with a raw Node error", async () => {
    const store = path.join(temp.path, "components.zarr");
    await createArray({ path: store, component: "0/0" }, { shape: [4], chunks: [2], dtype: "uint8" });
    const cases: Array<[string, RegExp]> = [["0/\u00000", /component: "0\/\\u00000" holds a NUL byte/], ["../../outside", /component: "\.\.\/\.\.\/outside" may not contain "\.\."/], ["0/../..", /may not contain "\.\."/]];
    for (const [component, message] of cases) {
      await assert.rejects(openArray(store, { component }), (error: Error) => error instanceof InvalidOptionError && message.test(error.message));
      await assert.rejects(ta.fromZarr(store, { component }), InvalidOptionError);
      await assert.rejects(ta.zeros([4]).toZarr(store, { component, overwrite: true }), InvalidOptionError);
      await assert.rejects(createArray({ path: store, component }, { shape: [4], chunks: [2], dtype: "uint8" }), InvalidOptionError);
    }
    await assert.rejects(openArray(`${store}\u0000x`), (error: Error) => error instanceof InvalidOptionError && /path: .* holds a NUL byte/.test(error.message));
    // zarr-python's normalization still holds: a leading "/" and "." segments name the same node.
    assert.equal((await openArray(store, { component: "/0/./0/" })).component, "0/0");
  });
});
