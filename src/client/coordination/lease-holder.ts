/**
 * The client side of a lock or semaphore: the leases one handle holds, taken and given back
 * through the scheduler, and kept alive by refreshing them every leaseTimeout / 5 while this
 * process runs (Dask's Semaphore does the same). Should this process die or hang, the
 * refreshes stop and the scheduler releases its leases after the lease timeout.
 *
 * A refresh that finds a lease gone (it expired while this process was stalled for longer
 * than the timeout, say by a synchronous task step) drops it here and says so: another holder
 * may have had it meanwhile. The refresh timer does not keep the process alive and stops when
 * no lease is held or the connection is gone.
 */
import { randomHex } from "../../core/ids.js";
import { InvalidOptionError } from "../../core/errors.js";
import { createLogger } from "../../core/log.js";
import { clientFor, request, timeoutSeconds, type CoordinationClient } from "./coordination-client.js";

const logger = createLogger("client");

export type LeaseKind = "lock" | "semaphore";

export class LeaseHolder {
  /** Lease ids held by this handle, oldest first. */
  private leases: string[] = [];
  private refresher: NodeJS.Timeout | null = null;
  private resolvedClient: CoordinationClient | undefined;

  constructor(
    readonly kind: LeaseKind,
    readonly name: string,
    readonly maxLeases: number,
    private readonly client: CoordinationClient | undefined,
  ) {}

  /** How this lock or semaphore is named in messages. */
  get label(): string {
    return `${this.kind} ${JSON.stringify(this.name)}`;
  }

  get held(): number {
    return this.leases.length;
  }

  private async connection(): Promise<CoordinationClient> {
    this.resolvedClient ??= await clientFor(this.client, this.label);
    return this.resolvedClient;
  }

  /** Takes one lease; false when none came free within `timeout` (0: do not wait). */
  async acquire(timeout: number | string | undefined): Promise<boolean> {
    const seconds = timeoutSeconds(timeout, `the timeout of ${this.label}.acquire`);
    const leaseId = randomHex();
    const client = await this.connection();
    const reply = await request(client, {
      op: "lease-acquire", kind: this.kind, name: this.name, maxLeases: this.maxLeases, leaseId, ...(seconds !== undefined ? { timeout: seconds } : {}),
    });
    const { acquired, leaseTimeout } = reply.result as { acquired: boolean; leaseTimeout: number };
    if (!acquired) return false;
    this.leases.push(leaseId);
    this.startRefreshing(client, leaseTimeout);
    return true;
  }

  /** Gives back the oldest lease of this handle; raises naming the lock or semaphore when it holds none. */
  async release(): Promise<void> {
    const leaseId = this.leases.shift();
    if (leaseId === undefined) {
      throw new InvalidOptionError(`${this.label} is not held by this handle: release() only after an acquire() that returned true, once per acquire`);
    }
    if (this.leases.length === 0) this.stopRefreshing();
    await request(await this.connection(), { op: "lease-release", kind: this.kind, name: this.name, leaseId });
  }

  /** Leases held right now by all holders together. */
  async activeLeases(): Promise<number> {
    const reply = await request(await this.connection(), { op: "lease-info", kind: this.kind, name: this.name });
    return (reply.result as { activeLeases: number }).activeLeases;
  }

  /** Forgets it on the scheduler (leases still held are dropped, waiting acquirers fail). */
  async close(): Promise<void> {
    this.leases = [];
    this.stopRefreshing();
    await request(await this.connection(), { op: "lease-close", kind: this.kind, name: this.name });
  }

  private startRefreshing(client: CoordinationClient, leaseTimeout: number): void {
    if (this.refresher) return;
    this.refresher = setInterval(() => void this.refresh(client), (leaseTimeout / 5) * 1000);
    this.refresher.unref();
  }

  private stopRefreshing(): void {
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = null;
  }

  private async refresh(client: CoordinationClient): Promise<void> {
    if (this.leases.length === 0 || client.scheduler.isClosed) {
      this.stopRefreshing();
      return;
    }
    try {
      const reply = await request(client, { op: "lease-refresh", kind: this.kind, name: this.name, leaseIds: [...this.leases] });
      const gone = (reply.result as { unknown: string[] }).unknown;
      if (gone.length > 0) {
        this.leases = this.leases.filter((id) => !gone.includes(id));
        logger.warn(`${gone.length} lease(s) of ${this.label} expired before they were refreshed (this process stalled for longer than the lease timeout?): another holder may have had them meanwhile`);
        if (this.leases.length === 0) this.stopRefreshing();
      }
    } catch (error) {
      logger.warn(`could not refresh the leases of ${this.label}: ${(error as Error).message}`);
    }
  }
}
