// A fromZarr source's identity (zarr-source-identity.ts): a failed open says what is wrong
// with the path, whatever the token and generation reads would meet.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { readZarrSource } from "../../src/array/zarr-source-identity.js";
import { makeTempDirectory } from "../zarr/python-anchor.js";

describe("readZarrSource", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("array-zarr-source-identity");
  });
  after(() => temp.remove());

  it("raises the open's error when there is no array, though the generation read fails too", async () => {
    const store = path.join(temp.path, "no-array.zarr");
    // A directory where the generation file would be: reading it fails (EISDIR).
    mkdirSync(path.join(store, ".tessera-generation"), { recursive: true });
    await assert.rejects(readZarrSource({ path: store }), (error: Error) => {
      assert.equal(error.name, "ZarrNotFoundError", String(error));
      assert.match(error.message, /has no \.zarray or zarr\.json/);
      return true;
    });
  });
});
