/**
 * Replica reduction (Dask's Active Memory Manager policy ReduceReplicas): which extra copies
 * of results to drop so that memory holds each result about once.
 *
 * For every result held by more than one worker, keep as many copies as the larger of
 *   - the copies asked for (`client.replicate(futures, { n })`; 1 otherwise), and
 *   - the tasks still waiting for it, counting tasks already assigned to the same worker once
 *     and each unassigned one separately (it may go anywhere: keep a copy for it, as Dask does);
 * and drop the rest. A copy is never dropped from a worker that runs or is assigned a task
 * needing it. Among the other holders, a worker that is not running (paused, retiring) loses
 * its copy first, then the one holding the most managed memory (decided copy by copy, the
 * memory of earlier drops taken off). Results without lineage (scattered data) are left
 * alone: unlike computed results they cannot be recomputed, so their copies are all the
 * insurance there is (Dask reduces them too; we do not).
 *
 * The same ping-pong guard as Dask's: when the only copy that could go is on a running worker
 * while the copies that must stay are on workers that are not running (a retiring worker
 * still running a task that needs the result), keep it, or the retirement would copy the
 * result back at once.
 */

export interface ReplicaHolder {
  address: string;
  /** Running (not paused, not retiring). */
  running: boolean;
  /** Managed bytes on the worker: the measure a drop is chosen by. */
  managedBytes: number;
}

export interface ReplicatedResult {
  key: string;
  nbytes: number;
  holders: readonly ReplicaHolder[];
  /** For each task not done yet that needs this result: the worker it is assigned to, or null. */
  waiters: ReadonlyArray<string | null>;
  /** Copies asked for by the user (at least 1). */
  desiredReplicas: number;
  /** False for scattered data, which cannot be recomputed and is never reduced. */
  hasLineage: boolean;
}

export interface ReplicaDrop {
  key: string;
  worker: string;
}

export function reduceReplicas(results: Iterable<ReplicatedResult>): ReplicaDrop[] {
  const drops: ReplicaDrop[] = [];
  // Managed memory as it will be after the drops decided so far.
  const memory = new Map<string, number>();
  const memoryOf = (holder: ReplicaHolder) => memory.get(holder.address) ?? holder.managedBytes;
  for (const result of results) {
    if (!result.hasLineage || result.holders.length < 2) continue;
    const assigned = new Set<string>();
    let unassigned = 0;
    for (const worker of result.waiters) {
      if (worker === null) unassigned++;
      else assigned.add(worker);
    }
    const keep = Math.max(1, result.desiredReplicas, assigned.size + unassigned);
    let excess = result.holders.length - keep;
    if (excess <= 0) continue;
    const pinned = result.holders.filter((holder) => assigned.has(holder.address));
    const candidates = result.holders.filter((holder) => !assigned.has(holder.address));
    while (excess > 0 && candidates.length > 0) {
      const choice = candidates.reduce((best, holder) => (dropsFirst(holder, best, memoryOf) ? holder : best));
      const pingPong = candidates.length === 1 && choice.running && pinned.length > 0 && pinned.every((holder) => !holder.running);
      if (pingPong) break;
      drops.push({ key: result.key, worker: choice.address });
      memory.set(choice.address, memoryOf(choice) - Math.max(result.nbytes, 0));
      candidates.splice(candidates.indexOf(choice), 1);
      excess--;
    }
  }
  return drops;
}

/** Whether `a` should lose its copy before `b`: not running first, then more memory. */
function dropsFirst(a: ReplicaHolder, b: ReplicaHolder, memoryOf: (holder: ReplicaHolder) => number): boolean {
  if (a.running !== b.running) return !a.running;
  return memoryOf(a) > memoryOf(b);
}
