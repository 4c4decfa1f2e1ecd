/**
 * Loaders do not run ahead: the course's DoG pipeline reads a volume bigger than the whole
 * cluster's memory (one worker of 256 MiB, a 288 MiB volume), and the worker stays under its
 * limit as the operating system measures it, with no restart: root-task queuing keeps the
 * reads in step with the filters and writes, and the memory manager spills what piles up.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDogPipeline } from "../../../src/cli/dog-pipeline.js";
import { createArray, readRegion, writeChunk } from "../../../src/zarr/index.js";
import { NDArray, allocate } from "../../../src/ndarray/ndarray.js";
import { squeeze, subtract } from "../../../src/ndarray/index.js";
import { gaussianFilter } from "../../../src/ndimage/index.js";
import { WatchedCluster, within } from "./watched-cluster.js";

const MiB = 2 ** 20;
const memoryLimit = 256 * MiB;
const shape = [288, 512, 1024]; // uint16: 288 MiB
const storageChunks = [64, 128, 128];

/** A quick deterministic volume: hashed noise over ramps, stored as the course's data is (1, 1, Z, Y, X). */
async function writeVolume(path: string): Promise<void> {
  const ref = { path, component: "0/0" };
  await createArray(ref, { shape: [1, 1, ...shape], chunks: [1, 1, ...storageChunks], dtype: "uint16" });
  const [cz, cy, cx] = storageChunks;
  for (let z = 0; z < shape[0]; z += cz) {
    for (let y = 0; y < shape[1]; y += cy) {
      for (let x = 0; x < shape[2]; x += cx) {
        const data = allocate("uint16", cz * cy * cx) as Uint16Array;
        for (let i = 0; i < data.length; i++) {
          const gz = z + Math.floor(i / (cy * cx)), gy = y + (Math.floor(i / cx) % cy), gx = x + (i % cx);
          data[i] = 1000 + ((gz * 3 + gy * 5 + gx * 7) & 511) + ((((gz * 73856093) ^ (gy * 19349663) ^ (gx * 83492791)) >>> 0) % 97);
        }
        await writeChunk(ref, [0, 0, z / cz, y / cy, x / cx], new NDArray(data, [1, 1, cz, cy, cx], { dtype: "uint16" }));
      }
    }
  }
}

describe("the DoG pipeline on a volume bigger than the cluster's memory", () => {
  let dir: string;
  let watched: WatchedCluster;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-dog-limits-"));
    await writeVolume(join(dir, "input.zarr"));
    watched = await within(WatchedCluster.start({ nWorkers: 1, memoryLimit, localDirectory: dir }), "starting the cluster");
  });
  after(async () => {
    try {
      await watched?.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stays under the memory limit, restarts nothing, and writes the right values", async (t) => {
    const { client, cluster, watch } = watched;
    const input = join(dir, "input.zarr");
    const output = join(dir, "dog.zarr");
    const started = Date.now();
    await watched.step(runDogPipeline({ input, output, chunks: storageChunks, depth: 8, sigmas: [1, 2], executor: client }), "the DoG pipeline");
    const peak = watch.peakRss();
    t.diagnostic(`288 MiB volume through one 256 MiB worker in ${((Date.now() - started) / 1000).toFixed(1)} s; peak resident memory ${(peak / MiB).toFixed(0)} MiB`);
    assert.ok(peak < memoryLimit, `peak resident memory ${(peak / MiB).toFixed(0)} MiB is under the limit`);
    assert.deepEqual(cluster.nannies.map((nanny) => nanny.restarts.length), [0]);

    // An interior cube, computed here from its neighbourhood (depth 8 = the sigma-2 filter's reach).
    const [z0, y0, x0, side, margin] = [120, 250, 500, 16, 8];
    const crop = squeeze(await readRegion({ path: input, component: "0/0" }, [0, 0, z0 - margin, y0 - margin, x0 - margin], [1, 1, z0 + side + margin, y0 + side + margin, x0 + side + margin]));
    const local = subtract(gaussianFilter(crop, { sigma: 1, mode: "nearest" }), gaussianFilter(crop, { sigma: 2, mode: "nearest" }));
    const written = await readRegion({ path: output }, [z0, y0, x0], [z0 + side, y0 + side, x0 + side]);
    let mismatches = 0;
    const full = side + 2 * margin;
    for (let z = 0; z < side; z++) {
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          const expected = local.data[((z + margin) * full + (y + margin)) * full + (x + margin)];
          if (written.data[(z * side + y) * side + x] !== expected) mismatches++;
        }
      }
    }
    assert.equal(mismatches, 0);
  });
});
