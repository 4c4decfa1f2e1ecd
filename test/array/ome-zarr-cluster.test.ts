// toOmeZarr and fromOmeZarr on a LocalCluster of three worker processes (issue 12 item 4): a
// volume generated on the workers, many chunks per axis and sides that are not powers of two,
// written as a pyramid in one graph and checked by zarr-python and NumPy.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { assertSameArray } from "./python-eval.js";
import { checkOmeZarr } from "./ome-zarr-check.js";

describe("OME-Zarr pyramids on a LocalCluster", () => {
  let cluster: LocalCluster;
  let client: Client;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-omezarr-cluster-"));
    cluster = await LocalCluster.start({ nWorkers: 3, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
    await client.waitForWorkers(3, { timeout: "120s" });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes every level chunk by chunk on the workers, as NumPy computes it, and reads each back", async () => {
    // 6 × 9 × 7 blocks; the data never exists on the client during the write.
    const volume = ta.random([45, 130, 97], { chunks: [8, 16, 16], seed: 7 }).mul(65535).astype("uint16");
    const path = join(dir, "volume.ome.zarr");
    const axes = [{ name: "z", type: "space", unit: "micrometer" }, { name: "y", type: "space", unit: "micrometer" }, { name: "x", type: "space", unit: "micrometer" }];
    const { levels } = await ta.toOmeZarr(volume, path, { axes, scale: [0.6, 0.4, 0.4] });
    // z pixels 1.5× the plane's: kept at level 1 (1.5 > √2), halved with y and x from level 2 on;
    // "auto" goes on while z (11 > 8) still spans two chunks.
    const shapes = [[45, 130, 97], [45, 65, 48], [22, 32, 24], [11, 16, 12], [5, 8, 6]];
    assert.deepEqual(levels.map((level) => level.shape), shapes);
    const input = await volume.compute({ executor: new LocalExecutor() });
    const check = checkOmeZarr(path, input, "mean");
    assert.deepEqual(check.violations, []);
    assert.deepEqual(check.levels.map((level) => level.shape), shapes);
    for (const [k, level] of check.levels.entries()) {
      assert.equal(level.mismatches_vs_chain, 0, `level ${k} differs from NumPy's in ${level.mismatches_vs_chain} voxels`);
      const image = await ta.fromOmeZarr(path, { level: k });
      assertSameArray(await image.array.compute(), level.values, `level ${k} read back on the cluster`);
    }
  });
});
