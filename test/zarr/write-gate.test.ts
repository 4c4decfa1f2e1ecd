// Issue 11 (time outside tasks): toZarr with overwrite deletes the old array's keys while its
// graph is submitted, and its store tasks wait for the gate the writer opens once every old
// key is gone (src/zarr/write-gate.ts). These tests hold the gate's promises: a gated write
// waits; a task of an earlier write never writes into the new array; an overwrite of a larger
// array leaves no stale chunk (nor gate, nor lease); a deletion that fails writes nothing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { promises as fsPromises } from "node:fs";
import { lstat, mkdir, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import {
  ZarrWriteConflictError, beginArrayWrite, closeWriteGate, createArray, openArray, openWriteGate, readRegion, removeAbandonedWrites, writeChunk,
} from "../../src/zarr/index.js";
import { writeGateEvents } from "../../src/zarr/write-gate.js";
import { acquireRegionLease } from "../../src/zarr/write-lease.js";
import { makeTempDirectory } from "./python-anchor.js";

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(() => true, () => false);
}

async function allValues(store: string): Promise<number[]> {
  const info = await openArray(store);
  return [...(await readRegion(info, info.shape.map(() => 0), info.shape)).data].map(Number);
}

const zarrModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/zarr/index.js");

const block = () => new NDArray(new Float64Array([1, 2, 3, 4]), [2, 2]);

/**
 * A writer on another host, killed after it opened its gate (its lease unrefreshed for ten
 * minutes, its gate left): once `nextWrite` has taken its lease, the gate is gone and a
 * leftover task of the dead write fails, writing nothing.
 */
async function assertDeadWritersGateClosedBy(store: string, id: string, nextWrite: () => Promise<{ release(): Promise<void> }>): Promise<void> {
  await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
  const leaseFile = path.join(store, ".tessera-leases", "write-lease");
  const gate = path.join(store, ".tessera-leases", `write-lease.open-${id}`);
  await mkdir(path.dirname(leaseFile), { recursive: true });
  await writeFile(leaseFile, JSON.stringify({ kind: "exclusive", host: "compute-node-17", pid: 4242, id, since: "2024-05-01T10:00:00.000Z" }));
  await writeFile(gate, "");
  const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
  await utimes(leaseFile, tenMinutesAgo, tenMinutesAgo);
  const lease = await nextWrite();
  try {
    assert.equal(await exists(gate), false, "the dead write's gate is still open");
    await assert.rejects(writeChunk({ path: store, writeGate: id }, [0, 0], block()), ZarrWriteConflictError);
    assert.equal(await exists(path.join(store, "0.0")), false);
  } finally {
    await lease.release();
  }
}

describe("toZarr's write gate: no new chunk before the old keys are gone", { timeout: 60_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-write-gate");
  });
  after(() => temp.remove());

  it("a write through a gated ref waits until its write opens the gate, then writes", async () => {
    const store = path.join(temp.path, "waits.zarr");
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    const lease = await beginArrayWrite(store);
    try {
      const waiting = once(writeGateEvents, "waiting").then(() => "waiting");
      const write = writeChunk({ path: store, writeGate: lease.id }, [0, 0], block());
      const first = await Promise.race([write.then(() => "written"), waiting]);
      assert.equal(first, "waiting", "the chunk was written before its gate opened");
      assert.equal(await exists(path.join(store, "0.0")), false);
      await openWriteGate({ path: store }, lease.id);
      await write;
      assert.deepEqual((await allValues(store)).slice(0, 2), [1, 2]);
    } finally {
      await closeWriteGate({ path: store }, lease.id);
      await lease.release();
    }
  });

  it("a task of an earlier write (its lease gone, another write's in its place) fails and writes nothing", async () => {
    const store = path.join(temp.path, "leftover.zarr");
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    const earlier = await beginArrayWrite(store);
    await openWriteGate({ path: store }, earlier.id);
    await closeWriteGate({ path: store }, earlier.id); // the earlier write ended (or failed)
    await earlier.release();
    const current = await beginArrayWrite(store);
    try {
      await assert.rejects(writeChunk({ path: store, writeGate: earlier.id }, [1, 1], block()), (error: Error) => {
        assert.ok(error instanceof ZarrWriteConflictError, `${error.name}: ${error.message}`);
        assert.match(error.message, new RegExp(`lease ${earlier.id}\\) no longer holds the array`));
        return true;
      });
      assert.equal(await exists(path.join(store, "1.1")), false);
      // With no lease at all (the earlier write ended and nothing replaced it), the same.
    } finally {
      await current.release();
    }
    await assert.rejects(writeChunk({ path: store, writeGate: earlier.id }, [1, 1], block()), ZarrWriteConflictError);
    assert.equal(await exists(path.join(store, "1.1")), false);
  });

  it("an overwrite of a larger array leaves only the new array's chunks, and no gate or lease", async () => {
    const store = path.join(temp.path, "shrinks.zarr");
    await ta.random([40, 40], { chunks: [10, 10], seed: 1 }).toZarr(store);
    const small = ta.random([20, 20], { chunks: [10, 10], seed: 2 });
    await small.toZarr(store, { overwrite: true });
    // .tessera-done: the completion markers of a resumable toZarr (chunk-markers.ts).
    const names = (await readdir(store)).sort();
    assert.deepEqual(names, [".tessera-done", ".zarray", "0.0", "0.1", "1.0", "1.1"]);
    assert.deepEqual(await allValues(store), [...(await small.compute()).data].map(Number));
    // Twice more over the same grid (every old chunk collides with a new one): still exact.
    for (const seed of [3, 4]) {
      const next = ta.random([20, 20], { chunks: [10, 10], seed });
      await next.toZarr(store, { overwrite: true });
      assert.deepEqual(await allValues(store), [...(await next.compute()).data].map(Number));
    }
    assert.deepEqual((await readdir(store)).sort(), [".tessera-done", ".zarray", "0.0", "0.1", "1.0", "1.1"]);
  });

  it("an overwrite whose deletion fails raises that error and writes nothing of the new array", async () => {
    const store = path.join(temp.path, "fails.zarr");
    await ta.random([40, 40], { chunks: [10, 10], seed: 5 }).toZarr(store);
    const chunks = (await readdir(store)).filter((name) => /^\d+\.\d+$/.test(name));
    const oldBytes = new Map(await Promise.all(chunks.map(async (name) => [name, await readFile(path.join(store, name))] as const)));
    const unlink = fsPromises.unlink;
    fsPromises.unlink = (async (file: Parameters<typeof unlink>[0]) => {
      if (String(file) === path.join(store, "2.3")) throw Object.assign(new Error(`EIO: i/o error, unlink '${String(file)}'`), { code: "EIO" });
      return unlink(file);
    }) as typeof unlink;
    try {
      await assert.rejects(ta.random([40, 40], { chunks: [10, 10], seed: 6 }).toZarr(store, { overwrite: true }), /EIO: i\/o error, unlink/);
    } finally {
      fsPromises.unlink = unlink;
    }
    const left = (await readdir(store)).sort();
    assert.ok(!left.includes(".zarray"), "the new metadata was written over a half-deleted array");
    assert.ok(left.includes("2.3"));
    for (const name of left.filter((n) => /^\d+\.\d+$/.test(n))) {
      assert.deepEqual(await readFile(path.join(store, name)), oldBytes.get(name), `chunk ${name} was written by the failed overwrite`);
    }
    assert.deepEqual(left.filter((name) => name.startsWith(".tessera-write")), [], "a lease or gate was left behind");
  });
});

// Each test's timeout is a safety net against a hang only: what they assert is the error.
describe("toZarr's write gate when the write's process dies before opening it", { timeout: 90_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-write-gate-dead");
  });
  after(() => temp.remove());

  // The writer's steps up to the gate, as toZarr takes them (store.ts): the lease, the
  // checks, the old keys deleted and the new metadata written; then it prints its lease id
  // and idles, never opening the gate, until it is killed.
  const writerScript = `
const [store] = process.argv.slice(1);
const { beginArrayWrite, prepareArrayHeld } = await import(${JSON.stringify(zarrModule)});
const lease = await beginArrayWrite(store);
const write = await prepareArrayHeld(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64", overwrite: true });
await write();
process.stdout.write(lease.id + "\\n");
setInterval(() => undefined, 1 << 30);
`;

  it("a gated write of a toZarr killed (SIGKILL) before its gate opened fails naming the death, instead of waiting for ever", { timeout: 20_000 }, async () => {
    const store = path.join(temp.path, "killed.zarr");
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    const child = spawn(process.execPath, ["--input-type=module", "-e", writerScript, store], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = once(child, "exit");
    let printed = "";
    child.stdout.setEncoding("utf8");
    for await (const text of child.stdout) {
      printed += String(text);
      if (printed.includes("\n")) break;
    }
    const id = printed.trim();
    assert.match(id, /^[0-9a-f]{16}$/, `the writer printed ${JSON.stringify(printed)}`);
    child.kill("SIGKILL");
    await exited;
    assert.ok((await readdir(path.join(store, ".tessera-leases"))).includes("write-lease"), "the killed writer's lease is left");

    await assert.rejects(writeChunk({ path: store, writeGate: id }, [0, 0], block()), (error: Error) => {
      assert.ok(error instanceof ZarrWriteConflictError, `${error.name}: ${error.message}`);
      assert.match(error.message, new RegExp(`lease ${id}, pid ${child.pid} on host [^)]+\\) died before it opened the array for writing`));
      assert.match(error.message, /nothing of it is written/);
      return true;
    });
    assert.equal(await exists(path.join(store, "0.0")), false, "the task wrote into the dead write's array");
    // The next write takes the dead writer's lease over.
    await ta.ones([4, 4], { chunks: [2, 2] }).toZarr(store, { overwrite: true });
    assert.deepEqual(await allValues(store), new Array(16).fill(1));
  });

  it("on another host, the holder counts dead once its lease went unrefreshed for leaseExpiresAfterMs", { timeout: 20_000 }, async () => {
    const store = path.join(temp.path, "remote.zarr");
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    const leaseFile = path.join(store, ".tessera-leases", "write-lease");
    const id = "feedfacecafebeef";
    await mkdir(path.dirname(leaseFile), { recursive: true });
    await writeFile(leaseFile, JSON.stringify({ kind: "exclusive", host: "compute-node-17", pid: 4242, id, since: "2024-05-01T10:00:00.000Z" }));
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await utimes(leaseFile, tenMinutesAgo, tenMinutesAgo);
    await assert.rejects(
      writeChunk({ path: store, writeGate: id }, [0, 0], block()),
      /\(lease feedfacecafebeef, pid 4242 on host compute-node-17\) died before it opened the array for writing \(it runs on another host and its lease went unrefreshed/,
    );
    assert.equal(await exists(path.join(store, "0.0")), false);
  });

  it("taking over a dead writer's lease closes its open gate: a leftover task of that write fails", { timeout: 20_000 }, async () => {
    const store = path.join(temp.path, "takeover.zarr");
    await assertDeadWritersGateClosedBy(store, "0badc0ffee0ddf00", () => beginArrayWrite(store));
  });

  it("a region write beside a dead writer's lease closes that writer's open gate: its leftover task fails", { timeout: 20_000 }, async () => {
    const store = path.join(temp.path, "region-beside-dead.zarr");
    await assertDeadWritersGateClosedBy(store, "5ca1ab1e5ca1ab1e", () => acquireRegionLease(store, "", store, "write into"));
  });

  it("removeAbandonedWrites removes the gates of writes that no longer hold the lease, and keeps the holder's", { timeout: 20_000 }, async () => {
    const store = path.join(temp.path, "gates.zarr");
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    // A writer killed after it opened its gate leaves the gate behind (a live one closes it first).
    await mkdir(path.join(store, ".tessera-leases"));
    await writeFile(path.join(store, ".tessera-leases", "write-lease.open-0123456789abcdef"), "");
    const lease = await beginArrayWrite(store);
    try {
      await openWriteGate({ path: store }, lease.id);
      await removeAbandonedWrites(store);
      assert.deepEqual((await readdir(path.join(store, ".tessera-leases"))).filter((name) => name.includes(".open-")), [`write-lease.open-${lease.id}`]);
      // A leftover task of the killed write now fails instead of passing its gate into this array.
      await assert.rejects(writeChunk({ path: store, writeGate: "0123456789abcdef" }, [0, 0], block()), ZarrWriteConflictError);
    } finally {
      await closeWriteGate({ path: store }, lease.id);
      await lease.release();
    }
  });
});

describe("toZarr's write gate on a LocalCluster (tasks in a worker process)", { timeout: 120_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    temp = await makeTempDirectory("zarr-write-gate-cluster");
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    await temp?.remove();
  });

  it("overwrites a larger array, then the same grid in other dtypes at once: the worker writes each new array, never the old one's layout", async () => {
    const store = path.join(temp.path, "cluster.zarr");
    await ta.random([40, 40], { chunks: [10, 10], seed: 7 }).toZarr(store, { executor: client });
    // Within a second of each other: the worker's cached open of the previous array must not be reused.
    for (const [seed, dtype] of [[8, "float32"], [9, "int16"], [10, "float64"]] as const) {
      const next = ta.random([20, 20], { chunks: [10, 10], seed }).mul(1000).astype(dtype);
      await next.toZarr(store, { overwrite: true, executor: client });
      assert.equal((await openArray(store)).dtype, dtype);
      assert.deepEqual(await allValues(store), [...(await next.compute({ executor: new LocalExecutor() })).data].map(Number), `the ${dtype} overwrite`);
      assert.deepEqual((await readdir(store)).sort(), [".tessera-done", ".zarray", "0.0", "0.1", "1.0", "1.1"]);
    }
  });
});
