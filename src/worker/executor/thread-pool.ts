/**
 * The worker's compute threads (worker_threads): each runs its calls one at a time, so user
 * code never blocks the main thread that talks to the scheduler and serves peers (a task
 * that spins for minutes does not stop heartbeats). Several calls may be queued on a thread
 * (the worker does so for short tasks, so a thread never waits for the main thread between
 * them); the first in a thread's queue is the one running. A queued call is not bound to its
 * thread: a thread that frees while another still has calls waiting takes the next one that
 * has not started (call-claim.ts), so a call never waits behind one that may wait on it. A
 * thread that dies is replaced: the task it was running fails with an error saying so, the
 * queued ones run on its successor.
 *
 * With profiling on, each thread samples its own stacks while tasks run; the pool gathers
 * the samples per task prefix until the worker takes them (with its heartbeat).
 *
 * A call that secedes (task-context.ts) leaves its thread's queue, so the next call there
 * starts while it waits; its result still arrives, by id. The worker decides when it may
 * rejoin (`rejoined`).
 */
import { Worker } from "node:worker_threads";
import { ClosedError } from "../../core/errors.js";
import type { FunctionRef } from "../../protocol/function-ref.js";
import type { WireError } from "../../protocol/payload.js";
import { describeThrownValue } from "../../protocol/wire-error.js";
import { fromThreadValue, toThreadValue } from "./thread-codec.js";
import { hasStarted, newClaim, withdraw } from "./call-claim.js";
import { unixSeconds } from "../../core/clock.js";
import { mergeProfile, type ProfileEntry } from "../../protocol/profile-tree.js";
import type { ThreadProfilerOptions } from "./thread-profiler.js";
import type { WorkerConnectionInfo } from "../../graph/task-context.js";
import { threadYoungGenerationLimit } from "../memory/young-generation.js";

export type ThreadResult =
  | { ok: true; result: unknown; start: number; stop: number; thread: number; /** Measured peak memory, and all it allocated (task-meter.ts). */ peakBytes?: number; allocatedBytes?: number }
  /**
   * `withdrawn`: taken back before it started (`withdraw`), never to run; `error` says so, for
   * a caller that reads it as a failure. Its thread skips it (call-claim.ts).
   */
  | { ok: false; withdrawn?: true; error: WireError; start: number; stop: number; thread: number };

interface Call {
  id: number;
  key: string;
  /** Posted as is (never with a transfer list): the args stay here, to post again elsewhere. */
  message: { id: number; key: string; fn: FunctionRef; args: unknown; claim: Int32Array };
  resolve: (result: ThreadResult) => void;
  /** Seceded, then let back on its thread (`rejoined`): it runs there again, beside the queue. */
  rejoined?: boolean;
}

interface Slot {
  worker: Worker;
  index: number;
  /** Calls posted to the thread, in the order it runs them; the first one is running. */
  queue: Call[];
  /** Calls that seceded: still running on the thread, out of its queue. */
  seceded: Map<number, Call>;
  /** Resolves when the thread has loaded the array tasks' built-ins and run their warm-up, or has exited. */
  ready: Promise<void>;
  /** Waiting for the thread to say it released its kept buffers and collected, by request id. */
  released: Map<number, () => void>;
}

const threadEntry = new URL("./compute-thread.js", import.meta.url);

export class ThreadPool {
  private slots: Slot[] = [];
  private nextId = 0;
  private closed = false;
  /** Samples per task prefix not yet taken, oldest bucket time kept. */
  private profiles = new Map<string, ProfileEntry>();

  /** Uploaded modules every thread loads from their local copy (client.uploadFile). */
  private readonly moduleLocations = new Map<string, string>();

  /** Settles once every first thread has loaded the array tasks' built-ins and run their warm-up (or stopped trying). */
  private readonly started: Promise<void>;

  /**
   * `profile`: sample the threads' stacks (interval 0 or omitted: no sampling); `connection`:
   * how tasks reach the scheduler (getClient() in a task); `memoryLimit`: the worker's limit
   * in bytes (0: none), of which each thread keeps buffers within its share (thread-memory.ts).
   */
  constructor(
    readonly nthreads: number, private readonly execArgv: string[] = [], private readonly profile?: ThreadProfilerOptions,
    private readonly connection?: WorkerConnectionInfo, private readonly memoryLimit = 0,
  ) {
    for (let i = 0; i < nthreads; i++) this.slots.push(this.spawn(i));
    this.started = Promise.all(this.slots.map((slot) => slot.ready)).then(() => undefined);
  }

  /**
   * Resolves when every thread has loaded the array tasks' kernels and codecs and run their
   * chain once (thread-warm-up.ts), so that a worker which joins its scheduler after this runs
   * its first task at once instead of spending that task's first ~0.1–0.4 s importing modules.
   * Other built-ins' modules load when a task first calls them (graph/builtin-catalog.ts). A
   * thread that dies while loading counts as ready: its replacement loads them before its
   * first call, as before.
   */
  ready(): Promise<void> {
    return this.started;
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

  private spawn(index: number, queued: Call[] = []): Slot {
    const youngGeneration = threadYoungGenerationLimit(this.memoryLimit);
    const worker = new Worker(threadEntry, {
      execArgv: this.execArgv,
      ...(youngGeneration ? { resourceLimits: youngGeneration } : {}),
      workerData: {
        profile: this.profile, connection: this.connection, moduleLocations: [...this.moduleLocations],
        memory: { limit: this.memoryLimit, nthreads: this.nthreads },
      },
    });
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const slot: Slot = { worker, index, queue: [], seceded: new Map(), ready, released: new Map() };
    const settleReleases = () => {
      for (const resolve of slot.released.values()) resolve();
      slot.released.clear();
    };
    worker.once("exit", () => {
      markReady();
      settleReleases();
    });
    worker.on("message", (message: { kind?: "profile" | "secede" | "rejoin" | "ready" | "released"; entries?: ProfileEntry[]; id: number; ok: boolean; result?: unknown; error?: WireError; start: number; stop: number; peakBytes?: number; allocatedBytes?: number }) => {
      if (message.kind === "ready") {
        markReady();
        if (this.slots[index] === slot) this.takeWaitingCall(slot); // a successor of a dead thread
        return;
      }
      if (message.kind === "released") {
        slot.released.get(message.id)?.();
        slot.released.delete(message.id);
        return;
      }
      if (message.kind === "profile") {
        this.keepProfile(message.entries ?? []);
        return;
      }
      if (message.kind === "secede") {
        const at = slot.queue.findIndex((c) => c.id === message.id);
        if (at < 0) {
          // A call that rejoined and secedes again (a task may wait on other tasks more than
          // once): the worker frees its slot again, or a 1-thread worker waits on itself.
          const again = slot.seceded.get(message.id);
          if (!again?.rejoined) return;
          again.rejoined = false;
          this.onSecede?.(again.key);
          return;
        }
        const [seceding] = slot.queue.splice(at, 1);
        slot.seceded.set(seceding.id, seceding);
        this.onSecede?.(seceding.key);
        if (at === 0 && slot.queue.length > 0) this.onStart?.(slot.queue[0].key);
        this.takeWaitingCall(slot);
        return;
      }
      if (message.kind === "rejoin") {
        const call = slot.seceded.get(message.id);
        if (call) this.onRejoin?.(call.key);
        return;
      }
      const seceded = slot.seceded.get(message.id);
      if (seceded) {
        slot.seceded.delete(message.id);
        this.resolveCall(seceded, message, index);
        return;
      }
      const call = slot.queue[0];
      if (!call || call.id !== message.id) return;
      slot.queue.shift();
      this.resolveCall(call, message, index);
      if (slot.queue.length > 0) this.onStart?.(slot.queue[0].key);
      else this.takeWaitingCall(slot);
    });
    const died = (reason: string) => {
      // Besides the first, a call the thread started before its predecessor's secede arrived.
      const running = slot.queue.filter((call, at) => at === 0 || hasStarted(call.message.claim));
      const waiting = slot.queue.filter((call) => !running.includes(call));
      slot.queue = [];
      const now = unixSeconds();
      for (const call of [...running, ...slot.seceded.values()]) {
        call.resolve({ ok: false, error: { name: "ThreadDied", message: `compute thread ${index} stopped while running ${call.key}: ${reason}`, stack: "", taskKey: call.key }, start: now, stop: now, thread: index });
      }
      slot.seceded.clear();
      if (!this.closed) this.slots[index] = this.spawn(index, waiting);
    };
    // A thread dies of what its code throws outside a task's promise (anything may be thrown).
    worker.on("error", (error: unknown) => died(error instanceof Error ? `${error.name}: ${error.message}` : describeThrownValue(error)));
    worker.on("exit", (code) => {
      if (this.slots[index] === slot && !this.closed) died(`exit code ${code}`);
    });
    for (const call of queued) this.post(slot, call);
    return slot;
  }

  private post(slot: Slot, call: Call): void {
    slot.queue.push(call);
    slot.worker.postMessage(call.message);
    if (slot.queue.length === 1) this.onStart?.(call.key);
  }

  /**
   * `slot`'s thread has nothing queued: it takes the first call not yet started from the
   * thread with the most waiting (a call its own thread claimed first stays there). The first
   * in a queue is never taken: it is the one running, or about to run on a free thread.
   */
  private takeWaitingCall(slot: Slot): void {
    if (this.closed || slot.queue.length > 0) return;
    const donors = this.slots.filter((s) => s !== slot && s.queue.length > 1).sort((a, b) => b.queue.length - a.queue.length);
    for (const donor of donors) {
      for (let at = 1; at < donor.queue.length; at++) {
        const call = donor.queue[at];
        if (!withdraw(call.message.claim)) continue;
        donor.queue.splice(at, 1);
        call.message = { ...call.message, claim: newClaim() };
        this.post(slot, call);
        return;
      }
    }
  }

  private resolveCall(call: Call, message: { ok: boolean; result?: unknown; error?: WireError; start: number; stop: number; peakBytes?: number; allocatedBytes?: number }, index: number): void {
    call.resolve(message.ok
      ? { ok: true, result: fromThreadValue(message.result), start: message.start, stop: message.stop, thread: index, peakBytes: message.peakBytes, allocatedBytes: message.allocatedBytes }
      : { ok: false, error: message.error as WireError, start: message.start, stop: message.stop, thread: index });
  }

  /** Called with a task's key when a queued call starts running on its thread. */
  onStart: ((key: string) => void) | null = null;
  /** Called when a running task secedes, and when a seceded one asks to rejoin. */
  onSecede: ((key: string) => void) | null = null;
  onRejoin: ((key: string) => void) | null = null;

  /** Lets the seceded task `key` go on: it has a thread slot again. */
  rejoined(key: string): void {
    for (const slot of this.slots) {
      for (const call of slot.seceded.values()) {
        if (call.key !== key) continue;
        call.rejoined = true;
        slot.worker.postMessage({ kind: "rejoined", id: call.id });
      }
    }
  }

  /**
   * Takes back the call for `key` if it waits, not started, behind the running one on its
   * thread (the worker gives its task to another worker): true if it will never run, and its
   * `run` then resolves `withdrawn`; false if it started (or is first on its thread, or unknown).
   */
  withdraw(key: string): boolean {
    for (const slot of this.slots) {
      const at = slot.queue.findIndex((call, i) => i > 0 && call.key === key);
      if (at < 0) continue;
      const call = slot.queue[at];
      if (!withdraw(call.message.claim)) return false;
      slot.queue.splice(at, 1);
      const now = unixSeconds();
      call.resolve({ ok: false, withdrawn: true, error: { name: "Withdrawn", message: `the call to ${key} was withdrawn before it started (its task went to another worker)`, stack: "", taskKey: key }, start: now, stop: now, thread: slot.index });
      return true;
    }
    return false;
  }

  /** Imports of `from` load the uploaded copy `to`, on every thread now and later. */
  setModuleLocation(from: string, to: string): void {
    this.moduleLocations.set(from, to);
    for (const slot of this.slots) slot.worker.postMessage({ kind: "module-location", from, to });
  }

  /**
   * Asks every thread to drop the buffers it keeps for later tasks (cached chunks, scratch)
   * and collect garbage, as soon as it is between tasks or waiting (thread-memory.ts).
   * Resolves once every thread has done so (or died).
   */
  releaseRetained(): Promise<void> {
    return Promise.all(this.slots.map((slot) => new Promise<void>((resolve) => {
      const id = ++this.nextId;
      slot.released.set(id, resolve);
      slot.worker.postMessage({ kind: "release-retained", id });
    }))).then(() => undefined);
  }

  /** True while `key` is a call its thread is running (not merely queued), seceded or not. */
  isRunning(key: string): boolean {
    for (const slot of this.slots) {
      if (slot.queue[0]?.key === key) return true;
      for (const call of slot.seceded.values()) if (call.key === key) return true;
    }
    return false;
  }

  /**
   * Calls running on a thread now, as Dask's `executing` counts them: the first of each
   * thread's queue and the rejoined ones, not those queued behind them nor the seceded ones.
   */
  get runningCount(): number {
    let running = 0;
    for (const slot of this.slots) {
      if (slot.queue.length > 0) running++;
      for (const call of slot.seceded.values()) if (call.rejoined) running++;
    }
    return running;
  }

  /**
   * Runs on the thread with the shortest queue (the worker bounds how many it sends). A rejoined
   * call counts in its thread's queue: it runs there, outside the queue, and a call posted
   * there waits for it (it may compute for long) while another thread idles.
   */
  async run(key: string, fn: FunctionRef, args: unknown[]): Promise<ThreadResult> {
    if (this.closed) throw new ClosedError("the worker's thread pool is closed");
    const load = (s: Slot) => {
      let calls = s.queue.length;
      for (const call of s.seceded.values()) if (call.rejoined) calls++;
      return calls;
    };
    const slot = this.slots.reduce((best, s) => (load(s) < load(best) ? s : best));
    const id = ++this.nextId;
    return new Promise<ThreadResult>((resolve) => {
      this.post(slot, { id, key, message: { id, key, fn, args: toThreadValue(args), claim: newClaim() }, resolve });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
