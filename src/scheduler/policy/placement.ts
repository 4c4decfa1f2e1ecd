/**
 * Where a task runs (Dask's decide_worker), as pure functions of the situation.
 *
 * - Root-ish tasks (loaders: no dependencies) are queued on the scheduler and handed to a
 *   worker only when it has a free slot: at most ceil(saturation × nthreads) tasks in
 *   processing, so loaders never run far ahead of the tasks that consume their output.
 *   For tiny tasks (measured well under the messaging round trip) a worker may hold a few
 *   more, enough to cover that round trip: otherwise threads sit idle between tasks.
 * - Root tasks whose outputs meet in a dependent (x_ij and x_ji in x + x.T) are placed
 *   together where that saves moving bytes: a worker with a free slot takes, among the first
 *   few queued root tasks, the one whose siblings (the other inputs of its dependents) it
 *   already holds or runs, rather than one whose siblings are elsewhere; and a root task goes
 *   to the worker minimising (its load × the expected duration + the sibling bytes it lacks /
 *   bandwidth). Dask (2022.12, queuing on) hands out the queue head only and moves one
 *   input of every split pair; this only reorders within a short window and never leaves a
 *   worker with a free slot idle while tasks are queued.
 * - Independent root tasks (no siblings: a persist's blocks) are handed out in contiguous
 *   runs of their priority order, one run per worker (state/root-runs.ts), as Dask's
 *   co-assignment did before queuing: neighbouring blocks, which a reduction's first level
 *   combines, then live on one worker.
 * - Other tasks go where their dependencies are: the running worker minimising
 *   (occupancy per thread + bytes it would have to fetch / bandwidth), then stored bytes.
 * - A task that asks for abstract resources (`resources: { GPU: 1 }`) may only go to a worker
 *   that offers at least that much of each (Dask's valid_workers); among those, one where the
 *   amounts are free now is preferred. The worker itself never runs more than its resources
 *   allow at once (the rest wait there, "constrained"), so nothing is ever over-committed.
 *   A task no running worker may run waits in no-worker, and `noWorkerReason` says why.
 */
import { describeResources } from "../../protocol/resources.js";
import type { PrefixStats, TaskState, WorkerState } from "../state/entities.js";

export interface PlacementSettings {
  /** Dask's worker-saturation (1.1); Infinity disables root-task queuing. */
  workerSaturation: number;
  /** Assumed worker-to-worker bandwidth in bytes per second. */
  bandwidth: number;
  /** Seconds assumed for a task of a prefix never seen finishing. */
  unknownTaskDuration: number;
  /** Seconds of messaging round trip to cover with extra tiny tasks per worker. */
  latencyCover: number;
}

export function expectedDuration(prefix: PrefixStats, settings: PlacementSettings): number {
  return prefix.durationAverage >= 0 ? prefix.durationAverage : settings.unknownTaskDuration;
}

/** How many tasks a worker may hold in processing before root tasks wait in the queue. */
function rootSlots(worker: WorkerState, nextPrefix: PrefixStats | undefined, settings: PlacementSettings): number {
  if (!Number.isFinite(settings.workerSaturation)) return Number.POSITIVE_INFINITY;
  const base = Math.max(Math.ceil(settings.workerSaturation * worker.nthreads), 1);
  if (!nextPrefix || nextPrefix.durationAverage < 0) return base;
  const tiny = nextPrefix.durationAverage < settings.latencyCover && nextPrefix.nbytesAverage < 64 * 1024;
  if (!tiny) return base;
  const cover = Math.ceil(settings.latencyCover / Math.max(nextPrefix.durationAverage, 1e-6));
  return base + Math.min(cover, 63) * worker.nthreads;
}

/** Seceded (long-running) tasks hold no slot: they wait on tasks they submitted (Dask: processing − long_running). */
export function freeRootSlots(worker: WorkerState, nextPrefix: PrefixStats | undefined, settings: PlacementSettings): number {
  return rootSlots(worker, nextPrefix, settings) - (worker.processing.size - worker.longRunningCount);
}

/** Dependents with more inputs than this are ignored when co-locating siblings (little to save, much to scan). */
const SIBLING_FAN_IN_LIMIT = 32;
/**
 * Siblings with smaller outputs count nothing: moving 64 KiB takes less than a messaging round
 * trip (0.6 ms at 100 MB/s), not worth reordering the queue for, and the many tiny partials of
 * a large tree reduction then take the queue head without a lookahead.
 */
const MIN_SIBLING_BYTES = 64 * 1024;
/** How many queued root tasks a worker with a free slot looks at for one whose siblings it holds. */
export const ROOT_LOOKAHEAD = 8;

/**
 * Bytes that `task`'s dependents would have to fetch from other workers if `task` ran on
 * `worker`: the outputs of its siblings (the other inputs of its dependents) that are running
 * or stored elsewhere. Siblings not yet placed count nothing. A running sibling counts its
 * prefix's average output size (0 while none has finished); outputs under MIN_SIBLING_BYTES
 * count nothing.
 */
export function siblingBytesElsewhere(task: TaskState, worker: WorkerState): number {
  let bytes = 0;
  for (const dependent of task.dependents) {
    if (dependent.dependencies.length > SIBLING_FAN_IN_LIMIT) continue;
    for (const sibling of dependent.dependencies) {
      if (sibling === task) continue;
      let elsewhere = 0;
      if (sibling.status === "processing") {
        if (sibling.processingOn !== worker) elsewhere = sibling.prefix.nbytesAverage;
      } else if (sibling.status === "memory" && sibling.whoHas.length > 0 && !sibling.whoHas.includes(worker)) {
        elsewhere = sibling.nbytes;
      }
      if (elsewhere >= MIN_SIBLING_BYTES) bytes += elsewhere;
    }
  }
  return bytes;
}

/**
 * The running worker with a free slot for root task `task` minimising its load (tasks in
 * processing per thread × the task's expected duration) plus the seconds to move the sibling
 * bytes it lacks; ties go to the lower load.
 */
export function pickRootWorker(
  workers: Iterable<WorkerState>,
  task: TaskState,
  settings: PlacementSettings,
): WorkerState | undefined {
  let best: WorkerState | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  let bestLoad = Number.POSITIVE_INFINITY;
  const duration = expectedDuration(task.prefix, settings);
  for (const worker of workers) {
    if (!worker.isRunning || freeRootSlots(worker, task.prefix, settings) <= 0) continue;
    const load = (worker.processing.size - worker.longRunningCount) / worker.nthreads;
    const cost = load * duration + siblingBytesElsewhere(task, worker) / settings.bandwidth;
    if (cost < bestCost || (cost === bestCost && load < bestLoad)) {
      best = worker;
      bestCost = cost;
      bestLoad = load;
    }
  }
  return best;
}

/**
 * Which of the first queued root tasks (`window`, in priority order) `worker` should take:
 * the first with the fewest sibling bytes elsewhere (the first of all when none has any).
 */
export function pickQueuedFor(window: readonly TaskState[], worker: WorkerState): number {
  let best = 0;
  let bestBytes = Number.POSITIVE_INFINITY;
  for (let i = 0; i < window.length; i++) {
    const bytes = siblingBytesElsewhere(window[i], worker);
    if (bytes < bestBytes) {
      best = i;
      bestBytes = bytes;
      if (bytes === 0) break;
    }
  }
  return best;
}

function namedIn(task: TaskState, worker: WorkerState): boolean {
  if (!task.restrictWorkers) return true;
  return task.restrictWorkers.includes(worker.address) || task.restrictWorkers.includes(worker.identity.name) ||
    task.restrictWorkers.includes(worker.identity.host);
}

/** Whether the worker offers at least the amounts the task asks for (in total). */
export function offersResources(task: TaskState, worker: WorkerState): boolean {
  if (!task.resources) return true;
  const offered = worker.identity.resources ?? {};
  for (const name in task.resources) if ((offered[name] ?? 0) < task.resources[name]) return false;
  return true;
}

/** Whether the amounts the task asks for are free on the worker now. */
export function resourcesFree(task: TaskState, worker: WorkerState): boolean {
  if (!task.resources) return true;
  const offered = worker.identity.resources ?? {};
  for (const name in task.resources) {
    if ((offered[name] ?? 0) - (worker.usedResources.get(name) ?? 0) < task.resources[name]) return false;
  }
  return true;
}

/** Takes (sign 1) or gives back (sign -1) the task's resources on the worker's books. */
export function holdResources(task: TaskState, worker: WorkerState, sign: 1 | -1): void {
  if (!task.resources) return;
  for (const name in task.resources) {
    const used = (worker.usedResources.get(name) ?? 0) + sign * task.resources[name];
    if (used > 1e-9) worker.usedResources.set(name, used);
    else worker.usedResources.delete(name);
  }
}

/** Whether the task may run on the worker at all: named by its worker restriction, offering its resources. */
function allowed(task: TaskState, worker: WorkerState): boolean {
  return namedIn(task, worker) && offersResources(task, worker);
}

/** Bytes of the task's dependencies the worker does not hold. */
export function missingBytes(task: TaskState, worker: WorkerState): number {
  let bytes = 0;
  for (const dep of task.dependencies) {
    if (!dep.whoHas.includes(worker)) bytes += Math.max(dep.nbytes, 0);
  }
  return bytes;
}

/** The best running worker for a non-root task, or undefined when none may run it. */
export function decideWorker(
  task: TaskState,
  running: readonly WorkerState[],
  settings: PlacementSettings,
): WorkerState | undefined {
  let candidates: WorkerState[] = [];
  for (const dep of task.dependencies) {
    for (const holder of dep.whoHas) {
      if (holder.isRunning && allowed(task, holder) && !candidates.includes(holder)) candidates.push(holder);
    }
  }
  if (candidates.length === 0 || task.restrictWorkers || task.resources) {
    candidates = running.filter((worker) => allowed(task, worker));
    // allowOtherWorkers loosens the worker list, never the resources (as in Dask).
    if (candidates.length === 0 && task.allowOtherWorkers) candidates = running.filter((worker) => offersResources(task, worker));
  }
  let best: WorkerState | undefined;
  let bestBusy = true;
  let bestCost = Number.POSITIVE_INFINITY;
  let bestStored = Number.POSITIVE_INFINITY;
  for (const worker of candidates) {
    // A worker whose resources are taken would hold the task back: one with them free first.
    const busy = !resourcesFree(task, worker);
    const cost = worker.occupancy / worker.nthreads + missingBytes(task, worker) / settings.bandwidth;
    const better = busy !== bestBusy ? !busy : cost < bestCost || (cost === bestCost && worker.storedBytes < bestStored);
    if (!best || better) {
      best = worker;
      bestBusy = busy;
      bestCost = cost;
      bestStored = worker.storedBytes;
    }
  }
  return best;
}

/**
 * Why no running worker may run the task, in words for the dashboard: no workers at all,
 * none of those it is restricted to, or none offering enough of a resource (an unknown
 * resource name, which no worker offers, says so: the task waits, as in Dask, for a worker
 * that offers it).
 */
export function explainNoWorker(task: TaskState, running: readonly WorkerState[], all: Iterable<WorkerState> = []): string {
  if (running.length === 0) {
    const others = [...all].map((worker) => `${worker.identity.name}: ${worker.status === "setup-failed" ? "a worker plugin failed at its setup" : worker.status}`);
    return others.length > 0 ? `no running workers (${others.join("; ")})` : "no running workers";
  }
  const named = running.filter((worker) => namedIn(task, worker));
  if (named.length === 0 && !task.allowOtherWorkers) {
    return `restricted to workers ${(task.restrictWorkers ?? []).join(", ")}, none of which is running`;
  }
  const pool = named.length > 0 ? named : running;
  const needs = task.resources ?? {};
  const problems: string[] = [];
  for (const name of Object.keys(needs).sort()) {
    const offers = pool.map((worker) => worker.identity.resources?.[name]).filter((amount): amount is number => amount !== undefined);
    if (offers.length === 0) problems.push(`no running worker offers a resource named "${name}" (unknown name?)`);
    else if (Math.max(...offers) < needs[name]) problems.push(`needs ${name}=${needs[name]} but the most a running worker offers is ${name}=${Math.max(...offers)}`);
  }
  const asked = task.resources ? ` (asks for ${describeResources(task.resources)})` : "";
  return problems.length > 0 ? `${problems.join("; ")}${asked}` : `no running worker may run it${asked}`;
}
