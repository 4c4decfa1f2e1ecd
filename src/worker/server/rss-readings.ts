/**
 * When a stored result calls for the memory monitor's quick pause check (memory-monitor.ts
 * checkPause), which reads the process's RSS: a read costs tens of µs (it parses
 * /proc/self/stat), as much as the rest of a tiny task's bookkeeping on the main thread, so a
 * worker storing thousands of small results a second should not read it for each one.
 *
 * What stays true: no insert takes the process past a threshold unseen. After a reading of
 * `rss` below the lowest threshold that checkPause acts on (garbage collection at `spill`,
 * pausing at `pause`), inserts skip the check while the bytes stored since that reading stay
 * under half the distance to it: memory may grow by what is stored and as much again outside
 * the store (the tasks' scratch buffers) without reaching it unseen. At or above it, every
 * insert checks, as before. Growth beyond that is seen at the next reading: at most
 * `maxGapMs` later while results keep arriving, and on the monitor's own 100 ms tick otherwise
 * (as in Dask, whose monitor only ticks).
 */
export class RssReadings {
  private lastRss = 0;
  private lastReadAt = -Infinity;
  private storedSince = 0;

  /**
   * `lowestThresholdBytes`: the lowest process memory at which checkPause does anything
   * (Infinity when it never does); `maxGapMs`: the longest a stream of inserts goes unchecked.
   */
  constructor(
    private readonly readRss: () => number,
    private readonly lowestThresholdBytes: number,
    private readonly maxGapMs = 10,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A fresh reading of the process's RSS (every reading, the monitor's ticks too, goes through here). */
  read(): number {
    const rss = this.readRss();
    this.lastRss = rss;
    this.lastReadAt = this.now();
    this.storedSince = 0;
    return rss;
  }

  /** Counts `nbytes` just stored; true when the pause check must run now. */
  checkDue(nbytes: number): boolean {
    if (this.lowestThresholdBytes === Infinity) return false;
    this.storedSince += nbytes;
    if (this.now() - this.lastReadAt >= this.maxGapMs) return true;
    return 2 * this.storedSince >= this.lowestThresholdBytes - this.lastRss;
  }
}
