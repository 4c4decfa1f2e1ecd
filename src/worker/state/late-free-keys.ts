/**
 * Which of the scheduler's free-keys came too late for a key a client scattered here. A
 * scatter sends update-data straight to the worker, on the client's own connection, so no
 * order on the scheduler's link reaches it: a free-keys the scheduler sent for a key's
 * earlier copy (released a moment before) may arrive after the new copy and would drop it,
 * while the scheduler, told of the scatter, counts the key here; the task that reads it then
 * fails with lost data. Each free-keys carries its number on the link (`seq`,
 * scheduler/server/worker-outbox.ts), and the update-data the number of free-keys the
 * scheduler had sent this worker when the client asked where to scatter: those, and only
 * those, were about copies before this one.
 */
export class LateFreeKeys {
  /** The `seq` of the last free-keys from the scheduler (0: none yet). */
  private seen = 0;
  /** Keys scattered while free-keys up to this `seq` were still on their way. */
  private readonly scatteredAfter = new Map<string, number>();

  /** A client scattered `key` here after the scheduler had sent `afterFreeKeys` free-keys. */
  scattered(key: string, afterFreeKeys: number | undefined): void {
    if (afterFreeKeys === undefined || afterFreeKeys <= this.seen) return;
    // Two clients may scatter one value (the key is its hash) with different counts: the
    // larger covers every free-keys the smaller does, so a later, smaller count never narrows it.
    this.scatteredAfter.set(key, Math.max(this.scatteredAfter.get(key) ?? 0, afterFreeKeys));
  }

  /**
   * The keys of free-keys number `seq` that it may drop: not those scattered here after it
   * was sent. Keys it could have meant are then forgotten here (the link keeps order).
   */
  toFree(keys: readonly string[], seq: number | undefined): readonly string[] {
    if (seq === undefined) return keys;
    this.seen = seq;
    if (this.scatteredAfter.size === 0) return keys;
    const out = keys.filter((key) => !(seq <= (this.scatteredAfter.get(key) ?? 0)));
    for (const [key, after] of this.scatteredAfter) if (after <= seq) this.scatteredAfter.delete(key);
    return out;
  }
}
