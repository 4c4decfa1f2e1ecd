// Write fences (src/zarr/write-fence.ts): a lease goes only once no chunk write of its tasks is
// under way, and a task of it that tries to write after writes nothing. Every wait here is on
// an event (the release's "draining", a promise the test resolves), never on a timer.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { lstat, mkdir, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { createRequire, syncBuiltinESMExports } from "node:module";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { ZarrWriteConflictError, beginArrayWrite, createArray, writeChunk, writeChunkGroup } from "../../src/zarr/index.js";
import { claimedWrite, writeFenceEvents } from "../../src/zarr/write-fence.js";
import { acquireExclusiveLease, acquireRegionLease } from "../../src/zarr/write-lease.js";
import { currentWriter, writerExpiresAfterMs } from "../../src/zarr/writer-identity.js";
import { makeTempDirectory } from "./python-anchor.js";

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(() => true, () => false);
}

const block = () => new NDArray(new Float64Array([1, 2, 3, 4]), [2, 2]);

/** A pid that ran on this host and no longer does. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid as number;
}

describe("write fences", { timeout: 60_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-write-fence");
  });
  after(() => temp.remove());

  async function newArray(name: string): Promise<string> {
    const store = path.join(temp.path, name);
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    return store;
  }

  it("a release waits for a chunk write under way, and a write tried after it starts writes nothing", async () => {
    const store = await newArray("drains.zarr");
    const lease = await acquireRegionLease(store, "", store, "write a region into");
    let finish!: () => void;
    const writing = new Promise<void>((resolve) => (finish = resolve));
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const inFlight = claimedWrite(lease.fence, store, async () => {
      claimed();
      await writing;
      return "landed";
    });
    await isClaimed;
    const draining = once(writeFenceEvents, "draining");
    let released = false;
    const release = lease.release().then(() => (released = true));
    await draining;
    assert.equal(released, false);
    assert.ok(await exists(lease.file), "the lease went while a chunk write of its tasks was under way");
    await assert.rejects(writeChunk({ path: store, writeFence: lease.fence }, [0, 0], block()), (error: Error) => {
      assert.ok(error instanceof ZarrWriteConflictError, `${error.name}: ${error.message}`);
      assert.match(error.message, /has released the array .* nothing more of it is written/);
      return true;
    });
    assert.equal(await exists(path.join(store, "0.0")), false, "a write tried after the release started landed");
    finish();
    assert.equal(await inFlight, "landed");
    await release;
    assert.equal(await exists(lease.file), false);
    assert.equal(await exists(lease.fence), false);
  });

  it("a claim that lands in the closed fence after the release listed it is waited for, not deleted", async () => {
    // A claim whose lookup of the open fence came before the rename is created in the renamed
    // directory; here it lands just after the release's listing (the real window is a thread
    // switch locally, a cached lookup on NFS). Injected through node:fs's builtin exports.
    const store = await newArray("late-claim.zarr");
    const lease = await acquireRegionLease(store, "", store, "write a region into");
    const closed = lease.fence.replace("~writes-", "~closed-");
    const late = path.join(closed, "late-claim");
    const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");
    const readdirSync = fs.readdirSync;
    let injected = false;
    fs.readdirSync = ((...args: Parameters<typeof readdirSync>) => {
      const names = readdirSync(...args);
      if (!injected && args[0] === closed) {
        injected = true;
        fs.writeFileSync(late, JSON.stringify(currentWriter()));
      }
      return names;
    }) as typeof readdirSync;
    syncBuiltinESMExports();
    let released = false;
    const release = lease.release().then(() => (released = true));
    try {
      await Promise.race([once(writeFenceEvents, "draining"), release]);
    } finally {
      fs.readdirSync = readdirSync;
      syncBuiltinESMExports();
    }
    assert.ok(injected);
    assert.equal(released, false, "the lease went while a chunk write of its tasks was under way");
    assert.ok(await exists(late), "the release deleted a live claim");
    await rm(late); // its chunk landed
    await release;
    assert.equal(await exists(closed), false);
    assert.equal(await exists(lease.file), false);
  });

  it("a group write claims the fence once for all its chunks, and after the release writes none of them", async () => {
    const chunks = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const whole = new NDArray(new Float64Array(16).fill(5), [4, 4]);
    const store = await newArray("group.zarr");
    const lease = await acquireRegionLease(store, "", store, "write a region into");
    const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");
    const writeFileSync = fs.writeFileSync;
    let claims = 0;
    fs.writeFileSync = ((...args: Parameters<typeof writeFileSync>) => {
      if (typeof args[0] === "string" && args[0].startsWith(`${lease.fence}/`)) claims++;
      writeFileSync(...args);
    }) as typeof writeFileSync;
    syncBuiltinESMExports();
    try {
      await writeChunkGroup({ path: store, writeFence: lease.fence }, { origin: [0, 0], chunks }, whole);
    } finally {
      fs.writeFileSync = writeFileSync;
      syncBuiltinESMExports();
    }
    assert.equal(claims, 1, "a claim per chunk instead of one per group");
    for (const coords of chunks) assert.ok(await exists(path.join(store, coords.join("."))));
    await lease.release();

    const late = await newArray("group-late.zarr");
    const released = await acquireRegionLease(late, "", late, "write a region into");
    await released.release();
    await assert.rejects(writeChunkGroup({ path: late, writeFence: released.fence }, { origin: [0, 0], chunks }, whole), ZarrWriteConflictError);
    for (const coords of chunks) assert.equal(await exists(path.join(late, coords.join("."))), false, "a group write landed after its lease's release");
  });

  it("a claim left by a dead process does not hold a release", async () => {
    const store = await newArray("dead-claim.zarr");
    const lease = await acquireRegionLease(store, "", store, "write a region into");
    await writeFile(path.join(lease.fence, "claim"), JSON.stringify({ ...currentWriter(), pid: deadPid(), processStart: undefined }));
    await lease.release();
    assert.equal(await exists(lease.file), false);
  });

  it("a claim left by a compute thread that died mid-write, in a process that runs on, holds a release minutes, not for ever", async () => {
    // A worker replaces a thread that dies and an in-process worker's close terminates its
    // threads: the claim's process runs on, but nothing refreshes the claim any more.
    const store = await newArray("thread-claim.zarr");
    const lease = await acquireRegionLease(store, "", store, "write a region into");
    const fenceModule = new URL("../../src/zarr/write-fence.js", import.meta.url).href;
    const thread = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       import(workerData.fenceModule).then(({ claimedWrite }) =>
         claimedWrite(workerData.fence, "a test array", () => { parentPort.postMessage("claimed"); return new Promise(() => {}); }));`,
      { eval: true, workerData: { fenceModule, fence: lease.fence } },
    );
    assert.equal((await once(thread, "message"))[0], "claimed");
    await thread.terminate();
    const [claim] = await readdir(lease.fence);
    assert.ok(claim?.startsWith(`${process.pid}-`), "the thread's claim is left, in this process's name");
    // As it is once the refreshes it no longer makes have been missed for writerExpiresAfterMs.
    const unrefreshed = new Date(Date.now() - writerExpiresAfterMs - 60_000);
    await utimes(path.join(lease.fence, claim), unrefreshed, unrefreshed);
    const draining = once(writeFenceEvents, "draining");
    const release = lease.release();
    try {
      assert.equal(await Promise.race([release.then(() => "released"), draining.then(() => "waiting")]), "released", "a release waits for the claim of a thread that is gone");
    } finally {
      await rm(path.join(lease.fence.replace("~writes-", "~closed-"), claim), { force: true });
      await release;
    }
    assert.equal(await exists(lease.file), false);
  });

  it("an entry in a fence that is no claim and cannot be removed fails the release naming it, instead of spinning", async () => {
    const store = await newArray("stuck-fence.zarr");
    const lease = await acquireRegionLease(store, "", store, "write a region into");
    const stuck = path.join(lease.fence, "notes");
    await mkdir(stuck); // unlink(2) refuses a directory
    const unrefreshed = new Date(Date.now() - writerExpiresAfterMs - 60_000);
    await utimes(stuck, unrefreshed, unrefreshed);
    await assert.rejects(lease.release(), (error: Error) => {
      assert.ok(error instanceof ZarrWriteConflictError, `${error.name}: ${error.message}`);
      assert.match(error.message, /cannot end the write fence .*~closed-.*: "notes" in it is no claim .* cannot be removed \(EISDIR\)/);
      return true;
    });
  });

  it("a dead write's lease with a task still writing a chunk refuses the next writers, naming both; once it lands they go ahead", async () => {
    const store = await newArray("dead-writer.zarr");
    const id = "0123456789abcdef";
    const leaseFile = path.join(store, ".tessera-leases", `region-lease-${id}`);
    const fence = `${leaseFile}~writes-${id}`;
    await mkdir(path.dirname(leaseFile));
    await writeFile(leaseFile, JSON.stringify({ kind: "region", ...currentWriter(), pid: deadPid(), processStart: undefined, id, since: "2026-12-04T10:00:00.000Z" }));
    await mkdir(fence);
    const claim = path.join(fence, "claim");
    await writeFile(claim, JSON.stringify(currentWriter())); // this process: live
    for (const take of [() => acquireRegionLease(store, "", store, "write a region into"), () => beginArrayWrite(store)]) {
      await assert.rejects(take(), (error: Error) => {
        assert.ok(error instanceof ZarrWriteConflictError, `${error.name}: ${error.message}`);
        assert.match(error.message, new RegExp(`a task of a write that died \\(pid \\d+ on host .*, lease ${id}\\) is still writing a chunk of it \\(pid ${process.pid} `));
        return true;
      });
    }
    // The first refusal closed the dead write's fence: its tasks claim nothing more.
    assert.equal(await exists(fence), false);
    await assert.rejects(writeChunk({ path: store, writeFence: fence }, [1, 1], block()), ZarrWriteConflictError);
    await rm(path.join(`${leaseFile}~closed-${id}`, "claim")); // its chunk landed
    const next = await acquireExclusiveLease(store, "", store, "replace");
    assert.equal(await exists(leaseFile), false, "the dead lease was not taken over");
    await next.release();
  });

  it("a region write beside a region lease being released with a chunk write under way is refused, and goes ahead after", async () => {
    const store = await newArray("draining.zarr");
    const failed = await acquireRegionLease(store, "", store, "write a region into");
    let finish!: () => void;
    const writing = new Promise<void>((resolve) => (finish = resolve));
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const inFlight = claimedWrite(failed.fence, store, async () => {
      claimed();
      await writing;
    });
    await isClaimed;
    const draining = once(writeFenceEvents, "draining");
    const release = failed.release();
    await draining;
    await assert.rejects(acquireRegionLease(store, "", store, "write a region into"), (error: Error) => {
      assert.ok(error instanceof ZarrWriteConflictError, `${error.name}: ${error.message}`);
      assert.match(error.message, new RegExp(`a task of a write that failed or ended \\(pid ${process.pid} on host .*, lease ${failed.id}\\) is still writing`));
      return true;
    });
    finish();
    await inFlight;
    await release;
    // Region leases of live writes still stand side by side.
    const [a, b] = [await acquireRegionLease(store, "", store, "write a region into"), await acquireRegionLease(store, "", store, "write a region into")];
    await a.release();
    await b.release();
  });

  it("a ref's write fence must be a fence of its array's store, in the lease directory of the array or above", async () => {
    const store = await newArray("refs.zarr");
    const elsewhere = path.join(temp.path, ".tessera-leases", "region-lease-ab~writes-ab");
    for (const writeFence of [
      elsewhere, `${store}/x/../.tessera-leases/region-lease-ab~writes-ab`, path.join(store, "notes"), "relative",
      path.join(store, "region-lease-ab~writes-ab"), path.join(store, ".tessera-region-lease-ab~writes-ab"), // beside the chunks
    ]) {
      await assert.rejects(writeChunk({ path: store, writeFence }, [0, 0], block()), InvalidOptionError);
    }
    assert.equal(await exists(path.join(store, "0.0")), false);
  });
});
