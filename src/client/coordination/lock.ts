/**
 * A distributed lock (Dask's Lock): one holder at a time across every client and task of the
 * cluster, by name. As in current Dask it is a semaphore of one lease, so a holder that dies
 * gives it back once its lease expires (see lease-holder.ts).
 *
 *   const lock = new Lock("zarr-metadata");
 *   if (await lock.acquire({ timeout: "10s" })) try { … } finally { await lock.release(); }
 *   await lock.use(async () => { … });          // the same, waiting as long as it takes
 */
import { InvalidOptionError } from "../../core/errors.js";
import { randomHex } from "../../core/ids.js";
import type { CoordinationClient } from "./coordination-client.js";
import { LeaseHolder } from "./lease-holder.js";
import { checkOptionNames, coordinationHandleOptionNames, type OptionNames } from "../option-names.js";

export interface LockAcquireOptions {
  /** Seconds (or "10s") to wait for the lock; absent: as long as it takes. */
  timeout?: number | string;
  /** false: do not wait at all (timeout must then be absent). */
  blocking?: boolean;
}

const acquireOptionNames: OptionNames<LockAcquireOptions> = { timeout: true, blocking: true };

export class Lock {
  readonly name: string;
  private readonly holder: LeaseHolder;

  constructor(name?: string, options: { client?: CoordinationClient } = {}) {
    checkOptionNames(options, coordinationHandleOptionNames, "Lock");
    this.name = name ?? `lock-${randomHex()}`;
    if (this.name.length === 0) throw new InvalidOptionError("a Lock's name must not be empty");
    this.holder = new LeaseHolder("lock", this.name, 1, options.client);
  }

  /** Takes the lock; false when it did not come free within the timeout. */
  async acquire(options: LockAcquireOptions = {}): Promise<boolean> {
    checkOptionNames(options, acquireOptionNames, "Lock.acquire");
    if (options.blocking === false && options.timeout !== undefined) {
      throw new InvalidOptionError(`lock ${JSON.stringify(this.name)}: a non-blocking acquire takes no timeout`);
    }
    if (this.holder.held > 0) {
      throw new InvalidOptionError(`lock ${JSON.stringify(this.name)} is held by this handle already: release it first (a Lock is not re-entrant)`);
    }
    return this.holder.acquire(options.blocking === false ? 0 : options.timeout);
  }

  /** Gives the lock back; raises, naming the lock, when this handle does not hold it. */
  async release(): Promise<void> {
    await this.holder.release();
  }

  /** Whether this handle holds the lock (Dask's meaning). */
  locked(): boolean {
    return this.holder.held > 0;
  }

  /** Runs `fn` holding the lock (waiting for it as long as it takes), and releases it however `fn` ends. */
  async use<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }
}
