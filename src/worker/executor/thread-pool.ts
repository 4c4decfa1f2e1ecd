/**
 * The worker's compute threads (worker_threads): one task at a time per thread, so user
 * code never blocks the main thread that talks to the scheduler and serves peers (a task
 * that spins for minutes does not stop heartbeats). A thread that dies is replaced and the
 * task it was running fails with an error saying so.
 *
 * With profiling on, each thread samples its own stacks while tasks run; the pool gathers
 * the samples per task prefix until the worker takes them (with its heartbeat).
 */
import { Worker } from "node:worker_threads";
import { ClosedError } from "../../core/errors.js";
import type { FunctionRef } from "../../protocol/function-ref.js";
import type { WireError } from "../../protocol/payload.js";
import { fromThreadValue, toThreadValue } from "./thread-codec.js";
import { unixSeconds } from "../../core/clock.js";
import { mergeProfile, type ProfileEntry } from "../../protocol/profile-tree.js";
import type { ThreadProfilerOptions } from "./thread-profiler.js";

export type ThreadResult =
  | { ok: true; result: unknown; start: number; stop: number; thread: number }
  | { ok: false; error: WireError; start: number; stop: number; thread: number };

interface Slot {
  worker: Worker;
  index: number;
  busy: { id: number; key: string; resolve: (result: ThreadResult) => void } | null;
}

const threadEntry = new URL("./compute-thread.js", import.meta.url);

export class ThreadPool {
  private slots: Slot[] = [];
  private nextId = 0;
  private waiting: Array<() => void> = [];
  private closed = false;
  /** Samples per task prefix not yet taken, oldest bucket time kept. */
  private profiles = new Map<string, ProfileEntry>();

  /** `profile`: sample the threads' stacks (interval 0 or omitted: no sampling). */
  constructor(readonly nthreads: number, private readonly execArgv: string[] = [], private readonly profile?: ThreadProfilerOptions) {
    for (let i = 0; i < nthreads; i++) this.slots.push(this.spawn(i));
  }

  get profileIntervalMs(): number {
    return this.profile?.intervalMs ?? 0;
  }

  /** The samples gathered since the last call, one entry per task prefix. */
  takeProfile(): ProfileEntry[] {
    const entries = [...this.profiles.values()];
    this.profiles.clear();
    return entries;
  }

  private keepProfile(entries: ProfileEntry[]): void {
    for (const entry of entries) {
      const kept = this.profiles.get(entry.prefix);
      if (kept) mergeProfile(kept.tree, entry.tree);
      else this.profiles.set(entry.prefix, entry);
    }
  }

  private spawn(index: number): Slot {
    const worker = new Worker(threadEntry, { execArgv: this.execArgv, workerData: { profile: this.profile } });
    const slot: Slot = { worker, index, busy: null };
    worker.on("message", (message: { kind?: "profile"; entries?: ProfileEntry[]; id: number; ok: boolean; result?: unknown; error?: WireError; start: number; stop: number }) => {
      if (message.kind === "profile") {
        this.keepProfile(message.entries ?? []);
        return;
      }
      const busy = slot.busy;
      if (!busy || busy.id !== message.id) return;
      slot.busy = null;
      busy.resolve(message.ok
        ? { ok: true, result: fromThreadValue(message.result), start: message.start, stop: message.stop, thread: index }
        : { ok: false, error: message.error as WireError, start: message.start, stop: message.stop, thread: index });
      this.waiting.shift()?.();
    });
    const died = (reason: string) => {
      const busy = slot.busy;
      slot.busy = null;
      const now = unixSeconds();
      busy?.resolve({ ok: false, error: { name: "ThreadDied", message: `compute thread ${index} stopped while running ${busy.key}: ${reason}`, stack: "", taskKey: busy.key }, start: now, stop: now, thread: index });
      if (!this.closed) {
        this.slots[index] = this.spawn(index);
        this.waiting.shift()?.();
      }
    };
    worker.on("error", (error) => died(error.message));
    worker.on("exit", (code) => {
      if (this.slots[index] === slot && !this.closed) died(`exit code ${code}`);
    });
    return slot;
  }

  async run(key: string, fn: FunctionRef, args: unknown[]): Promise<ThreadResult> {
    if (this.closed) throw new ClosedError("the worker's thread pool is closed");
    let slot = this.slots.find((s) => s.busy === null);
    while (!slot) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.closed) throw new ClosedError("the worker's thread pool is closed");
      slot = this.slots.find((s) => s.busy === null);
    }
    const id = ++this.nextId;
    const chosen = slot;
    return new Promise<ThreadResult>((resolve) => {
      chosen.busy = { id, key, resolve };
      chosen.worker.postMessage({ id, key, fn, args: toThreadValue(args) });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const resolve of this.waiting.splice(0)) resolve();
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
