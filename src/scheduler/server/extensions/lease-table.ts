/**
 * Leases of locks and semaphores (Dask's SemaphoreExtension; a Lock is a semaphore of one
 * lease, as in current Dask). A semaphore allows `maxLeases` holders at once. Each lease has
 * an id chosen by its holder, so a repeated acquire of the same id is answered the same way
 * (idempotent), and records when its holder last refreshed it. The holder refreshes its
 * leases while it is alive; a lease not refreshed within the lease timeout is released by
 * `expire` (Dask: distributed.scheduler.locks.lease-timeout, checked every
 * lease-validation-interval), so a holder that dies, killed or hung, gives its lease back.
 *
 * Pure: times come in as arguments. Waiting acquirers are the extension's business.
 */
import { CoordinationError } from "./extension-host.js";

export type LeaseKind = "lock" | "semaphore";

interface Lease {
  holder: string;
  refreshedAt: number;
}

export interface SemaphoreStats {
  kind: LeaseKind;
  name: string;
  maxLeases: number;
  activeLeases: number;
  pendingLeases: number;
  acquireTotal: number;
  releaseTotal: number;
  /** Exponential moving average of the seconds acquirers waited (Dask's average_pending_lease_time). */
  averagePendingSeconds: number;
}

class Semaphore {
  readonly leases = new Map<string, Lease>();
  pending = 0;
  acquireTotal = 0;
  releaseTotal = 0;
  averagePendingSeconds = 0;
  constructor(readonly kind: LeaseKind, readonly name: string, readonly maxLeases: number) {}

  get full(): boolean {
    return this.leases.size >= this.maxLeases;
  }
}

/** How a lock or semaphore is named in messages: `lock "x"`, `semaphore "x"`. */
export function describeLease(kind: LeaseKind, name: string): string {
  return `${kind} ${JSON.stringify(name)}`;
}

export class LeaseTable {
  private readonly semaphores = new Map<string, Semaphore>();

  /** The semaphore, created with `maxLeases` when new; a different maxLeases for an existing one is refused. */
  private semaphore(kind: LeaseKind, name: string, maxLeases: number): Semaphore {
    const id = `${kind}\u0000${name}`;
    let semaphore = this.semaphores.get(id);
    if (!semaphore) {
      semaphore = new Semaphore(kind, name, maxLeases);
      this.semaphores.set(id, semaphore);
    } else if (semaphore.maxLeases !== maxLeases) {
      throw new CoordinationError(`${describeLease(kind, name)} exists with maxLeases ${semaphore.maxLeases}, not ${maxLeases}: use the same maxLeases everywhere, or another name`);
    }
    return semaphore;
  }

  private existing(kind: LeaseKind, name: string): Semaphore | undefined {
    return this.semaphores.get(`${kind}\u0000${name}`);
  }

  /** Takes a lease if one is free (or `leaseId` holds one already); false when all are taken. */
  tryAcquire(kind: LeaseKind, name: string, maxLeases: number, leaseId: string, holder: string, now: number): boolean {
    const semaphore = this.semaphore(kind, name, maxLeases);
    const lease = semaphore.leases.get(leaseId);
    if (lease) {
      lease.refreshedAt = now;
      return true;
    }
    if (semaphore.full) return false;
    semaphore.leases.set(leaseId, { holder, refreshedAt: now });
    semaphore.acquireTotal++;
    return true;
  }

  /** Validates an acquire before it waits (the maxLeases check), creating the semaphore. */
  register(kind: LeaseKind, name: string, maxLeases: number): void {
    this.semaphore(kind, name, maxLeases);
  }

  /** Counts an acquirer waiting (true) or done waiting after `waitedSeconds` (false). */
  notePending(kind: LeaseKind, name: string, waiting: boolean, waitedSeconds = 0): void {
    const semaphore = this.existing(kind, name);
    if (!semaphore) return;
    if (waiting) {
      semaphore.pending++;
      return;
    }
    semaphore.pending = Math.max(0, semaphore.pending - 1);
    semaphore.averagePendingSeconds = (semaphore.averagePendingSeconds + waitedSeconds) / 2;
  }

  /** Whether a lease is free now (waiters may be granted). */
  hasRoom(kind: LeaseKind, name: string): boolean {
    const semaphore = this.existing(kind, name);
    return semaphore !== undefined && !semaphore.full;
  }

  /** Gives a lease back; raises, naming the lock or semaphore, when `leaseId` holds none. */
  release(kind: LeaseKind, name: string, leaseId: string): void {
    const semaphore = this.existing(kind, name);
    if (!semaphore) throw new CoordinationError(`${describeLease(kind, name)} is not known to the scheduler (never acquired, or closed): there is nothing to release`);
    if (!semaphore.leases.delete(leaseId)) {
      throw new CoordinationError(
        `${describeLease(kind, name)} is not held by this handle: it was never acquired through it, already released, ` +
          "or its lease expired because the holder stopped refreshing it (another holder may have had it since)",
      );
    }
    semaphore.releaseTotal++;
  }

  /** Marks leases as alive; returns the ids that are not held any more (expired or released). */
  refresh(kind: LeaseKind, name: string, leaseIds: readonly string[], now: number): string[] {
    const semaphore = this.existing(kind, name);
    const unknown: string[] = [];
    for (const id of leaseIds) {
      const lease = semaphore?.leases.get(id);
      if (lease) lease.refreshedAt = now;
      else unknown.push(id);
    }
    return unknown;
  }

  /** Releases every lease not refreshed for more than `timeout` seconds; returns where room appeared. */
  expire(now: number, timeout: number): Array<{ kind: LeaseKind; name: string; leaseId: string; holder: string }> {
    const expired: Array<{ kind: LeaseKind; name: string; leaseId: string; holder: string }> = [];
    for (const semaphore of this.semaphores.values()) {
      for (const [leaseId, lease] of semaphore.leases) {
        if (now - lease.refreshedAt <= timeout) continue;
        semaphore.leases.delete(leaseId);
        semaphore.releaseTotal++;
        expired.push({ kind: semaphore.kind, name: semaphore.name, leaseId, holder: lease.holder });
      }
    }
    return expired;
  }

  activeLeases(kind: LeaseKind, name: string): number {
    return this.existing(kind, name)?.leases.size ?? 0;
  }

  maxLeases(kind: LeaseKind, name: string): number | null {
    return this.existing(kind, name)?.maxLeases ?? null;
  }

  /** Forgets a semaphore and its leases (Dask's Semaphore.close); returns the leases it still had. */
  close(kind: LeaseKind, name: string): number {
    const semaphore = this.existing(kind, name);
    if (!semaphore) return 0;
    this.semaphores.delete(`${kind}\u0000${name}`);
    return semaphore.leases.size;
  }

  stats(): SemaphoreStats[] {
    return [...this.semaphores.values()].map((s) => ({
      kind: s.kind, name: s.name, maxLeases: s.maxLeases, activeLeases: s.leases.size, pendingLeases: s.pending,
      acquireTotal: s.acquireTotal, releaseTotal: s.releaseTotal, averagePendingSeconds: s.averagePendingSeconds,
    }));
  }
}
