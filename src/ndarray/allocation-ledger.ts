/**
 * What this thread has allocated as shared buffers (every SharedArrayBuffer the code makes comes
 * from newSharedBuffer() here: allocate() in ndarray.ts, decoded Blosc chunks, received and
 * unspilled frames; lint refuses `new SharedArrayBuffer` elsewhere), for the task
 * meter (graph/task-meter.ts): a running total of bytes, and for each buffer the total at
 * which it was allocated, so that the meter can tell a block its task made from one it was
 * given or found in a cache.
 *
 * Why not process.memoryUsage(): its `arrayBuffers` is the only count of shared buffers Node
 * gives, and every call also reads the process's resident size from /proc. Called twice per
 * task it was ~12% of a compute thread's (wall-clock) profile samples on the x + x.T sum on a
 * loaded machine, ~2% of its CPU time: the /proc read is a system call at which a busy machine
 * takes the core away. Shared buffers are invisible to V8's heap statistics (plain
 * ArrayBuffers and WebAssembly memory are there, as external memory).
 *
 * Each buffer carries the total at its allocation under a symbol of this module (an own
 * property of this thread's SharedArrayBuffer object: postMessage does not copy it, so a
 * buffer another thread made, or this one received, carries none). A WeakMap of buffers showed
 * in the persisted mean's profile (its table grows with every block and each collection walks
 * it); the property does not, and keeps no block alive either.
 */

let allocatedBytes = 0;
const allocatedAt = Symbol("tessera.allocatedAt");

type StampedBuffer = SharedArrayBuffer & { [allocatedAt]?: number };

/**
 * A new zeroed SharedArrayBuffer of `bytes`, recorded in this thread's ledger: the only way the
 * code makes one, so that the task meter sees every shared buffer a task creates (a decoded
 * Blosc chunk made with a bare constructor was invisible to it).
 */
export function newSharedBuffer(bytes: number): SharedArrayBuffer {
  // eslint-disable-next-line no-restricted-syntax -- the one place that makes shared buffers
  const buffer = new SharedArrayBuffer(bytes);
  // Not enumerable: two equal blocks stay deepStrictEqual, and inspect() (error messages) does not show the stamp.
  // Writable: a recycled buffer is stamped again (restampSharedBuffer).
  Object.defineProperty(buffer, allocatedAt, { value: allocatedBytes, writable: true });
  allocatedBytes += buffer.byteLength;
  return buffer;
}

/**
 * Records `buffer` (one this thread made) as allocated now: a kept buffer reused for a new
 * block (block-recycling.ts) counts for the task that takes it as a new one would.
 */
export function restampSharedBuffer(buffer: SharedArrayBuffer): void {
  (buffer as StampedBuffer)[allocatedAt] = allocatedBytes;
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
  const at = (buffer as StampedBuffer)[allocatedAt];
  return at !== undefined && at >= mark;
}
