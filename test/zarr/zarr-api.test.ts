// The Zarr layer's surface: what it exports, the builtin names tasks use to call it, and
// that its codecs (WebAssembly included) run inside a worker thread, where workers call it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { builtinNameOf } from "../../src/core/builtin.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import * as zarr from "../../src/zarr/index.js";
import { makeTempDirectory } from "./python-anchor.js";

const zarrModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/zarr/index.js");

describe("the zarr module", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-api");
  });
  after(() => temp.remove());

  it("exports exactly its documented names", () => {
    assert.deepEqual(Object.keys(zarr).sort(), [
      "AtomicFileSystemStore", "ZarrArrayChangedError", "ZarrArrayExistsError", "ZarrCorruptChunkError", "ZarrForeignFilesError", "ZarrInvalidKeyError",
      "ZarrMetadataError", "ZarrNotADirectoryError", "ZarrNotFoundError", "ZarrUnknownCodecError", "ZarrUnsupportedError",
      "ZarrWriteConflictError", "beginArrayWrite", "beginRegionWrite", "chunkExists", "createArray", "createArrayHeld", "isPartialWrite",
      "openArray", "prepareArrayHeld", "removeAbandonedWrites",
      // A graph's refs carry the stamp of the metadata it was built from (open-array.ts); fromZarr's
      // names include the computation token a toZarr recorded and the data generation of region writes.
      "openArrayForGraph", "readResumeToken", "beginDataGeneration", "readDataGeneration",
      // toZarr's write gate (write-gate.ts): its store tasks wait for the old array's keys to go.
      "closeWriteGate", "openWriteGate", "readChunk", "readRegion", "writeChunk", "writeChunkGroup", "writeChunkMarked", "writeChunkPart",
      // OME-NGFF 0.4 images: their group and metadata.
      "axesToWrite", "beginGroupWrite", "checkLevelDimensions", "checkOmero", "createGroupHeld", "metersPer", "multiscalesAttributes",
      "readGroupAttributes", "readMultiscale", "resolveCompressor", "writeGroupAttributesHeld",
    ].sort());
  });

  it("tags the task functions with their stable builtin names", () => {
    assert.equal(builtinNameOf(zarr.readChunk), "zarr.readChunk");
    assert.equal(builtinNameOf(zarr.writeChunk), "zarr.writeChunk");
    assert.equal(builtinNameOf(zarr.readRegion), "zarr.readRegion");
    assert.equal(builtinNameOf(zarr.writeChunkGroup), "zarr.writeChunkGroup");
  });

  it("reads and writes chunks from a worker thread, every codec loading there", async () => {
    const store = path.join(temp.path, "threads.zarr");
    const compressors = [{ id: "blosc", cname: "zstd" }, { id: "zstd" }, { id: "lz4" }, { id: "gzip" }] as const;
    for (const [index, compressor] of compressors.entries()) {
      await zarr.createArray({ path: store, component: String(index) }, { shape: [64, 64], chunks: [32, 32], dtype: "float32", compressor });
    }
    const code = `
      const { parentPort, workerData } = require("node:worker_threads");
      import(workerData.zarrModule).then(async (zarr) => {
        const sums = [];
        for (let index = 0; index < 4; index++) {
          const ref = { path: workerData.store, component: String(index) };
          const chunk = await zarr.readChunk(ref, [0, 0]);
          chunk.data.fill(index + 0.5);
          await zarr.writeChunk(ref, [1, 1], chunk);
          sums.push(chunk.data.reduce((a, b) => a + b, 0));
        }
        parentPort.postMessage(sums);
      }, (error) => parentPort.postMessage(String(error)));
    `;
    const worker = new Worker(code, { eval: true, workerData: { zarrModule, store } });
    const sums = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    assert.deepEqual(sums, [0.5, 1.5, 2.5, 3.5].map((v) => v * 32 * 32));
    for (let index = 0; index < 4; index++) {
      const chunk = await zarr.readChunk({ path: store, component: String(index) }, [1, 1]);
      assert.ok(chunk instanceof NDArray);
      assert.ok([...chunk.data].every((v) => v === index + 0.5));
    }
  });
});
