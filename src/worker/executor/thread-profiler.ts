/**
 * Sampling profiler for one compute thread, run inside that thread.
 *
 * V8's CPU profiler (through a `node:inspector` Session connected to this thread) samples
 * the thread's stack every `intervalMs` from a separate sampling thread, so the task being
 * profiled is not interrupted by us. The thread runs one task at a time; we note when each
 * task starts and stops (on the same monotonic clock the profiler stamps its samples with)
 * and give each sample to the task that was running, grouped by the task's prefix. Samples
 * outside a task (the thread idling) are dropped.
 *
 * The profiler is stopped and its samples turned into trees once per `cycleMs`: at the end
 * of a task, or from a timer when the thread is idle. Stopping can only happen between tasks
 * (the thread is busy during one), which is also when it is cheap. It starts again lazily
 * with the next task, so an idle thread is not sampled at all.
 *
 * Starting V8's profiler from nothing logs every compiled function (a walk over the heap:
 * 15–20 ms, measured 17% of a worker's CPU in 2 ms tasks). While any profile runs, a further
 * start costs nothing, so while the thread is busy a second, unread profile keeps the
 * profiler going between cycles (console.profile, renewed every `keepaliveMs` so its samples
 * do not pile up); it ends with the busy period, when the idle timer flushes. Sampling an
 * idle thread is not free either (measured ~8 ms of CPU per second at 10 ms), so the
 * keepalive ends after a whole idle cycle: a restart costs about what 2–3 s of idle
 * sampling would.
 *
 * A new thread primes the keepalive once its warm-up is done (`prime`), before its worker
 * joins the scheduler: otherwise a fresh worker's first task pays the 15–20 ms (7% of a
 * 64×256×256 DoG on two workers, one task each). An idle cycle after priming ends it as usual,
 * so this helps only a first task that comes within 1–2 s of the thread's start (a
 * LocalCluster used at once); a job-queue worker idle for longer pays the walk twice, once at
 * start-up and once with its first task (and 1–2 s of idle sampling, ~10 ms of CPU).
 */
import { Session } from "node:inspector";
import { unixSeconds } from "../../core/clock.js";
import { parseDuration } from "../../core/units.js";
import { addStack, emptyProfile, type ProfileEntry, type ProfileNode } from "../../protocol/profile-tree.js";

export interface ThreadProfilerOptions {
  /** Milliseconds between samples (Dask's distributed.worker.profile.interval, 10 ms). */
  intervalMs: number;
  /** Milliseconds per time bucket (Dask's distributed.worker.profile.cycle, 1000 ms). */
  cycleMs: number;
}

/** Profiling settings, read once at a worker's start-up: the option (seconds), else TESSERA_PROFILE_INTERVAL. */
export function profilerOptionsFor(intervalSeconds: number | undefined): ThreadProfilerOptions {
  const fromEnvironment = process.env.TESSERA_PROFILE_INTERVAL;
  const seconds = intervalSeconds ?? (fromEnvironment ? parseDuration(fromEnvironment, "TESSERA_PROFILE_INTERVAL") : 0.01);
  return { intervalMs: seconds * 1000, cycleMs: 1000 };
}

/** The parts of V8's Profiler.Profile we read. */
interface V8Profile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

interface TaskInterval {
  prefix: string;
  start: number;
  stop: number;
}

type Frame = { name: string; filename: string; line: number };

/** Microseconds on the monotonic clock V8's profiler uses for its timestamps. */
function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

const skippedFrames = new Set(["(root)", "(program)", "(idle)"]);

/**
 * Turns a V8 profile into one tree per task prefix, counting only samples taken while a
 * task ran. `offset` shifts profile timestamps onto the clock the intervals were read from.
 */
export function profileToTrees(profile: V8Profile, intervals: readonly TaskInterval[], offset = 0): Map<string, ProfileNode> {
  const trees = new Map<string, ProfileNode>();
  if (!profile.samples || !profile.timeDeltas || intervals.length === 0) return trees;
  const parent = new Map<number, number>();
  const byId = new Map<number, V8Profile["nodes"][number]>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const stacks = new Map<number, Frame[] | null>();
  const stackOf = (id: number): Frame[] | null => {
    const cached = stacks.get(id);
    if (cached !== undefined) return cached;
    const frames: Frame[] = [];
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (!frame || skippedFrames.has(frame.functionName)) continue;
      frames.push({ name: frame.functionName || "(anonymous)", filename: frame.url, line: frame.lineNumber + 1 });
    }
    frames.reverse();
    const leaf = byId.get(id)?.callFrame.functionName;
    const result = leaf === "(idle)" || leaf === "(program)" || frames.length === 0 ? null : frames;
    stacks.set(id, result);
    return result;
  };
  let time = profile.startTime + offset;
  let cursor = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    while (cursor < intervals.length && intervals[cursor].stop < time) cursor++;
    if (cursor >= intervals.length) break;
    const interval = intervals[cursor];
    if (time < interval.start) continue;
    const stack = stackOf(profile.samples[i]);
    if (!stack) continue;
    let tree = trees.get(interval.prefix);
    if (!tree) {
      tree = emptyProfile();
      trees.set(interval.prefix, tree);
    }
    addStack(tree, stack);
  }
  return trees;
}

/** How long one keepalive profile runs before a new one replaces it (its samples are dropped). */
const keepaliveMs = 60_000;

export class ThreadProfiler {
  private session: Session | null = null;
  private running = false;
  /** The keepalive profile's label and start (monotonic µs), while the thread is busy. */
  private keepalive: { label: string; since: number } | null = null;
  private keepalives = 0;
  /** Times the V8 profiler was started with no keepalive running (each walked the heap). */
  private coldStartCount = 0;
  /** V8 said the keepalive profile started (console.profile does nothing without a connected session). */
  private keepaliveRunning = false;
  /** Whether a task started since the idle timer last fired (between tasks, timers still run). */
  private startedSinceTick = false;
  private startedAtMicros = 0;
  private bucketTime = 0;
  private intervals: TaskInterval[] = [];
  private current: { prefix: string; start: number } | null = null;
  private timer: NodeJS.Timeout;

  constructor(private readonly options: ThreadProfilerOptions, private readonly emit: (entries: ProfileEntry[]) => void) {
    // Fires only when the thread is between tasks: a busy thread runs no timers.
    this.timer = setInterval(() => {
      this.flush();
      // A whole cycle without a task: the busy period is over.
      if (!this.startedSinceTick) this.endKeepalive();
      this.startedSinceTick = false;
    }, options.cycleMs);
    this.timer.unref();
  }

  /**
   * Starts the keepalive with no task (a new thread, before its first task): the first task's
   * start then costs nothing. The idle timer ends it after a whole cycle without a task.
   */
  prime(): void {
    if (this.keepalive) return;
    this.connect();
    this.startedSinceTick = true;
    this.renewKeepalive(monotonicMicros());
  }

  /**
   * Times the profiler started with no keepalive V8 confirmed running (a heap walk each): one
   * per busy period, none after an effective `prime`.
   */
  get coldStarts(): number {
    return this.coldStartCount;
  }

  taskStarted(prefix: string): void {
    this.startedSinceTick = true;
    if (!this.running) this.start();
    this.current = { prefix, start: monotonicMicros() };
  }

  taskFinished(): void {
    if (!this.current) return;
    this.intervals.push({ ...this.current, stop: monotonicMicros() });
    this.current = null;
  }

  /** Between tasks: emits the samples once a cycle has passed. */
  flushIfDue(): void {
    if (this.running && monotonicMicros() - this.startedAtMicros >= this.options.cycleMs * 1000) this.flush();
  }

  /** Stops sampling and emits the samples taken so far (restarting if a task is awaiting). */
  flush(): void {
    if (!this.running || !this.session) return;
    const openTask = this.current;
    if (openTask) this.intervals.push({ ...openTask, stop: monotonicMicros() });
    let profile: V8Profile | undefined;
    // A session connected to its own thread answers synchronously.
    this.session.post("Profiler.stop", (error, result) => {
      if (!error) profile = (result as { profile: V8Profile }).profile;
    });
    this.running = false;
    const intervals = this.intervals;
    this.intervals = [];
    if (profile) {
      // V8 stamps samples with the same monotonic clock; correct any difference anyway.
      const offset = Math.abs(profile.startTime - this.startedAtMicros) > 1e6 ? this.startedAtMicros - profile.startTime : 0;
      const trees = profileToTrees(profile, intervals, offset);
      const entries = [...trees].map(([prefix, tree]) => ({ time: this.bucketTime, prefix, tree }));
      if (entries.length > 0) this.emit(entries);
    }
    if (openTask) this.taskStarted(openTask.prefix);
  }

  /** The inspector session on this thread (console.profile, the keepalive, needs one connected). */
  private connect(): Session {
    if (!this.session) {
      this.session = new Session();
      this.session.connect();
      // Only V8's own word says a keepalive runs (console.profile is silently a no-op otherwise).
      this.session.on("Profiler.consoleProfileStarted", (message) => {
        if (message.params.title === this.keepalive?.label) this.keepaliveRunning = true;
      });
      this.session.post("Profiler.enable");
      this.session.post("Profiler.setSamplingInterval", { interval: Math.max(1, Math.round(this.options.intervalMs * 1000)) });
    }
    return this.session;
  }

  private start(): void {
    const session = this.connect();
    this.startedAtMicros = monotonicMicros();
    if (!this.keepaliveRunning) this.coldStartCount++;
    this.renewKeepalive(this.startedAtMicros);
    this.bucketTime = unixSeconds();
    session.post("Profiler.start");
    this.running = true;
  }

  /** Starts the keepalive profile, or a new one once the current is keepaliveMs old (the new first, so the profiler never stops). */
  private renewKeepalive(now: number): void {
    if (this.keepalive && now - this.keepalive.since < keepaliveMs * 1000) return;
    const previous = this.keepalive;
    this.keepalive = { label: `tessera-thread-profiler-keepalive-${++this.keepalives}`, since: now };
    console.profile(this.keepalive.label);
    if (previous) console.profileEnd(previous.label);
  }

  private endKeepalive(): void {
    if (!this.keepalive) return;
    console.profileEnd(this.keepalive.label);
    this.keepalive = null;
    this.keepaliveRunning = false;
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
    this.endKeepalive();
    this.session?.disconnect();
    this.session = null;
  }
}
