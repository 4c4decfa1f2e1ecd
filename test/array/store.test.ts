// toZarr on a LocalCluster (two worker processes) waits for its store tasks without gathering
// their results, as Dask's `distributed.wait`: the client never asks the scheduler where the
// store results live nor any worker for them, and the scheduler forgets them once the write is
// done. A failing chunk still fails the write with its own error, and its keys are released too.
import { after, before, describe, it, mock } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { openArray, readRegion } from "../../src/zarr/index.js";

describe("toZarr on a LocalCluster", () => {
  let cluster: LocalCluster;
  let client: Client;
  const dir = mkdtempSync(join(tmpdir(), "tessera-store-"));
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Keys the scheduler still holds whose name starts with `prefix` (after the client's earlier messages are handled). */
  async function schedulerKeys(prefix: string): Promise<string[]> {
    // Messages on one connection are handled in order: once this reply is back, every release sent before it was applied.
    await client.scheduler.request({ op: "who-has", keys: [] });
    return [...cluster.scheduler.state.tasks.keys()].filter((key) => key.startsWith(prefix));
  }

  it("writes every chunk without asking for the store tasks' results, and the scheduler forgets them", async () => {
    const target = join(dir, "many.zarr");
    const x = ta.arange(0, 60 * 48, { chunks: 97, dtype: "int32" }).reshape([60, 48]).rechunk([6, 8]);
    const requests = mock.method(client.scheduler, "request");
    const workerConnections = mock.method(client.pool, "get");
    try {
      await x.toZarr(target);
    } finally {
      requests.mock.restore();
      workerConnections.mock.restore();
    }
    const asked = requests.mock.calls.map((call) => (call.arguments[0] as { op: string }).op);
    assert.ok(!asked.includes("who-has"), `no who-has for the store results (asked: ${asked.join(", ")})`);
    assert.equal(workerConnections.mock.callCount(), 0, "no worker was asked for data");
    const info = await openArray(target);
    assert.deepEqual(info.chunks, [6, 8]);
    const written = await readRegion(info, [0, 0], [60, 48]);
    assert.deepEqual([...written.data], Array.from({ length: 60 * 48 }, (_, i) => i), "60 chunks written, every value in place");
    assert.deepEqual(await schedulerKeys("('store-"), [], "the store tasks are released");
  });

  it("fails with the failing chunk's error, releases its keys and leaves no temporary file", async () => {
    const target = join(dir, "failing.zarr");
    const failing = ta.mapBlocks(function failsOnLastRow(block: NDArray, options: { blockInfo: { output: { "chunk-location": number[] } } }) {
      if (options.blockInfo.output["chunk-location"][0] === 9) throw new Error("kernel failed on the last row of chunks");
      return block;
    }, ta.ones([60, 48], { chunks: [6, 8], dtype: "float64" }), { blockInfo: true, dtype: "float64" });
    await assert.rejects(failing.toZarr(target), /kernel failed on the last row of chunks/);
    assert.deepEqual(await schedulerKeys("('store-"), [], "the erred store keys are released");
    assert.ok(!readdirSync(target, { recursive: true }).some((name) => String(name).includes(".partial")), "no half-written chunk");
  });
});

describe("toZarr and store options", () => {
  it("refuse a misspelt option by name before anything is written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-store-options-"));
    try {
      const x = ta.ones([4, 6], { chunks: [2, 3] });
      const target = join(dir, "x.zarr");
      await assert.rejects(x.toZarr(target, { overwite: true } as never), /toZarr: unknown option "overwite"; toZarr takes component, overwrite/);
      await assert.rejects(x.toZarr(target, { compresor: null } as never), /unknown option "compresor"/);
      assert.deepEqual(readdirSync(dir), [], "nothing was created");
      await x.toZarr(target, { compressor: null, retries: 1 });
      await assert.rejects(ta.store([x], [target], { regoins: [null] } as never), /store: unknown option "regoins"; store takes regions, safeChunks/);
      await x.store(target, { region: [{ start: 0, stop: 4 }, { start: 0, stop: 6 }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
