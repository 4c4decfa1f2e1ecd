/**
 * When a stored result calls for the memory monitor's quick pause check (memory-monitor.ts
 * checkPause), which reads the process's RSS: a read costs tens of µs (it parses
 * /proc/self/stat), as much as the rest of a tiny task's bookkeeping on the main thread, so a
 * worker storing thousands of small results a second should not read it for each one.
 *
 * After a reading of `rss` below the lowest threshold that checkPause acts on (garbage
 * collection at `spill`, pausing at `pause`), inserts skip the check while twice the growth
 * counted since that reading stays under the distance to it. An insert counts (insertGrowthBytes)
 * the whole buffers its value holds (a small view keeps its whole block alive; sizeOf counts only
 * the view) plus, for a task's result, all the task allocated (task-meter.ts allocatedBytes:
 * its shared buffers exactly, its heap growth as seen): what the compute thread may still hold
 * as uncollected scratch. Values read back from spill files count too.
 *
 * The assumption, stated: memory outside the store grows by no more than what the finished tasks
 * whose results are stored allocated (and the factor 2 again). What breaks it is seen later,
 * not never: tasks still running, heap garbage a collection hid from the meter, transfers still
 * arriving, memory native code takes, are seen at the next reading: at most `maxGapMs` later
 * while results keep arriving, and on the monitor's own 100 ms tick otherwise (as in Dask, whose
 * monitor only ticks). At or above the threshold every insert checks, as before.
 */
import { distinctBufferBytes } from "../../graph/task-meter.js";
import { type MemoryPolicy, thresholdBytes } from "../memory/memory-policy.js";

/** The growth an insert counts for: `value`'s whole buffers (at least its `nbytes`), plus `outsideBytes` (what a task allocated). */
export function insertGrowthBytes(value: unknown, nbytes: number, outsideBytes: number): number {
  return Math.max(nbytes, distinctBufferBytes(value)) + outsideBytes;
}

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

  /** Counts `growthBytes` (insertGrowthBytes) of an insert; true when the pause check must run now. */
  checkDue(growthBytes: number): boolean {
    if (this.lowestThresholdBytes === Infinity) return false;
    this.storedSince += growthBytes;
    if (this.now() - this.lastReadAt >= this.maxGapMs) return true;
    return 2 * this.storedSince >= this.lowestThresholdBytes - this.lastRss;
  }
}

/**
 * The worker's two hooks on one RssReadings: `readRss` for the memory monitor (its ticks reset
 * the count since the last reading) and `insertDue` for the data store's inserts. The threshold
 * is the lower of spill and pause (checkPause collects garbage at spill); none when the worker
 * never pauses (no limit, or pausing off).
 */
export function rssChecks(
  policy: MemoryPolicy,
  readRss: () => number,
  now: () => number = () => performance.now(),
): { readRss(): number; insertDue(value: unknown, nbytes: number, outsideBytes: number): boolean } {
  const pauseAt = thresholdBytes(policy, "pause");
  const readings = new RssReadings(readRss, pauseAt === Infinity ? Infinity : Math.min(thresholdBytes(policy, "spill"), pauseAt), undefined, now);
  return {
    readRss: () => readings.read(),
    insertDue: (value, nbytes, outsideBytes) => readings.checkDue(insertGrowthBytes(value, nbytes, outsideBytes)),
  };
}
