/**
 * The task state machine: every change of a task's status goes through `setStatus` here,
 * mostly by way of `applyTransition`. A recommendation names the target status; the
 * transition checks that it still makes sense (the task may have moved on since it was
 * recommended), performs it, and recommends follow-ups (dependents that became runnable,
 * dependencies no longer needed, …).
 *
 * Invariants kept here:
 * - `waitingOn` = dependencies not in memory, for tasks in waiting;
 * - `pendingDependents` = dependents not done (memory or erred) and not forgotten;
 * - a task in processing is in exactly its worker's `processing` set;
 * - memory ⇔ at least one worker in `whoHas`.
 */
import { isIndependentRoot } from "./root-runs.js";
import { unpackArgs } from "../../protocol/packed-args.js";
import { expectedDuration, decideWorker, explainNoWorker, freeRootSlots, holdResources, pickQueuedFor, pickRootWorker, ROOT_LOOKAHEAD, siblingBytesElsewhere } from "../policy/placement.js";
import { busyWithoutIt } from "../policy/dispatch-urgency.js";
import type { WireError } from "../../protocol/payload.js";
import { noneOf, type TaskState, type TaskStatus, type WorkerState } from "./entities.js";
import type { SchedulerState } from "./scheduler-state.js";

/** Changes the status and keeps the derived counters right. */
export function setStatus(state: SchedulerState, task: TaskState, to: TaskStatus): void {
  const from = task.status;
  if (from === to) return;
  const wasDone = from === "memory" || from === "erred" || from === "forgotten";
  const isDone = to === "memory" || to === "erred" || to === "forgotten";
  if (wasDone !== isDone) {
    const delta = isDone ? -1 : 1;
    for (const dep of task.dependencies) {
      if (dep.status === "forgotten") continue;
      dep.pendingDependents += delta;
      if (dep.pendingDependents === 0 && !dep.isWanted) state.recommend(dep, "released");
    }
  }
  task.status = to;
  task.prefix.moveCount(from, to);
  const worker = task.processingOn ?? task.whoHas[task.whoHas.length - 1] ?? null;
  state.transitions.record(task.key, from, to, worker?.address ?? null, state.now, state.stimulus);
}

export function isNeeded(task: TaskState): boolean {
  return task.isWanted || task.pendingDependents > 0;
}

export function applyTransition(state: SchedulerState, task: TaskState, to: TaskStatus, detail: unknown): void {
  const from = task.status;
  if (from === "forgotten") return;
  switch (to) {
    case "waiting":
      if (from === "released") toWaiting(state, task);
      return;
    case "processing":
      if (from === "waiting" && task.waitingOn === 0) makeRunnable(state, task);
      else if (from === "no-worker") {
        state.noWorker.delete(task);
        setStatus(state, task, "waiting");
        makeRunnable(state, task);
      }
      return;
    case "released":
      if (from === "memory") {
        if (!isNeeded(task)) releaseMemory(state, task);
      } else if (from !== "released") releaseUnfinished(state, task);
      return;
    case "erred":
      if (from !== "erred" && from !== "memory") toErred(state, task, detail as ErredDetail);
      return;
    case "forgotten":
      if ((from === "released" || from === "erred") && !task.isWanted && !hasLiveDependents(task)) forget(state, task);
      return;
    default:
      return;
  }
}

function hasLiveDependents(task: TaskState): boolean {
  for (const dependent of task.dependents) if (dependent.status !== "forgotten") return true;
  return false;
}

/** released → waiting: make sure every dependency is (being) computed. */
function toWaiting(state: SchedulerState, task: TaskState): void {
  if (task.fn === null) {
    lose(state, task, "scattered data was lost with its worker and cannot be recomputed");
    return;
  }
  let waitingOn = 0;
  for (const dep of task.dependencies) {
    if (dep.status === "erred") {
      setStatus(state, task, "waiting");
      toErred(state, task, { error: dep.exception as WireError, blame: dep.exceptionBlame ?? dep });
      return;
    }
    if (dep.status !== "memory") {
      waitingOn++;
      if (dep.status === "released") state.recommend(dep, "waiting");
    }
  }
  task.waitingOn = waitingOn;
  setStatus(state, task, "waiting");
  if (waitingOn === 0) state.recommend(task, "processing");
}

/** waiting (all dependencies in memory) → processing | queued | no-worker. */
function makeRunnable(state: SchedulerState, task: TaskState): void {
  if (task.rootish && state.queued.size > 0 && state.hasRunningWorker()) {
    // Behind the root tasks already queued (what the general path below does then too,
    // without listing the workers for each of a million roots).
    queueRoot(state, task);
    return;
  }
  const running = state.runningWorkers();
  if (running.length === 0) {
    toNoWorker(state, task, explainNoWorker(task, running, state.workers.values()));
    return;
  }
  if (task.rootish) {
    if (isIndependentRoot(task) && Number.isFinite(state.settings.workerSaturation)) {
      // Queued even when a slot is free: the event's whole batch is cut into runs first.
      queueRoot(state, task);
      state.rootsToHandOut = true;
      return;
    }
    const worker = state.queued.size === 0 ? pickRootWorker(running, task, state.settings) : undefined;
    if (worker) startProcessing(state, task, worker);
    else queueRoot(state, task);
    return;
  }
  const worker = decideWorker(task, running, state.settings);
  if (worker) startProcessing(state, task, worker);
  else toNoWorker(state, task, explainNoWorker(task, running));
}

function queueRoot(state: SchedulerState, task: TaskState): void {
  // Put back (its worker died): it goes out next, not from a run it left (root-runs.ts).
  state.rootRuns.requeued(task);
  task.noWorkerReason = null;
  setStatus(state, task, "queued");
  state.queued.push(task);
}

/** Parks a runnable task until a worker that may run it joins; `reason` says why it waits. */
function toNoWorker(state: SchedulerState, task: TaskState, reason: string): void {
  // Back from a failed placement (a worker joined that still does not fit): it waited all along.
  if (task.noWorkerReason === null) task.noWorkerSince = state.now;
  task.noWorkerReason = reason;
  setStatus(state, task, "no-worker");
  state.noWorker.add(task);
}

/** Takes a runnable task out of the root-task queue or the no-worker set, wherever it waits. */
export function removeFromQueues(state: SchedulerState, task: TaskState): void {
  if (task.status === "queued") {
    state.queued.remove(task);
    state.rootRuns.forget(task);
  } else if (task.status === "no-worker") {
    state.noWorker.delete(task);
    task.noWorkerReason = null;
  }
}

export function startProcessing(state: SchedulerState, task: TaskState, worker: WorkerState): void {
  const soon = busyWithoutIt(worker);
  task.processingOn = worker; // before the status, so that the story names the worker
  setStatus(state, task, "processing");
  task.executing = false;
  task.runId++;
  worker.processing.add(task);
  task.noWorkerReason = null;
  holdResources(task, worker, 1);
  task.occupancyShare = expectedDuration(task.prefix, state.settings);
  worker.occupancy += task.occupancyShare;
  const deps = task.dependencies.map((dep) => ({
    key: dep.key,
    whoHas: dep.handOutHolders(),
    nbytes: Math.max(dep.nbytes, 0),
  }));
  state.toWorker(worker, {
    op: "compute-task",
    key: task.key,
    runId: task.runId,
    priority: [-task.userPriority, task.order],
    fn: task.fn as NonNullable<TaskState["fn"]>,
    args: unpackArgs(task.args),
    deps,
    prefix: task.prefix.name,
    ...(task.resources ? { resources: task.resources } : {}),
  }, task.frames, soon);
}

/** Takes a task off its worker's books (finished, lost, cancelled or stolen). */
export function stopProcessing(state: SchedulerState, task: TaskState): WorkerState | null {
  const worker = task.processingOn;
  if (!worker) return null;
  worker.processing.delete(task);
  holdResources(task, worker, -1);
  if (task.longRunning) {
    task.longRunning = false;
    worker.longRunningCount--;
  }
  worker.occupancy = worker.processing.size === 0 ? 0 : Math.max(0, worker.occupancy - task.occupancyShare);
  task.occupancyShare = 0;
  if (task.executing) worker.executingCount = Math.max(0, worker.executingCount - 1);
  task.processingOn = null;
  task.executing = false;
  task.stealing = null;
  return worker;
}

/**
 * processing → released → waiting: takes a task off its worker, tells the worker to drop it,
 * and schedules it again (with fresh dependency locations).
 */
export function rerun(state: SchedulerState, task: TaskState): void {
  const worker = stopProcessing(state, task);
  if (worker) state.toWorker(worker, { op: "free-keys", keys: [task.key] });
  setStatus(state, task, "released");
  state.recommend(task, "waiting");
}

/**
 * Hands queued root tasks to workers with free slots: the worker for the queue head, then
 * the task for that worker among the first few queued (placement's pickQueuedFor).
 */
export function fillFromQueue(state: SchedulerState, only?: WorkerState): void {
  if (state.queued.size === 0) state.rootRuns.clear();
  while (state.queued.size > 0) {
    const head = state.queued.peek() as TaskState;
    let worker: WorkerState | undefined;
    if (only) {
      if (!only.isRunning || freeRootSlots(only, head.prefix, state.settings) <= 0) return;
      worker = only;
    } else {
      worker = pickRootWorker(state.workers.values(), head, state.settings);
      if (!worker) return;
    }
    startProcessing(state, takeQueuedFor(state, worker), worker);
  }
}

/** Pops the queued root task `worker` should run next, putting back the others it looked at. */
function takeQueuedFor(state: SchedulerState, worker: WorkerState): TaskState {
  // Independent roots: the next of the worker's contiguous run (root-runs.ts).
  // Only a cut needs the running workers: listing them per take costs O(workers) each.
  const fromRun = state.rootRuns.take(state.queued, () => state.runningWorkers(), worker);
  if (fromRun) {
    state.queued.remove(fromRun);
    return fromRun;
  }
  const head = state.queued.pop() as TaskState;
  if (siblingBytesElsewhere(head, worker) === 0) {
    state.rootRuns.forget(head);
    return head;
  }
  // Only among tasks of the head's user priority: a task of lower priority never jumps ahead.
  const window = [head];
  while (window.length < ROOT_LOOKAHEAD && (state.queued.peek() as TaskState | undefined)?.userPriority === head.userPriority) {
    window.push(state.queued.pop() as TaskState);
  }
  const chosen = pickQueuedFor(window, worker);
  for (let i = 0; i < window.length; i++) if (i !== chosen) state.queued.push(window[i]);
  state.rootRuns.forget(window[chosen]);
  return window[chosen];
}

/** memory → released: drop every replica; recompute later if something still needs it. */
function releaseMemory(state: SchedulerState, task: TaskState): void {
  for (const holder of task.whoHas) {
    holder.hasWhat.delete(task);
    holder.storedBytes -= Math.max(task.nbytes, 0);
    state.toWorker(holder, { op: "free-keys", keys: [task.key] });
  }
  task.whoHas = noneOf();
  setStatus(state, task, "released");
  state.recommend(task, "forgotten");
}

/**
 * The last replica of a result vanished (its worker died, its spill file was unreadable):
 * whatever depends on it and is not done must wait for it again, and the result is
 * recomputed if something needs it. Scattered data has no recipe: what needs it fails,
 * with `how` it was lost in the message.
 */
export function replicaLost(state: SchedulerState, task: TaskState, how: string): void {
  if (task.status !== "memory" || task.whoHas.length > 0) return;
  setStatus(state, task, "released");
  for (const dependent of task.dependents) {
    if (dependent.status === "waiting") dependent.waitingOn++;
    else if (dependent.status === "processing" || dependent.status === "queued" || dependent.status === "no-worker") {
      releaseUnfinished(state, dependent);
    }
  }
  if (!isNeeded(task)) state.recommend(task, "forgotten");
  else if (task.fn === null) lose(state, task, `scattered data was lost ${how} and cannot be recomputed; scatter it again`);
  else state.recommend(task, "waiting");
}

/** waiting | queued | no-worker | processing | erred → released (cancelled, or to rerun). */
function releaseUnfinished(state: SchedulerState, task: TaskState): void {
  removeFromQueues(state, task);
  if (task.status === "processing") {
    const worker = stopProcessing(state, task);
    if (worker) {
      state.toWorker(worker, { op: "free-keys", keys: [task.key] });
      fillFromQueue(state, worker);
    }
  }
  if (task.status === "erred") {
    task.exception = null;
    task.exceptionBlame = null;
  }
  task.waitingOn = 0;
  setStatus(state, task, "released");
  if (isNeeded(task)) state.recommend(task, "waiting");
  else state.recommend(task, "forgotten");
}

interface ErredDetail {
  error: WireError;
  blame: TaskState;
}

/** → erred, and every dependent that is not done errs with the same exception. */
function toErred(state: SchedulerState, task: TaskState, detail: ErredDetail): void {
  removeFromQueues(state, task);
  if (task.status === "processing") {
    const worker = stopProcessing(state, task);
    if (worker) fillFromQueue(state, worker);
  }
  task.exception = detail.error;
  task.exceptionBlame = detail.blame === task ? null : detail.blame;
  setStatus(state, task, "erred");
  if (task.wantedBy) {
    for (const client of task.wantedBy) state.toClient(client, { op: "key-erred", key: task.key, error: detail.error });
  }
  for (const dependent of task.dependents) {
    if (dependent.status !== "forgotten" && !dependent.isDone && dependent.status !== "released") {
      state.recommend(dependent, "erred", detail);
    }
  }
}

/** A result that cannot come back (lost scattered data): tell the clients, then forget. */
function lose(state: SchedulerState, task: TaskState, reason: string): void {
  if (task.wantedBy) {
    for (const client of task.wantedBy) {
      state.toClient(client, { op: "key-cancelled", key: task.key, reason });
      client.wants.delete(task);
    }
    task.wantedBy = null;
  }
  for (const dependent of task.dependents) {
    if (dependent.status !== "forgotten" && !dependent.isDone) {
      state.recommend(dependent, "erred", {
        error: { name: "LostDataError", message: `input ${task.key} was lost: ${reason}`, stack: "" },
        blame: task,
      });
    }
  }
  state.recommend(task, "forgotten");
}

function forget(state: SchedulerState, task: TaskState): void {
  setStatus(state, task, "forgotten");
  state.tasks.delete(task.key);
  task.args = null;
  task.frames = noneOf();
  for (const dep of task.dependencies) {
    if (dep.status === "forgotten" || dep.isWanted || hasLiveDependents(dep)) continue;
    state.recommend(dep, dep.status === "memory" ? "released" : "forgotten");
  }
}
