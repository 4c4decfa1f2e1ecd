/**
 * Work stealing, simplified from Dask's: an idle worker (fewer tasks than threads) takes
 * tasks that a saturated worker was assigned but has not started, when moving them costs
 * less than waiting. As in Dask's balance(): the thief's own wait plus the transfer of the
 * inputs it lacks plus the task's duration must not exceed what the task would wait on the
 * victim, less half of what running it there costs. Root tasks are never stolen (they wait
 * in the scheduler's queue, which idle workers drain anyway), nor restricted ones (to workers
 * or resources: they wait where they may run). At most a few steals per tick.
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

export function chooseSteals(workers: Iterable<WorkerState>, settings: PlacementSettings, maxSteals = 8): Array<{ task: TaskState; thief: WorkerState }> {
  const all = [...workers].filter((w) => w.isRunning);
  const busy = (w: WorkerState) => w.processing.size - w.longRunningCount;
  const thieves = all.filter((w) => busy(w) < w.nthreads);
  if (thieves.length === 0) return [];
  const victims = all
    .filter((w) => w.processing.size - w.executingCount > w.nthreads)
    .sort((a, b) => b.occupancy / b.nthreads - a.occupancy / a.nthreads);
  const steals: Array<{ task: TaskState; thief: WorkerState }> = [];
  // A task goes to one thief only: `task.stealing` is set by the caller, after this returns.
  const chosen = new Set<TaskState>();
  for (const thief of thieves) {
    let capacity = thief.nthreads - busy(thief);
    const waitOnThief = thief.occupancy / thief.nthreads;
    for (const victim of victims) {
      if (capacity <= 0 || steals.length >= maxSteals) break;
      const waitOnVictim = victim.occupancy / victim.nthreads;
      for (const task of victim.processing) {
        if (capacity <= 0 || steals.length >= maxSteals) break;
        if (task.executing || task.stealing || task.rootish || task.restrictWorkers || task.resources || chosen.has(task)) continue;
        if (!worthStealing(task, settings)) continue;
        const compute = expectedDuration(task.prefix, settings);
        const onThief = waitOnThief + missingBytes(task, thief) / settings.bandwidth + compute;
        const onVictim = waitOnVictim - (missingBytes(task, victim) / settings.bandwidth + compute) / 2;
        if (onThief > onVictim) continue;
        steals.push({ task, thief });
        chosen.add(task);
        capacity--;
      }
    }
  }
  return steals;
}
