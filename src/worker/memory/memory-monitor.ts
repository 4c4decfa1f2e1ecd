/**
 * The worker's memory monitor (Dask's WorkerMemoryManager), measuring the process every
 * `monitorIntervalMs` (100 ms):
 *
 * 1. Spill: above `spill` × limit of process memory (RSS), move least recently used results
 *    to disk until RSS is back under `target` × limit (or under `spill` when target is off),
 *    then collect garbage so the freed buffers really leave the process. Forced collections
 *    take at most 5% of the time (collection-budget.ts, Dask's ThrottledGC); while one is
 *    deferred, the bytes spilled since the last are counted as gone, not spilled again.
 * 2. Pause: above `pause` × limit the worker starts no tasks and fetches no data, and tells
 *    the scheduler, which sends it no new work; at or below it, it resumes. Before pausing,
 *    garbage is collected once: dead buffers must not stop a worker.
 * 3. Target: Dask compares managed bytes alone with `target` × limit, so the runtime's own
 *    memory (80 MB for Node with its threads) comes on top and a small worker pauses while
 *    "below target". Here the store's target is lowered by the process's baseline, the least
 *    unmanaged memory (RSS − managed) seen in the last 30 s, so that managed plus baseline
 *    stays at `target` × limit.
 * 4. Room for the next task: Dask pauses above `pause` and resumes at it, so a task may start
 *    with no headroom left, and one whose inputs and scratch take a fifth of a small worker's
 *    limit (a DoG region with its 26 spilled neighbours read back) carries the process from
 *    there past the nanny's terminate threshold. Here the largest peak a task measured in the
 *    last 30 s is kept free below `pause`: the worker pauses once memory is above `pause` less
 *    that reserve (never below `spill`) and resumes once it is back there (never below target),
 *    spilling down to it while paused. Where spilling cannot make the room (spill off, nothing
 *    left to spill, the threads' garbage collected), Dask's rule holds: pause above `pause`,
 *    resume at it — the reserve never makes a worker wait for a running task or for nothing.
 *    The reserve is one task's: on resume a worker of n threads may start n tasks, as in Dask.
 * 5. Stuck pause: paused with nothing running, nothing arriving and nothing left to spill,
 *    memory cannot fall by itself. After `pauseTimeoutMs` the host fails the waiting tasks
 *    with a clear error instead of hanging for ever (Dask waits for ever).
 *
 * The decision is the pure `decideMemoryAction`; the class runs it on a timer.
 */
import { formatBytes } from "../../core/units.js";
import type { Logger } from "../../core/log.js";
import { type MemoryPolicy, thresholdBytes } from "./memory-policy.js";
import { CollectionBudget } from "./collection-budget.js";

export interface MemorySample {
  rss: number;
  paused: boolean;
  /** Headroom a paused worker keeps below `pause` before it resumes: the recent largest task peak (0: none). */
  taskReserve?: number;
  /** Whether spilling (or the threads' pending collections) can still lower memory; default true. */
  canLower?: boolean;
}

export interface MemoryDecision {
  /** Bytes to move to disk now (0: none). */
  spillBytes: number;
  /** A change of pause state, or null for none. */
  pause: boolean | null;
}

export function decideMemoryAction(policy: MemoryPolicy, sample: MemorySample): MemoryDecision {
  const spillAt = thresholdBytes(policy, "spill");
  const goal = policy.target !== false ? thresholdBytes(policy, "target") : spillAt;
  const { pauseAt, resumeAt } = pauseLevels(policy, sample.taskReserve ?? 0);
  let spillBytes = sample.rss > spillAt ? Math.max(0, sample.rss - goal) : 0;
  if (sample.paused && sample.rss > resumeAt) spillBytes = Math.max(spillBytes, sample.rss - resumeAt);
  let pause: boolean | null = null;
  const pauseThreshold = thresholdBytes(policy, "pause");
  if (!sample.paused && (sample.rss > pauseThreshold || (sample.rss > pauseAt && sample.canLower !== false))) pause = true;
  else if (sample.paused && (sample.rss <= resumeAt || (sample.rss <= pauseThreshold && sample.canLower === false))) pause = false;
  return { spillBytes, pause };
}

/**
 * Where a worker pauses and resumes, given `reserve`, the room its next task may need (the
 * largest task peak lately). With no reserve, both are Dask's `pause` threshold. With one, the
 * worker pauses once the next task could carry it past `pause` (never below `spill`, where
 * spilling starts anyway), and resumes once it could not (never below target: the reserve is
 * headroom for a task, not a second, lower target).
 */
export function pauseLevels(policy: MemoryPolicy, reserve: number): { pauseAt: number; resumeAt: number } {
  const pause = thresholdBytes(policy, "pause");
  const spill = thresholdBytes(policy, "spill");
  // With spilling by process memory off, nothing would make the room: Dask's rule.
  if (!(reserve > 0) || pause === Infinity || spill === Infinity) return { pauseAt: pause, resumeAt: pause };
  const goal = policy.target !== false ? thresholdBytes(policy, "target") : spill;
  return { pauseAt: Math.max(Math.min(spill, pause), pause - reserve), resumeAt: Math.max(Math.min(goal, pause), pause - reserve) };
}

/** What the monitor acts on: the worker server in production, a fake in tests. */
export interface MemoryMonitorHost {
  readRss(): number;
  managedBytes(): number;
  /** The managed bytes the store may keep before spilling. */
  setManagedTarget(bytes: number): void;
  /** Bytes the store could still move to disk. */
  evictableBytes(): number;
  /** Moves the least recently used result to disk; resolves with the bytes freed (0: none). */
  evictOne(): Promise<number>;
  collectGarbage(): void;
  setPaused(paused: boolean, rss: number): void;
  /** Whether anything could still lower memory by itself (tasks running, data arriving). */
  busy(): boolean;
  /** The pause cannot end by itself: fail the waiting work with this message. */
  pauseStuck(message: string): void;
  /** Why spilling stopped although the policy spills ("spill directory /x is full …"), or null. */
  spillStopped(): string | null;
}

/** Why nothing is left to spill, as the stuck-pause message says it: the real cause, not a guess. */
function stuckCause(policy: MemoryPolicy, spillStopped: string | null): string {
  if (policy.target === false && policy.spill === false) return " (spilling is off)";
  if (spillStopped !== null) return ` (spilling stopped: ${spillStopped})`;
  return "";
}

/** What the user can do about a stuck pause, for the situation at hand. */
function stuckAdvice(policy: MemoryPolicy, spillStopped: string | null): string {
  if (policy.target === false && policy.spill === false) return "Raise memoryLimit, turn spilling on, or release results you no longer need";
  if (spillStopped !== null) {
    return "Free space in the spill directory or give the workers a larger node-local localDirectory (--local-directory), raise memoryLimit, or release results you no longer need";
  }
  const maxSpill = policy.maxSpillBytes === false ? "" : ` or maxSpill (now ${formatBytes(policy.maxSpillBytes)})`;
  return `Raise memoryLimit${maxSpill}, or release results you no longer need`;
}

/** Dask's recent-to-old-time: unmanaged memory older than this is the baseline. */
const baselineWindowMs = 30_000;
/** How long a task's measured peak counts towards the headroom a paused worker keeps for the next. */
const taskPeakWindowMs = 30_000;
/** Shortest gap between two "unmanaged memory is high" warnings. */
const unmanagedWarningGapMs = 30_000;

/** The smallest value seen in a sliding time window (a monotonic queue). */
export class WindowMinimum {
  private samples: Array<{ time: number; value: number }> = [];
  constructor(private readonly windowMs: number) {}

  add(time: number, value: number): number {
    while (this.samples.length > 0 && (this.samples.at(-1) as { value: number }).value >= value) this.samples.pop();
    this.samples.push({ time, value });
    return this.at(time) as number;
  }

  /** The least value of the window ending at `time`, or undefined when it holds none. */
  at(time: number): number | undefined {
    while (this.samples.length > 0 && this.samples[0].time < time - this.windowMs) this.samples.shift();
    return this.samples[0]?.value;
  }
}
export class MemoryMonitor {
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private paused = false;
  private pausedSince = 0;
  private stuckReported = false;
  /** Forced collections take at most a share of the time (collection-budget.ts). */
  private readonly collections: CollectionBudget;
  /** Bytes spilled since the last collection: garbage still counted in RSS, not a reason to spill more. */
  private uncollectedSpill = 0;
  private lastUnmanagedWarning = -Infinity;
  private readonly unmanagedBaseline = new WindowMinimum(baselineWindowMs);
  /** Recent task peaks, negated: the window's least is the largest peak. */
  private readonly recentTaskPeaks = new WindowMinimum(taskPeakWindowMs);
  private collectionsWhilePaused = 0;

  constructor(private readonly policy: MemoryPolicy, private readonly host: MemoryMonitorHost, private readonly logger: Logger, private readonly now: () => number = () => performance.now()) {
    this.collections = new CollectionBudget(now);
  }

  get enabled(): boolean {
    const p = this.policy;
    return p.limitBytes > 0 && (p.spill !== false || p.pause !== false);
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.policy.monitorIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * A quick check between ticks, after a result is stored: fast tasks can add more memory
   * in 100 ms than the headroom above `pause`, so pausing waits for no timer. Synchronous,
   * so that the pause is in force before the worker starts its next task.
   */
  checkPause(): void {
    if (this.paused || !this.enabled || this.policy.pause === false) return;
    let rss = this.host.readRss();
    // Above spill, garbage goes here too, not only on the timer: on a busy machine the tick
    // comes late, and a small worker's freed inputs (and the threads' kept buffers) would
    // otherwise add up to the pause threshold and past it before it does.
    const collectAt = Math.min(thresholdBytes(this.policy, "spill"), thresholdBytes(this.policy, "pause"));
    if (rss > collectAt && this.collectIfDue(rss)) rss = this.host.readRss();
    if (rss <= collectAt) return;
    const decision = decideMemoryAction(this.policy, this.sampleOf(rss));
    if (decision.pause === true) this.setPaused(true, rss);
  }

  /** A task's measured peak memory (task-meter.ts): a paused worker keeps that much room before it resumes. */
  recordTaskPeak(bytes: number): void {
    if (bytes > 0 && Number.isFinite(bytes)) this.recentTaskPeaks.add(this.now(), -bytes);
  }

  private sampleOf(rss: number): MemorySample {
    const taskReserve = -(this.recentTaskPeaks.at(this.now()) ?? 0);
    const { pauseAt, resumeAt } = pauseLevels(this.policy, taskReserve);
    // Only in the band the reserve adds is it asked whether memory can fall (a walk over the stored keys).
    if (this.paused ? rss <= resumeAt : rss <= pauseAt) return { rss, paused: this.paused, taskReserve };
    // Spilling is what lowers memory there: a running task raises it until it ends. The compute
    // threads collect at their next free moment, after the reading that asked them to: until two
    // collections have been asked for in this pause, their garbage may still fall too.
    const collectionPending = this.paused && this.collectionsWhilePaused < 2;
    return { rss, paused: this.paused, taskReserve, canLower: collectionPending || this.host.evictableBytes() > 0 };
  }

  /** One measurement and whatever it calls for; overlapping calls are skipped. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      let rss = this.host.readRss();
      this.adjustTarget(rss);
      // Under pressure, garbage goes first: dead buffers are no reason to spill or pause (this
      // thread's are gone at once, the compute threads' by a later tick).
      if (rss > this.collectAbove() && this.collectIfDue(rss)) rss = this.host.readRss();
      let decision = decideMemoryAction(this.policy, this.sampleOf(rss));
      // What was spilled since the last collection still counts in RSS until a collection frees it.
      const spillBytes = decision.spillBytes - this.uncollectedSpill;
      if (spillBytes > 0) {
        rss = await this.spill(spillBytes, rss);
        decision = decideMemoryAction(this.policy, this.sampleOf(rss));
      }
      if (decision.pause !== null) this.setPaused(decision.pause, rss);
      else if (this.paused) this.whilePaused(rss);
    } catch (error) {
      this.logger.error("memory monitor failed", error);
    } finally {
      this.ticking = false;
    }
  }

  private adjustTarget(rss: number): void {
    if (this.policy.target === false) return;
    const baseline = Math.max(0, this.unmanagedBaseline.add(this.now(), rss - this.host.managedBytes()));
    this.host.setManagedTarget(thresholdBytes(this.policy, "target") - baseline);
  }

  private async spill(bytes: number, rss: number): Promise<number> {
    let freed = 0;
    while (freed < bytes) {
      const step = await this.host.evictOne();
      if (step === 0) break;
      freed += step;
    }
    if (freed > 0) {
      this.uncollectedSpill += freed;
      // The spilled buffers leave the process only once collected: at once if the budget allows.
      const collected = this.collectIfDue(this.host.readRss(), true);
      const after = this.host.readRss();
      this.logger.debug(`spilled ${formatBytes(freed)} at process memory ${formatBytes(rss)}; now ${formatBytes(after)}${collected ? "" : " (collection deferred)"}`);
      rss = after;
    }
    const spillAt = thresholdBytes(this.policy, "spill");
    // With spilling stopped (full disk), results are what fills memory: that was reported, and this warning would mislead.
    const unmanaged = this.host.evictableBytes() === 0 && this.host.spillStopped() === null;
    if (rss > spillAt && unmanaged && this.now() - this.lastUnmanagedWarning > unmanagedWarningGapMs) {
      this.lastUnmanagedWarning = this.now();
      this.logger.warn(
        `Unmanaged memory use is high: process memory ${formatBytes(rss)} is above the spill threshold ` +
          `(${formatBytes(spillAt)} of the ${formatBytes(this.policy.limitBytes)} limit) with nothing left to spill. ` +
          "Memory held outside stored results (running tasks, caches, leaks) cannot be spilled.",
      );
    }
    return rss;
  }

  /**
   * The lowest threshold in force: above it, dead buffers cost a spill or a pause. With
   * spilling off that is the pause threshold, so a paused worker still collects each tick:
   * results the client released are freed that way, and the worker resumes (an idle process
   * may not collect by itself for a long time).
   */
  private collectAbove(): number {
    return Math.min(thresholdBytes(this.policy, "target"), thresholdBytes(this.policy, "spill"), thresholdBytes(this.policy, "pause"));
  }

  /**
   * Collects garbage everywhere if the budget allows (collection-budget.ts). A paused worker,
   * or one whose memory `rss` is where a pause begins, is held to the gap alone: its garbage
   * falling is what lets it resume, or spares it the pause. There, the collection `afterSpill`
   * runs at once, gap or not, as it always did: what was spilled must leave before the decision.
   */
  private collectIfDue(rss: number, afterSpill = false): boolean {
    const exempt = this.paused || rss > this.pauseLevelsNow().pauseAt;
    const collect = () => this.host.collectGarbage();
    if (afterSpill && exempt) this.collections.collect(collect);
    else if (!this.collections.collectIfDue(collect, exempt)) return false;
    this.uncollectedSpill = 0;
    if (this.paused) this.collectionsWhilePaused++;
    return true;
  }

  private pauseLevelsNow(): { pauseAt: number; resumeAt: number } {
    return pauseLevels(this.policy, -(this.recentTaskPeaks.at(this.now()) ?? 0));
  }

  private setPaused(paused: boolean, rss: number): void {
    this.paused = paused;
    this.pausedSince = this.now();
    this.collectionsWhilePaused = 0;
    this.stuckReported = false;
    const percent = Math.round((rss / this.policy.limitBytes) * 100);
    this.logger.warn(
      paused
        ? `Worker is at ${percent}% memory usage. Pausing worker. Process memory: ${formatBytes(rss)} -- Worker memory limit: ${formatBytes(this.policy.limitBytes)}`
        : `Worker is at ${percent}% memory usage. Resuming worker. Process memory: ${formatBytes(rss)} -- Worker memory limit: ${formatBytes(this.policy.limitBytes)}`,
    );
    this.host.setPaused(paused, rss);
  }

  /** Memory above pause is above target too: each tick collects (released results leave that way). */
  private whilePaused(rss: number): void {
    const timeout = this.policy.pauseTimeoutMs;
    if (timeout === null || this.stuckReported) return;
    if (this.host.busy() || this.host.evictableBytes() > 0) {
      this.pausedSince = this.now();
      return;
    }
    if (this.now() - this.pausedSince < timeout) return;
    this.stuckReported = true;
    this.host.pauseStuck(
      `worker paused for ${Math.round(timeout / 1000)} s at ${formatBytes(rss)} of its ${formatBytes(this.policy.limitBytes)} memory limit ` +
        `(pause at ${Math.round((this.policy.pause as number) * 100)}%) with nothing left to spill${stuckCause(this.policy, this.host.spillStopped())}; ` +
        `the results it holds are still wanted. ${stuckAdvice(this.policy, this.host.spillStopped())}`,
    );
  }
}
