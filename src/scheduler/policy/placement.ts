/**
 * Where a task runs (Dask's decide_worker), as pure functions of the situation.
 *
 * - Root-ish tasks (loaders: no dependencies) are queued on the scheduler and handed to a
 *   worker only when it has a free slot: at most ceil(saturation × nthreads) tasks in
 *   processing, so loaders never run far ahead of the tasks that consume their output.
 *   For tiny tasks (measured well under the messaging round trip) a worker may hold a few
 *   more, enough to cover that round trip: otherwise threads sit idle between tasks.
 * - Other tasks go where their dependencies are: the running worker minimising
 *   (occupancy per thread + bytes it would have to fetch / bandwidth), then stored bytes.
 */
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

export function freeRootSlots(worker: WorkerState, nextPrefix: PrefixStats | undefined, settings: PlacementSettings): number {
  return rootSlots(worker, nextPrefix, settings) - worker.processing.size;
}

/** The worker with a free slot and the least processing per thread, if any. */
export function pickRootWorker(
  workers: Iterable<WorkerState>,
  nextPrefix: PrefixStats | undefined,
  settings: PlacementSettings,
): WorkerState | undefined {
  let best: WorkerState | undefined;
  let bestLoad = Number.POSITIVE_INFINITY;
  for (const worker of workers) {
    if (!worker.isRunning || freeRootSlots(worker, nextPrefix, settings) <= 0) continue;
    const load = worker.processing.size / worker.nthreads;
    if (load < bestLoad) {
      best = worker;
      bestLoad = load;
    }
  }
  return best;
}

function allowed(task: TaskState, worker: WorkerState): boolean {
  if (!task.restrictWorkers) return true;
  return task.restrictWorkers.includes(worker.address) || task.restrictWorkers.includes(worker.identity.name) ||
    task.restrictWorkers.includes(worker.identity.host);
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
  if (candidates.length === 0 || task.restrictWorkers) {
    candidates = running.filter((worker) => allowed(task, worker));
    if (candidates.length === 0 && task.allowOtherWorkers) candidates = [...running];
  }
  let best: WorkerState | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  let bestStored = Number.POSITIVE_INFINITY;
  for (const worker of candidates) {
    const cost = worker.occupancy / worker.nthreads + missingBytes(task, worker) / settings.bandwidth;
    if (cost < bestCost || (cost === bestCost && worker.storedBytes < bestStored)) {
      best = worker;
      bestCost = cost;
      bestStored = worker.storedBytes;
    }
  }
  return best;
}
