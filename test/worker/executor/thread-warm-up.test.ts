/**
 * A compute thread's warm-up (src/worker/executor/thread-warm-up.ts): before its worker joins,
 * it runs the chain of an array task (Zarr region read, Gaussian kernels, an elementwise step,
 * a grouped chunk write) on a small volume in a temporary directory, so the first real task
 * does not run unoptimised code, then a reduction's fused tasks (reduction-warm-up.test.ts); it
 * grows the kernels' WebAssembly memory to a real task's size within the thread's share, so
 * that the first task does not pay its page faults; a step that cannot run is left to the task
 * that needs it, and nothing else of the warm-up stays behind (no directory, no cached chunk).
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { kernelMemoryTarget, warmUpThread as warmUp } from "../../../src/worker/executor/thread-warm-up.js";
import { chunkCacheHeldBytes } from "../../../src/zarr/chunk-cache.js";
import { stagedLimit, stagedLimitBytes } from "../../../src/ndimage/staged-lines.js";
import { wasmInstance } from "../../../src/ndimage/wasm/wasm-instance.js";

/** The size of this thread's kernels' WebAssembly memory now (it only grows). */
const kernelMemoryBytes = () => wasmInstance()?.reserve(0).byteLength ?? 0;

describe("a compute thread's warm-up", () => {
  const ownTmp = mkdtempSync(join(tmpdir(), "tessera-warm-up-test-"));
  const savedTmp = process.env.TMPDIR;
  after(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(ownTmp, { recursive: true, force: true });
  });

  // First: the kernels' memory only grows, so the bound is seen only before a larger warm-up.
  it("grows the kernels' memory no further than the thread's share when the worker's limit is small", async () => {
    const share = 4 * 2 ** 20; // a worker with 64 MiB per thread: 1/16 of it
    stagedLimit.bytes = share;
    try {
      process.env.TMPDIR = join(ownTmp, "writable");
      mkdirSync(process.env.TMPDIR, { recursive: true });
      assert.ok((await warmUp()).steps.includes("kernel-memory"));
      assert.equal(kernelMemoryTarget(), share);
      assert.equal(kernelMemoryBytes(), share, "grown to the share (the 40×96×96 chain alone needs less), not beyond");
    } finally {
      stagedLimit.bytes = stagedLimitBytes;
    }
  });

  it("runs the codec and the read → Gaussians → subtract → write chain, and leaves no directory and no cached chunk", async () => {
    process.env.TMPDIR = join(ownTmp, "writable");
    rmSync(process.env.TMPDIR, { recursive: true, force: true });
    mkdirSync(process.env.TMPDIR); // a fresh, empty directory to watch
    const report = await warmUp();
    assert.deepEqual(report.steps, ["blosc-lz4", "zarr-pipeline", "reductions", "kernel-memory"]);
    assert.equal(kernelMemoryTarget(), 16 * 2 ** 20, "a grouped DoG task's size on a thread with memory to spare");
    assert.ok(kernelMemoryBytes() >= kernelMemoryTarget(), `the kernels' memory is ${kernelMemoryBytes()} bytes, at least a real task's`);
    assert.deepEqual(readdirSync(process.env.TMPDIR), [], "the warm-up's volumes are removed");
    assert.equal(chunkCacheHeldBytes(), 0, "the warm-up's reads keep no decoded chunk");
  });

  it("can run again in the same thread (a replaced thread's successor warms up too)", async () => {
    process.env.TMPDIR = join(ownTmp, "writable");
    assert.deepEqual((await warmUp()).steps, ["blosc-lz4", "zarr-pipeline", "reductions", "kernel-memory"]);
  });

  it("leaves the chain to the first task when no temporary directory can be made, and still warms the codec", async () => {
    const notADirectory = join(ownTmp, "a-file");
    writeFileSync(notADirectory, "");
    process.env.TMPDIR = notADirectory;
    assert.deepEqual((await warmUp()).steps, ["blosc-lz4", "reductions", "kernel-memory"]);
  });
});
