/**
 * What this thread has allocated for shared blocks (allocate() in ndarray.ts), for the task
 * meter (graph/task-meter.ts): a running total of bytes, and for each buffer the total at
 * which it was allocated, so that the meter can tell a block its task made from one it was
 * given or found in a cache.
 *
 * Why not process.memoryUsage(): its `arrayBuffers` is the only count of shared buffers Node
 * gives, and every call also reads the process's resident size from /proc. Called twice per
 * task it was ~12% of a compute thread's samples on the x + x.T sum (2 workers, ~80 µs a call
 * while the worker's other threads fault pages in). Shared buffers are invisible to V8's heap
 * statistics (plain ArrayBuffers and WebAssembly memory are there, as external memory).
 *
 * Buffers are keys of a WeakMap: the ledger never keeps a block alive.
 */

let allocatedBytes = 0;
const allocatedAt = new WeakMap<SharedArrayBuffer, number>();

/** Records a shared block buffer this thread has just allocated. */
export function recordSharedAllocation(buffer: SharedArrayBuffer): void {
  allocatedAt.set(buffer, allocatedBytes);
  allocatedBytes += buffer.byteLength;
}

/** Bytes of shared block buffers this thread has allocated since it started (never decreases). */
export function sharedBytesAllocated(): number {
  return allocatedBytes;
}

/**
 * Whether `buffer` is a shared block buffer this thread allocated when its running total was
 * `mark` or later (`mark`: an earlier sharedBytesAllocated()).
 */
export function allocatedSince(buffer: ArrayBufferLike, mark: number): boolean {
  const at = allocatedAt.get(buffer as SharedArrayBuffer);
  return at !== undefined && at >= mark;
}
