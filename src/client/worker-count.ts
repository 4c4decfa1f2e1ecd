/**
 * How many workers the scheduler last reported to a client, and waiting until enough have
 * joined (Client.waitForWorkers). The count changes by the scheduler's "workers-changed"
 * messages, a reconnection and each refresh of the scheduler's information.
 */
import { sleep } from "../core/clock.js";
import { InvalidOptionError, TimeoutError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";
import { checkOptionNames, timeoutOptionNames } from "./option-names.js";

export class WorkerCount {
  private waiters: Array<() => void> = [];

  constructor(public value: number) {}

  /** Wakes every wait to look at the count again (it changed, or the scheduler is back). */
  wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /**
   * Resolves once at least `n` workers are counted; raises after `timeout` (default: never),
   * or whatever `assertOpen` raises while waiting (the client closed or lost its scheduler).
   */
  async waitFor(n: number, options: { timeout?: number | string }, assertOpen: () => void): Promise<void> {
    if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(`waitForWorkers: n must be a positive integer, got ${n}`);
    checkOptionNames(options, timeoutOptionNames, "Client.waitForWorkers");
    const seconds = options.timeout !== undefined ? parseDuration(options.timeout, "timeout") : Infinity;
    const deadline = Date.now() + seconds * 1000;
    while (this.value < n) {
      assertOpen();
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError(`only ${this.value} of ${n} workers arrived within ${seconds} s`);
      await Promise.race([new Promise<void>((resolve) => this.waiters.push(resolve)), sleep(Math.min(left, 1000))]);
    }
  }
}
