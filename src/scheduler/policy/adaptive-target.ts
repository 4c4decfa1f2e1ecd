/**
 * How many workers the current load asks for (Dask's adaptive_target): enough threads to
 * finish the assigned and queued work within `targetDuration`, at least one while anything
 * is to be done, and more when the stored results outgrow the workers' memory.
 */
import { expectedDuration, type PlacementSettings } from "./placement.js";
import type { TaskState, WorkerState } from "../state/entities.js";

export function adaptiveTarget(
  workers: readonly WorkerState[],
  queued: readonly TaskState[],
  noWorkerCount: number,
  settings: PlacementSettings,
  targetDuration = 5,
): number {
  let seconds = 0;
  for (const worker of workers) seconds += worker.occupancy;
  for (const task of queued) seconds += expectedDuration(task.prefix, settings);
  const threadsPerWorker = workers.length > 0 ? workers.reduce((s, w) => s + w.nthreads, 0) / workers.length : 1;
  let target = Math.ceil(seconds / targetDuration / threadsPerWorker);
  const busy = workers.some((w) => w.processing.size > 0) || queued.length > 0 || noWorkerCount > 0;
  if (busy) target = Math.max(target, 1);
  const limit = workers.reduce((s, w) => s + w.identity.memoryLimit, 0);
  const stored = workers.reduce((s, w) => s + w.storedBytes, 0);
  if (limit > 0 && stored > 0.6 * limit) target = Math.max(target, Math.ceil(workers.length * stored / (0.6 * limit)));
  // Never ask to drop workers that still hold results someone needs.
  const holding = workers.filter((w) => w.hasWhat.size > 0).length;
  return Math.max(target, busy ? holding : 0);
}
