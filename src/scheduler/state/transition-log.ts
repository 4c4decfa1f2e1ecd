/**
 * The scheduler's record of task transitions (Dask's transition_log, read by `story`): every
 * status change of every task, with the worker it concerned, the time and the stimulus (the
 * event, numbered, that caused it). Bounded: the oldest entries fall off once `capacity` is
 * reached, so a long-running scheduler keeps the recent history of every key.
 *
 * Entries are kept in a ring of parallel arrays rather than one object each: a busy
 * scheduler records several transitions per task, millions per hour.
 */
import type { TaskStatus } from "./entities.js";

export interface TransitionEntry {
  key: string;
  from: TaskStatus;
  to: TaskStatus;
  /** The worker the transition concerned (the one processing it, or the one holding it), if any. */
  worker: string | null;
  /** Seconds since the epoch. */
  time: number;
  /** What caused it: the event type and its number, e.g. "task-finished-1042". */
  stimulus: string;
}

export class TransitionLog {
  private readonly keys: string[] = [];
  private readonly froms: TaskStatus[] = [];
  private readonly tos: TaskStatus[] = [];
  private readonly workers: Array<string | null> = [];
  private readonly times: number[] = [];
  private readonly stimuli: string[] = [];
  /** Entries ever recorded (the ring's write position is total % capacity). */
  total = 0;

  constructor(readonly capacity = 100_000) {}

  record(key: string, from: TaskStatus, to: TaskStatus, worker: string | null, time: number, stimulus: string): void {
    const at = this.total % this.capacity;
    this.keys[at] = key;
    this.froms[at] = from;
    this.tos[at] = to;
    this.workers[at] = worker;
    this.times[at] = time;
    this.stimuli[at] = stimulus;
    this.total++;
  }

  private entryAt(index: number): TransitionEntry {
    const at = index % this.capacity;
    return { key: this.keys[at], from: this.froms[at], to: this.tos[at], worker: this.workers[at], time: this.times[at], stimulus: this.stimuli[at] };
  }

  /** Entries recorded since `total` was `since` (those still kept), oldest first. */
  since(since: number): TransitionEntry[] {
    const out: TransitionEntry[] = [];
    for (let index = Math.max(since, this.total - this.capacity); index < this.total; index++) out.push(this.entryAt(index));
    return out;
  }

  /** Every kept transition of these keys, oldest first. */
  story(keys: ReadonlySet<string>): TransitionEntry[] {
    const out: TransitionEntry[] = [];
    for (let index = Math.max(0, this.total - this.capacity); index < this.total; index++) {
      if (keys.has(this.keys[index % this.capacity])) out.push(this.entryAt(index));
    }
    return out;
  }
}
