// A write that fails while other of its tasks still run on workers: toZarr raises the failing
// task's error, and what those tasks then try to write goes nowhere, so a second writer that
// starts right after the failure gets exactly its own data (store.ts, zarr/write-fence.ts).
// The held task waits on a file, the test on files and on the worker's threads: no timers.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { createArray, openArray, readRegion } from "../../src/zarr/index.js";
import { failOrHold, meetAll } from "./failed-write-tasks.js";

const threads = 2;

async function allValues(store: string, component?: string): Promise<number[]> {
  const info = await openArray(store, component !== undefined ? { component } : {});
  return [...(await readRegion(info, info.shape.map(() => 0), info.shape)).data].map(Number);
}

/** 4×4 in 2×2 blocks: block (0, 0) fails once block (0, 1) is held; the others are plain. */
function failingArray(dir: string): ta.Array {
  const data = new Float64Array(16).fill(1);
  for (const [row, col] of [[0, 0], [0, 1], [1, 0], [1, 1]]) data[row * 4 + col] = -1;
  for (const [row, col] of [[0, 2], [0, 3], [1, 2], [1, 3]]) data[row * 4 + col] = -2;
  return ta.fromArray(new NDArray(data, [4, 4]), { chunks: [2, 2] }).mapBlocks(failOrHold, { dtype: "float64" }, { dir });
}

async function untilExists(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("a failed write whose other tasks still run", { timeout: 120_000 }, () => {
  let cluster: LocalCluster;
  let client: Client;
  const root = mkdtempSync(join(tmpdir(), "tessera-failed-write-"));
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: threads, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /**
   * Runs `first` (which holds block (0, 1) and fails block (0, 0)), then `second` at once, then
   * lets the held task go and waits until it has ended (every thread of the worker free).
   */
  async function failThenWriteAgain(name: string, first: (dir: string) => Promise<unknown>, second: () => Promise<unknown>): Promise<void> {
    const signals = mkdtempSync(join(root, `${name}-signals-`));
    await assert.rejects(first(signals), /this block fails on purpose/);
    assert.ok(existsSync(join(signals, "held")), "the held task was not running when the write failed");
    await second();
    writeFileSync(join(signals, "go"), "");
    await ta.arange(threads, { chunks: 1 }).mapBlocks(meetAll, { dtype: "float64" }, { dir: signals, count: threads }).compute({ executor: client });
    await untilExists(join(signals, `meet-${threads - 1}`));
  }

  it("a region write: the second writer's region holds its own data only, and no lease is left", async () => {
    const store = join(root, "region.zarr");
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    await failThenWriteAgain("region",
      (signals) => failingArray(signals).toZarr(store, { region: [], executor: client }),
      () => ta.full([4, 4], 7, { chunks: [2, 2] }).toZarr(store, { region: [], executor: new LocalExecutor() }));
    assert.deepEqual(await allValues(store), new Array(16).fill(7), "a task of the failed write wrote after the second writer");
    assert.deepEqual(readdirSync(store).filter((entry) => entry.startsWith(".tessera-") && entry !== ".tessera-generation"), []);
  });

  it("a whole-array overwrite: the same", async () => {
    const store = join(root, "whole.zarr");
    await ta.full([4, 4], 3, { chunks: [2, 2] }).toZarr(store);
    await failThenWriteAgain("whole",
      (signals) => failingArray(signals).toZarr(store, { overwrite: true, executor: client }),
      () => ta.full([4, 4], 7, { chunks: [2, 2] }).toZarr(store, { overwrite: true, executor: new LocalExecutor() }));
    assert.deepEqual(await allValues(store), new Array(16).fill(7), "a task of the failed write wrote after the second writer");
  });

  it("toOmeZarr: the same", async () => {
    const store = join(root, "image.ome.zarr");
    await failThenWriteAgain("ome",
      (signals) => ta.toOmeZarr(failingArray(signals), store, { axes: "yx", levels: 1, executor: client }),
      () => ta.toOmeZarr(ta.full([4, 4], 7, { chunks: [2, 2] }), store, { axes: "yx", levels: 1, overwrite: true, executor: new LocalExecutor() }));
    assert.deepEqual(await allValues(store, "0"), new Array(16).fill(7), "a task of the failed write wrote after the second writer");
  });
});
