/**
 * Which results to move so that workers hold about the same memory (Dask's
 * Scheduler.rebalance, distributed.worker.memory.rebalance.*).
 *
 * The measure is each worker's managed memory (results held, exact in tessera: Dask uses
 * process memory less recent unmanaged growth, which we do not track). With `mean` the
 * average over the workers considered and, for a worker with a memory limit L,
 * halfGap = senderRecipientGap / 2 × L:
 *   - a worker is a sender when it holds results, sits at least halfGap above the mean and at
 *     or above senderMin × L (so nothing moves while every worker is lightly loaded);
 *   - a recipient when it sits more than halfGap below the mean and below recipientMax × L
 *     (so a worker is not filled to the point where it spills what it receives).
 * Then, repeatedly, the sender farthest above the mean gives its least recently stored result
 * that does not take it below the mean to the recipient farthest below the mean that has
 * room for it and holds no copy yet, until every sender or every recipient is within
 * halfGap of the mean. A result no recipient can take stays. Replicas are never added or
 * removed overall: each move copies a result and then drops the sender's copy.
 */

export interface RebalanceSettings {
  /** Fraction of the memory limit below which a worker never sends (Dask: 0.30). */
  senderMin: number;
  /** Fraction of the memory limit above which a worker never receives (Dask: 0.60). */
  recipientMax: number;
  /** Fraction of the memory limit: workers within half of it from the mean stay as they are (Dask: 0.10). */
  senderRecipientGap: number;
}

export const defaultRebalanceSettings: RebalanceSettings = { senderMin: 0.3, recipientMax: 0.6, senderRecipientGap: 0.1 };

export interface RebalanceWorker {
  address: string;
  /** Bytes of results held. */
  managedBytes: number;
  /** 0 for no limit. */
  memoryLimit: number;
  /** Results held, least recently stored first. */
  results: ReadonlyArray<{ key: string; nbytes: number }>;
  /** Keys of every result held (to skip recipients that have a copy already). */
  holds(key: string): boolean;
}

export interface RebalanceMove {
  key: string;
  from: string;
  to: string;
  nbytes: number;
}

interface Side {
  worker: RebalanceWorker;
  /** Bytes still to send (senders) or still room to receive (recipients). */
  remaining: number;
  halfGap: number;
}

/** Moves that bring the workers within the gap of their mean; `allowed` limits which keys may move. */
export function planRebalance(workers: readonly RebalanceWorker[], settings: RebalanceSettings, allowed?: ReadonlySet<string>): RebalanceMove[] {
  if (workers.length < 2) return [];
  const mean = workers.reduce((sum, w) => sum + w.managedBytes, 0) / workers.length;
  const senders: Array<Side & { next: number }> = [];
  const recipients: Side[] = [];
  for (const worker of workers) {
    const limit = worker.memoryLimit;
    const halfGap = limit > 0 ? (settings.senderRecipientGap / 2) * limit : 0;
    const senderMin = limit > 0 ? settings.senderMin * limit : 0;
    const recipientMax = limit > 0 ? settings.recipientMax * limit : Infinity;
    if (worker.results.length > 0 && worker.managedBytes >= mean + halfGap && worker.managedBytes >= senderMin) {
      senders.push({ worker, remaining: worker.managedBytes - mean, halfGap, next: 0 });
    } else if (worker.managedBytes < mean - halfGap && worker.managedBytes < recipientMax) {
      recipients.push({ worker, remaining: mean - worker.managedBytes, halfGap });
    }
  }
  const moves: RebalanceMove[] = [];
  const received = new Map<string, Set<string>>();
  const farthest = <S extends Side>(sides: S[]) => sides.reduce((best, side) => (side.remaining > best.remaining ? side : best));
  while (senders.length > 0 && recipients.length > 0) {
    const sender = farthest(senders);
    let moved = false;
    while (sender.next < sender.worker.results.length && !moved) {
      const result = sender.worker.results[sender.next++];
      if (allowed && !allowed.has(result.key)) continue;
      // Never take the sender below the mean: the result would only bounce back.
      if (result.nbytes > sender.remaining) continue;
      const takers = recipients.filter((r) => r.remaining >= result.nbytes && !r.worker.holds(result.key) && !received.get(r.worker.address)?.has(result.key));
      if (takers.length === 0) continue;
      const recipient = farthest(takers);
      moves.push({ key: result.key, from: sender.worker.address, to: recipient.worker.address, nbytes: result.nbytes });
      const keys = received.get(recipient.worker.address) ?? new Set<string>();
      keys.add(result.key);
      received.set(recipient.worker.address, keys);
      sender.remaining -= result.nbytes;
      recipient.remaining -= result.nbytes;
      if (recipient.remaining <= recipient.halfGap) recipients.splice(recipients.indexOf(recipient), 1);
      moved = true;
    }
    if (!moved || sender.remaining <= sender.halfGap || sender.next >= sender.worker.results.length) {
      senders.splice(senders.indexOf(sender), 1);
    }
  }
  return moves;
}
