/**
 * Mean compute seconds (EWMA) of the tasks finished on one worker: over all of them, which
 * sets how many tasks the threads are handed at once (run-queue.ts slots()), and per task
 * prefix for the most recent prefixes: the run queue queues a task behind a running one only
 * if tasks of its kind were seen running short here. The mean over all kinds is not enough: a
 * mixed graph's short tasks pull it down while a long kind is next, and a kind never seen may
 * be long (a 1 ms seed, then its 1 s dependents): a long task queued behind another waits a
 * whole long task unless an idle worker steals it (worker-state.ts stealRequest).
 */
import { SHORT_TASK_SECONDS } from "./run-queue.js";

/** Prefixes remembered (a long-lived worker sees many graphs); the least recently finished go first. */
const MAX_PREFIXES = 1000;

export class ComputeDurations {
  /** Over all tasks, -1 before the first. */
  average = -1;
  private readonly averages = new Map<string, number>();

  record(prefix: string, seconds: number): void {
    this.average = this.average < 0 ? seconds : 0.8 * this.average + 0.2 * seconds;
    const average = this.averages.get(prefix);
    this.averages.delete(prefix); // re-inserted last: Map order is then least recently finished first
    this.averages.set(prefix, average === undefined ? seconds : 0.8 * average + 0.2 * seconds);
    if (this.averages.size > MAX_PREFIXES) this.averages.delete(this.averages.keys().next().value as string);
  }

  /** Whether tasks of this prefix were seen running short here (unknown: no). */
  isShort(prefix: string): boolean {
    return (this.averages.get(prefix) ?? Infinity) < SHORT_TASK_SECONDS;
  }
}
