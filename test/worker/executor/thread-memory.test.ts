// What compute threads keep between tasks is bounded by the worker's memory limit per thread
// (thread-memory.ts): the caps each thread applies, and the release the memory monitor asks for.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ThreadPool } from "../../../src/worker/executor/thread-pool.js";
import { keptBufferDefaults, threadMemoryCaps } from "../../../src/worker/executor/thread-memory.js";
import { functionRefOf } from "../../../src/graph/function-travel.js";
import { fusedBuiltin, stepRef, type FusedStep } from "../../../src/graph/task-runner.js";

const MiB = 2 ** 20;
const moduleUrl = (path: string) => new URL(path, import.meta.url).href;
const urls = {
  cache: moduleUrl("../../../src/zarr/chunk-cache.js"),
  scratch: moduleUrl("../../../src/ndarray/scratch-buffer.js"),
  staged: moduleUrl("../../../src/ndimage/staged-lines.js"),
  chunkScratch: moduleUrl("../../../src/zarr/chunk-scratch.js"),
  blosc: moduleUrl("../../../src/zarr/blosc-frame.js"),
  recycling: moduleUrl("../../../src/ndarray/block-recycling.js"),
};

/** Runs in a compute thread: the bytes of generated blocks' buffers it keeps for the next generator. */
const recycledInThread = functionRefOf(async function recycledInThread(where: typeof urls) {
  const recycling = await import(where.recycling);
  return recycling.recycledHeldBytes() as number;
});

/**
 * Runs in a compute thread: with `keep`, puts a fresh generated block's 8 MiB buffer in the pool
 * and watches it with a FinalizationRegistry; without, drops the idle pool as its timer does and
 * gives the finalizer a few event-loop turns. Returns what the pool holds and whether the buffer is freed.
 */
const watchedKeptBuffer = functionRefOf(async function watchedKeptBuffer(where: typeof urls, keep: boolean) {
  const recycling = await import(where.recycling);
  const state = globalThis as { __tesseraFreed?: Promise<void>; __tesseraRegistry?: FinalizationRegistry<string> };
  let freed = false;
  if (keep) {
    let onFreed = () => {};
    state.__tesseraFreed = new Promise<void>((resolve) => (onFreed = resolve));
    state.__tesseraRegistry = new FinalizationRegistry(() => onFreed());
    const { array } = recycling.generatedArray([2 ** 20], "float64");
    state.__tesseraRegistry.register(array.data.buffer, "kept");
    recycling.recycleGenerated([array], []);
  } else {
    // The idle drop, now (its timing is recycling-pool.test.ts's); the collection it runs
    // queues the finalizer, which runs within a few turns of the event loop.
    recycling.dropIdlePool();
    void state.__tesseraFreed?.then(() => (freed = true));
    for (let turn = 0; turn < 20 && !freed; turn++) await new Promise((resolve) => setImmediate(resolve));
  }
  return { held: recycling.recycledHeldBytes() as number, freed };
});

/** Runs in a compute thread: with `write`, first encodes a chunk as a Zarr write does; returns the bytes its write buffers keep. */
const keptWriteBuffers = functionRefOf(async function keptWriteBuffers(where: typeof urls, write: boolean) {
  const chunkScratch = await import(where.chunkScratch);
  const blosc = await import(where.blosc);
  if (write) {
    const chunk = chunkScratch.borrowChunkBuffer("float64", 32 * 1024);
    chunk.fill(1);
    await blosc.encodeBloscFrame(new Uint8Array(chunk.buffer), { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 8, blocksize: 0 });
    chunkScratch.returnChunkBuffer(chunk);
  }
  return chunkScratch.keptChunkBufferBytes() + blosc.frameScratchBytes();
});

/** Runs in a compute thread: its caps and what it keeps now; with `fill`, first takes a scratch buffer of that many bytes. */
const keptInThread = functionRefOf(async function keptInThread(where: typeof urls, fill: number) {
  const cache = await import(where.cache);
  const scratch = await import(where.scratch);
  const staged = await import(where.staged);
  if (fill > 0) scratch.scratchArray([fill], "uint8");
  return { cacheCap: cache.chunkCacheCap(), scratchCap: scratch.scratchKeepCap(), stagedCap: staged.stagedLimit.bytes, scratchHeld: scratch.scratchHeldBytes() };
});

describe("compute threads' kept buffers", () => {
  it("take a share of the worker's memory limit per thread, never more than their fixed caps", () => {
    assert.deepEqual(threadMemoryCaps(256 * MiB, 1, keptBufferDefaults), { chunkCacheBytes: 32 * MiB, scratchBytes: 16 * MiB, stagedRowsBytes: 16 * MiB, collectAboveBytes: 8 * MiB });
    assert.deepEqual(threadMemoryCaps(256 * MiB, 2, keptBufferDefaults), { chunkCacheBytes: 16 * MiB, scratchBytes: 8 * MiB, stagedRowsBytes: 8 * MiB, collectAboveBytes: 4 * MiB });
    const large = threadMemoryCaps(64 * 1024 * MiB, 2, keptBufferDefaults);
    assert.deepEqual([large.chunkCacheBytes, large.scratchBytes, large.stagedRowsBytes], [64 * MiB, 64 * MiB, 64 * MiB]);
    // A large limit still collects after a task that moved 64 MiB (not 1/32 of 32 GiB = 1 GiB).
    assert.equal(large.collectAboveBytes, 64 * MiB);
    assert.deepEqual(threadMemoryCaps(0, 4, keptBufferDefaults), { ...keptBufferDefaults, collectAboveBytes: Infinity });
    assert.throws(() => threadMemoryCaps(-1, 1, keptBufferDefaults), /worker memory limit -1 must be a number of bytes/);
    assert.throws(() => threadMemoryCaps(256 * MiB, 0, keptBufferDefaults), /threads per worker 0 must be a whole number/);
  });

  it("include no block a fused task has finished with: it is freed before the task's next step", async () => {
    const probes = moduleUrl("./released-block-probes.js");
    const steps: FusedStep[] = [
      { fn: { module: probes, export: "makeBlock" }, args: [16 * MiB] },
      { fn: { module: probes, export: "lastRead" }, args: [stepRef(0)] },
      { fn: { module: probes, export: "arrayBuffersAfter" }, args: [stepRef(1), 16 * MiB, 5000] },
    ];
    const pool = new ThreadPool(1);
    try {
      await pool.ready();
      const result = await pool.run("('fused', 0)", { builtin: fusedBuiltin }, [{ steps }]);
      assert.ok(result.ok, JSON.stringify(result));
      const { before, after } = result.result as { before: number; after: number };
      assert.ok(before - after >= 16 * MiB, `the thread still held its 16 MiB block after the task's last read of it (${before} → ${after} bytes of array memory)`);
    } finally {
      await pool.close();
    }
  });

  it("are capped in each thread of a 256 MiB worker, and dropped when the worker asks", async () => {
    const pool = new ThreadPool(2, [], undefined, undefined, 256 * MiB);
    try {
      await pool.ready();
      // 12 MiB is above the 8 MiB scratch share of each of two threads: not kept; 4 MiB is kept.
      const filled = await Promise.all([0, 1].map((i) => pool.run(`('fill', ${i})`, keptInThread, [urls, 12 * MiB])));
      for (const result of filled) {
        assert.ok(result.ok, JSON.stringify(result));
        assert.deepEqual(result.result, { cacheCap: 16 * MiB, scratchCap: 8 * MiB, stagedCap: 8 * MiB, scratchHeld: 0 });
      }
      const small = await Promise.all([0, 1].map((i) => pool.run(`('small', ${i})`, keptInThread, [urls, 4 * MiB])));
      assert.ok(small.every((r) => r.ok && (r.result as { scratchHeld: number }).scratchHeld === 4 * MiB), JSON.stringify(small));
      void pool.releaseRetained();
      const after = await Promise.all([0, 1].map((i) => pool.run(`('after', ${i})`, keptInThread, [urls, 0])));
      assert.ok(after.every((r) => r.ok && (r.result as { scratchHeld: number }).scratchHeld === 0), JSON.stringify(after));
    } finally {
      await pool.close();
    }
  });

  it("include generated blocks' buffers up to the scratch share, which are dropped when the worker asks", async () => {
    const pool = new ThreadPool(1, [], undefined, undefined, 256 * MiB);
    const generatedThenSummed = (elements: number): FusedStep[] => [
      { fn: { builtin: "ndarray.random" }, args: [[elements], { seed: [1], dtype: "float64" }] },
      { fn: { builtin: "ndarray.sum" }, args: [stepRef(0)] },
    ];
    const held = async (id: string) => {
      const result = await pool.run(id, recycledInThread, [urls]);
      assert.ok(result.ok, JSON.stringify(result));
      return result.result;
    };
    try {
      await pool.ready();
      // One thread of a 256 MiB worker: a 16 MiB share; a 24 MiB block is over it, 8 MiB is kept.
      const big = await pool.run("('big', 0)", { builtin: fusedBuiltin }, [{ steps: generatedThenSummed(3 * MiB) }]);
      assert.ok(big.ok, JSON.stringify(big));
      assert.equal(await held("('held', 0)"), 0);
      const small = await pool.run("('small', 0)", { builtin: fusedBuiltin }, [{ steps: generatedThenSummed(MiB) }]);
      assert.ok(small.ok, JSON.stringify(small));
      assert.equal(await held("('held', 1)"), 8 * MiB);
      void pool.releaseRetained();
      assert.equal(await held("('held', 2)"), 0);
    } finally {
      await pool.close();
    }
  });

  it("free (not only drop) the generated blocks' buffers the thread kept once it went idle", { timeout: 30_000 }, async () => {
    const pool = new ThreadPool(1, [], undefined, undefined, 256 * MiB);
    try {
      await pool.ready();
      const kept = await pool.run("('keep', 0)", watchedKeptBuffer, [urls, true]);
      assert.ok(kept.ok, JSON.stringify(kept));
      assert.deepEqual(kept.result, { held: 8 * MiB, freed: false });
      // The thread collects with the idle drop. Without that collection the buffer lives on
      // (a thread between tasks allocates too little for V8 to collect; its memory reducer
      // freed it ~14 s later here).
      const freed = await pool.run("('freed', 0)", watchedKeptBuffer, [urls, false]);
      assert.ok(freed.ok, JSON.stringify(freed));
      assert.deepEqual(freed.result, { held: 0, freed: true });
    } finally {
      await pool.close();
    }
  });

  it("include the Zarr write buffers, which are dropped when the worker asks", async () => {
    const pool = new ThreadPool(1, [], undefined, undefined, 256 * MiB);
    try {
      const kept = await pool.run("('write', 0)", keptWriteBuffers, [urls, true]);
      assert.ok(kept.ok && (kept.result as number) >= 256 * 1024, JSON.stringify(kept));
      void pool.releaseRetained();
      const after = await pool.run("('after', 0)", keptWriteBuffers, [urls, false]);
      assert.ok(after.ok && after.result === 0, JSON.stringify(after));
    } finally {
      await pool.close();
    }
  });

  it("keep their fixed caps on a worker without a limit", async () => {
    const pool = new ThreadPool(1);
    try {
      const result = await pool.run("('caps', 0)", keptInThread, [urls, 0]);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.result, { cacheCap: 64 * MiB, scratchCap: 64 * MiB, stagedCap: 64 * MiB, scratchHeld: 0 });
    } finally {
      await pool.close();
    }
  });
});
