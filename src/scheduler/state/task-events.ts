/**
 * What workers report about tasks: started, finished, erred, replicas gained, data that
 * could not be fetched, and answers to steal requests. Reports about a run the scheduler no
 * longer expects (a stale runId, a worker the task was taken from) are ignored, and a result
 * nobody wants any more is freed on the worker at once.
 */
import type { StartStop } from "../../protocol/messages.js";
import type { ObservedStartStop } from "./commands.js";
import type { SchedulerEvent } from "./events.js";
import { appendTo, noneOf, type TaskState, type WorkerState } from "./entities.js";
import { addReplica } from "./intake.js";
import type { SchedulerState } from "./scheduler-state.js";
import { fillFromQueue, isNeeded, replicaLost, rerun, setStatus, startProcessing, stopProcessing } from "./transitions.js";

type TaskEvent = Extract<SchedulerEvent, { type: "tasks-started" | "task-long-running" | "task-rejoined" | "task-finished" | "task-erred" | "keys-added" | "data-missing" | "data-lost" | "steal-response" }>;

export function handleTaskEvent(state: SchedulerState, event: TaskEvent): void {
  const worker = state.workers.get(event.address);
  if (!worker) return;
  switch (event.type) {
    case "tasks-started":
      for (const key of event.keys) {
        const task = state.tasks.get(key);
        if (task && task.processingOn === worker && !task.executing) {
          task.executing = true;
          task.startedAt = event.now;
          worker.executingCount++;
        }
      }
      return;
    case "task-long-running": {
      // Seceded: it waits on tasks it submitted, so its slot (and its expected time) go to others.
      const task = state.tasks.get(event.key);
      if (!task || task.processingOn !== worker || task.longRunning) return;
      task.longRunning = true;
      worker.longRunningCount++;
      worker.occupancy = Math.max(0, worker.occupancy - task.occupancyShare);
      task.occupancyShare = 0;
      fillFromQueue(state, worker);
      return;
    }
    case "task-rejoined": {
      // Rejoined: it holds a thread slot again, so the worker has one fewer for others.
      const task = state.tasks.get(event.key);
      if (!task || task.processingOn !== worker || !task.longRunning) return;
      task.longRunning = false;
      worker.longRunningCount--;
      return;
    }
    case "task-finished":
      taskFinished(state, worker, event);
      return;
    case "task-erred":
      taskErred(state, worker, event);
      return;
    case "keys-added":
      for (const { key, nbytes } of event.keys) {
        const task = state.tasks.get(key);
        if (task && (task.status === "memory" || task.status === "processing")) addReplica(state, task, worker, nbytes, task.type);
        else state.toWorker(worker, { op: "free-keys", keys: [key] });
      }
      return;
    case "data-missing":
      dataMissing(state, worker, event.key, event.holder);
      return;
    case "data-lost":
      for (const key of event.keys) dataLost(state, worker, key, event.reason, event.now);
      return;
    case "steal-response": {
      const task = state.tasks.get(event.key);
      if (!task || task.processingOn !== worker || !task.stealing) return;
      const thief = task.stealing;
      task.stealing = null;
      if (!event.accepted || !thief.isRunning) return;
      stopProcessing(state, task);
      startProcessing(state, task, thief);
      return;
    }
  }
}

function taskFinished(state: SchedulerState, worker: WorkerState, event: Extract<TaskEvent, { type: "task-finished" }>): void {
  const task = state.tasks.get(event.key);
  if (!task || task.processingOn !== worker || task.runId !== event.runId) {
    // A result we no longer expect; keep it only if it is a welcome extra replica.
    if (task && task.status === "memory") addReplica(state, task, worker, event.nbytes, event.dataType);
    else state.toWorker(worker, { op: "free-keys", keys: [event.key] });
    return;
  }
  const compute = event.startstops.find((s) => s.action === "compute");
  task.prefix.recordFinished(compute ? Math.max(compute.stop - compute.start, 0) : 0, event.nbytes);
  stopProcessing(state, task);
  worker.finishedCount++;
  task.type = event.dataType;
  task.nbytes = event.nbytes;
  task.whoHas = appendTo(task.whoHas, worker);
  worker.hasWhat.add(task);
  worker.storedBytes += event.nbytes;
  setStatus(state, task, "memory");
  state.observe({ kind: "task", key: task.key, prefix: task.prefix.name, worker: worker.address, thread: event.thread, status: "OK", nbytes: event.nbytes, startstops: observedStartStops(event.startstops), ...(event.peakBytes !== undefined ? { peakBytes: event.peakBytes } : {}) });
  if (task.wantedBy) {
    const whoHas = [worker.address];
    for (const client of task.wantedBy) {
      state.toClient(client, { op: "key-in-memory", key: task.key, nbytes: event.nbytes, type: event.dataType, whoHas });
    }
  }
  for (const dependent of task.dependents) {
    if (dependent.status === "waiting") {
      dependent.waitingOn--;
      if (dependent.waitingOn === 0) state.recommend(dependent, "processing");
    }
  }
  if (!isNeeded(task)) state.recommend(task, "released");
  fillFromQueue(state, worker);
}

function taskErred(state: SchedulerState, worker: WorkerState, event: Extract<TaskEvent, { type: "task-erred" }>): void {
  const task = state.tasks.get(event.key);
  if (!task || task.processingOn !== worker || task.runId !== event.runId) return;
  state.observe({ kind: "task", key: task.key, prefix: task.prefix.name, worker: worker.address, thread: event.thread, status: "error", nbytes: 0, startstops: observedStartStops(event.startstops) });
  if (task.retriesLeft > 0) {
    task.retriesLeft--;
    stopProcessing(state, task);
    setStatus(state, task, "released");
    state.recommend(task, "waiting");
    fillFromQueue(state, worker);
    return;
  }
  state.recommend(task, "erred", { error: { ...event.error, taskKey: event.error.taskKey ?? task.key }, blame: task });
}

/**
 * Copies only the known fields of a worker's start/stops: the fast validation path does not
 * strip unknown ones, and task-stream records live long and go out to dashboards.
 */
function observedStartStops(startstops: StartStop[]): ObservedStartStop[] {
  return startstops.map((s) => (s.source ? { action: s.action, start: s.start, stop: s.stop, source: s.source } : { action: s.action, start: s.start, stop: s.stop }));
}

/**
 * A worker could not fetch `key` from `holder`: that replica is gone (or never existed).
 * Unless the holder reported losing it itself and its fresh copy (recomputed there) has not
 * been handed to a worker since: then this report is about the copy it lost, arriving late,
 * and the fresh one must stay. Once the fresh copy was handed out, a report may be about it
 * and is believed (TaskState.handOutHolders clears the mark).
 */
function dataMissing(state: SchedulerState, reporter: WorkerState, key: string, holderAddress: string): void {
  const task = state.tasks.get(key);
  if (!task) return;
  const holder = state.workers.get(holderAddress);
  if (holder && !task.lostOn?.includes(holder)) dropReplica(task, holder);
  replicaGone(state, task, reporter, `when it could not be fetched from ${holderAddress}`);
}

/**
 * A worker lost a key it held (its spill file could not be read back): as if that replica
 * never existed. Recomputed from its dependencies when it was the last copy and is needed.
 */
function dataLost(state: SchedulerState, reporter: WorkerState, key: string, reason: string, now: number): void {
  const task = state.tasks.get(key);
  if (!task) return;
  if (dropReplica(task, reporter)) {
    task.lostOn = appendTo(task.lostOn ?? noneOf(), reporter);
    state.observe({ kind: "task-lost", key, worker: reporter.address, reason, time: now });
  }
  replicaGone(state, task, reporter, `on ${reporter.address} (${reason})`);
}

/** Takes `holder` off the task's holders; false when it was not one. */
function dropReplica(task: TaskState, holder: WorkerState): boolean {
  if (!task.whoHas.includes(holder)) return false;
  task.whoHas = task.whoHas.filter((w) => w !== holder);
  holder.hasWhat.delete(task);
  holder.storedBytes -= Math.max(task.nbytes, 0);
  return true;
}

/** After a replica went: the reporter's tasks that needed it restart with fresh locations; the last one lost means recomputing. */
function replicaGone(state: SchedulerState, task: TaskState, reporter: WorkerState, how: string): void {
  for (const dependent of task.dependents) {
    if (dependent.processingOn === reporter && dependent.status === "processing") rerun(state, dependent);
  }
  if (task.whoHas.length === 0) replicaLost(state, task, how);
}
