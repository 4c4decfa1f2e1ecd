/**
 * Mean compute seconds per task prefix (EWMA) on one worker, for the most recent prefixes:
 * the run queue (run-queue.ts) queues no task of a kind seen running long behind a running
 * one, though the mean over all kinds is short (a mixed graph's short tasks pull it down).
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

  /** Whether tasks of this prefix were seen running long here (unknown: no). */
  isLong(prefix: string): boolean {
    return (this.averages.get(prefix) ?? 0) >= SHORT_TASK_SECONDS;
  }
}
