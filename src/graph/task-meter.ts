/**
 * A task's peak memory, measured while it runs on a worker's compute thread and shown next to
 * the plan's estimate in performance reports (issue 10 item 3).
 *
 * The peak of a task is its input blocks plus, at the worst step, what that step allocated,
 * what earlier steps' results it still holds, and the growth of the thread's V8 heap:
 * - shared buffers (every SharedArrayBuffer the code makes: allocate()'s blocks, decoded Blosc
 *   chunks, received frames): counted from this thread's allocation ledger
 *   (ndarray/allocation-ledger.ts), exactly, at allocation. A block a step allocates and drops
 *   before it returns counts for that step, so for blocks the figure is at most the bytes the
 *   step allocated, never less than what it held at once;
 * - blocks earlier steps made that later steps still read: the distinct buffers of the live
 *   results that this task allocated (a view of a block counts once, a block given to the task
 *   or kept in a cache not at all);
 * - shared buffers in the task's result that no ledger stamped and that are not among its
 *   inputs (a user's function may make one with a bare constructor; lint stops only ours):
 *   counted at the end, as held then;
 * - the V8 heap and what V8 counts as external (plain ArrayBuffers, WebAssembly memory),
 *   from v8.getHeapStatistics() after each step: growth a collection has taken back is not
 *   seen, so for these the figure is a lower bound.
 * A storage chunk the task decodes counts for it (it is allocated while the task runs), even when
 * a region read then keeps it in the thread's chunk cache; one the task finds already in the
 * cache does not (it is the cache's, bounded by thread-memory.ts).
 *
 * Cost: a few microseconds a step. The earlier meter called process.memoryUsage(), which reads
 * /proc for the resident size on every call (see allocation-ledger.ts).
 */
import { getHeapStatistics } from "node:v8";
import { NDArray } from "../ndarray/ndarray.js";
import { allocatedSince, sharedBytesAllocated } from "../ndarray/allocation-ledger.js";

function heapBytes(): number {
  const statistics = getHeapStatistics();
  return statistics.used_heap_size + statistics.external_memory;
}

/** Bytes of the distinct shared buffers inside `value` that this thread allocated since `mark`. */
export function blockBytesMadeSince(value: unknown, mark: number): number {
  const buffers = new Set<ArrayBufferLike>();
  collectBuffers(value, buffers);
  let bytes = 0;
  for (const buffer of buffers) if (allocatedSince(buffer, mark)) bytes += buffer.byteLength;
  return bytes;
}

/** Bytes of the distinct buffers inside `value`, whole: a small view keeps its whole buffer alive. */
export function distinctBufferBytes(value: unknown): number {
  const buffers = new Set<ArrayBufferLike>();
  collectBuffers(value, buffers);
  let bytes = 0;
  for (const buffer of buffers) bytes += buffer.byteLength;
  return bytes;
}

/** Adds the buffers inside `value` to `into`; `seen` stops a value that contains itself (a task's result may, and then fails to travel). */
function collectBuffers(value: unknown, into: Set<ArrayBufferLike>, seen = new Set<object>()): void {
  if (value instanceof NDArray) into.add(value.storage.buffer);
  else if (ArrayBuffer.isView(value)) into.add(value.buffer);
  else if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) into.add(value);
  else if (Array.isArray(value)) {
    if (seen.has(value)) return;
    seen.add(value);
    for (const item of value) collectBuffers(item, into, seen);
  } else if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    if (seen.has(value)) return;
    seen.add(value);
    for (const key in value) collectBuffers((value as Record<string, unknown>)[key], into, seen);
  }
}

/** Measures a task's peak memory while it runs (see the module comment). */
export class TaskMeter {
  private readonly heapBase = heapBytes();
  /** The ledger's total when the task started: blocks allocated from here on are the task's. */
  private readonly taskMark = sharedBytesAllocated();
  /** The ledger's total when the running step started. */
  private stepMark = this.taskMark;
  /** Bytes of this task's blocks that the results later steps read still hold. */
  private heldBytes = 0;
  private growth = 0;
  private heapGrowth = 0;
  /** Shared buffers of the result that no ledger recorded (resultDone). */
  private unrecordedBytes = 0;

  constructor(private readonly inputBytes: number) {}

  /** After a step (or a plain task's one call): what it allocated, what is held, heap growth. */
  sample(): void {
    const allocated = sharedBytesAllocated() - this.stepMark;
    const heapGrowth = Math.max(0, heapBytes() - this.heapBase);
    this.heapGrowth = Math.max(this.heapGrowth, heapGrowth);
    this.growth = Math.max(this.growth, this.heldBytes + allocated + heapGrowth);
  }

  /**
   * Between steps of a fused task: `live` is what later steps still read (the runner hands only
   * the results still held, never every step's slot: that walk grew with the steps run); the
   * next step's allocations count from now.
   */
  stepDone(live: unknown): void {
    this.heldBytes = blockBytesMadeSince(live, this.taskMark);
    this.stepMark = sharedBytesAllocated();
  }

  /**
   * After the task: counts the shared buffers in `result` that no thread's ledger stamped and
   * that are not in `inputs` (made by code that bypassed newSharedBuffer), as held at the end.
   */
  resultDone(result: unknown, inputs: unknown): void {
    const made = new Set<ArrayBufferLike>();
    collectBuffers(result, made);
    const unstamped = [...made].filter((buffer) => buffer instanceof SharedArrayBuffer && !allocatedSince(buffer, 0));
    if (unstamped.length === 0) return;
    // The inputs are walked only then: a fused task's arguments hold every step's (10,000 of
    // them for a long chain), and almost every result is made of stamped buffers.
    const given = new Set<ArrayBufferLike>();
    collectBuffers(inputs, given);
    let unrecorded = 0;
    for (const buffer of unstamped) if (!given.has(buffer)) unrecorded += buffer.byteLength;
    if (unrecorded > 0) {
      this.growth = Math.max(this.growth, this.heldBytes + unrecorded);
      this.unrecordedBytes = unrecorded;
    }
  }

  get peakBytes(): number {
    return this.inputBytes + this.growth;
  }

  /**
   * Everything the task allocated, held at once or not: its shared buffers (exact) and its heap
   * growth (as seen). What it can leave behind for the thread's next collection, which its peak
   * undercounts for a fused task whose steps drop blocks (the worker's RSS checks count this).
   */
  get allocatedBytes(): number {
    return sharedBytesAllocated() - this.taskMark + this.heapGrowth + this.unrecordedBytes;
  }
}
