/**
 * The listeners of a cluster's `onJobEnded` (FargateCluster's `onTaskEnded`): told of each job
 * the poll found ended, in the order found. A listener that throws is reported through
 * `onError` and does not stop the others or the poll.
 */
import type { JobInfo } from "./job-tracking.js";

export class JobEndedListeners {
  private readonly listeners = new Set<(job: JobInfo) => void>();

  /** Returns the function that unsubscribes `listener`. */
  add(listener: (job: JobInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(job: JobInfo, onError: (error: unknown) => void): void {
    for (const listener of this.listeners) {
      try {
        listener(job);
      } catch (error) {
        onError(error);
      }
    }
  }
}
