/**
 * The scheduler's side of Lock and Semaphore: serves lease-acquire/release/refresh/info/close
 * over the pure LeaseTable, keeps the acquirers that wait (first come, first served, each
 * with its own timeout), and every `leaseValidationInterval` releases the leases whose holder
 * stopped refreshing them for more than `leaseTimeout` (Dask's lease-validation-interval and
 * lease-timeout, 10 s and 30 s). So a lease comes back at most leaseTimeout +
 * leaseValidationInterval after its holder's last refresh, however the holder died.
 *
 * A holder that disconnects keeps its leases until they expire, as in Dask: leases belong to
 * the handle that took them, not to a connection. Acquirers that disconnect stop waiting.
 * Owns one interval timer, stopped by close().
 */
import { unixSeconds } from "../../../core/clock.js";
import type { MessageOf } from "../../../protocol/messages.js";
import { CoordinationError, answer, type ExtensionHost, type PeerRequest, type SchedulerExtension } from "./extension-host.js";
import { LeaseTable, describeLease, type LeaseKind, type SemaphoreStats } from "./lease-table.js";

export interface LeaseOptions {
  /** Seconds a lease lives without a refresh from its holder (Dask: 30). */
  leaseTimeout: number;
  /** Seconds between checks for expired leases (Dask: 10); must be below leaseTimeout. */
  leaseValidationInterval: number;
}

export const defaultLeaseOptions: LeaseOptions = { leaseTimeout: 30, leaseValidationInterval: 10 };

interface Waiter {
  kind: LeaseKind;
  name: string;
  maxLeases: number;
  leaseId: string;
  request: PeerRequest;
  reqId: number;
  since: number;
  timer: NodeJS.Timeout | undefined;
}

type LeaseOp = "lease-acquire" | "lease-release" | "lease-refresh" | "lease-info" | "lease-close";

export class LeaseExtension implements SchedulerExtension<LeaseOp> {
  readonly table = new LeaseTable();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly validation: NodeJS.Timeout;

  readonly handlers = {
    "lease-acquire": (message: MessageOf<"lease-acquire">, _frames: Uint8Array[], request: PeerRequest) => this.acquire(message, request),
    "lease-release": (message: MessageOf<"lease-release">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      this.table.release(message.kind, message.name, message.leaseId);
      this.grant(message.kind, message.name);
      return { released: true };
    }),
    "lease-refresh": (message: MessageOf<"lease-refresh">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => ({
      unknown: this.table.refresh(message.kind, message.name, message.leaseIds, unixSeconds()),
    })),
    "lease-info": (message: MessageOf<"lease-info">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => ({
      activeLeases: this.table.activeLeases(message.kind, message.name),
      maxLeases: this.table.maxLeases(message.kind, message.name),
    })),
    "lease-close": (message: MessageOf<"lease-close">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      const held = this.table.close(message.kind, message.name);
      for (const waiter of this.takeWaiters(message.kind, message.name)) {
        waiter.request.connection.replyError(waiter.reqId, new CoordinationError(`${describeLease(message.kind, message.name)} was closed while this acquire waited`));
      }
      if (held > 0) this.host.logger.warn(`${describeLease(message.kind, message.name)} closed while ${held} lease(s) were still held`);
      return { closed: true };
    }),
  };

  constructor(private readonly host: ExtensionHost, readonly options: LeaseOptions) {
    this.validation = setInterval(() => this.expireLeases(unixSeconds()), options.leaseValidationInterval * 1000);
    this.validation.unref();
  }

  private acquire(message: MessageOf<"lease-acquire">, request: PeerRequest): void {
    const { kind, name, maxLeases, leaseId, reqId } = message;
    if (kind === "lock" && maxLeases !== 1) {
      request.connection.replyError(reqId, new CoordinationError(`${describeLease(kind, name)}: a lock has exactly one lease, not ${maxLeases}`));
      return;
    }
    const leaseTimeout = this.options.leaseTimeout;
    try {
      this.table.register(kind, name, maxLeases);
    } catch (error) {
      request.connection.replyError(reqId, error);
      return;
    }
    // First come, first served: a free lease goes to an acquirer already waiting.
    const queued = (this.waiters.get(waitKey(kind, name))?.length ?? 0) > 0;
    if (!queued && this.table.tryAcquire(kind, name, maxLeases, leaseId, request.peer, unixSeconds())) {
      request.connection.reply(reqId, { acquired: true, leaseTimeout });
    } else if (message.timeout === 0) {
      request.connection.reply(reqId, { acquired: false, leaseTimeout });
    } else {
      this.wait({ kind, name, maxLeases, leaseId, request, reqId, since: unixSeconds(), timer: undefined }, message.timeout);
    }
  }

  /** Parks an acquirer until grant() or its timeout answers it. */
  private wait(waiter: Waiter, timeout: number | undefined): void {
    const key = waitKey(waiter.kind, waiter.name);
    const queue = this.waiters.get(key) ?? [];
    queue.push(waiter);
    this.waiters.set(key, queue);
    this.table.notePending(waiter.kind, waiter.name, true);
    if (timeout !== undefined) {
      waiter.timer = setTimeout(() => {
        if (!this.removeWaiter(waiter)) return;
        waiter.request.connection.reply(waiter.reqId, { acquired: false, leaseTimeout: this.options.leaseTimeout });
      }, timeout * 1000);
    }
  }

  /** Hands free leases to waiting acquirers, in arrival order. */
  private grant(kind: LeaseKind, name: string): void {
    const queue = this.waiters.get(waitKey(kind, name));
    while (queue && queue.length > 0 && this.table.hasRoom(kind, name)) {
      const waiter = queue[0];
      this.removeWaiter(waiter);
      if (waiter.request.connection.isClosed) continue;
      this.table.tryAcquire(kind, name, waiter.maxLeases, waiter.leaseId, waiter.request.peer, unixSeconds());
      waiter.request.connection.reply(waiter.reqId, { acquired: true, leaseTimeout: this.options.leaseTimeout });
    }
  }

  private removeWaiter(waiter: Waiter): boolean {
    const key = waitKey(waiter.kind, waiter.name);
    const queue = this.waiters.get(key);
    const index = queue?.indexOf(waiter) ?? -1;
    if (!queue || index < 0) return false;
    queue.splice(index, 1);
    if (queue.length === 0) this.waiters.delete(key);
    clearTimeout(waiter.timer);
    this.table.notePending(waiter.kind, waiter.name, false, unixSeconds() - waiter.since);
    return true;
  }

  private takeWaiters(kind: LeaseKind, name: string): Waiter[] {
    const queue = [...(this.waiters.get(waitKey(kind, name)) ?? [])];
    for (const waiter of queue) this.removeWaiter(waiter);
    return queue;
  }

  /** Releases leases whose holder stopped refreshing them, and lets waiters have them. */
  expireLeases(now: number): void {
    const expired = this.table.expire(now, this.options.leaseTimeout);
    for (const { kind, name, holder } of expired) {
      this.host.logger.warn(`the lease of ${describeLease(kind, name)} held by ${holder} expired (not refreshed for over ${this.options.leaseTimeout} s): released`);
    }
    for (const { kind, name } of expired) this.grant(kind, name);
  }

  peerGone(peer: string): void {
    for (const queue of [...this.waiters.values()]) {
      for (const waiter of [...queue]) if (waiter.request.peer === peer) this.removeWaiter(waiter);
    }
  }

  stats(): SemaphoreStats[] {
    return this.table.stats();
  }

  close(): void {
    clearInterval(this.validation);
    for (const queue of this.waiters.values()) for (const waiter of queue) clearTimeout(waiter.timer);
    this.waiters.clear();
  }
}

function waitKey(kind: LeaseKind, name: string): string {
  return `${kind}\u0000${name}`;
}
