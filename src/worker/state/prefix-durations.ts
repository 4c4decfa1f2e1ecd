/**
 * Mean compute seconds per task prefix (EWMA) on one worker, for the most recent prefixes:
 * the run queue (run-queue.ts) queues a task behind a running one only if tasks of its kind
 * were seen running short here. The mean over all kinds is not enough: a mixed graph's short
 * tasks pull it down while a long kind is next, and a kind never seen may be long (a 1 ms
 * seed, then its 1 s dependents): a long task queued behind another waits a whole long task
 * where no idle worker may take it (a queued task cannot be stolen).
 */
import { SHORT_TASK_SECONDS } from "./run-queue.js";

/** Prefixes remembered (a long-lived worker sees many graphs); the least recently finished go first. */
const MAX_PREFIXES = 1000;

export class PrefixDurations {
  private readonly averages = new Map<string, number>();

  record(prefix: string, seconds: number): void {
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
