/**
 * Work stealing, simplified from Dask's: an idle worker (fewer tasks than threads) takes
 * tasks that a busy worker (more tasks than threads) was assigned but has not started, when
 * moving them costs less than waiting. As in Dask's balance(): the thief's own wait plus the
 * transfer of the inputs it lacks (and the steal's latency) must not exceed what the task would
 * wait on the victim, less half its duration. Root tasks are stolen only once the scheduler's
 * queue of them is empty (until then idle workers drain the queue), restricted ones never (to
 * workers or resources: they wait where they may run). At most a few steals per tick.
 *
 * A task whose inputs cost hundreds of times its own duration to move is never stolen
 * (Dask's cost-multiplier levels, with its 100 ms per-steal latency): the first level of a
 * reduction over persisted chunks, for instance, is a fraction of a millisecond of compute
 * on a chunk that would have to cross the network, so it stays where its chunk lives even
 * when its worker is behind; only long tasks are worth a transfer.
 */
import type { TaskState, WorkerState } from "../state/entities.js";
import { expectedDuration, missingBytes, type PlacementSettings } from "./placement.js";

/** Seconds a steal costs beyond its bytes (Dask's stealing.LATENCY). */
const stealLatencySeconds = 0.1;
/** Transfer-to-compute ratio past which Dask puts a task on no stealable level (2^8.5). */
const maxCostMultiplier = 2 ** 8.5;

function dependencyBytes(task: TaskState): number {
  let bytes = 0;
  for (const dep of task.dependencies) bytes += Math.max(dep.nbytes, 0);
  return bytes;
}

/** Whether moving the task can ever pay off: its transfer is not hundreds of times its compute. */
export function worthStealing(task: TaskState, settings: PlacementSettings): boolean {
  const compute = expectedDuration(task.prefix, settings);
  if (!(compute > 0)) return false;
  const transfer = dependencyBytes(task) / settings.bandwidth + stealLatencySeconds;
  return transfer / compute <= maxCostMultiplier;
}

/**
 * `rootQueueEmpty`: whether the scheduler's queue of root tasks is empty. While it holds some, an
 * idle worker gets those as it asks; once it is empty, the roots a worker was sent beyond its
 * threads (worker-saturation) are the only work left for an idle one, as in Dask, whose
 * stealing moves any unstarted task (a run's tail: one worker finishing while another still
 * has a root waiting behind its running one).
 */
export function chooseSteals(
  workers: Iterable<WorkerState>, settings: PlacementSettings, rootQueueEmpty = true, maxSteals = 8,
): Array<{ task: TaskState; thief: WorkerState }> {
  const all = [...workers].filter((w) => w.isRunning);
  const busy = (w: WorkerState) => w.processing.size - w.longRunningCount;
  const thieves = all.filter((w) => busy(w) < w.nthreads);
  if (thieves.length === 0) return [];
  // Dask's victims when none is "saturated": more tasks than threads, one of them not started.
  // (Asking for more waiting tasks than threads left a worker whose threads all run long tasks
  // holding its one waiting task while a worker that joined after it sat idle.)
  const victims = all
    .filter((w) => busy(w) > w.nthreads && w.processing.size > w.executingCount)
    .sort((a, b) => b.occupancy / b.nthreads - a.occupancy / a.nthreads);
  const steals: Array<{ task: TaskState; thief: WorkerState }> = [];
  // A task goes to one thief only: `task.stealing` is set by the caller, after this returns.
  const chosen = new Set<TaskState>();
  // Latest assigned first: those a victim would run last. Its earliest unstarted ones may be
  // handed to a thread already, queued behind the running task (worker/state/run-queue.ts, for
  // short tasks) and reported started only when they start; the worker gives those up only if
  // it takes the call back before its thread starts it (worker/state/worker-state.ts stealRequest).
  const lastFirst = new Map<WorkerState, TaskState[]>();
  const candidates = (victim: WorkerState) => {
    let tasks = lastFirst.get(victim);
    if (!tasks) lastFirst.set(victim, (tasks = [...victim.processing].reverse()));
    return tasks;
  };
  for (const thief of thieves) {
    let capacity = thief.nthreads - busy(thief);
    const waitOnThief = thief.occupancy / thief.nthreads;
    for (const victim of victims) {
      if (capacity <= 0 || steals.length >= maxSteals) break;
      const waitOnVictim = victim.occupancy / victim.nthreads;
      for (const task of candidates(victim)) {
        if (capacity <= 0 || steals.length >= maxSteals) break;
        if (task.executing || task.stealing || (task.rootish && !rootQueueEmpty) || task.restrictWorkers || task.resources || chosen.has(task)) continue;
        if (!worthStealing(task, settings)) continue;
        const compute = expectedDuration(task.prefix, settings);
        // Dask's balance(): occ_thief + transfer (with the steal's latency) <= occ_victim - duration / 2.
        const onThief = waitOnThief + missingBytes(task, thief) / settings.bandwidth + stealLatencySeconds;
        const onVictim = waitOnVictim - compute / 2;
        if (onThief > onVictim) continue;
        steals.push({ task, thief });
        chosen.add(task);
        capacity--;
      }
    }
  }
  return steals;
}
