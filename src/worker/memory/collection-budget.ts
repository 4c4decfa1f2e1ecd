/**
 * How often the memory monitor may force a full garbage collection (Dask's ThrottledGC,
 * distributed/utils_perf.py): a collection runs only while the time the last one took is less
 * than `fraction` (5%) of the time since it started. A forced collection of a worker holding
 * gigabytes is no longer a millisecond: on a 1-thread worker spilling persisted data, collections
 * every 200 ms (the old fixed gap) took 2.2 s of the main thread and 1.15 s of the compute
 * thread in 20 s, and V8's marking helpers as much again, more than the memory it gave back
 * was worth. With the budget, one that took 40 ms waits 0.8 s for the next; a small heap's
 * (a few ms) still waits `minGapMs`, the gap that kept small workers under their limits.
 *
 * Two kinds of collection are not held to the budget, only to the gap (`exempt`): a paused
 * worker's, which runs no new task for the collection to slow down and may be waiting for
 * exactly that garbage to fall before it resumes; and one when memory is where a pause begins,
 * since a pause costs the whole worker's throughput, far more than a collection.
 *
 * The cost measured is the wall time of this thread's collection: the compute threads collect
 * theirs at their next free moment, out of sight, and on a loaded machine wall time is what
 * the work waits for.
 */
export class CollectionBudget {
  private lastStart = -Infinity;
  private lastDurationMs = 0;

  constructor(
    private readonly now: () => number,
    /** The share of time forced collections may take, as Dask's `max_in_gc_frac`. */
    readonly fraction = 0.05,
    /** The shortest gap between two collections, exempt or not. */
    readonly minGapMs = 200,
  ) {}

  /** Whether a collection may run now. */
  due(exempt = false): boolean {
    const elapsed = this.now() - this.lastStart;
    if (elapsed < this.minGapMs) return false;
    return exempt || this.lastDurationMs < this.fraction * elapsed;
  }

  /** Runs `collect` when due, timing it; true when it ran. */
  collectIfDue(collect: () => void, exempt = false): boolean {
    if (!this.due(exempt)) return false;
    this.collect(collect);
    return true;
  }

  /** Runs `collect` now and counts its time against the budget. */
  collect(collect: () => void): void {
    const start = this.now();
    this.lastStart = start;
    try {
      collect();
    } finally {
      this.lastDurationMs = Math.max(0, this.now() - start);
    }
  }

  /** How long the last collection took (ms), for logs and tests. */
  get lastCollectionMs(): number {
    return this.lastDurationMs;
  }
}
