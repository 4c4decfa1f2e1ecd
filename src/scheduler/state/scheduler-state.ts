/**
 * What the scheduler knows: tasks (TaskState), workers, clients and task prefixes, the
 * root-task queue, and the pending recommendations and commands of the event being handled.
 * scheduler-machine.ts drives it; the handler modules read and change it. No sockets,
 * timers or clocks in here, so every scheduling situation can be stated in a test.
 */
import { RootRuns } from "./root-runs.js";
import { Heap } from "../../core/heap.js";
import { keyGroup, keySplit } from "../../graph/keys.js";
import type { OutgoingMessage } from "../../comm/connection.js";
import type { PlacementSettings } from "../policy/placement.js";
import type { SchedulerCommand, ObservedRecord } from "./commands.js";
import { ClientState, PrefixStats, type TaskState, type TaskStatus, type WorkerState } from "./entities.js";
import { TransitionLog } from "./transition-log.js";

export interface SchedulerSettings extends PlacementSettings {
  /** Worker deaths a task may witness before it errs with KilledWorker (Dask: 3). */
  allowedFailures: number;
  /** Seconds without a heartbeat before a worker is considered dead (Dask: 300). */
  workerTtl: number;
  /** Seconds without any work before the scheduler closes itself; null for never. */
  idleTimeout: number | null;
  /** Move queued-on-worker tasks from busy to idle workers. */
  workStealing: boolean;
  /**
   * Seconds a runnable task may wait for a worker that can run it (no workers at all, or none
   * fitting its restrictions) before it errs; null waits for ever (Dask's
   * distributed.scheduler.no-workers-timeout).
   */
  noWorkersTimeout: number | null;
}

export const defaultSchedulerSettings: SchedulerSettings = {
  allowedFailures: 3,
  workerTtl: 300,
  idleTimeout: null,
  workStealing: true,
  noWorkersTimeout: null,
  workerSaturation: 1.1,
  bandwidth: 100e6,
  unknownTaskDuration: 0.5,
  latencyCover: 0.01,
};

/** Dask's heartbeat interval rule: 0.5 s up to 10 workers, longer for big clusters. */
export function heartbeatInterval(nWorkers: number): number {
  if (nWorkers <= 10) return 0.5;
  if (nWorkers < 50) return 1;
  if (nWorkers < 200) return 2;
  return nWorkers / 200 + 1;
}

function priorityLess(a: TaskState, b: TaskState): boolean {
  if (a.userPriority !== b.userPriority) return a.userPriority > b.userPriority;
  return a.order < b.order;
}

/** Recommended transitions, in order: task i to statuses[i], with details[i]. */
export interface Recommendations {
  tasks: TaskState[];
  statuses: TaskStatus[];
  details: unknown[];
}

/** A block layer's tasks by block index over its whole grid (all its parts): layer-staging.ts. */
export interface LayerGrid {
  counts: number[];
  tasks: TaskState[];
}

/** A graph arriving in parts, staged so far (graph-staging.ts). */
export interface StagedGraph {
  /** Tasks this submission created, in arrival order. */
  created: TaskState[];
  /** Dependency keys not registered yet, with the created tasks waiting to link to them. */
  unresolved: Map<string, TaskState[]>;
  /** Its block layers' tasks by block index, per key prefix (layer-staging.ts). */
  grids: Map<string, LayerGrid>;
  /** Created tasks whose dependencies are known to be listed in key order (layer-staging.ts). */
  inKeyOrder: Set<TaskState>;
}

export class SchedulerState {
  readonly tasks = new Map<string, TaskState>();
  readonly workers = new Map<string, WorkerState>();
  readonly clients = new Map<string, ClientState>();
  /** Graphs arriving in parts, by client id and submission (graph-staging.ts). */
  readonly stagedGraphs = new Map<string, Map<string, StagedGraph>>();
  readonly prefixes = new Map<string, PrefixStats>();
  /** Root-ish tasks waiting for a worker slot, best first. */
  readonly queued = new Heap<TaskState>(priorityLess);
  /** Contiguous runs of the queued independent roots per worker (root-runs.ts). */
  readonly rootRuns = new RootRuns();
  /** Independent roots were queued during this event: hand them out once it is handled (scheduler-machine.ts). */
  rootsToHandOut = false;
  readonly noWorker = new Set<TaskState>();
  /** Next priority number handed to a submitted graph's tasks. */
  nextOrder = 0;
  totalThreads = 0;
  /** Seconds since the epoch of the last change of any task (for idle-timeout). */
  lastActivity = 0;
  /** The time of the event being handled (seconds since the epoch; events bring it). */
  now = 0;
  /** Events handled so far; with the type, the stimulus id of the current one ("tick-12"). */
  eventCount = 0;
  stimulus = "";
  /** Every task transition, for stories (bounded). */
  readonly transitions = new TransitionLog();
  /** Since when no worker has been running while tasks were queued (0: not the case). */
  noRunningWorkersSince = 0;
  private commands: SchedulerCommand[] = [];
  /** Pending recommendations as parallel lists (a million-task graph makes millions: no tuple each). */
  private recommendations: Recommendations = { tasks: [], statuses: [], details: [] };

  constructor(readonly settings: SchedulerSettings = defaultSchedulerSettings) {}

  // ---- used by the handler modules ----

  recommend(task: TaskState, status: TaskStatus, detail?: unknown): void {
    const pending = this.recommendations;
    pending.tasks.push(task);
    pending.statuses.push(status);
    pending.details.push(detail);
  }

  /** Takes the pending recommendations (the machine applies them). */
  takeRecommendations(): Recommendations {
    const out = this.recommendations;
    this.recommendations = { tasks: [], statuses: [], details: [] };
    return out;
  }

  /** Whether any worker is running (runningWorkers without the list). */
  hasRunningWorker(): boolean {
    for (const worker of this.workers.values()) if (worker.isRunning) return true;
    return false;
  }

  /** Takes the commands produced so far. */
  takeCommands(): SchedulerCommand[] {
    const out = this.commands;
    this.commands = [];
    return out;
  }

  emit(command: SchedulerCommand): void {
    this.commands.push(command);
  }

  toWorker(worker: WorkerState, message: OutgoingMessage, frames?: Uint8Array[], soon = false): void {
    this.commands.push({ type: "to-worker", address: worker.address, message, ...(frames && frames.length ? { frames } : {}), ...(soon ? { soon: true } : {}) });
  }

  toClient(client: ClientState, message: OutgoingMessage): void {
    this.commands.push({ type: "to-client", clientId: client.id, message });
  }

  observe(record: ObservedRecord): void {
    this.commands.push({ type: "observe", record });
  }

  /**
   * The last key stem prefixFor saw and what it gave (a graph's blocks arrive in runs of one
   * array: `sum-3f2a-partial-0-12.7`, …): keys that are the stem and a block index have the
   * same prefix and group, so a run of a million blocks splits its key once.
   */
  private lastStem: { stem: string; found: { prefix: PrefixStats; group: string } } | undefined;

  prefixFor(key: string): { prefix: PrefixStats; group: string } {
    const last = this.lastStem;
    if (last && key.startsWith(last.stem) && isIndexTail(key, last.stem.length)) return last.found;
    const found = this.findPrefix(key);
    const stem = indexStem(key);
    this.lastStem = stem === undefined ? undefined : { stem, found };
    return found;
  }

  private findPrefix(key: string): { prefix: PrefixStats; group: string } {
    const name = keySplit(key);
    let prefix = this.prefixes.get(name);
    if (!prefix) {
      prefix = new PrefixStats(name);
      this.prefixes.set(name, prefix);
    }
    return { prefix, group: keyGroup(key) };
  }

  clientFor(id: string): ClientState {
    let client = this.clients.get(id);
    if (!client) {
      client = new ClientState(id);
      this.clients.set(id, client);
    }
    return client;
  }

  runningWorkers(): WorkerState[] {
    const running: WorkerState[] = [];
    for (const worker of this.workers.values()) if (worker.isRunning) running.push(worker);
    return running;
  }

  /** True when nothing is queued, waiting or running. */
  isIdle(): boolean {
    if (this.queued.size > 0 || this.noWorker.size > 0) return false;
    for (const worker of this.workers.values()) if (worker.processing.size > 0) return false;
    for (const prefix of this.prefixes.values()) if ((prefix.counts.get("waiting") ?? 0) > 0) return false;
    return true;
  }
}

/**
 * The stem of a key that is a stem ending in "-" and a block index of digits and dots (not a
 * tuple key): keySplit and keyGroup of such a key stop before the index, so every key of the
 * stem has the same. Undefined for any other key.
 */
function indexStem(key: string): string | undefined {
  if (key.startsWith("(")) return undefined;
  let at = key.length;
  while (at > 0 && isIndexChar(key.charCodeAt(at - 1))) at--;
  if (at === key.length || at === 0 || key.charCodeAt(at - 1) !== 45 /* - */) return undefined;
  return key.slice(0, at);
}

/** Whether `key` from `from` on is a non-empty block index of digits and dots. */
function isIndexTail(key: string, from: number): boolean {
  if (from >= key.length) return false;
  for (let i = from; i < key.length; i++) if (!isIndexChar(key.charCodeAt(i))) return false;
  return true;
}

function isIndexChar(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 46; // 0-9 .
}
