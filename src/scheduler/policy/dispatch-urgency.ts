/**
 * Whether a worker needs a task sent to it at once, or can take it a moment later in the same
 * write as the next message (Dask's scheduler batches everything it sends a worker over 5 ms).
 * Every socket write costs both processes a system call and a wake-up (on a 2-core machine
 * running the scheduler and two workers, ~100 µs each side): a worker with a task queued
 * behind each of its threads and several milliseconds of expected work already on hand loses
 * nothing if the next task waits COMPUTE_SOON_DELAY_MS for company; an idle or nearly idle
 * worker gets its task at the end of this turn, as before.
 */
import type { WorkerState } from "../state/entities.js";

/** How long a task for a busy worker may wait to share a write (the server applies it). */
export const COMPUTE_SOON_DELAY_MS = 2;
/**
 * Expected seconds of work per thread a worker must already hold for a new task to wait:
 * comfortably more than the delay, so that even a wrong estimate rarely leaves a thread idle.
 */
export const BUSY_COVER_SECONDS = 0.005;

/** Before a new task is added: whether the worker stays busy without it for longer than the delay. */
export function busyWithoutIt(worker: WorkerState): boolean {
  const holding = worker.processing.size - worker.longRunningCount;
  return holding > worker.nthreads && worker.occupancy / worker.nthreads >= BUSY_COVER_SECONDS;
}
