/**
 * Worker lifecycle: joining, heartbeats, pausing, graceful retirement, death (lost
 * connection or missed heartbeats), and the periodic tick that checks timeouts and moves
 * work from busy workers to idle ones.
 *
 * Blame (better than Dask): when a worker dies, only the tasks it reported as executing are
 * suspected of killing it; if it reported none (it died before it could say), every task it
 * was processing is. A task suspected more than allowedFailures times errs with KilledWorker.
 */
import type { SchedulerEvent } from "./events.js";
import { type TaskState, WorkerState } from "./entities.js";
import { type SchedulerState, heartbeatInterval } from "./scheduler-state.js";
import { fillFromQueue, isNeeded, replicaLost, rerun, setStatus, stopProcessing } from "./transitions.js";
import { chooseSteals } from "../policy/stealing.js";
import { checkNoWorkersTimeout } from "./no-workers-timeout.js";

type WorkerEvent = Extract<SchedulerEvent, { type: "worker-added" | "worker-removed" | "worker-status" | "worker-setup-failed" | "heartbeat" | "retire-workers" | "tick" }>;

export function handleWorkerEvent(state: SchedulerState, event: WorkerEvent): void {
  switch (event.type) {
    case "worker-added": {
      const old = state.workers.get(event.identity.address);
      if (old) removeWorker(state, old, "replaced by a worker at the same address", false, event.now);
      const worker = new WorkerState(event.identity, event.now);
      state.workers.set(worker.address, worker);
      state.totalThreads += worker.nthreads;
      state.observe({ kind: "worker-added", worker: worker.address, name: worker.identity.name, time: event.now });
      announceWorkers(state);
      workersAvailable(state);
      return;
    }
    case "worker-removed": {
      const worker = state.workers.get(event.address);
      if (worker) removeWorker(state, worker, event.reason, event.graceful, event.now);
      return;
    }
    case "worker-status": {
      const worker = state.workers.get(event.address);
      if (!worker || worker.status === "closed") return;
      if (event.status === "closing-gracefully") startRetirement(state, [worker]);
      else if (worker.status !== "closing-gracefully" && worker.status !== "setup-failed") {
        worker.status = event.status;
        if (event.status === "running") workersAvailable(state);
      }
      return;
    }
    case "worker-setup-failed": {
      // Out of the pool: its queued work goes elsewhere; what already runs there finishes.
      const worker = state.workers.get(event.address);
      if (!worker || worker.status === "closed") return;
      worker.status = "setup-failed";
      for (const task of [...worker.processing]) if (!task.executing) rerun(state, task);
      return;
    }
    case "heartbeat": {
      const worker = state.workers.get(event.address);
      if (!worker) return;
      worker.lastSeen = event.now;
      Object.assign(worker.metrics, event.metrics);
      return;
    }
    case "retire-workers":
      startRetirement(state, event.addresses.map((a) => state.workers.get(a)).filter((w): w is WorkerState => w !== undefined));
      progressRetirements(state);
      return;
    case "tick":
      tick(state, event.now);
      return;
  }
}

function announceWorkers(state: SchedulerState): void {
  state.emit({ type: "to-all-clients", message: { op: "workers-changed", nWorkers: state.workers.size, totalThreads: state.totalThreads } });
}

/** New capacity: tasks that had no worker get one, queued roots start. */
function workersAvailable(state: SchedulerState): void {
  for (const task of [...state.noWorker]) state.recommend(task, "processing");
  fillFromQueue(state);
}

function removeWorker(state: SchedulerState, worker: WorkerState, reason: string, graceful: boolean, now: number): void {
  worker.status = "closed";
  state.workers.delete(worker.address);
  state.totalThreads -= worker.nthreads;
  const processing = [...worker.processing];
  const reportedExecuting = processing.some((task) => task.executing);
  for (const task of processing) {
    // Read before stopProcessing, which clears `executing`.
    const suspect = !graceful && (task.executing || !reportedExecuting);
    stopProcessing(state, task);
    if (suspect) task.suspicious++;
    setStatus(state, task, "released");
    if (task.suspicious > state.settings.allowedFailures) {
      state.recommend(task, "erred", { error: killedWorkerError(state, task, worker, reason), blame: task });
    } else {
      state.recommend(task, "waiting");
    }
  }
  for (const task of worker.hasWhat) {
    task.whoHas = task.whoHas.filter((holder) => holder !== worker);
    if (task.whoHas.length === 0) replicaLost(state, task, `with its worker ${worker.address} (${reason})`);
  }
  worker.hasWhat.clear();
  worker.storedBytes = 0;
  state.observe({ kind: "worker-removed", worker: worker.address, name: worker.identity.name, reason, time: now });
  announceWorkers(state);
  fillFromQueue(state);
}

function killedWorkerError(state: SchedulerState, task: TaskState, worker: WorkerState, reason: string) {
  return {
    name: "KilledWorker",
    message: `Attempted to run task '${task.key}' on ${state.settings.allowedFailures + 1} different workers, but all those ` +
      `workers died while running it. The last worker that attempted to run the task was ${worker.address} ` +
      `(${worker.identity.name}): ${reason}. Check its logs; raise allowedFailures if workers die for unrelated reasons.`,
    stack: "",
    taskKey: task.key,
  };
}

function startRetirement(state: SchedulerState, workers: WorkerState[]): void {
  for (const worker of workers) {
    if (worker.status === "closing-gracefully" || worker.status === "closed") continue;
    worker.status = "closing-gracefully";
    // Work not started yet goes elsewhere; running tasks finish here.
    for (const task of [...worker.processing]) {
      if (!task.executing) rerun(state, task);
    }
  }
}

/** Copies unique results off retiring workers; closes each once nothing is left on it. */
function progressRetirements(state: SchedulerState): void {
  const done: string[] = [];
  const recipients = state.runningWorkers();
  for (const worker of state.workers.values()) {
    if (worker.status !== "closing-gracefully" || worker.processing.size > 0) continue;
    const stranded: TaskState[] = [];
    for (const task of worker.hasWhat) {
      if (task.whoHas.length === 1 && isNeeded(task)) stranded.push(task);
    }
    if (stranded.length === 0 || recipients.length === 0) {
      state.emit({ type: "close-worker", address: worker.address, reason: "retired", graceful: true });
      done.push(worker.address);
      continue;
    }
    const pendingCopies = (worker.replicasRequested ??= new Set());
    for (const task of stranded) {
      if (pendingCopies.has(task)) continue;
      pendingCopies.add(task);
      const target = recipients.reduce((best, w) => (w.storedBytes < best.storedBytes ? w : best));
      target.storedBytes += Math.max(task.nbytes, 0);
      state.toWorker(target, { op: "acquire-replicas", deps: [{ key: task.key, whoHas: [worker.address], nbytes: Math.max(task.nbytes, 0) }] });
    }
  }
  if (done.length > 0) state.emit({ type: "retirement-done", addresses: done });
}

function tick(state: SchedulerState, now: number): void {
  const ttl = Math.max(state.settings.workerTtl, 10 * heartbeatInterval(state.workers.size));
  for (const worker of [...state.workers.values()]) {
    if (now - worker.lastSeen > ttl) {
      const reason = `no heartbeat for ${Math.round(now - worker.lastSeen)} s`;
      removeWorker(state, worker, reason, false, now);
      state.emit({ type: "close-worker", address: worker.address, reason, graceful: false });
    }
  }
  progressRetirements(state);
  checkNoWorkersTimeout(state, now);
  if (state.settings.workStealing) {
    for (const { task, thief } of chooseSteals(state.workers.values(), state.settings, state.queued.size === 0)) {
      task.stealing = thief;
      state.toWorker(task.processingOn as WorkerState, { op: "steal-request", key: task.key });
    }
  }
  const idleTimeout = state.settings.idleTimeout;
  if (idleTimeout !== null && now - state.lastActivity > idleTimeout && state.isIdle()) {
    state.emit({ type: "idle-timeout", idleSeconds: now - state.lastActivity });
  }
}
