/**
 * What a compute thread keeps between tasks, bounded by the worker's memory limit per thread.
 *
 * A thread keeps memory that no stored result accounts for: decoded source chunks for the next
 * region read (zarr/chunk-cache.ts), a reusable scratch buffer for fused reductions
 * (ndarray/scratch-buffer.ts), generated blocks' buffers for the next ones
 * (ndarray/block-recycling.ts, a second share the size of the scratch buffer's) and staged rows in the
 * kernels' WebAssembly memory, which never shrinks (ndimage/staged-lines.ts). Each has a fixed
 * cap of 64 MiB, sized for large workers; on a worker of 256 MiB that is a quarter of the limit
 * per buffer, per thread. Here each cap
 * becomes a fraction of the worker's limit per thread (never above the fixed cap), so that
 * what threads keep stays a bounded part of the process memory the memory monitor watches.
 *
 * Two more things keep a small worker within its limit:
 * - `releaseRetained`: when the memory monitor collects garbage (process memory above target),
 *   each thread drops its cached chunks and scratch buffer before collecting: memory over
 *   target is no time to keep data for a task that may come.
 * - `collectAfterTask`: chunk buffers are shared between the worker's threads and freed only
 *   when every thread that touched them has collected them. A compute thread allocates little
 *   on its own heap, so it collects rarely and keeps every input block of its recent tasks
 *   alive. After a task whose inputs and peak together reach `collectAboveBytes`, the thread
 *   collects at once.
 */
import { releaseScratch, scratchKeepBytes, setScratchKeepCap } from "../../ndarray/scratch-buffer.js";
import { releaseRecycled, setRecycleKeepCap } from "../../ndarray/block-recycling.js";
import { stagedLimit, stagedLimitBytes } from "../../ndimage/staged-lines.js";
import { chunkCacheBytes, dropChunkCache, setChunkCacheCap } from "../../zarr/chunk-cache.js";
import { releaseChunkBuffers } from "../../zarr/chunk-scratch.js";
import { releaseFrameScratch } from "../../zarr/blosc-frame.js";
import { collectGarbage, collectYoungGarbage } from "../memory/process-memory.js";

/** Of the worker's memory limit per thread, the part each kind of kept buffer may hold. */
export const threadMemoryShares = {
  /** Decoded chunks for the next region read. */
  chunkCache: 1 / 8,
  /** The fused reduction's scratch buffer. */
  scratch: 1 / 16,
  /** Staged rows in the kernels' WebAssembly memory. */
  stagedRows: 1 / 16,
  /** A task that moved this much (inputs + peak) is followed by a garbage collection. */
  collectAbove: 1 / 32,
} as const;

export interface ThreadMemoryCaps {
  chunkCacheBytes: number;
  scratchBytes: number;
  stagedRowsBytes: number;
  /** Collect garbage after a task whose inputs plus peak reach this; Infinity: never. */
  collectAboveBytes: number;
}

/**
 * The caps for a thread of a worker with `memoryLimit` bytes (0 or Infinity: no limit) and
 * `nthreads` threads; `defaults` are the fixed caps of the buffers (the most any thread keeps).
 */
export function threadMemoryCaps(memoryLimit: number, nthreads: number, defaults: Omit<ThreadMemoryCaps, "collectAboveBytes">): ThreadMemoryCaps {
  if (!(memoryLimit >= 0)) throw new RangeError(`worker memory limit ${JSON.stringify(memoryLimit)} must be a number of bytes, 0 or more`);
  if (!Number.isInteger(nthreads) || nthreads < 1) throw new RangeError(`threads per worker ${JSON.stringify(nthreads)} must be a whole number, 1 or more`);
  if (memoryLimit === 0 || !Number.isFinite(memoryLimit)) return { ...defaults, collectAboveBytes: Infinity };
  const perThread = memoryLimit / nthreads;
  const share = (fraction: number, cap: number) => Math.min(cap, Math.floor(perThread * fraction));
  return {
    chunkCacheBytes: share(threadMemoryShares.chunkCache, defaults.chunkCacheBytes),
    scratchBytes: share(threadMemoryShares.scratch, defaults.scratchBytes),
    stagedRowsBytes: share(threadMemoryShares.stagedRows, defaults.stagedRowsBytes),
    collectAboveBytes: Math.min(collectAboveMostBytes, Math.floor(perThread * threadMemoryShares.collectAbove)),
  };
}

/**
 * The most a task may move before a collection follows, whatever the limit: with a large limit
 * (a 12 GiB worker: 1/32 is ~400 MiB) no DoG task ever reached the share, V8 collected only when
 * its own heap asked, and a 128×512×512 DoG's dead halos and filter results stayed resident
 * (peak RSS per worker 290 → 360 MiB once the write path stopped allocating as much).
 */
export const collectAboveMostBytes = 64 * 2 ** 20;

/** The fixed caps of the kept buffers (a worker without a limit, or a large one, keeps these). */
export const keptBufferDefaults = { chunkCacheBytes, scratchBytes: scratchKeepBytes, stagedRowsBytes: stagedLimitBytes } as const;

/** This thread's caps (set once when it starts, from the worker's limit and threads). */
let caps: ThreadMemoryCaps = { ...keptBufferDefaults, collectAboveBytes: Infinity };

/** In a compute thread: bounds what it keeps by its share of the worker's memory limit. */
export function applyThreadMemoryCaps(memoryLimit: number, nthreads: number): ThreadMemoryCaps {
  caps = threadMemoryCaps(memoryLimit, nthreads, keptBufferDefaults);
  setChunkCacheCap(caps.chunkCacheBytes);
  setScratchKeepCap(caps.scratchBytes);
  // The recycled generated blocks get a share the size of the scratch buffer's, on top of it:
  // what a thread may keep is that much more than threadMemoryCaps's shares say (bounded by
  // recycleKeepBytes, and dropped with the rest above target).
  setRecycleKeepCap(caps.scratchBytes);
  stagedLimit.bytes = Math.min(stagedLimit.bytes, caps.stagedRowsBytes);
  return caps;
}

/** In a compute thread: drops the cached chunks and the scratch buffers, then collects garbage. */
export function releaseRetained(): void {
  dropChunkCache();
  releaseScratch();
  releaseRecycled();
  releaseChunkBuffers();
  releaseFrameScratch();
  collectGarbage();
}

/**
 * Blocks a fused task stops using that are worth a young-generation collection at once (one
 * costs about a millisecond): the memory is then free for the task's next steps.
 */
export const collectReleasedAboveBytes = 4 * 2 ** 20;

/** In a compute thread, when a fused task has dropped `bytes` of blocks: frees them now when that is much. */
export function collectReleasedBlocks(bytes: number): boolean {
  if (!(bytes >= collectReleasedAboveBytes)) return false;
  return collectYoungGarbage();
}

/** In a compute thread, after a task that moved `taskBytes` (inputs + peak): collects when that is large for this thread. */
export function collectAfterTask(taskBytes: number): boolean {
  if (!(taskBytes >= caps.collectAboveBytes)) return false;
  return collectGarbage();
}
