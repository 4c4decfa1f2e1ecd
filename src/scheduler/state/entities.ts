/**
 * What the scheduler knows, one object per task, worker, client and task prefix. Only the
 * scheduler state's event handlers change these; everything else reads them (the server,
 * the dashboard through the read-only view). Fields are plain and few because a graph of a
 * million tasks holds a million TaskStates (target: under 1 KiB each).
 */
import type { FunctionRef } from "../../protocol/function-ref.js";
import type { WireError } from "../../protocol/payload.js";
import type { Resources } from "../../protocol/resources.js";

export type TaskStatus = "released" | "waiting" | "no-worker" | "queued" | "processing" | "memory" | "erred" | "forgotten";

/** Observed compute durations of one task prefix (Dask's TaskPrefix). */
export class PrefixStats {
  /** Exponentially weighted mean compute time in seconds; -1 until one task finished. */
  durationAverage = -1;
  /** Mean result size in bytes; -1 until one task finished. */
  nbytesAverage = -1;
  finishedCount = 0;
  computeSecondsTotal = 0;
  /** Tasks of this prefix per state, for progress bars. */
  readonly counts = new Map<TaskStatus, number>();
  constructor(readonly name: string) {}

  recordFinished(seconds: number, nbytes: number): void {
    this.durationAverage = this.durationAverage < 0 ? seconds : 0.5 * this.durationAverage + 0.5 * seconds;
    this.nbytesAverage = this.nbytesAverage < 0 ? nbytes : 0.5 * this.nbytesAverage + 0.5 * nbytes;
    this.finishedCount++;
    this.computeSecondsTotal += seconds;
  }

  moveCount(from: TaskStatus | null, to: TaskStatus): void {
    if (from) this.counts.set(from, (this.counts.get(from) ?? 1) - 1);
    this.counts.set(to, (this.counts.get(to) ?? 0) + 1);
  }
}

/**
 * One shared empty list for the many tasks with no dependencies, dependents, holders or
 * frames (a million tasks would otherwise carry a million empty arrays). Never mutated:
 * code that adds to such a list replaces it (see `appendTo`).
 */
const none: readonly never[] = Object.freeze([]);

/** The shared empty list, typed for a list field that `appendTo` grows. */
export function noneOf<T>(): T[] {
  return none as unknown as T[];
}

/** `list` with `item` appended, copying the shared empty list on first use. */
export function appendTo<T>(list: T[], item: T): T[] {
  if (list === noneOf<T>()) return [item];
  list.push(item);
  return list;
}

export class TaskState {
  status: TaskStatus = "released";
  dependencies: TaskState[] = noneOf();
  dependents: TaskState[] = noneOf();
  /** Dependencies not in memory yet. */
  waitingOn = 0;
  /** Dependents that are not done (memory/erred) and so may still need this result. */
  pendingDependents = 0;
  whoHas: WorkerState[] = noneOf();
  processingOn: WorkerState | null = null;
  /** Reported by the worker: the task is running on a thread (not just assigned). */
  executing = false;
  nbytes = -1;
  type = "";
  userPriority = 0;
  order = 0;
  retriesLeft = 0;
  suspicious = 0;
  runId = 0;
  rootish = false;
  /** Seconds this task added to its worker's occupancy (taken off again exactly). */
  occupancyShare = 0;
  /** Seconds since the epoch when the current run started (0 when not running). */
  startedAt = 0;
  exception: WireError | null = null;
  /** The task whose failure this task inherited. */
  exceptionBlame: TaskState | null = null;
  wantedBy: Set<ClientState> | null = null;
  restrictWorkers: string[] | null = null;
  allowOtherWorkers = false;
  /** Set while a scheduler-initiated steal of this task awaits the victim's answer. */
  stealing: WorkerState | null = null;
  /**
   * Workers that reported losing this result (unreadable spill file), until the scheduler next
   * hands out their fresh copy (handOutHolders); see dataMissing.
   */
  lostOn: WorkerState[] | null = null;
  /** Running but seceded (it waits on tasks it submitted): it holds no thread slot. */
  longRunning = false;
  /** Abstract resources one run holds on its worker (Dask's resource_restrictions). */
  resources: Resources | null = null;
  /** While in no-worker: why no running worker may run it (shown on the dashboard). */
  noWorkerReason: string | null = null;
  /** Seconds since the epoch when it last entered no-worker (for noWorkersTimeout). */
  noWorkerSince = 0;

  constructor(
    readonly key: string,
    readonly prefix: PrefixStats,
    readonly group: string,
    /** Null for scattered data, which has no lineage and cannot be recomputed. */
    public fn: FunctionRef | null,
    public args: unknown,
    public frames: Uint8Array[],
  ) {}

  /**
   * The addresses of its holders, as the scheduler hands them to a worker that will fetch it.
   * A holder handed out this way holds a copy made after any it lost: from here on a peer's
   * report that it is missing there is about that copy, and is believed (see dataMissing).
   */
  handOutHolders(): string[] {
    if (this.lostOn !== null) {
      const holders = this.whoHas;
      const stillLost = this.lostOn.filter((worker) => !holders.includes(worker));
      this.lostOn = stillLost.length > 0 ? stillLost : null;
    }
    return this.whoHas.map((holder) => holder.address);
  }

  get isDone(): boolean {
    return this.status === "memory" || this.status === "erred";
  }

  get isWanted(): boolean {
    return this.wantedBy !== null && this.wantedBy.size > 0;
  }
}

/** "setup-failed": a worker plugin threw at setup; it stays out of the pool until it restarts. */
export type WorkerStatus = "running" | "paused" | "closing-gracefully" | "setup-failed" | "closed";

export interface WorkerIdentity {
  address: string;
  name: string;
  nthreads: number;
  memoryLimit: number;
  localDirectory: string;
  pid: number;
  host: string;
  jobId?: string;
  /** Seconds since the epoch when the worker will retire by itself (its lifetime). */
  lifetimeEnd?: number;
  /** Abstract resources it offers (`--resources "GPU=2"`). */
  resources?: Resources;
  /** Its supervisor, when it has one (a nanny restarts it on `client.restart()`). */
  nanny?: string;
}

export interface WorkerMetricsSnapshot {
  cpu: number;
  memory: number;
  managedBytes: number;
  spilledBytes: number;
  executing: number;
  ready: number;
  inFlight: number;
  transferIncomingBytes: number;
  transferOutgoingBytes: number;
  eventLoopDelay: number;
}

export class WorkerState {
  status: WorkerStatus = "running";
  readonly processing = new Set<TaskState>();
  readonly hasWhat = new Set<TaskState>();
  /** Bytes of results held (managed memory as the scheduler sees it). */
  storedBytes = 0;
  /** Expected seconds of work assigned and not finished. */
  occupancy = 0;
  executingCount = 0;
  /** Processing tasks that seceded: they do not count against its thread slots. */
  longRunningCount = 0;
  lastSeen: number;
  readonly added: number;
  metrics: WorkerMetricsSnapshot = {
    cpu: 0, memory: 0, managedBytes: 0, spilledBytes: 0, executing: 0, ready: 0, inFlight: 0,
    transferIncomingBytes: 0, transferOutgoingBytes: 0, eventLoopDelay: 0,
  };
  /** Tasks that finished on this worker (for the dashboard). */
  finishedCount = 0;
  /** While retiring: results already being copied to other workers. */
  replicasRequested: Set<TaskState> | null = null;
  /** Amounts of its resources held by the tasks processing on it (Dask's used_resources). */
  readonly usedResources = new Map<string, number>();

  constructor(readonly identity: WorkerIdentity, now: number) {
    this.lastSeen = now;
    this.added = now;
  }

  get address(): string {
    return this.identity.address;
  }

  get nthreads(): number {
    return this.identity.nthreads;
  }

  get isRunning(): boolean {
    return this.status === "running";
  }
}

export class ClientState {
  readonly wants = new Set<TaskState>();
  constructor(readonly id: string) {}
}
