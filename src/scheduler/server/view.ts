/**
 * The read-only view of a running scheduler for the dashboard, reports and cluster managers.
 * It exposes snapshots and live read access; nothing obtained here can change the state.
 */
import type { ObservedRecord } from "../state/commands.js";
import type { PrefixStats, TaskStatus, WorkerState } from "../state/entities.js";
import type { SchedulerServerContext } from "./server-context.js";
import type { TaskStreamLog } from "./task-stream.js";
import type { ProfileQuery, ProfileResult } from "./profile-store.js";
import type { ExtensionStats } from "./extensions/scheduler-extensions.js";
import { isHolderId } from "./extensions/key-holders.js";
import { adaptiveTarget } from "../policy/adaptive-target.js";
import type { StoryEntry } from "../../protocol/story.js";

export interface WorkerInfo {
  address: string;
  name: string;
  host: string;
  pid: number;
  nthreads: number;
  memoryLimit: number;
  localDirectory: string;
  jobId?: string;
  status: string;
  lastSeen: number;
  processing: number;
  executing: number;
  storedBytes: number;
  storedKeys: number;
  occupancy: number;
  finished: number;
  metrics: WorkerState["metrics"];
  /** Abstract resources it offers, and the amounts its processing tasks hold. */
  resources: Record<string, number>;
  usedResources: Record<string, number>;
}

/** Tasks waiting in no-worker for one reason: how many, and one of them. */
export interface UnrunnableGroup {
  reason: string;
  count: number;
  exampleKey: string;
  /** Seconds since the epoch when the longest-waiting of them started waiting. */
  since: number;
}

/** One transition of a key, on the scheduler or on a worker (the dashboard's task page). */
export type KeyStoryLine = StoryEntry;

/** What the view asks of the scheduler's workers (their logs and stories), for the info pages. */
export interface WorkerQueries {
  /** The worker's recent log (last `n` records), or null when no worker has that address or name. */
  workerLog(worker: string, n?: number): Promise<Array<{ time: number; level: string; component: string; message: string }> | null>;
  /** Every recorded transition of `key`, on the scheduler and on every worker, by time. */
  keyStory(key: string): Promise<KeyStoryLine[]>;
}

export interface SchedulerView extends WorkerQueries {
  readonly id: string;
  readonly address: string;
  readonly started: number;
  readonly services: Readonly<Record<string, number>>;
  workers(): WorkerInfo[];
  /** Task counts per prefix and status (progress bars). */
  progress(): Array<{ prefix: string; counts: Partial<Record<TaskStatus, number>>; durationAverage: number; computeSeconds: number }>;
  /** Current tasks (for the graph page); capped to `limit`. */
  tasks(limit?: number): Array<{ key: string; prefix: string; status: TaskStatus; deps: string[]; worker?: string }>;
  taskCount(): number;
  counts(): Record<string, number>;
  /** Why tasks wait in no-worker, grouped by reason (most tasks first). */
  unrunnable(): UnrunnableGroup[];
  /** Connected clients (not the holders that keep keys for queues, variables, datasets). */
  clientCount(): number;
  /** Semaphores and running totals of the extensions (metrics). */
  extensionStats(): ExtensionStats;
  /** Workers the current load asks for (Dask's adaptive_target, default target duration). */
  desiredWorkers(): number;
  readonly taskStream: TaskStreamLog;
  /** Sampled stacks of the workers' compute threads, merged over a time range. */
  profile(query?: ProfileQuery): ProfileResult;
  subscribe(listener: (record: ObservedRecord) => void): () => void;
}

export function workerInfo(worker: WorkerState): WorkerInfo {
  return {
    address: worker.address, name: worker.identity.name, host: worker.identity.host, pid: worker.identity.pid,
    nthreads: worker.nthreads, memoryLimit: worker.identity.memoryLimit, localDirectory: worker.identity.localDirectory,
    ...(worker.identity.jobId ? { jobId: worker.identity.jobId } : {}),
    status: worker.status, lastSeen: worker.lastSeen, processing: worker.processing.size, executing: worker.executingCount,
    storedBytes: worker.storedBytes, storedKeys: worker.hasWhat.size, occupancy: worker.occupancy,
    finished: worker.finishedCount, metrics: { ...worker.metrics },
    resources: { ...worker.identity.resources }, usedResources: Object.fromEntries(worker.usedResources),
  };
}

function prefixProgress(prefix: PrefixStats) {
  const counts: Partial<Record<TaskStatus, number>> = {};
  for (const [status, n] of prefix.counts) if (n > 0) counts[status] = n;
  return { prefix: prefix.name, counts, durationAverage: prefix.durationAverage, computeSeconds: prefix.computeSecondsTotal };
}

export function createSchedulerView(server: SchedulerServerContext, queries: WorkerQueries): SchedulerView {
  const state = server.state;
  const listeners = new Set<(record: ObservedRecord) => void>();
  server.addPlugin({ onRecord: (record) => listeners.forEach((listener) => listener(record)) });
  return {
    workerLog: (worker, n) => queries.workerLog(worker, n),
    keyStory: (key) => queries.keyStory(key),
    get id() { return server.id; },
    get address() { return server.address; },
    get started() { return server.started; },
    get services() { return server.services; },
    workers: () => [...state.workers.values()].map(workerInfo),
    progress: () => [...state.prefixes.values()].map(prefixProgress).filter((p) => Object.keys(p.counts).length > 0),
    tasks: (limit = 5000) => {
      const out = [];
      for (const task of state.tasks.values()) {
        if (out.length >= limit) break;
        out.push({ key: task.key, prefix: task.prefix.name, status: task.status, deps: task.dependencies.map((d) => d.key), ...(task.processingOn ? { worker: task.processingOn.address } : {}) });
      }
      return out;
    },
    taskCount: () => state.tasks.size,
    counts: () => {
      const counts: Record<string, number> = { released: 0, waiting: 0, queued: 0, "no-worker": 0, processing: 0, memory: 0, erred: 0 };
      for (const prefix of state.prefixes.values()) {
        for (const [status, n] of prefix.counts) if (status in counts) counts[status] += n;
      }
      return counts;
    },
    unrunnable: () => {
      const groups = new Map<string, UnrunnableGroup>();
      let seen = 0;
      for (const task of state.noWorker) {
        // Bounded: a million waiting tasks are summarised from their first ten thousand.
        if (++seen > 10_000) break;
        const reason = task.noWorkerReason ?? "no running worker may run it";
        const group = groups.get(reason);
        if (group) {
          group.count++;
          group.since = Math.min(group.since, task.noWorkerSince);
        } else groups.set(reason, { reason, count: 1, exampleKey: task.key, since: task.noWorkerSince });
      }
      return [...groups.values()].sort((a, b) => b.count - a.count);
    },
    clientCount: () => {
      let clients = 0;
      for (const id of state.clients.keys()) if (!isHolderId(id)) clients++;
      return clients;
    },
    extensionStats: () => server.extensions.stats(),
    desiredWorkers: () => adaptiveTarget(state.runningWorkers(), state.queued.values(), state.noWorker.size, state.settings),
    taskStream: server.taskStream,
    profile: (query) => server.profiles.query(query),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
