/**
 * What the coordination primitives (Lock, Semaphore, Queue, Variable, Event, Pub/Sub,
 * datasets) need from a connection to the scheduler, so that any client-like object can
 * carry them: a Client in the user's program, or the client a task gets from its worker.
 * Without one given, they use the default client (the most recently connected Client).
 *
 * Also the pieces they share: timeouts checked once at the edge, items (a Future or a small
 * value) packed for the wire and back, and remote timeouts re-raised as local ones.
 */
import type { Connection } from "../../comm/connection.js";
import { InvalidOptionError, TimeoutError } from "../../core/errors.js";
import { parseDuration } from "../../core/units.js";
import { getDefaultExecutor } from "../../graph/executor.js";
import type { KeyReport, Message } from "../../protocol/messages.js";
import { RemoteError, TaskRef, packPayload, unpackPayload } from "../../protocol/payload.js";
import { Future, mapFutures, type FutureState } from "../future.js";

export interface CoordinationClient {
  readonly id: string;
  /** The scheduler connection (requests go through it). */
  readonly scheduler: Connection;
  /** A Future for a key the scheduler has just made this client want (see KeyReport). */
  adoptFuture(report: KeyReport): Future;
  /** Messages the scheduler pushes that the client itself does not handle (pub/sub); returns an unsubscribe. */
  onSchedulerMessage(listener: (message: Message, frames: Uint8Array[]) => void): () => void;
}

function isCoordinationClient(value: unknown): value is CoordinationClient {
  const candidate = value as Partial<CoordinationClient> | null;
  return candidate !== null && typeof candidate === "object" && typeof candidate.adoptFuture === "function" &&
    typeof candidate.onSchedulerMessage === "function" && candidate.scheduler !== undefined;
}

/**
 * Inside a task: its worker thread's client (Dask's get_client), or undefined outside tasks.
 * Set by worker-client.ts, which sits above this module (it connects Clients).
 */
let taskClientSource: (() => Promise<CoordinationClient> | undefined) | null = null;

export function setTaskClientSource(source: () => Promise<CoordinationClient> | undefined): void {
  taskClientSource = source;
}

function noClient(what: string): InvalidOptionError {
  return new InvalidOptionError(`${what} needs a client: connect one first (Client.connect), or pass { client } (in a task: { client: await getClient() })`);
}

/**
 * The client given or the default one, else (inside a task) a promise of the task's client,
 * for callers that must act synchronously when they can (Pub.put, new Sub); raises naming
 * `what` when there is none.
 */
export function clientOrTaskClient(client: CoordinationClient | undefined, what: string): CoordinationClient | Promise<CoordinationClient> {
  if (client) return client;
  const fallback = getDefaultExecutor();
  if (isCoordinationClient(fallback)) return fallback;
  const inTask = taskClientSource?.();
  if (inTask) return inTask;
  throw noClient(what);
}

/**
 * The client given, else the default one, else (inside a task) the task's client, connected
 * on first use as Dask's primitives call get_client(); raises naming `what` when there is none.
 */
export async function clientFor(client: CoordinationClient | undefined, what: string): Promise<CoordinationClient> {
  return clientOrTaskClient(client, what);
}

/** Seconds from a timeout option (a number of seconds or "5s"), undefined for none; negatives are refused. */
export function timeoutSeconds(timeout: number | string | undefined, what: string): number | undefined {
  if (timeout === undefined) return undefined;
  return parseDuration(timeout, what);
}

type Reply = { result: unknown; frames: Uint8Array[] };

/** A request to the scheduler; a remote TimeoutError comes back as a local one. */
export async function request(client: CoordinationClient, message: Parameters<Connection["request"]>[0], frames: Uint8Array[] = []): Promise<Reply> {
  return requestTaking(client, message, frames, (reply) => reply);
}

/**
 * A request whose reply hands this client futures: `take` turns the reply into the caller's
 * result as the reply is read, so the futures exist before the scheduler's next message
 * (a key-in-memory for one of them may come right behind the reply, in the same read).
 */
export async function requestTaking<T>(client: CoordinationClient, message: Parameters<Connection["request"]>[0], frames: Uint8Array[], take: (reply: Reply) => T): Promise<T> {
  let taken: { value: T } | undefined;
  try {
    await client.scheduler.request(message, frames, { onReply: (reply) => { taken = { value: take(reply) }; } });
    return (taken as { value: T }).value;
  } catch (error) {
    if (error instanceof RemoteError && error.name === "TimeoutError") throw new TimeoutError(error.message, { cause: error });
    throw error;
  }
}

/** A Future or a small value, as a put/set message carries it. */
export function packItem(item: unknown, frames: Uint8Array[], what: string): { futureKey: string } | { value: unknown } {
  if (item instanceof Future) return { futureKey: item.key };
  mapFutures(item, () => {
    throw new InvalidOptionError(`${what}: a Future inside a value cannot be stored; store the Future itself (one per item)`);
  });
  return { value: packPayload(item, frames, what) };
}

/** An item the scheduler handed back: a future (now this client's) or a value. */
export function unpackItem(client: CoordinationClient, item: { future?: KeyReport; value?: unknown }): unknown {
  if (item.future) return client.adoptFuture(item.future);
  return item.value;
}

/** Replaces the task references in a published structure by futures of this client. */
export function futuresFromRefs(client: CoordinationClient, value: unknown, reports: readonly KeyReport[]): unknown {
  const byKey = new Map(reports.map((report) => [report.key, report]));
  const adopted = new Map<string, Future>();
  const visit = (node: unknown): unknown => {
    if (node instanceof TaskRef) {
      const report = byKey.get(node.key) ?? { key: node.key, status: "lost" as const, whoHas: [], nbytes: 0, type: "" };
      let future = adopted.get(node.key);
      if (!future) {
        future = client.adoptFuture(report);
        adopted.set(node.key, future);
      }
      return future;
    }
    if (Array.isArray(node)) return node.map(visit);
    if (node !== null && typeof node === "object" && Object.getPrototypeOf(node) === Object.prototype) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) Object.defineProperty(copy, key, { value: visit(item), enumerable: true, writable: true, configurable: true });
      return copy;
    }
    return node;
  };
  return visit(value);
}

/** Unpacks a reply's payload. */
export function replyValue(reply: { result: unknown; frames: Uint8Array[] }): unknown {
  return unpackPayload(reply.result, reply.frames);
}

/** Brings a future's state up to date with what the scheduler reported (when it is not settled already). */
export function applyKeyReport(state: FutureState, report: KeyReport): void {
  if (state.status === "finished" || state.status === "error") return;
  switch (report.status) {
    case "memory":
      state.finish(report.whoHas, report.nbytes, report.type);
      return;
    case "erred":
      state.fail(report.error ?? { name: "Error", message: `task ${report.key} erred`, stack: "" });
      return;
    case "lost":
      state.cancel(`no longer on the cluster (it was released before this future was made)`);
      return;
    case "pending":
      if (state.done) state.reset();
      return;
  }
}
