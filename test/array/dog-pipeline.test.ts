import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { writeSyntheticVolume } from "../../src/cli/synthetic-volume.js";
import { runDogPipeline } from "../../src/cli/dog-pipeline.js";
import { lowerArrays } from "../../src/array/lower.js";
import { compareZarr, python } from "./python.js";

describe("the course's DoG pipeline", () => {
  let dir: string;
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-dog-"));
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes, voxel for voxel, what Dask + scipy write (uint16 wrap included)", async () => {
    const input = join(dir, "in.zarr");
    await writeSyntheticVolume(input, { shape: [64, 128, 128], seed: 7 });
    await runDogPipeline({ input, component: "0/0", output: join(dir, "tessera.zarr") });
    python("dask_dog.py", input, "0/0", join(dir, "dask.zarr"), "synchronous");
    const result = compareZarr(join(dir, "tessera.zarr"), join(dir, "dask.zarr"));
    assert.deepEqual(result.shape, [64, 128, 128]);
    assert.equal(result.dtype, "uint16");
    assert.equal(result.mismatches, 0);
    assert.ok(result.equal);
  });

  it("runs shapes that are not a multiple of the chunks (Dask refuses to write these)", async () => {
    const input = join(dir, "odd.zarr");
    await writeSyntheticVolume(input, { shape: [70, 100, 130], seed: 3 });
    await runDogPipeline({ input, component: "0/0", output: join(dir, "odd-tessera.zarr") });
    python("scipy_dog.py", input, "0/0", join(dir, "odd-scipy.zarr"));
    const result = compareZarr(join(dir, "odd-tessera.zarr"), join(dir, "odd-scipy.zarr"));
    assert.deepEqual(result.shape, [70, 100, 130]);
    assert.deepEqual(result.chunks, [32, 64, 64], "the user's chunks are kept (Dask would merge them to 64)");
    assert.equal(result.mismatches, 0);
  });

  it("needs about one task per output chunk plus the reads, with one halo per block", async () => {
    const input = join(dir, "graph.zarr");
    await writeSyntheticVolume(input, { shape: [64, 128, 128], seed: 1, chunks: [64, 128, 128] });
    const volume = (await ta.fromZarr(input, { component: "0/0" })).squeeze().rechunk([32, 64, 64]);
    const hi = volume.mapOverlap(gaussianFilter, { depth: 40, boundary: "nearest" }, { sigma: 3, mode: "nearest" });
    const lo = volume.mapOverlap(gaussianFilter, { depth: 40, boundary: "nearest" }, { sigma: 10, mode: "nearest" });
    const dog = ta.subtract(hi, lo);
    const { graph } = lowerArrays([dog], () => false, (node) => (node as ta.Array).blockKeys());
    const outputBlocks = dog.numblocks.reduce((a, b) => a * b, 1);
    assert.equal(outputBlocks, 8);
    // Boundary "nearest" with mode "nearest" pads nothing the filter would not read anyway, so
    // the halos stop at the volume's edges; in a volume only 64 deep the two blocks along z
    // then need the same halo (z 0–64), one task shared by both.
    assert.equal(graph.size, outputBlocks + 4 + 1, "8 fused block tasks + 4 shared halos + 1 read (Dask needs 3234 for the seed volume)");
    for (const task of graph.tasks.values()) {
      if (!("builtin" in task.fn) || task.fn.builtin !== "graph.fused") continue;
      const steps = (task.args[0] as { steps: Array<{ fn: { builtin?: string } }> }).steps;
      const halos = steps.filter((s) => s.fn.builtin === "ndarray.assembleRegion").length + task.deps.filter((key) => key.startsWith("region-")).length;
      assert.equal(halos, 1, "one halo shared by both filters");
      assert.equal(steps.filter((s) => s.fn.builtin === "ndimage.gaussianFilter").length, 2);
    }
  });
});
