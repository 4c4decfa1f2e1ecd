/**
 * Admission by memory (beyond Dask, whose worker starts any ready task while it is not paused,
 * so a task whose inputs come back from disk and whose output and scratch do not fit carries a
 * small worker from just under `pause` past the nanny's terminate line).
 *
 * Before a task's inputs are read back and it is handed to a thread, the worker counts what it
 * will add to the process: its inputs that are on disk now, plus what tasks of its kind
 * allocated beyond their inputs (the largest measured here: task-meter.ts's peak less its
 * inputs, or the process's growth while it ran, whichever is larger; for a kind not yet seen,
 * `unseenGrowth` times its inputs). It starts only when process memory
 * (RSS, read now) plus that, plus what the tasks admitted before it and still running were
 * counted for, stays at or below the pause line. Otherwise:
 * - while other admitted tasks run, it waits for one to end (their memory, and the garbage they
 *   leave, is what stands in the way; it is not spilled from under them);
 * - alone, the worker makes the room: it moves results other than this task's inputs to disk,
 *   least recently used first, until the task fits by the count of their bytes, then collects
 *   garbage here and in every compute thread and waits until each thread has (buffers are
 *   shared: one leaves the process only when every thread dropped it), and measures again.
 *   A task that still does not fit then starts anyway: nothing can make more room, and waiting
 *   would never end (the plan check refused in advance what could not fit the usable room,
 *   plan-memory.ts).
 * A running task counts its reservation until it ends or secedes (a task waiting on others must
 * not keep them from starting).
 *
 * Transfers take the same room (admitTransfer, holdForServing): data fetched from a peer and spilled
 * data read back to be sent to one are as much process memory as a task's inputs, and on a
 * 192 MiB worker a 16 MB row merge with two 16 MB fetches and a 16 MB read-back for a peer
 * landing beside it went from 124 to 193 MiB, past the nanny's 95%, while the admission had
 * counted the merge alone. (A spilled value sent from its file, piece by piece, holds only its
 * two pieces: worker/server/data-serving.ts.)
 */
import { formatBytes } from "../../core/units.js";
import type { Logger } from "../../core/log.js";
import { type MemoryPolicy, thresholdBytes } from "./memory-policy.js";
import { collectGarbage } from "./process-memory.js";

/**
 * What a task of a kind not yet seen here is counted to grow beyond its inputs read back, per
 * byte of its inputs: its output and one working copy (a sort, a median, a cumulative sum copy
 * their input), until it has run once and measured its own.
 */
export const unseenGrowth = 2;

export interface AdmissionHost {
  readRss(): number;
  /** Moves the least recently used result that is not held to disk; resolves with the bytes it took out of memory (0: none left). */
  evictOne(): Promise<number>;
  /** Collects garbage in this thread and in every compute thread; resolves once all have. */
  collectEverywhere(): Promise<void>;
}

/** What the admission knows of a task before it starts. */
export interface TaskNeeds {
  key: string;
  prefix: string;
  /** Bytes of all its inputs. */
  inputBytes: number;
  /** Bytes of its inputs that must be read back from disk. */
  loadBytes: number;
}

/** What the admission counts for a task or transfer under way: its need, process memory when admitted, bytes it read back. */
interface Admitted {
  need: number;
  rss: number;
  loadBytes: number;
  /** A task (false: a transfer, which a serving read-back never waits for). */
  task: boolean;
}

export class TaskAdmission {
  /** Bytes counted for each admitted task still running, with process memory when it was admitted and its bytes to read back. */
  private readonly admitted = new Map<string, Admitted>();
  private transfers = 0;
  /** Largest growth beyond its inputs a task of each prefix measured here. */
  private readonly growthByPrefix = new Map<string, number>();
  private waiters: Array<() => void> = [];
  /** The admission under way: the next waits for it. */
  private turns: Promise<void> = Promise.resolve();
  /** Tasks started although they did not fit after the room was made (for tests and reports). */
  overcommitted = 0;

  /**
   * `lineBytes`: the process memory a task may bring the worker to (its pause threshold;
   * Infinity: no limit); `ownBytes`: the worker's own memory before any task (task-room.ts).
   */
  constructor(private readonly lineBytes: number, private readonly host: AdmissionHost, private readonly logger?: Logger, readonly ownBytes = 0) {}

  get enabled(): boolean {
    return Number.isFinite(this.lineBytes);
  }

  /** What `task` adds to the process when it runs: its inputs read back plus its kind's growth beyond its inputs. */
  need(task: TaskNeeds): number {
    return task.loadBytes + (this.growthByPrefix.get(task.prefix) ?? unseenGrowth * task.inputBytes);
  }

  /**
   * Resolves when `task` may start (see the module comment); `finish` must follow. One task is
   * admitted at a time, in the order they came (the run queue's priority order): two tasks
   * each alone when they began waiting must not both take the room one of them made.
   */
  admit(task: TaskNeeds): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    const turn = this.turns.then(() => this.admitNow(task.key, this.need(task), task.loadBytes));
    this.turns = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Resolves when `bytes` fetched from a peer may come in: as a task's, in turn, when they fit
   * below the line beside what is admitted, or (alone) once room was made; the returned release
   * ends their reservation (they are in the store, counted by the process's memory, or never
   * came). Making room matters here too: a worker that has just stored a merge's 16 MB output
   * (spilled, not yet collected) sat 46 MiB above its memory without it when a fetch came in.
   */
  async admitTransfer(bytes: number): Promise<() => void> {
    if (!this.enabled) return () => {};
    const key = this.transferKey();
    const turn = this.turns.then(() => this.admitNow(key, bytes, 0, false));
    this.turns = turn.catch(() => undefined);
    await turn;
    return () => this.finish(key);
  }

  /**
   * Resolves when `bytes` of spilled data may be read back to be sent to a peer: once they fit
   * below the line beside what is admitted, or once the tasks running now have ended, room was
   * made, and the tasks admitted meanwhile have ended too (a merge admitted while the room was
   * being made, then this read-back: 127 → 173 MiB). Not in turn, and never waiting on
   * transfers: a task waiting in turn may wait for a fetch that this very reply answers, on
   * another worker; and twice at most, so that a busy worker still answers. The returned
   * release ends the reservation.
   */
  async holdForServing(bytes: number): Promise<() => void> {
    if (!this.enabled) return () => {};
    const fits = () => this.host.readRss() + this.reserved() + bytes <= this.lineBytes;
    for (let round = 0; ; round++) {
      const running = [...this.admitted].filter(([, entry]) => entry.task).map(([key]) => key);
      while (!fits() && running.some((key) => this.admitted.has(key))) await new Promise<void>((resolve) => this.waiters.push(resolve));
      if (fits() || round === 1) break;
      await this.makeRoom(this.host.readRss() + this.reserved(), bytes);
    }
    const rss = this.host.readRss();
    const key = this.transferKey();
    this.admitted.set(key, { need: bytes, rss, loadBytes: 0, task: false });
    return () => this.finish(key);
  }

  private transferKey(): string {
    return `\u0000transfer-${++this.transfers}`; // never a task's key
  }

  private async admitNow(key: string, need: number, loadBytes: number, task = true): Promise<void> {
    let madeRoom = false;
    let rss: number;
    for (;;) {
      rss = this.host.readRss();
      if (rss + this.reserved() + need <= this.lineBytes) break;
      if (this.admitted.size > 0) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        // What ended meanwhile may have left what made room for it before (a fetch landed, a
        // read-back for a peer now garbage: a merge started at 154.6 MiB and reached 185).
        madeRoom = false;
        continue;
      }
      if (madeRoom) {
        this.overcommitted++;
        this.logger?.debug(`starting ${key} (needs about ${formatBytes(need)}) at process memory ${formatBytes(rss)}: no more room can be made below ${formatBytes(this.lineBytes)}`);
        break;
      }
      await this.makeRoom(rss, need);
      madeRoom = true;
    }
    this.admitted.set(key, { need, rss, loadBytes, task });
  }

  /** The task ended (or seceded, or never ran): its reservation goes; `measured` teaches the admission its kind's growth. */
  finish(key: string, measured?: { prefix: string; inputBytes: number; peakBytes: number }): void {
    const admitted = this.admitted.get(key);
    if (measured && Number.isFinite(measured.peakBytes)) {
      // The meter sees the task's own blocks; the process also grew by the garbage it left (its
      // inputs read back, the copies a kernel made): the larger of the two is what the next needs.
      const grew = admitted && this.enabled ? this.host.readRss() - admitted.rss - admitted.loadBytes : 0;
      const growth = Math.max(0, measured.peakBytes - measured.inputBytes, grew);
      this.growthByPrefix.set(measured.prefix, Math.max(growth, this.growthByPrefix.get(measured.prefix) ?? 0));
    }
    if (!this.admitted.delete(key)) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private reserved(): number {
    let bytes = 0;
    for (const { need } of this.admitted.values()) bytes += need;
    return bytes;
  }

  private async makeRoom(rss: number, need: number): Promise<void> {
    let freed = 0;
    while (rss - freed + need > this.lineBytes) {
      const step = await this.host.evictOne();
      if (step === 0) break;
      freed += step;
    }
    await this.host.collectEverywhere();
    collectGarbage(); // what the threads held last is this thread's garbage only now
  }
}

/**
 * The admission a worker with `policy` runs: up to its pause line (none when it never pauses,
 * or has no limit). Made once the worker has started: its memory then is its own. Read as it
 * is, without collecting first: a full collection here took 22–31 ms of CPU per worker and
 * lowered RSS by under 0.5 MiB (V8 keeps the pages it frees), and it ran just after the worker
 * joined, beside the first compute (issue 11: time outside tasks 4% → 7% on the DoG).
 */
export function admissionFor(policy: MemoryPolicy, host: AdmissionHost, logger?: Logger): TaskAdmission {
  return new TaskAdmission(thresholdBytes(policy, "pause"), host, logger, host.readRss());
}
