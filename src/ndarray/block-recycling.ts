/**
 * Buffers of generated blocks (random, full) and of the large outputs of tessera's own kernels
 * that write every element (a region read, a separable filter's result, an elementwise
 * operation's result: outputArray) that a fused task made and used up, kept for the next such
 * block of the same size on this thread.
 *
 * Why: a fresh block is fresh memory, and the first write to each of its pages faults. On the
 * x + x.T sum a compute thread made a new 2 MB random block per block read: generating one
 * into a reused buffer measured 0.28 ms, into a new one 6.65 ms (a loaded VM, where page
 * faults are dear). V8 frees a dropped SharedArrayBuffer only at a later collection and the
 * allocator returns such large blocks to the system, so every block paid the faults again.
 *
 * Which buffers come back (task-runner.ts, as a fused task releases a step result): a step
 * result that a generator here made during this task (stamped by the allocation ledger since
 * the task's start, and marked by this module) that no step result still live reaches (a view
 * keeps its buffer). Such a buffer never left the thread: it was never posted to the worker,
 * stored, cached or sent. Only tasks whose steps are all tessera's own functions recycle: those
 * keep no reference to their inputs after they return (the runner frees step results on that
 * promise already); a user's function may.
 *
 * What is kept is bounded by a cap per thread (the scratch buffer's share of the worker's
 * memory limit, thread-memory.ts), first in first out: a buffer to keep evicts the oldest kept
 * ones until it fits, so sizes a thread no longer makes age out instead of filling the pool for
 * good. All of it is dropped when the worker's memory is above target, when the local executor's
 * run ends, and after recycleIdleMs without a take or a keep: the pool serves the next task of a
 * run, and a thread that ran a big DoG must not hold its cap once the work is over.
 */
import { restampSharedBuffer } from "./allocation-ledger.js";
import { type DType, dtypeInfo } from "./dtype.js";
import { NDArray, type Shape, allocate, checkBlockSize, shapeSize, validateShape } from "./ndarray.js";

/** The most a thread keeps, whatever its share (a generated block larger than this is not kept). */
export const recycleKeepBytes = 64 * 2 ** 20;

const generated = Symbol("tessera.generatedBlock");
type MarkedBuffer = SharedArrayBuffer & { [generated]?: true };

/** Oldest first (FIFO eviction takes from the front). */
const kept: SharedArrayBuffer[] = [];
let keptBytes = 0;
let evictedBytes = 0;
let keepCap = recycleKeepBytes;

/** How long the pool outlives its last take or keep: longer than the gap between a run's tasks. */
export const recycleIdleMs = 2000;
/** Date.now() at the last take or keep. */
let lastUse = 0;
/**
 * The one idle timer of this thread, armed while the pool holds something. Owned by this module:
 * unref'd (it never keeps a process or a worker thread alive), cleared when the pool is dropped,
 * and re-armed lazily when it fires early (a take or keep moves lastUse, not the timer).
 */
let idleTimer: ReturnType<typeof setTimeout> | null = null;
/** Called after an idle drop (onIdlePoolDropped). */
let idleDropped: (() => void) | null = null;

/**
 * What a thread does once its idle pool is dropped: a compute thread collects garbage
 * (compute-thread.ts). Dropping the references frees nothing until V8 collects, and a thread
 * between tasks allocates too little for a collection to come by itself: the buffers stayed
 * resident (6 × 8 MiB kept: RSS 101 MiB before a collection, 53 MiB after).
 */
export function onIdlePoolDropped(callback: (() => void) | null): void {
  idleDropped = callback;
}

/**
 * A C-contiguous block of `shape` and `dtype` for a generator that writes every element:
 * a kept buffer of the same size when there is one (its contents are the old block's:
 * `zeroed` is false), else a new zeroed one. Either way it may come back here once a fused
 * task is done with it (recycleGenerated).
 */
export function generatedArray(shape: Shape, dtype: DType): { array: NDArray; zeroed: boolean } {
  return recycledArray(shape, dtype, "generated block");
}

function recycledArray(shape: Shape, dtype: DType, what: string): { array: NDArray; zeroed: boolean } {
  validateShape(shape);
  checkBlockSize(shape, dtype, what);
  const info = dtypeInfo(dtype);
  const size = shapeSize(shape);
  const bytes = size * info.itemsize;
  let zeroed = true;
  let data;
  const at = kept.findIndex((buffer) => buffer.byteLength === bytes);
  if (at >= 0) {
    const buffer = kept[at];
    kept.splice(at, 1);
    keptBytes -= bytes;
    touched();
    // The task meter counts it as made by the task that takes it, as a new buffer would be.
    restampSharedBuffer(buffer);
    data = new (info.array as Float64ArrayConstructor)(buffer, 0, size * info.lanes);
    zeroed = false;
  } else {
    data = allocate(dtype, size);
  }
  Object.defineProperty(data.buffer, generated, { value: true, configurable: true });
  return { array: new NDArray(data, shape, { dtype }), zeroed };
}

/**
 * Outputs smaller than this are allocated as before: the allocator serves them from memory it
 * already holds (below glibc's mmap threshold), so they fault nothing in, and keeping them
 * would only fill the pool.
 */
export const recycleMinBytes = 2 ** 20;

/**
 * A new C-contiguous block for a kernel that writes every element of it: a kept buffer of the
 * same size when there is one (see generatedArray), for blocks of recycleMinBytes or more.
 *
 * Why: a grouped DoG task at 128×512×512 allocates an 18 MiB halo, two 8 MiB filter results
 * and an 8 MiB difference; on this VM each fresh MiB costs ~3 ms of page faults, so every task
 * paid ~130 ms before it filtered anything. Its next task on the thread takes the same sizes.
 */
export function outputArray(shape: Shape, dtype: DType, what = "output block"): NDArray {
  validateShape(shape);
  if (shapeSize(shape) * dtypeInfo(dtype).itemsize < recycleMinBytes) {
    checkBlockSize(shape, dtype, what);
    return new NDArray(allocate(dtype, shapeSize(shape)), shape, { dtype });
  }
  return recycledArray(shape, dtype, what).array;
}

/** Whether `value` is a block a generator here made (a candidate for recycleGenerated). */
export function isGeneratedBlock(value: unknown): value is NDArray {
  return value instanceof NDArray && (value.storage.buffer as MarkedBuffer)[generated] === true;
}

/**
 * Keeps the buffers of `blocks` (generated blocks a fused task dropped, made since its start:
 * see the module comment) that `live` (the task's step results still held) does not reach,
 * within this thread's cap, evicting the oldest kept buffers to make room. Returns the blocks
 * not kept that `live` does not reach either: garbage now (one larger than the cap is never
 * kept, and then evicts nothing). One a live result reaches (a view of it, or an elementwise
 * result written over it, operand-reuse.ts) is still in use: neither kept nor returned.
 */
export function recycleGenerated(blocks: readonly NDArray[], live: unknown): NDArray[] {
  const reached = buffersReached(live);
  const notKept: NDArray[] = [];
  for (const block of blocks) {
    const buffer = block.storage.buffer as MarkedBuffer;
    if (kept.includes(buffer)) continue;
    const keep = !reached.has(buffer) && buffer instanceof SharedArrayBuffer && buffer[generated] === true && buffer.byteLength > 0 && buffer.byteLength <= keepCap;
    if (!keep) {
      if (!reached.has(buffer)) notKept.push(block);
      continue;
    }
    dropOldestUntil(keepCap - buffer.byteLength);
    kept.push(buffer);
    keptBytes += buffer.byteLength;
    touched();
  }
  return notKept;
}

/** Evicts the oldest kept buffers until at most `bytes` are kept. */
function dropOldestUntil(bytes: number): void {
  while (keptBytes > bytes) {
    const evicted = (kept.shift() as SharedArrayBuffer).byteLength;
    keptBytes -= evicted;
    evictedBytes += evicted;
  }
}

/**
 * Bytes evicted since the last call: garbage now, which the fused task's runner reports as
 * released with the blocks it drops (the thread's early collection counts them).
 */
export function takeEvictedBytes(): number {
  const bytes = evictedBytes;
  evictedBytes = 0;
  return bytes;
}

/** Notes a take or keep, and arms the idle timer if the pool holds something and none is armed. */
function touched(): void {
  lastUse = Date.now();
  if (idleTimer === null && kept.length > 0) armIdleTimer(recycleIdleMs);
}

function armIdleTimer(delayMs: number): void {
  idleTimer = setTimeout(onIdleTimer, delayMs);
  idleTimer.unref();
}

/** Drops the pool if it went unused for recycleIdleMs; else waits out the rest of that time. */
function onIdleTimer(): void {
  idleTimer = null;
  if (kept.length === 0) return;
  const idle = Date.now() - lastUse;
  if (idle >= recycleIdleMs || idle < 0) dropIdlePool();
  else armIdleTimer(recycleIdleMs - idle);
}

/** What the idle timer does once the pool went unused for recycleIdleMs (exported for tests). */
export function dropIdlePool(): void {
  releaseRecycled();
  idleDropped?.();
}

/** The buffers `value` holds (blocks, typed arrays, inside arrays, maps and plain objects). */
export function buffersReached(value: unknown): Set<ArrayBufferLike> {
  const reached = new Set<ArrayBufferLike>();
  buffersIn(value, reached, new Set());
  return reached;
}

/** The buffers a task's result holds (blocks, typed arrays, inside arrays and plain objects). */
function buffersIn(value: unknown, into: Set<ArrayBufferLike>, seen: Set<object>): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if (value instanceof NDArray) into.add(value.storage.buffer);
  else if (ArrayBuffer.isView(value)) into.add(value.buffer);
  else if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) into.add(value);
  else if (Array.isArray(value)) for (const item of value) buffersIn(item, into, seen);
  else if (value instanceof Map) for (const item of value.values()) buffersIn(item, into, seen);
  else for (const key of Object.keys(value)) buffersIn((value as Record<string, unknown>)[key], into, seen);
}

/** Caps what this thread keeps (bytes, at most recycleKeepBytes); drops what is over it now. */
export function setRecycleKeepCap(bytes: number): void {
  if (!(bytes >= 0)) throw new RangeError(`recycled block cap ${JSON.stringify(bytes)} must be a number of bytes, 0 or more`);
  keepCap = Math.min(recycleKeepBytes, Math.floor(bytes));
  dropOldestUntil(keepCap);
}

/** Lets every kept buffer go (the worker's memory is above target, a local run ended, idle). */
export function releaseRecycled(): void {
  kept.length = 0;
  keptBytes = 0;
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
}

/** Bytes of the buffers this thread keeps now (for tests and reports). */
export function recycledHeldBytes(): number {
  return keptBytes;
}
