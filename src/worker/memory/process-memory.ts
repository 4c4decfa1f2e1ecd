/**
 * Process memory as the operating system counts it, for the memory monitor (this process)
 * and the nanny (its worker child): resident set size now (VmRSS) and at its peak (VmHWM),
 * from /proc/<pid>/status.
 *
 * Also a way to collect garbage on demand. Dropping the last reference to a chunk buffer
 * does not give its memory back until V8 collects it, and an idle worker allocates nothing
 * that would prompt a collection, so after spilling (or while paused) the monitor collects
 * explicitly. V8's `gc` is exposed at run time (the same as starting with --expose-gc).
 */
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface ProcessMemory {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size since the process started, bytes. */
  peakRss: number;
}

/** VmRSS and VmHWM of a process (kB in the file), or undefined when it is gone. */
export function readProcessMemory(pid: number | "self" = "self"): ProcessMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  return parseProcStatus(text);
}

function parseProcStatus(text: string): ProcessMemory | undefined {
  const kilobytes = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s*kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const rss = kilobytes("VmRSS");
  if (rss === undefined) return undefined; // a zombie has no memory lines
  return { rss, peakRss: kilobytes("VmHWM") ?? rss };
}

/** V8's `gc`: a full collection, or with `{ type: "minor" }` the young generation only. */
let collector: ((options?: { type: "minor" | "major" }) => void) | null | undefined;

/**
 * Exposes V8's `gc` to this thread and to every thread started afterwards (the flag is
 * process-wide): call it before the compute threads start, so that they can collect too.
 */
export function enableGarbageCollection(): boolean {
  if (collector === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      collector = runInNewContext("gc") as NonNullable<typeof collector>;
    } catch {
      collector = null;
    }
  }
  return collector !== null;
}

/**
 * Collects this thread's young generation only (a scavenge, about a millisecond): the
 * buffers of blocks whose last reference was dropped a moment ago are freed now, without a
 * full collection's cost; false when V8 refuses.
 */
export function collectYoungGarbage(): boolean {
  if (!enableGarbageCollection() || !collector) return false;
  collector({ type: "minor" });
  return true;
}

/** Runs a full garbage collection of this thread's heap; false when V8 refuses. */
export function collectGarbage(): boolean {
  if (!enableGarbageCollection() || !collector) return false;
  collector();
  return true;
}

/** A thread pool as far as collecting its garbage goes (the worker's ThreadPool). */
export interface ThreadsToCollect {
  readonly nthreads: number;
  run(key: string, fn: { source: string; name: string }, args: unknown[]): Promise<unknown>;
  /** Each thread drops what it keeps for later tasks (cached chunks, scratch) and collects, between tasks. */
  releaseRetained?(): void | Promise<void>;
}

/** Runs in a compute thread: `gc` is there when enableGarbageCollection() ran before it started. */
const collectInThread = { source: "() => { if (typeof gc === \"function\") gc(); return null; }", name: "collectGarbage" };

/**
 * Collects garbage in this thread now and in each compute thread as soon as it is free.
 * Chunk buffers are shared between threads (SharedArrayBuffer), and one is freed only when
 * every thread that touched it has dropped it: a compute thread that allocates little runs
 * its collector rarely and would otherwise keep the memory of results long spilled or freed.
 */
export function collectGarbageEverywhere(threads: ThreadsToCollect | undefined): Promise<void> {
  collectGarbage();
  // Threads that can be asked directly drop their kept buffers and collect at their next free
  // moment (between tasks, or while a task waits on I/O), not behind the tasks queued on them.
  // The promise settles once they all have (the admission of a task waits for it).
  if (threads?.releaseRetained) return Promise.resolve(threads.releaseRetained());
  // One request per thread at a time: under pressure they would otherwise pile up behind long tasks.
  if (!threads || threadCollections.has(threads)) return Promise.resolve();
  const requests = Array.from({ length: threads.nthreads }, () => threads.run("collect-garbage", collectInThread, []).catch(() => {}));
  threadCollections.add(threads);
  return Promise.all(requests).then(() => undefined).finally(() => threadCollections.delete(threads));
}

const threadCollections = new WeakSet<ThreadsToCollect>();
