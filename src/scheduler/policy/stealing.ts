/**
 * Work stealing, simplified from Dask's: an idle worker (fewer tasks than threads) takes
 * tasks that a saturated worker was assigned but has not started, when moving them costs
 * less than waiting: transfer time of the inputs it lacks plus the task's own duration must
 * be below what the task would wait on the victim. Root tasks are never stolen (they wait
 * in the scheduler's queue, which idle workers drain anyway), nor restricted ones (to workers
 * or resources: they wait where they may run). At most a few steals per tick.
 */
import type { TaskState, WorkerState } from "../state/entities.js";
import { expectedDuration, missingBytes, type PlacementSettings } from "./placement.js";

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
    for (const victim of victims) {
      if (capacity <= 0 || steals.length >= maxSteals) break;
      const waitOnVictim = victim.occupancy / victim.nthreads;
      for (const task of victim.processing) {
        if (capacity <= 0 || steals.length >= maxSteals) break;
        if (task.executing || task.stealing || task.rootish || task.restrictWorkers || task.resources || chosen.has(task)) continue;
        const cost = missingBytes(task, thief) / settings.bandwidth + expectedDuration(task.prefix, settings);
        if (cost >= waitOnVictim) continue;
        steals.push({ task, thief });
        chosen.add(task);
        capacity--;
      }
    }
  }
  return steals;
}
