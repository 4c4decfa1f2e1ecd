/**
 * The rest of Dask's futures API, used by Client's methods of the same names: gather that
 * skips failed futures, fire-and-forget, retry, where results live (whoHas, hasWhat) and how
 * many copies there are (replicate, rebalance).
 */
import type { Connection } from "../comm/connection.js";
import { InvalidOptionError } from "../core/errors.js";
import { gatherValues, type TransferClient } from "./data-transfer.js";
import { Future, mapFutures, type FutureOwner } from "./future.js";
export { cancelForce } from "./future.js";
import { checkOptionNames, type OptionNames } from "./option-names.js";
import { describeArgument } from "../core/argument-count.js";
import { isPersistedCollection, markCancelled, persistedKeys, type PersistedCollection } from "../core/persisted-collection.js";

/** What these functions need from the Client. */
export interface FuturesApiClient extends TransferClient {
  readonly scheduler: Connection;
}

/** The futures anywhere in `value` (arrays and plain objects, at any depth). */
export function futuresIn(value: unknown): Future[] {
  const found: Future[] = [];
  mapFutures(value, (future) => found.push(future));
  return found;
}

/**
 * gather with errors "skip" (Dask's meaning): futures that erred, were cancelled or lost are
 * left out of a list given at the top level, and are undefined deeper inside a structure.
 */
export async function gatherSkippingErrors(client: FuturesApiClient, value: unknown): Promise<unknown> {
  const futures = futuresIn(value);
  await Promise.all(futures.map((future) => future.state.wait()));
  const good = futures.filter((future) => future.state.status === "finished");
  const values = await gatherValues(client, good.map((future) => future.state));
  const byKey = new Map(good.map((future, i) => [future.key, values[i]]));
  const failed = (item: unknown) => item instanceof Future && !byKey.has(item.key);
  const top = Array.isArray(value) ? value.filter((item) => !failed(item)) : value;
  return mapFutures(top, (future) => byKey.get(future.key));
}

/** gather with errors "raise": waits for every future in `value` and raises the error of the first that failed; else `value` with each future replaced by its result. */
export async function gatherRaisingErrors(client: FuturesApiClient, value: unknown): Promise<unknown> {
  const futures = futuresIn(value);
  await waitForAll(futures);
  const values = await gatherValues(client, futures.map((f) => f.state));
  const byKey = new Map(futures.map((f, i) => [f.key, values[i]]));
  return mapFutures(value, (future) => byKey.get(future.key));
}

/** Waits until each future is done, in order; raises the error of the first that failed. */
export async function waitForAll(futures: readonly Future[]): Promise<void> {
  for (const future of futures) {
    await future.state.wait();
    if (future.state.error) throw future.state.error;
  }
}

export interface GatherOptions {
  /** "skip": leave failed futures out (default "raise": raise the first failure). */
  errors?: "raise" | "skip";
}

const gatherOptionNames: OptionNames<GatherOptions> = { errors: true };

/** What gather does with a failed future, refusing any other option (a misspelt `error` would raise where "skip" was meant). */
export function checkGatherOptions(options: GatherOptions): "raise" | "skip" {
  checkOptionNames(options, gatherOptionNames, "Client.gather");
  const errors: unknown = options.errors;
  if (errors === undefined || errors === "raise" || errors === "skip") return errors ?? "raise";
  throw new InvalidOptionError(`gather: errors must be "raise" or "skip", got ${JSON.stringify(errors)}`);
}

/**
 * Dask's fire_and_forget: the keys of the futures anywhere in `futures` run to the end even
 * after every handle is dropped and their client disconnects (each through its own client).
 */
export function fireAndForget(futures: unknown): void {
  const byOwner = new Map<FutureOwner, Future[]>();
  for (const future of futuresIn(futures)) {
    const list = byOwner.get(future.owner) ?? [];
    list.push(future);
    byOwner.set(future.owner, list);
  }
  for (const [owner, list] of byOwner) owner.fireAndForget(list);
}

/** Tells the scheduler to keep the keys computing to the end without any handle. */
export function sendFireAndForget(scheduler: Connection, futures: readonly Future[]): void {
  if (futures.length === 0) return;
  scheduler.send({ op: "fire-and-forget", keys: [...new Set(futures.map((future) => future.key))] });
}

/**
 * Runs erred futures again: the scheduler resets them (and the erred inputs they depend on),
 * and they are pending here until their new run ends. The reset is applied as the reply is
 * read (`onReply`): a retry that ends at once (errs again, or finishes) may be announced in
 * the same batch right behind the reply, and a reset applied after it would set the ended
 * future back to pending, to wait for ever for a message that has already come.
 */
export async function retryFutures(scheduler: Connection, futures: readonly Future[]): Promise<void> {
  if (futures.length === 0) return;
  await scheduler.request({ op: "retry-keys", keys: [...new Set(futures.map((future) => future.key))] }, [], {
    onReply: (reply) => {
      const retried = new Set((reply.result as { retried: string[] }).retried);
      for (const future of futures) if (retried.has(future.key) && future.state.status === "error") future.state.reset();
    },
  });
}

/** Where the futures' results live: key → worker addresses (every result on the cluster when none are given). */
export async function whoHas(scheduler: Connection, futures?: Cancellable | readonly Cancellable[]): Promise<Record<string, string[]>> {
  if (futures !== undefined) {
    const reply = await scheduler.request({ op: "who-has", keys: [...new Set(handlesOf(futures, "Client.whoHas").flatMap(keysOf))] });
    return reply.result as Record<string, string[]>;
  }
  const byWorker = await hasWhat(scheduler);
  const out: Record<string, string[]> = {};
  for (const [worker, keys] of Object.entries(byWorker)) for (const key of keys) (out[key] ??= []).push(worker);
  return out;
}

/** The results each worker holds: worker address → keys (the workers named, by address or name, or all). */
export async function hasWhat(scheduler: Connection, workers?: readonly string[]): Promise<Record<string, string[]>> {
  const reply = await scheduler.request({ op: "has-what", ...(workers ? { workers: [...workers] } : {}) });
  return reply.result as Record<string, string[]>;
}

export interface ReplicateOptions {
  /** Copies wanted on the workers considered (default: one on each of them). */
  n?: number;
  /** Workers considered, by address or name (default: all running workers). */
  workers?: string[];
}

/**
 * Copies the futures' results onto `n` workers (or removes copies beyond n), and keeps n
 * copies from then on: the replica reduction does not take them away again.
 */
const replicateOptionNames: OptionNames<ReplicateOptions> = { n: true, workers: true };

export async function replicate(scheduler: Connection, futures: Cancellable | readonly Cancellable[], options: ReplicateOptions = {}): Promise<Record<string, number>> {
  checkOptionNames(options, replicateOptionNames, "Client.replicate");
  if (options.n !== undefined && !(Number.isInteger(options.n) && options.n >= 1)) throw new InvalidOptionError(`replicate: n must be a positive integer, got ${String(options.n)}`);
  const keys = await finishedKeys(futures, "Client.replicate");
  const reply = await scheduler.request({ op: "replicate", keys, ...(options.n !== undefined ? { n: options.n } : {}), ...(options.workers ? { workers: options.workers } : {}) });
  return (reply.result as { replicas: Record<string, number> }).replicas;
}

/**
 * Moves results between workers so that they hold about the same managed memory (Dask's
 * rebalance; see scheduler/policy/rebalance.ts for the thresholds). Only the futures given,
 * when given; only the workers named, when named.
 */
export interface RebalanceOptions {
  /** Only these workers, by address or name (default: all). */
  workers?: string[];
}

const rebalanceOptionNames: OptionNames<RebalanceOptions> = { workers: true };

export async function rebalance(scheduler: Connection, futures?: Cancellable | readonly Cancellable[], options: RebalanceOptions = {}): Promise<{ moved: number; planned: number }> {
  checkOptionNames(options, rebalanceOptionNames, "Client.rebalance");
  const { workers } = options;
  const keys = futures === undefined ? undefined : await finishedKeys(futures, "Client.rebalance");
  const reply = await scheduler.request({
    op: "rebalance", ...(keys ? { keys } : {}), ...(workers ? { workers: [...workers] } : {}),
  });
  return reply.result as { moved: number; planned: number };
}

/** The keys of `items` (futures and persisted collections, whose results are in: persist() waited), once each future has finished. */
async function finishedKeys(items: Cancellable | readonly Cancellable[], what: string): Promise<string[]> {
  const handles = handlesOf(items, what);
  for (const future of handles) {
    if (!(future instanceof Future)) continue;
    await future.state.wait();
    if (future.state.status !== "finished") throw new InvalidOptionError(`${what}: future ${future.key} is ${future.state.status}, not finished`, { cause: future.state.error });
  }
  return [...new Set(handles.flatMap(keysOf))];
}

/**
 * What `Client.cancel` and `Client.whoHas` take: futures, and collections returned by persist()
 * (arrays, Delayed), as Dask's take collections through futures_of. Typed as any object, as the
 * array and Delayed classes cannot name the mark persist() gives them; handlesOf checks it.
 */
export type Cancellable = Future | PersistedCollection | object;

/** `items` as futures and persisted collections, or refused naming the first that is neither: nothing is done then. */
function handlesOf(items: Cancellable | readonly Cancellable[], what: string): Array<Future | PersistedCollection> {
  const list: readonly unknown[] = Array.isArray(items) ? items : [items];
  list.forEach((item, i) => {
    if (item instanceof Future || isPersistedCollection(item)) return;
    throw new InvalidOptionError(
      `${what} takes futures or what persist() returned (an array, a Delayed); got ${describeArgument(item)}${Array.isArray(items) ? ` at position ${i}` : ""}: ` +
      "an array or Delayed that was not persisted holds nothing on the cluster (pass the one persist() returned)",
    );
  });
  return list as Array<Future | PersistedCollection>;
}

const keysOf = (handle: Future | PersistedCollection): readonly string[] => (handle instanceof Future ? [handle.key] : handle[persistedKeys]());

/**
 * The keys `Client.cancel` lets go; the collections among `items` are marked cancelled (a later
 * use says so). Anything else is refused: an array that was never persisted holds nothing on
 * the cluster, and cancelling its key names would silently do nothing.
 */
export function cancelledKeys(items: Cancellable | readonly Cancellable[]): string[] {
  const handles = handlesOf(items, "Client.cancel");
  for (const handle of handles) if (!(handle instanceof Future)) markCancelled(handle);
  return handles.flatMap(keysOf);
}
