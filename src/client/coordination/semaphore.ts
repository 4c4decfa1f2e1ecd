/**
 * A distributed semaphore (Dask's Semaphore): at most `maxLeases` holders at once across the
 * cluster, by name, for example to let only two tasks write to a parallel file system at a
 * time. Every handle of one name must use the same maxLeases. Leases live while their holder
 * refreshes them; one whose holder died comes back after the lease timeout
 * (lease-holder.ts; 30 s by default, checked every 10 s).
 *
 *   const writers = new Semaphore({ maxLeases: 2, name: "lustre-writers" });
 *   await writers.use(() => writeChunk(block));
 */
import { InvalidOptionError } from "../../core/errors.js";
import { randomHex } from "../../core/ids.js";
import type { CoordinationClient } from "./coordination-client.js";
import { LeaseHolder } from "./lease-holder.js";
import { checkOptionNames, timeoutOptionNames, type OptionNames, type TimeoutOptions } from "../option-names.js";

export interface SemaphoreOptions {
  /** Holders allowed at once (default 1). */
  maxLeases?: number;
  name?: string;
  client?: CoordinationClient;
}

const semaphoreOptionNames: OptionNames<SemaphoreOptions> = { maxLeases: true, name: true, client: true };

export class Semaphore {
  readonly name: string;
  readonly maxLeases: number;
  private readonly holder: LeaseHolder;

  constructor(options: SemaphoreOptions = {}) {
    checkOptionNames(options, semaphoreOptionNames, "Semaphore");
    this.maxLeases = options.maxLeases ?? 1;
    if (!Number.isInteger(this.maxLeases) || this.maxLeases < 1) {
      throw new InvalidOptionError(`semaphore ${options.name ? `${JSON.stringify(options.name)} ` : ""}maxLeases must be a positive integer, got ${String(options.maxLeases)}`);
    }
    this.name = options.name ?? `semaphore-${randomHex()}`;
    if (this.name.length === 0) throw new InvalidOptionError("a Semaphore's name must not be empty");
    this.holder = new LeaseHolder("semaphore", this.name, this.maxLeases, options.client);
  }

  /** Takes a lease; false when none came free within `timeout` (seconds or "5s"; absent: wait as long as it takes). */
  async acquire(options: TimeoutOptions = {}): Promise<boolean> {
    checkOptionNames(options, timeoutOptionNames, "Semaphore.acquire");
    return this.holder.acquire(options.timeout);
  }

  /** Gives back a lease of this handle (the oldest); raises, naming the semaphore, when it holds none. */
  async release(): Promise<void> {
    await this.holder.release();
  }

  /** Leases held now by all holders (Dask's get_value). */
  async getValue(): Promise<number> {
    return this.holder.activeLeases();
  }

  /** Runs `fn` holding a lease and gives it back however `fn` ends. */
  async use<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }

  /** Forgets the semaphore on the scheduler (Dask's close): leases still held are dropped. */
  async close(): Promise<void> {
    await this.holder.close();
  }
}
