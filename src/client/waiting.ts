/**
 * Waiting on many futures (Dask's `wait` and `as_completed`).
 */
import { withArgumentCount } from "../core/argument-count.js";
import { clientArgumentWording } from "./method-parameters.js";
import { InvalidOptionError, TimeoutError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";
import type { Future } from "./future.js";
import { checkOptionNames, type OptionNames } from "./option-names.js";

export interface WaitOptions {
  /** Seconds (or "10s"): raise TimeoutError when the futures are not done by then (default: wait as long as it takes). */
  timeout?: number | string;
  returnWhen?: "ALL_COMPLETED" | "FIRST_COMPLETED";
}

export interface AsCompletedOptions {
  /** Yield `[future, result]` pairs. */
  withResults?: boolean;
  /** With withResults: raise a failed future's error (default true). */
  raiseErrors?: boolean;
}

const waitOptionNames: OptionNames<WaitOptions> = { timeout: true, returnWhen: true };
const asCompletedOptionNames: OptionNames<AsCompletedOptions> = { withResults: true, raiseErrors: true };

export interface WaitResult<T> {
  done: Array<Future<T>>;
  notDone: Array<Future<T>>;
}

/** Resolves when all (or the first, with returnWhen "FIRST_COMPLETED") futures are done; refuses arguments beyond its own (method-parameters.ts). */
export const wait = withArgumentCount("wait", ["futures", "options"], async function wait<T>(
  futures: Array<Future<T>>,
  options: WaitOptions = {},
): Promise<WaitResult<T>> {
  checkOptionNames(options, waitOptionNames, "wait");
  const returnWhen: unknown = options.returnWhen;
  if (returnWhen !== undefined && returnWhen !== "ALL_COMPLETED" && returnWhen !== "FIRST_COMPLETED") {
    throw new InvalidOptionError(`wait: returnWhen must be "ALL_COMPLETED" or "FIRST_COMPLETED", got ${JSON.stringify(returnWhen)}`);
  }
  const seconds = options.timeout !== undefined ? parseDuration(options.timeout, "timeout") : undefined;
  const waits = futures.map((future) => future.state.wait());
  const all = options.returnWhen === "FIRST_COMPLETED" ? Promise.race(waits) : Promise.all(waits);
  if (seconds !== undefined) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`futures not done within ${seconds} s`)), seconds * 1000);
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } else {
    await all;
  }
  return { done: futures.filter((f) => f.done()), notDone: futures.filter((f) => !f.done()) };
}, clientArgumentWording);

/**
 * Yields futures in the order they finish: `for await (const f of asCompleted(futures))`.
 * With `withResults`, yields `[future, result]` pairs (errors are raised unless
 * `raiseErrors: false`). More futures can be added while iterating.
 */
export class AsCompleted<T> implements AsyncIterable<Future<T> | [Future<T>, T]> {
  private pending = new Set<Future<T>>();
  private finished: Array<Future<T>> = [];
  private wake: (() => void) | null = null;

  constructor(futures: Array<Future<T>> = [], private readonly options: AsCompletedOptions = {}) {
    checkOptionNames(options, asCompletedOptionNames, "asCompleted");
    for (const future of futures) this.add(future);
  }

  add(future: Future<T>): void {
    this.pending.add(future);
    void future.state.wait().then(() => {
      this.pending.delete(future);
      this.finished.push(future);
      this.wake?.();
    });
  }

  count(): number {
    return this.pending.size + this.finished.length;
  }

  isEmpty(): boolean {
    return this.count() === 0;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Future<T> | [Future<T>, T]> {
    while (this.pending.size > 0 || this.finished.length > 0) {
      if (this.finished.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
      const future = this.finished.shift();
      if (!future) continue;
      if (!this.options.withResults) {
        yield future;
        continue;
      }
      try {
        yield [future, await future.result()];
      } catch (error) {
        if (this.options.raiseErrors ?? true) throw error;
        yield [future, error as T];
      }
    }
  }

  /**
   * Yields the futures in batches: each batch is everything that finished since the last one
   * (at least one future; waits until one is there), Dask's `as_completed(...).batches()`.
   * With `withResults`, each batch holds `[future, result]` pairs.
   */
  async *batches(): AsyncGenerator<Array<Future<T>> | Array<[Future<T>, T]>> {
    while (this.pending.size > 0 || this.finished.length > 0) {
      if (this.finished.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
      const batch = this.finished.splice(0);
      if (batch.length === 0) continue;
      if (!this.options.withResults) {
        yield batch;
        continue;
      }
      const pairs: Array<[Future<T>, T]> = [];
      for (const future of batch) {
        try {
          pairs.push([future, await future.result()]);
        } catch (error) {
          if (this.options.raiseErrors ?? true) throw error;
          pairs.push([future, error as T]);
        }
      }
      yield pairs;
    }
  }
}

export function asCompleted<T>(futures: Array<Future<T>>, options: AsCompletedOptions = {}): AsCompleted<T> {
  return new AsCompleted(futures, options);
}
