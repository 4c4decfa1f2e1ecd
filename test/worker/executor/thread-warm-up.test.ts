/**
 * A compute thread's warm-up (src/worker/executor/thread-warm-up.ts): before its worker joins,
 * it runs the chain of an array task (Zarr region read, Gaussian kernels, an elementwise step,
 * a grouped chunk write) on a small volume in a temporary directory, so the first real task
 * does not run unoptimised code; a step that cannot run is left to the task that needs it,
 * and nothing of the warm-up stays behind (no directory, no cached chunk).
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { warmUpThread } from "../../../src/worker/executor/thread-warm-up.js";
import { chunkCacheHeldBytes } from "../../../src/zarr/chunk-cache.js";

describe("a compute thread's warm-up", () => {
  const ownTmp = mkdtempSync(join(tmpdir(), "tessera-warm-up-test-"));
  const savedTmp = process.env.TMPDIR;
  after(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(ownTmp, { recursive: true, force: true });
  });

  it("runs the codec and the read → Gaussians → subtract → write chain, and leaves no directory and no cached chunk", async () => {
    process.env.TMPDIR = join(ownTmp, "writable");
    rmSync(process.env.TMPDIR, { recursive: true, force: true });
    mkdirSync(process.env.TMPDIR); // a fresh, empty directory to watch
    const report = await warmUpThread();
    assert.deepEqual(report.steps, ["blosc-lz4", "zarr-pipeline"]);
    assert.deepEqual(readdirSync(process.env.TMPDIR), [], "the warm-up's volumes are removed");
    assert.equal(chunkCacheHeldBytes(), 0, "the warm-up's reads keep no decoded chunk");
  });

  it("can run again in the same thread (a replaced thread's successor warms up too)", async () => {
    process.env.TMPDIR = join(ownTmp, "writable");
    assert.deepEqual((await warmUpThread()).steps, ["blosc-lz4", "zarr-pipeline"]);
  });

  it("leaves the chain to the first task when no temporary directory can be made, and still warms the codec", async () => {
    const notADirectory = join(ownTmp, "a-file");
    writeFileSync(notADirectory, "");
    process.env.TMPDIR = notADirectory;
    assert.deepEqual((await warmUpThread()).steps, ["blosc-lz4"]);
  });
});
