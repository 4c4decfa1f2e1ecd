/**
 * Futures: handles on results that live on the cluster. Several Future objects may share a
 * key; the client keeps one FutureState per key and lets the scheduler forget the result
 * when the last handle is released (explicitly, or when it is garbage collected).
 */
import { TimeoutError } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import { parseDuration } from "../core/units.js";
import { RemoteError, fromWireError, maxPayloadDepth, type WireError } from "../protocol/payload.js";
import { checkOptionNames, type OptionNames } from "./option-names.js";
import { checkMethodArguments } from "../core/argument-count.js";
import { clientArgumentWording, futureMethodParameters } from "./method-parameters.js";

const callbackLogger = createLogger("client");

export type FutureStatus = "pending" | "finished" | "error" | "cancelled" | "lost";

export class CancelledError extends Error {
  override name = "CancelledError";
}

/** Shared per-key state inside a client. */
export class FutureState {
  status: FutureStatus = "pending";
  whoHas: string[] = [];
  nbytes = 0;
  type = "";
  error: RemoteError | Error | null = null;
  refCount = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly key: string) {}

  finish(whoHas: string[], nbytes: number, type: string): void {
    this.status = "finished";
    this.error = null; // a retried key that erred before

    this.whoHas = whoHas;
    this.nbytes = nbytes;
    this.type = type;
    this.wake();
  }

  fail(error: WireError): void {
    this.failWith(fromWireError(error));
  }

  /** Fails with an error raised on this side (the scheduler refused the graph, or is gone). */
  failWith(error: Error): void {
    this.status = "error";
    this.error = error;
    this.wake();
  }

  cancel(reason: string): void {
    this.status = reason === "cancelled" ? "cancelled" : "lost";
    this.error = new CancelledError(`${this.key} was ${reason === "cancelled" ? "cancelled" : `lost: ${reason}`}`);
    this.wake();
  }

  /** Ended by the cluster (client.restart()): cancelled, with the reason in its error. */
  cancelledBy(reason: string): void {
    this.status = "cancelled";
    this.error = new CancelledError(`${this.key} was cancelled: ${reason}`);
    this.wake();
  }

  /** The result can never come: the connection to the scheduler is gone (`error` says why). */
  lose(error: Error): void {
    this.status = "lost";
    this.error = new CancelledError(`${this.key} was lost: ${error.message}`, { cause: error });
    this.wake();
  }

  /** Back to pending (the result is being recomputed, or retried). */
  reset(): void {
    this.status = "pending";
    this.whoHas = [];
    this.error = null;
  }

  get done(): boolean {
    return this.status !== "pending";
  }

  /** Resolves when the state is no longer pending. */
  wait(timeout?: number | string): Promise<void> {
    // Read first: a timeout that is not one is refused even when the result is already in.
    const seconds = timeout === undefined ? undefined : parseDuration(timeout, "timeout");
    if (this.done) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(waiter);
      if (seconds !== undefined) {
        timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new TimeoutError(`result ${this.key} not ready within ${seconds} s`));
        }, seconds * 1000);
      }
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** What a Future needs from its client. */
export interface FutureOwner {
  fetchResult(state: FutureState): Promise<unknown>;
  releaseKey(key: string): void;
  cancelKeys(keys: string[], force: boolean): Promise<void>;
  /** Runs erred keys again (Dask's Client.retry). */
  retry(futures: Future[]): Promise<void>;
  /** Keeps the keys computing to the end without a handle (Dask's fire_and_forget). */
  fireAndForget(futures: Future[]): void;
  /** A handle released explicitly (so that its garbage collection does not release it again). */
  handleReleased?(future: Future): void;
}

export class Future<T = unknown> {
  private released = false;

  constructor(
    readonly key: string,
    /** @internal */ readonly state: FutureState,
    /** @internal */ readonly owner: FutureOwner,
  ) {
    state.refCount++;
  }

  get status(): FutureStatus {
    return this.state.status;
  }

  done(): boolean {
    return this.state.done;
  }

  cancelled(): boolean {
    return this.state.status === "cancelled";
  }

  /** The value, fetched from the worker that holds it; raises the task's error. */
  async result(timeout?: number | string): Promise<T> {
    await this.state.wait(timeout);
    if (this.state.error) throw this.state.error;
    return (await this.owner.fetchResult(this.state)) as T;
  }

  /** The task's error, or null if it succeeded. */
  async exception(timeout?: number | string): Promise<Error | null> {
    await this.state.wait(timeout);
    return this.state.error;
  }

  async cancel(options: { force?: boolean } = {}): Promise<void> {
    await this.owner.cancelKeys([this.key], cancelForce(options, "Future.cancel"));
  }

  /** Runs the task again if it erred (and the erred inputs it depends on); pending again until it ends. */
  async retry(): Promise<void> {
    await this.owner.retry([this]);
  }

  /**
   * Calls `callback(future)` once the future is done (finished, erred, cancelled or lost), at
   * once if it is done already. An error the callback raises is reported on stderr, never
   * thrown into the code that resolved the future.
   */
  addDoneCallback(callback: (future: Future<T>) => unknown): void {
    void this.state.wait().then(() => callback(this)).catch((error: unknown) => {
      callbackLogger.error(`the done-callback of ${this.key} failed`, error);
    });
  }

  /** Lets the cluster forget the result once no other handle needs it. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.owner.handleReleased?.(this);
    this.state.refCount--;
    if (this.state.refCount <= 0) this.owner.releaseKey(this.key);
  }

  toString(): string {
    return `<Future: ${this.status}, key: ${this.key}>`;
  }
}
checkMethodArguments(Future.prototype, "future", futureMethodParameters, clientArgumentWording);

export interface CancelOptions {
  /** Cancel even keys other clients want. */
  force?: boolean;
}

const cancelOptionNames: OptionNames<CancelOptions> = { force: true };

/** Whether a cancel is forced (Client.cancel, Future.cancel: `what`), refusing any other option. */
export function cancelForce(options: CancelOptions, what: string): boolean {
  checkOptionNames(options, cancelOptionNames, what);
  return options.force ?? false;
}

/**
 * Rebuilds `value` with every Future in it (at any depth of arrays and plain objects)
 * replaced by `replace(future)`; other values are kept. Used to turn futures in arguments
 * into task references and gathered structures into values. It stops descending where
 * nesting passes what a payload may hold, and at a structure that contains itself, which it
 * keeps as it is (packPayload refuses both by name).
 */
export function mapFutures(value: unknown, replace: (future: Future) => unknown, ancestors = new Set<object>()): unknown {
  if (value instanceof Future) return replace(value);
  if (value === null || typeof value !== "object" || ancestors.has(value) || ancestors.size > maxPayloadDepth) return value;
  const plainObject = Object.getPrototypeOf(value) === Object.prototype;
  if (!Array.isArray(value) && !plainObject) return value;
  ancestors.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((item) => mapFutures(item, replace, ancestors));
  } else {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: an own "__proto__" key stays a key instead of setting the prototype.
      Object.defineProperty(copy, key, { value: mapFutures(item, replace, ancestors), enumerable: true, writable: true, configurable: true });
    }
    out = copy;
  }
  ancestors.delete(value);
  return out;
}
