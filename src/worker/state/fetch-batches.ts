/**
 * Which queued keys to fetch now, from which peers (part of the worker state machine,
 * worker-state.ts): one randomly chosen holder per key, several keys per request up to
 * `maxBytesPerRequest`, at most `maxIncomingPeers` peers at once, and at most
 * `maxInFlightBytes` in flight (except that one transfer may always run).
 */
import type { WorkerTask } from "./worker-task.js";

export interface FetchLimits {
  /** Most peers fetched from at once. */
  maxIncomingPeers: number;
  /** Most bytes asked of one peer in one request. */
  maxBytesPerRequest: number;
  /**
   * Most bytes of transfers in flight at once (Dask's `memory.transfer`, 10 % of the memory
   * limit): beyond it, fetching waits, except that one transfer may always run.
   */
  maxInFlightBytes?: number;
}

/** Takes the chosen tasks out of `queue`, marks them in flight, and returns them by peer. */
export function takeFetchBatches(queue: Set<WorkerTask>, inFlight: ReadonlyMap<string, WorkerTask[]>, limits: FetchLimits): Map<string, WorkerTask[]> {
  const batches = new Map<string, WorkerTask[]>();
  const batchBytes = new Map<string, number>();
  const maxInFlight = limits.maxInFlightBytes ?? Infinity;
  let inFlightBytes = 0;
  for (const tasks of inFlight.values()) for (const task of tasks) inFlightBytes += task.nbytes;
  for (const task of [...queue]) {
    if (inFlightBytes > 0 && inFlightBytes + task.nbytes > maxInFlight) continue;
    const candidates = task.whoHas.filter((peer) => !inFlight.has(peer));
    if (candidates.length === 0) continue;
    const open = candidates.find((peer) => batches.has(peer));
    if (!open && inFlight.size + batches.size >= limits.maxIncomingPeers) continue;
    const peer = open ?? candidates[Math.floor(Math.random() * candidates.length)];
    const bytes = batchBytes.get(peer) ?? 0;
    if (bytes > 0 && bytes + task.nbytes > limits.maxBytesPerRequest) continue;
    queue.delete(task);
    task.status = "flight";
    const batch = batches.get(peer) ?? [];
    batch.push(task);
    batches.set(peer, batch);
    batchBytes.set(peer, bytes + task.nbytes);
    inFlightBytes += task.nbytes;
  }
  return batches;
}
