/**
 * Decoded chunks kept for a while by the thread that decoded them, for region reads
 * (read-region.ts): when each task reads one large region (a grouped mapOverlap's halo), the
 * regions of neighbouring tasks share storage chunks, and the tasks a thread runs one after
 * another decode each chunk once instead of once per region.
 *
 * A cached chunk is used only while its file is the one it was decoded from: every use
 * starts with one stat of the chunk file, and a different inode, size or modification time
 * (chunks are written by rename, so a rewrite is a new inode) decodes it again. Entries are
 * dropped least recently used first beyond `chunkCacheBytes`, and all of them once the
 * thread has been idle for `idleDropMs` after its last region read, so an idle worker holds
 * none. Idle means idle: a thread that computes for longer than that after a read (a grouped
 * DoG task filters for seconds on a loaded machine) was busy, not idle, and its next task's
 * read needs the chunks; dropping them there decoded every storage chunk once per task
 * instead of once per worker (+20% CPU on the DoG at 128×512×512).
 *
 * Caching is opt-in per read: the caller states how many decoded bytes the thread may keep
 * (the grouped overlap sizes it from the workers' memory limits, array/overlap-groups.ts);
 * a read with no budget decodes without keeping anything.
 */
import { promises as fs } from "node:fs";
import type { DecodedChunk } from "./chunk-pipeline.js";
import type { OpenedArray } from "./open-array.js";

/** Decoded bytes one thread keeps at most, whatever a read asks for (unless the worker sets a lower cap). */
export const chunkCacheBytes = 64 * 2 ** 20;
/**
 * This thread's cap: chunkCacheBytes, or less when the worker's memory limit per thread is
 * small (worker/executor/thread-memory.ts sets it when the thread starts).
 */
let cacheCap = chunkCacheBytes;
/** How long a thread idle after its last read keeps its chunks (tests shorten it). */
let idleDropMs = 2000;
/**
 * A timer that fires later than this past its time ran after work that blocked the thread
 * (a filter runs synchronously), so the thread was not idle for the whole interval.
 */
const lateToleranceMs = 100;

interface Entry {
  stamp: string;
  chunk: Promise<DecodedChunk | undefined>;
  bytes: number;
}

/** Insertion order is recency order: a hit moves its entry to the end. */
const entries = new Map<string, Entry>();
let heldBytes = 0;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
/** Reads waiting on a file's stat or a decode: while any is, the thread is not idle. */
let readsInFlight = 0;
/** Chunks this thread has decoded for region reads, cached or not (for tests and reports). */
let decodes = 0;

function drop(key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  heldBytes -= entry.bytes;
}

function keepWithin(limit: number): void {
  for (const key of entries.keys()) {
    if (heldBytes <= limit) return;
    drop(key);
  }
}

function touchIdleTimer(): void {
  if (idleTimer) clearTimeout(idleTimer);
  const armedAt = performance.now();
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    // Late: the thread was busy until just now (it ran a task), so it starts being idle now.
    // A read still waiting on its file or its decode is not idle either.
    if (readsInFlight > 0 || performance.now() - armedAt > idleDropMs + lateToleranceMs) touchIdleTimer();
    else dropChunkCache();
  }, idleDropMs);
  idleTimer.unref?.();
}

async function stampOf(file: string): Promise<string | undefined> {
  try {
    const stats = await fs.stat(file);
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}

/**
 * The stored chunk at `coords`, decoded in full, from this thread's cache when its file has
 * not changed; undefined when the chunk has no file. The result is shared: never modify it.
 * The cache keeps at most `budgetBytes` (capped by this thread's cap, setChunkCacheCap); 0 keeps nothing.
 */
export async function cachedStoredChunk(
  array: OpenedArray, coords: readonly number[], decode: (array: OpenedArray, coords: readonly number[]) => Promise<DecodedChunk | undefined>,
  budgetBytes: number,
): Promise<DecodedChunk | undefined> {
  const limit = Math.min(cacheCap, budgetBytes);
  if (!(limit > 0)) {
    decodes++;
    return decode(array, coords);
  }
  readsInFlight++;
  touchIdleTimer();
  try {
    return await readThroughCache(array, coords, decode, limit);
  } finally {
    readsInFlight--;
    touchIdleTimer();
  }
}

/**
 * The stored chunk for a read of exactly that whole chunk (a region that is one storage
 * chunk, as a grouped DoG task's halo at 64×256×256): this thread's cached copy when it holds
 * a fresh one (`shared`: the caller must copy it), else a decode that is not kept, which the
 * caller may return as its result without a copy (the copy of a whole chunk and the buffer
 * for it are the saving). Such a read is the only one of its chunk a task makes.
 */
export async function chunkForWholeRead(
  array: OpenedArray, coords: readonly number[], decode: (array: OpenedArray, coords: readonly number[]) => Promise<DecodedChunk | undefined>,
  budgetBytes: number,
): Promise<{ chunk: DecodedChunk | undefined; shared: boolean }> {
  const limit = Math.min(cacheCap, budgetBytes);
  if (limit > 0 && entries.size > 0) {
    readsInFlight++;
    touchIdleTimer();
    try {
      const chunkKey = array.chunkKey(coords);
      const stamp = await stampOf(array.store.pathOf(chunkKey));
      if (stamp === undefined) return { chunk: undefined, shared: false };
      const key = `${array.ref.path}\u0000${array.ref.component}\u0000${chunkKey}`;
      const cached = entries.get(key);
      if (cached && cached.stamp === stamp) {
        entries.delete(key);
        entries.set(key, cached);
        return { chunk: await cached.chunk, shared: true };
      }
    } finally {
      readsInFlight--;
      touchIdleTimer();
    }
  }
  decodes++;
  return { chunk: await decode(array, coords), shared: false };
}

async function readThroughCache(
  array: OpenedArray, coords: readonly number[], decode: (array: OpenedArray, coords: readonly number[]) => Promise<DecodedChunk | undefined>,
  limit: number,
): Promise<DecodedChunk | undefined> {
  const chunkKey = array.chunkKey(coords);
  const file = array.store.pathOf(chunkKey);
  const stamp = await stampOf(file);
  if (stamp === undefined) return undefined;
  const key = `${array.ref.path}\u0000${array.ref.component}\u0000${chunkKey}`;
  const cached = entries.get(key);
  if (cached && cached.stamp === stamp) {
    entries.delete(key);
    entries.set(key, cached);
    return cached.chunk;
  }
  drop(key);
  decodes++;
  const entry: Entry = { stamp, chunk: decode(array, coords), bytes: 0 };
  entries.set(key, entry);
  try {
    const chunk = await entry.chunk;
    // Still the entry for this key (not dropped meanwhile): account for its size.
    if (entries.get(key) === entry && chunk) {
      entry.bytes = chunk.data.byteLength;
      heldBytes += entry.bytes;
      keepWithin(limit);
    }
    return chunk;
  } catch (error) {
    if (entries.get(key) === entry) drop(key);
    throw error;
  }
}

/** Bytes of decoded chunks this thread holds now (for tests and reports). */
export function chunkCacheHeldBytes(): number {
  return heldBytes;
}

/** Chunks this thread has decoded for region reads so far (cache misses and uncached reads), for tests and reports. */
export function chunkCacheDecodes(): number {
  return decodes;
}

/** Caps what this thread's cache keeps (bytes, at most chunkCacheBytes), dropping what is above it now. */
export function setChunkCacheCap(bytes: number): void {
  if (!(bytes >= 0)) throw new RangeError(`chunk cache cap ${JSON.stringify(bytes)} must be a number of bytes, 0 or more`);
  cacheCap = Math.min(chunkCacheBytes, Math.floor(bytes));
  keepWithin(cacheCap);
}

/** This thread's cap on decoded bytes kept (for tests and reports). */
export function chunkCacheCap(): number {
  return cacheCap;
}

/** Sets how long an idle thread keeps its chunks after its last read (tests shorten it); returns the previous value. */
export function setChunkCacheIdleMs(ms: number): number {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`chunk cache idle time ${JSON.stringify(ms)} must be a positive number of milliseconds`);
  const previous = idleDropMs;
  idleDropMs = ms;
  return previous;
}

/** Drops every decoded chunk this thread keeps (the worker asks when its memory is above target). */
export function dropChunkCache(): void {
  entries.clear();
  heldBytes = 0;
}
