/**
 * Grouped overlap (src/array/overlap-groups.ts): a toZarr of a mapOverlap pipeline on a
 * cluster computes several neighbouring blocks per task, yet writes exactly the user's chunks,
 * each equal, voxel for voxel, to the ungrouped result and to what Dask + scipy write.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { writeSyntheticVolume } from "../../src/cli/synthetic-volume.js";
import { groupCapacity, groupMemoryCap, planGroups } from "../../src/array/overlap-groups.js";
import { readRegion } from "../../src/zarr/index.js";
import { compareZarr, python } from "./python.js";
import * as nd from "../../src/ndarray/index.js";

const shape: [number, number, number] = [48, 160, 224];
const chunks = [16, 32, 32];
const depth = 8;
const sigmas: [number, number] = [1, 2];

interface StreamRecord {
  key: string;
  prefix: string;
}

describe("grouped mapOverlap writes", () => {
  let dir: string;
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-overlap-groups-"));
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster, { setAsDefault: false });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function dogOf(input: string): Promise<ta.Array> {
    const volume = (await ta.fromZarr(input, { component: "0/0" })).squeeze().rechunk(chunks);
    const sharp = volume.mapOverlap(gaussianFilter, { depth }, { sigma: sigmas[0], mode: "nearest" });
    const blurred = volume.mapOverlap(gaussianFilter, { depth }, { sigma: sigmas[1], mode: "nearest" });
    return ta.subtract(sharp, blurred);
  }

  it("computes several blocks per task, writes exactly the user's chunks, equal to the ungrouped result and to Dask + scipy", async () => {
    const input = join(dir, "in.zarr");
    // Storage chunks (32, 64, 64): each is shared by the halos of several groups.
    await writeSyntheticVolume(input, { shape, seed: 5, chunks: [32, 64, 64] });
    const dog = await dogOf(input);
    assert.deepEqual(dog.numblocks, [3, 5, 7], "many blocks per axis");

    const plan = planGroups(dog, await groupCapacity(client));
    assert.ok(plan && plan.factors.some((f) => f > 1), `the write is grouped (plan ${JSON.stringify(plan)})`);
    const blocks = dog.numblocks.reduce((a, b) => a * b, 1);
    assert.ok(plan.groups < blocks);

    const since = Date.now() / 1000;
    const output = join(dir, "grouped.zarr");
    await dog.toZarr(output, { executor: client });
    const stream = (await client.getTaskStream({ since: since - 1 })) as StreamRecord[];
    // Each group's read, filters, subtraction and chunk writes fuse into its one task.
    assert.equal(stream.length, plan.groups, "one task per group, not per chunk");
    assert.ok(stream.every((record) => record.prefix === "store" && record.key.includes("-grouped-")), JSON.stringify(stream.map((record) => record.key)));

    // The written chunks are the user's: the array's metadata and every chunk file of the grid.
    const metadata = JSON.parse(readFileSync(join(output, ".zarray"), "utf8")) as { chunks: number[]; shape: number[] };
    assert.deepEqual(metadata.chunks, chunks);
    assert.deepEqual(metadata.shape, shape);
    const files = readdirSync(output).filter((name) => !name.startsWith("."));
    const expected: string[] = [];
    for (let z = 0; z < 3; z++) for (let y = 0; y < 5; y++) for (let x = 0; x < 7; x++) expected.push(`${z}.${y}.${x}`);
    assert.deepEqual(files.sort(), expected.sort(), "one file per user chunk, no other");

    // Equal to the same array computed block by block (no grouping outside a write).
    const ungrouped = await (await dogOf(input)).compute({ executor: client });
    const written = await readRegion({ path: output }, [0, 0, 0], shape);
    assert.deepEqual(written.shape, ungrouped.shape);
    let mismatches = 0;
    for (let i = 0; i < written.data.length; i++) if (written.data[i] !== ungrouped.data[i]) mismatches++;
    assert.equal(mismatches, 0, "grouped and ungrouped results differ");

    // And to Dask + scipy running the same code (no boundary: Dask's default).
    python("dask_dog.py", input, "0/0", join(dir, "dask.zarr"), "synchronous", JSON.stringify({ chunks, depth, sigmas, boundary: null }));
    const result = compareZarr(output, join(dir, "dask.zarr"));
    assert.deepEqual(result.shape, shape);
    assert.equal(result.mismatches, 0);
    assert.ok(result.equal);
  });
});

describe("grouped writes of deep pipelines", () => {
  it("plans and writes a mapOverlap followed by 10,000 elementwise steps (walked without recursion), equal to the ungrouped result", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-overlap-groups-deep-"));
    try {
      const steps = 10_000;
      let x = ta.fromArray(nd.random([32, 32], { seed: 3 }), { chunks: [16, 16] }).mapOverlap(gaussianFilter, { depth: 4 }, { sigma: 1, mode: "nearest" });
      for (let i = 0; i < steps; i++) x = x.add(1);
      // The pipeline (planGroups walks it) counts every step; the write regroups all of them.
      const plan = planGroups(x, { threads: 1, memoryPerTask: groupMemoryCap });
      assert.ok(plan && plan.factors.some((f) => f > 1), `the write is grouped (plan ${JSON.stringify(plan)})`);
      const output = join(dir, "deep.zarr");
      await x.toZarr(output);
      const written = await readRegion({ path: output }, [0, 0], [32, 32]);
      const ungrouped = await x.compute();
      let mismatches = 0;
      for (let i = 0; i < written.data.length; i++) if (written.data[i] !== ungrouped.data[i]) mismatches++;
      assert.equal(mismatches, 0, "grouped and ungrouped results differ");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
