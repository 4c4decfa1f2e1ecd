/**
 * A collection returned by `persist()` (an array, a Delayed) carries the keys its results live
 * under, as Dask's `futures_of(collection)` finds them, so that `client.cancel(x)` can let them go
 * at once: in JavaScript nothing drops them when a variable does (Dask's `del x`); only garbage
 * collection does, which may be many rounds of persisted data later. A symbol, not a method: the
 * client cannot import the array or delayed layers, and the key list is no part of their API.
 */
import { TesseraError } from "./errors.js";

export const persistedKeys = Symbol("tessera.persistedKeys");

export interface PersistedCollection {
  [persistedKeys](): readonly string[];
}

/** `value`, marked as persisted under `keys`. */
export function markPersisted<T extends object>(value: T, keys: readonly string[]): T {
  Object.defineProperty(value, persistedKeys, { value: () => keys });
  return value;
}

export function isPersistedCollection(value: unknown): value is PersistedCollection {
  return typeof value === "object" && value !== null && typeof (value as Partial<PersistedCollection>)[persistedKeys] === "function";
}

const cancelled = new WeakSet<object>();

/** Remembers that `collection`'s results were cancelled, so that a later use says so. */
export function markCancelled(collection: PersistedCollection): void {
  cancelled.add(collection);
}

/** A persisted collection used after `client.cancel(collection)` let its results go. */
export class CancelledCollectionError extends TesseraError {
  override name = "CancelledCollectionError";
}

/** Refuses `value` if it was cancelled: its keys are gone from the cluster, and a graph reading them could not run. */
export function refuseCancelled(value: object, what: string): void {
  if (cancelled.has(value)) {
    throw new CancelledCollectionError(`${what} was cancelled (client.cancel) and its results are gone from the cluster: persist the expression it came from again`);
  }
}
