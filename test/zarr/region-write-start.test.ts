// A region write's start (beginRegionWrite, src/zarr/create-array.ts) lists none of the array's
// chunks in a loop of region writes: its lease looks only in the lease directory, and the removal
// of killed writers' temporary files (a listing of the whole array) runs at most once an hour
// per array and process.
import { after, before, describe, it, mock } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { createRequire, syncBuiltinESMExports } from "node:module";
import * as path from "node:path";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { beginRegionWrite, createArray, writeChunk } from "../../src/zarr/index.js";
import { currentWriter } from "../../src/zarr/writer-identity.js";
import { makeTempDirectory } from "./python-anchor.js";

const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");

/** The directories listed under `body`, synchronously or not, relative to `store`. */
async function listedDuring(store: string, body: () => Promise<void>): Promise<string[]> {
  const listed: string[] = [];
  const { readdirSync } = fs;
  const readdir = fs.promises.readdir;
  fs.readdirSync = ((...args: Parameters<typeof readdirSync>) => {
    listed.push(path.relative(store, String(args[0])));
    return readdirSync(...args);
  }) as typeof readdirSync;
  fs.promises.readdir = ((...args: Parameters<typeof readdir>) => {
    listed.push(path.relative(store, String(args[0])));
    return readdir(...args);
  }) as typeof readdir;
  syncBuiltinESMExports();
  try {
    await body();
  } finally {
    fs.readdirSync = readdirSync;
    fs.promises.readdir = readdir;
    syncBuiltinESMExports();
  }
  return listed;
}

/** A temporary file of a writer on this host that no longer runs, beside the chunks. */
async function plantAbandonedPartial(store: string, name: string): Promise<string> {
  const { host } = currentWriter();
  const pid = spawnSync(process.execPath, ["-e", ""]).pid as number;
  const file = `.${name}~${host}~${pid}~aaaaaaaaaaaa.partial`;
  await writeFile(path.join(store, file), "x");
  return file;
}

async function regionWriteStart(store: string): Promise<void> {
  await (await beginRegionWrite(store)).lease.release();
}

describe("a region write's start", { timeout: 60_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-region-start");
  });
  after(() => temp.remove());

  it("lists the array's chunks once an hour at most: later starts list only the lease directory", async () => {
    const store = path.join(temp.path, "loop.zarr");
    await createArray(store, { shape: [8, 8], chunks: [1, 1], dtype: "float64" });
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) await writeChunk({ path: store }, [i, j], new NDArray(new Float64Array([1]), [1, 1]));
    const first = await plantAbandonedPartial(store, "0.0");
    const firstListed = await listedDuring(store, () => regionWriteStart(store));
    assert.ok(firstListed.includes(""), "the first start did not look for abandoned temporary files");
    assert.ok(!(await readdir(store)).includes(first), "the first start left a dead writer's temporary file");

    const second = await plantAbandonedPartial(store, "0.1");
    for (let write = 0; write < 3; write++) {
      const listed = await listedDuring(store, () => regionWriteStart(store));
      assert.ok(listed.every((directory) => directory.startsWith(".tessera-leases")), `a later start listed ${listed.join(", ")}`);
    }
    assert.ok((await readdir(store)).includes(second), "left for the next hourly look");

    // An hour on, the next start looks again.
    mock.timers.enable({ apis: ["Date"], now: Date.now() + 60 * 60 * 1000 });
    try {
      await regionWriteStart(store);
    } finally {
      mock.timers.reset();
    }
    assert.ok(!(await readdir(store)).includes(second), "an hour on, the start still left the dead writer's file");
  });
});
