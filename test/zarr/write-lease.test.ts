// Issue 9 item 11 (the toZarr part) and the ".partial files left behind" of its "Weaker" list, as
// they happened: two concurrent `toZarr` overwrites of one path both reported success over one
// mixed array; a writer killed mid-write left its temporary files in the store for ever. Now the
// second writer fails with ZarrWriteConflictError naming the holder and the array is entirely the
// winner's; a lease of a dead writer is taken over (on another host: once it is no longer
// refreshed), a fresh one from another host refused; region
// writers of disjoint regions run side by side; and the next write or resume removes what a
// dead writer left.
import { after, before, describe, it, mock } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as ta from "../../src/array/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { ZarrWriteConflictError, beginArrayWrite, createArray, createArrayHeld, isPartialWrite, openArray, readRegion } from "../../src/zarr/index.js";
import { makeTempDirectory } from "./python-anchor.js";

/** A node's leases live in its lease directory (node-files.ts), the exclusive one under this name. */
const leaseDirectory = ".tessera-leases";
const leaseName = "write-lease";
const zarrModule = JSON.stringify(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/zarr/index.js"));
const ndarrayModule = JSON.stringify(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/ndarray/ndarray.js"));

/** The pid of a process that ran and exited: a writer known to be dead. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

/** The names in the lease directory of the node in `node` ([] when it is gone: no lease left). */
async function leasesOf(node: string): Promise<string[]> {
  return readdir(path.join(node, leaseDirectory)).catch(() => []);
}

/** Puts a lease file `name` into the lease directory of `node`, as a writer would have; returns its path. */
async function placeLease(node: string, name: string, content: string): Promise<string> {
  await mkdir(path.join(node, leaseDirectory), { recursive: true });
  const file = path.join(node, leaseDirectory, name);
  await writeFile(file, content);
  return file;
}

function lease(fields: Record<string, unknown>): string {
  return JSON.stringify({ kind: "exclusive", id: "0123456789abcdef", since: "2024-05-01T10:00:00.000Z", ...fields });
}

async function allValues(store: string): Promise<number[]> {
  const info = await openArray(store);
  return [...(await readRegion(info, info.shape.map(() => 0), info.shape)).data].map(Number);
}

describe("concurrent writers of one Zarr array detect each other", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-lease");
  });
  after(() => temp.remove());

  it("of two concurrent toZarr overwrites of one path, one fails naming the other and the array is the winner's", async () => {
    const store = path.join(temp.path, "raced.zarr");
    await ta.zeros([40, 40], { chunks: [8, 8] }).toZarr(store);
    const first = ta.full([40, 40], 1, { chunks: [8, 8] });
    const second = ta.full([40, 40], 2, { chunks: [8, 8] });
    const outcomes = await Promise.allSettled([first.toZarr(store, { overwrite: true }), second.toZarr(store, { overwrite: true })]);
    const failed = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    assert.equal(failed.length, 1, `exactly one write fails: ${outcomes.map((o) => o.status).join(", ")}`);
    const error = failed[0].reason as Error;
    assert.ok(error instanceof ZarrWriteConflictError, `${error.name}: ${error.message}`);
    assert.match(error.message, new RegExp(`another toZarr or createArray holds it \\(pid ${process.pid} on host `));
    assert.match(error.message, /Wait for it to finish, or write elsewhere/);
    const winner = outcomes[0].status === "fulfilled" ? 1 : 2;
    assert.deepEqual(new Set(await allValues(store)), new Set([winner]), "every chunk is the winner's, none the loser's");
    assert.ok(!(await leasesOf(store)).includes(leaseName), "the winner released its lease");
    assert.ok(!(await readdir(store)).includes(leaseDirectory), "the last lease out removed the lease directory");
    // Once the winner is done, the next overwrite goes through.
    await second.toZarr(store, { overwrite: true });
    assert.deepEqual(new Set(await allValues(store)), new Set([2]));
  });

  it("takes over the lease of a writer that died on this host, and releases it after a failed write too", async () => {
    const store = path.join(temp.path, "stale.zarr");
    await ta.zeros([10], { chunks: [5] }).toZarr(store);
    await placeLease(store, leaseName, lease({ host: hostname(), pid: await deadPid() }));
    await ta.ones([10], { chunks: [5] }).toZarr(store, { overwrite: true });
    assert.deepEqual(await allValues(store), new Array(10).fill(1));
    assert.ok(!(await leasesOf(store)).includes(leaseName));
    // A computation that fails mid-write still gives its lease back.
    const failing = ta.mapBlocks((block: NDArray) => {
      if (block.shape[0] > 0) throw new Error("kernel failed");
      return block;
    }, ta.ones([10], { chunks: [5] }), { dtype: "float64" });
    await assert.rejects(failing.toZarr(store, { overwrite: true }), /kernel failed/);
    assert.ok(!(await leasesOf(store)).includes(leaseName), "the failed write released its lease");
  });

  it("refuses a lease held from another host, naming the host and the file to delete if that writer is gone", async () => {
    const store = path.join(temp.path, "remote.zarr");
    await ta.full([6], 5, { chunks: [3] }).toZarr(store);
    const leaseFile = await placeLease(store, leaseName, lease({ host: "compute-node-17", pid: 4242 }));
    for (const write of [
      () => ta.ones([6], { chunks: [3] }).toZarr(store, { overwrite: true }),
      () => createArray(store, { shape: [2], chunks: [2], dtype: "uint8", overwrite: true }),
      () => ta.ones([6], { chunks: [3] }).toZarr(store, { region: [{ start: 0, stop: 6 }] }),
    ]) {
      await assert.rejects(write(), (error: Error) => {
        assert.ok(error instanceof ZarrWriteConflictError, `${error.name}: ${error.message}`);
        assert.match(error.message, /pid 4242 on host compute-node-17, since 2024-05-01T10:00:00\.000Z/);
        assert.match(error.message, /it runs on another host, which tessera cannot check: its lease counts as abandoned once not refreshed for 5 minutes/);
        assert.ok(error.message.includes(`delete ${leaseFile}`));
        return true;
      });
    }
    assert.deepEqual(await allValues(store), new Array(6).fill(5), "the array is untouched");
    assert.ok((await leasesOf(store)).includes(leaseName), "another host's lease is left in place");
    // A job killed at its walltime on another node stops refreshing its lease: after the
    // expiry its resubmission (here, on this host) takes the lease over.
    const tenMinutesAgo = new Date(Date.now() - 10 * 60 * 1000);
    await utimes(leaseFile, tenMinutesAgo, tenMinutesAgo);
    await ta.ones([6], { chunks: [3] }).toZarr(store, { overwrite: true });
    assert.deepEqual(await allValues(store), new Array(6).fill(1));
    assert.ok(!(await leasesOf(store)).includes(leaseName));
  });

  it("a holder refreshes its lease, so writers on other hosts do not take it over while it runs", async () => {
    const store = path.join(temp.path, "refreshed.zarr");
    mock.timers.enable({ apis: ["setInterval"] });
    try {
      const held = await beginArrayWrite(store);
      const longAgo = new Date(Date.now() - 10 * 60 * 1000);
      await utimes(held.file, longAgo, longAgo);
      mock.timers.tick(30_000);
      const deadline = Date.now() + 10_000;
      while ((await stat(held.file)).mtimeMs < Date.now() - 60_000 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      assert.ok(Date.now() - (await stat(held.file)).mtimeMs < 60_000, "the lease was touched by its holder");
      await held.release();
    } finally {
      mock.timers.reset();
    }
  });

  it("lets region writers of disjoint regions run side by side, but not beside a writer replacing the array", async () => {
    const store = path.join(temp.path, "regions.zarr");
    await ta.zeros([20, 12], { chunks: [5, 4], dtype: "int32" }).toZarr(store);
    const top = ta.full([10, 12], 3, { chunks: [10, 6], dtype: "int32" });
    const bottom = ta.full([10, 12], 4, { chunks: [4, 12], dtype: "int32" });
    await Promise.all([
      top.toZarr(store, { region: [{ start: 0, stop: 10 }] }),
      bottom.toZarr(store, { region: [{ start: 10, stop: 20 }] }),
    ]);
    const values = await allValues(store);
    assert.deepEqual(values, [...new Array(120).fill(3), ...new Array(120).fill(4)]);
    // A region write in progress (its lease, held by this live process) blocks an overwrite.
    await placeLease(store, "region-lease-feedfacecafe", lease({ kind: "region", host: hostname(), pid: process.pid }));
    await assert.rejects(ta.ones([20, 12], { chunks: [5, 4], dtype: "int32" }).toZarr(store, { overwrite: true }), /a region write holds it/);
    assert.deepEqual(await allValues(store), values);
  });

  it("an overwrite of a group is refused while an array inside it is being written", async () => {
    const store = path.join(temp.path, "group.zarr");
    await ta.zeros([4], { chunks: [2] }).toZarr(store, { component: "0/0" });
    await placeLease(path.join(store, "0", "0"), leaseName, lease({ host: hostname(), pid: process.pid }));
    await assert.rejects(ta.ones([4], { chunks: [2] }).toZarr(store, { overwrite: true }), ZarrWriteConflictError);
    assert.deepEqual(await allValues(path.join(store, "0", "0")), [0, 0, 0, 0]);
  });

  // A group replace must see the lease of every node below it, however far that node's writer
  // got: here it comes between the child's lease and its metadata (and its missing parent
  // group's), where the child's directory is not a Zarr node yet.
  for (const component of ["g/fresh", "g/new/child"]) {
    it(`a replace of a group is refused while ${component} is being created, before its metadata is written`, async () => {
      const store = path.join(temp.path, `${component.replaceAll("/", "-")}.zarr`);
      await ta.full([4], 3, { chunks: [2] }).toZarr(store, { component: "g/old" });
      const child = { path: store, component };
      const childLease = await beginArrayWrite(child);
      await assert.rejects(createArray({ path: store, component: "g" }, { shape: [2], chunks: [2], dtype: "uint8", overwrite: true }), (error: Error) => {
        assert.ok(error instanceof ZarrWriteConflictError, `${error.name}: ${error.message}`);
        assert.ok(error.message.includes(path.join(store, component, leaseDirectory, leaseName)), error.message);
        return true;
      });
      assert.deepEqual(await allValues(path.join(store, "g", "old")), [3, 3, 3, 3], "the group was not replaced");
      try {
        await createArrayHeld(child, { shape: [2], chunks: [2], dtype: "uint8" });
      } finally {
        await childLease.release();
      }
      assert.deepEqual(await allValues(path.join(store, component)), [0, 0]);
      await createArray({ path: store, component: "g" }, { shape: [2], chunks: [2], dtype: "uint8", overwrite: true });
    });
  }
});

describe("temporary files of killed writers", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-partials");
  });
  after(() => temp.remove());

  it("a writer killed with SIGKILL leaves partial files naming it, and the next resume removes them", async () => {
    const store = path.join(temp.path, "killed.zarr");
    const side = 1024;
    const planes = 24;
    const source = ta.full([planes, side, side], 7, { chunks: [1, side, side], dtype: "uint16" });
    await createArray(store, { shape: [planes, side, side], chunks: [1, side, side], dtype: "uint16", compressor: null });
    const script = path.join(temp.path, "writer.mjs");
    // Eight writers, each rewriting its own chunks without pause: a write is nearly always in flight.
    await writeFile(script, `
import { writeChunk } from ${zarrModule};
import { NDArray } from ${ndarrayModule};
const data = new Uint16Array(${side * side}).fill(9);
await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(async (slot) => {
  for (let z = slot; ; z = (z + 8) % ${planes}) {
    await writeChunk({ path: ${JSON.stringify(store)} }, [z, 0, 0], new NDArray(data.slice(), [1, ${side}, ${side}]));
  }
}));
`);
    /** Starts the writer, kills it while a temporary file is on disk, and returns what it left. */
    const killMidWrite = async (): Promise<{ pid: number; partial: string[] }> => {
      const child = spawn(process.execPath, [script], { stdio: "ignore" });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      const deadline = Date.now() + 30_000;
      while ((await readdir(store)).filter(isPartialWrite).length === 0 && Date.now() < deadline);
      child.kill("SIGKILL");
      await exited;
      return { pid: child.pid!, partial: (await readdir(store)).filter(isPartialWrite) };
    };
    // The kill may land just after every write in flight was renamed: try again then, a few times.
    let killed = await killMidWrite();
    for (let attempt = 1; killed.partial.length === 0 && attempt < 5; attempt++) killed = await killMidWrite();
    const partial = killed.partial;
    assert.ok(partial.length > 0, "the kill left temporary files");
    for (const name of partial) assert.match(name, new RegExp(`~${hostname().replace(/[^A-Za-z0-9.-]/g, "_")}~${killed.pid}~[0-9a-f]{12}\\.partial$`));

    await source.toZarr(store, { overwrite: true, compressor: null });
    assert.deepEqual((await readdir(store)).filter(isPartialWrite), [], "the next write removed the dead writer's files");
    const plane = await readRegion({ path: store }, [5, 0, 0], [6, 2, 3]);
    assert.deepEqual([...plane.data], [7, 7, 7, 7, 7, 7]);
  });

  it("removes partial files of dead writers and stale ones of other hosts, and keeps those of live writers", async () => {
    const store = path.join(temp.path, "mixed.zarr");
    const array = ta.full([8, 8], 1, { chunks: [4, 4] });
    await array.toZarr(store, { component: "a" });
    const node = path.join(store, "a");
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, "_");
    const files = {
      dead: `.0.0~${host}~${await deadPid()}~aaaaaaaaaaaa.partial`,
      live: `.0.1~${host}~${process.pid}~bbbbbbbbbbbb.partial`,
      otherHostRecent: ".1.0~compute-node-3~555~cccccccccccc.partial",
      otherHostOld: ".1.1~compute-node-3~556~dddddddddddd.partial",
      oldStyleOld: ".0.0.4321.eeeeeeeeeeee.partial",
      userFile: ".draft.partial", // not a name tessera writes: never touched
    };
    for (const name of Object.values(files)) await writeFile(path.join(node, name), "x");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const name of [files.otherHostOld, files.oldStyleOld, files.userFile]) await utimes(path.join(node, name), twoHoursAgo, twoHoursAgo);
    await array.toZarr(store, { component: "a", resume: true });
    const left = new Set(await readdir(node));
    assert.ok(!left.has(files.dead) && !left.has(files.otherHostOld) && !left.has(files.oldStyleOld), [...left].join(", "));
    assert.ok(left.has(files.live) && left.has(files.otherHostRecent) && left.has(files.userFile), [...left].join(", "));
    assert.equal(await readFile(path.join(node, files.userFile), "utf8"), "x");
    assert.ok((await stat(path.join(node, ".zarray"))).isFile());
  });
});
