/**
 * The worker's data paths: running a task on a compute thread with its inputs taken from
 * the local store, fetching inputs from the peers that hold them, serving peers' requests
 * for our results (data-serving.ts) and accepting scattered data, and running `client.run` functions.
 * Binary data is never copied on these paths: stored NDArrays are handed to threads by
 * shared memory and to sockets as frames over their own buffers.
 */
import type { Connection } from "../../comm/connection.js";
import { requestData } from "../../comm/data-request.js";
import type { Message, MessageOf, StartStop } from "../../protocol/messages.js";
import { toWireError, unpackPayload } from "../../protocol/payload.js";
import { runTask } from "../../graph/task-runner.js";
import { LostDataError } from "../memory/lost-data-error.js";
import { typeName } from "../memory/value-size.js";
import type { TaskNeeds } from "../memory/task-admission.js";
import type { WorkerCommand } from "../state/worker-state.js";
import type { WorkerContext } from "./worker-context.js";
import { serveData } from "./data-serving.js";
import { unixSeconds } from "../../core/clock.js";

/** The keys a packed argument tree refers to (its `$ref` markers). */
function referencedKeys(args: unknown, frames: Uint8Array[]): string[] {
  const keys: string[] = [];
  unpackPayload(args, frames, (key) => {
    keys.push(key);
    return null;
  });
  return keys;
}

/**
 * A task that never reached its function (inputs unreadable, thread pool closed) fails with a
 * zero-length span; when inputs were lost here (`lost`), the state decides whether it waits
 * for them to be recomputed instead.
 */
function failedToRun(worker: WorkerContext, key: string, error: unknown, lost: string[] = []): void {
  const now = unixSeconds();
  const failure = { key, error: toWireError(error, key), startstops: [{ action: "compute" as const, start: now, stop: now }], thread: 0 };
  if (error instanceof LostDataError || lost.length > 0) worker.dispatch({ type: "inputs-lost", keys: lost, ...failure });
  else worker.dispatch({ type: "execute-failure", ...failure });
}

export async function executeTask(worker: WorkerContext, command: Extract<WorkerCommand, { type: "execute" }>): Promise<void> {
  let args: unknown[];
  // Inputs spilled to disk are read back first (a "disk-read" span) and kept in memory while the task runs.
  let readStart = unixSeconds();
  // Set just before pin(): unpinning keys this run never pinned would take away another run's pins.
  let inputs: string[] = [];
  let keys: string[] = [];
  let diskRead: StartStop | null = null;
  let needs: TaskNeeds | null = null;
  try {
    keys = referencedKeys(command.args, command.frames);
    const missing = keys.find((key) => !worker.data.has(key));
    if (missing) throw new Error(`input ${missing} of ${command.key} is not in this worker's memory`);
    inputs = keys;
    // Held where they are (not spilled to make room for this very task) until it may start.
    worker.data.hold(inputs);
    const sizes = worker.data.bytesOf(inputs);
    needs = { key: command.key, prefix: command.prefix, inputBytes: sizes.bytes, loadBytes: sizes.onDisk };
    await worker.admission?.admit(needs);
    readStart = unixSeconds(); // waiting for room is no disk time
    const spilled = inputs.some((key) => !worker.data.isInMemory(key));
    const values = new Map<string, unknown>();
    for (const key of inputs) values.set(key, await worker.data.get(key)); // held: they stay in memory once read
    if (spilled) diskRead = { action: "disk-read", start: readStart, stop: unixSeconds() };
    args = unpackPayload(command.args, command.frames, (key) => values.get(key)) as unknown[];
  } catch (error) {
    worker.data.unpin(inputs);
    worker.admission?.finish(command.key);
    failedToRun(worker, command.key, error, keys.filter((key) => !worker.data.has(key)));
    return;
  }
  let outcome;
  try {
    outcome = await worker.threads.run(command.key, command.fn, args);
  } catch (error) {
    worker.admission?.finish(command.key);
    failedToRun(worker, command.key, error);
    return;
  } finally {
    worker.data.unpin(inputs);
  }
  // Its reservation ends when its result is stored (below): until then the result is not in the store's count.
  const measured = outcome.ok && outcome.peakBytes !== undefined ? { prefix: command.prefix, inputBytes: needs.inputBytes, peakBytes: outcome.peakBytes } : undefined;
  // Taken back before it started (its task was stolen or freed, worker-state.ts): nothing ran, nothing to tell.
  if (!outcome.ok && outcome.withdrawn) return worker.admission?.finish(command.key);
  const startstops: StartStop[] = [...(diskRead ? [diskRead] : []), { action: "compute" as const, start: outcome.start, stop: outcome.stop }];
  if (outcome.ok) {
    if (outcome.peakBytes !== undefined) worker.recordTaskPeak(outcome.peakBytes);
    // Spilling that this result triggers is waited for, as in Dask: the disk sets the pace.
    // finally: a put that fails (the spill disk) must not keep the reservation, or later tasks would wait on it for ever.
    const { nbytes, diskWrite } = await worker.data.put(command.key, outcome.result, outcome.allocatedBytes ?? outcome.peakBytes).finally(() => worker.admission?.finish(command.key, measured));
    if (diskWrite) startstops.push({ action: "disk-write", ...diskWrite });
    worker.dispatch({ type: "execute-success", key: command.key, nbytes, dataType: typeName(outcome.result), startstops, thread: outcome.thread, peakBytes: outcome.peakBytes });
  } else {
    worker.admission?.finish(command.key);
    worker.dispatch({ type: "execute-failure", key: command.key, error: outcome.error, startstops, thread: outcome.thread });
  }
}

/** Fetches `keys` (about `nbytes`) from `peer` once the admission has room for them (task-admission.ts). */
export async function fetchFromPeer(worker: WorkerContext, peer: string, keys: string[], nbytes = 0): Promise<void> {
  const release = (await worker.admission?.admitTransfer(nbytes)) ?? (() => {});
  const start = unixSeconds();
  try {
    const connection = await worker.pool.get(peer);
    const received: Array<{ key: string; nbytes: number }> = [];
    let bytes = 0;
    // The peer may send its spilled values over several replies (data-serving.ts).
    await requestData(connection, keys, { timeoutMs: 300_000 }, (data, frames) => {
      for (const [key, tree] of Object.entries(data)) {
        const nbytes = worker.data.set(key, unpackPayload(tree, frames));
        received.push({ key, nbytes });
        bytes += nbytes;
      }
    });
    const stop = unixSeconds();
    if (received.length > 0) {
      worker.tell({ op: "transfer-log", transfers: [{ keys: received.map((r) => r.key), from: peer, bytes, start, stop }] });
    }
    worker.dispatch({ type: "fetch-success", peer, received });
  } catch (error) {
    worker.logger.warn(`could not fetch ${keys.length} key(s) from ${peer}: ${(error as Error).message}`);
    worker.pool.discard(peer);
    worker.dispatch({ type: "fetch-failure", peer });
  } finally {
    release(); // what came is in the store now, counted by the process's memory
  }
}

/** Requests from peers (other workers, clients) on the worker's own listener. */
export function servePeer(worker: WorkerContext, message: Message, frames: Uint8Array[], connection: Connection): void {
  switch (message.op) {
    case "get-data":
      serveData(worker, message, connection).catch((error: unknown) => connection.replyError(message.reqId, error));
      return;
    case "update-data": {
      const received: Array<{ key: string; nbytes: number }> = [];
      for (const [key, tree] of Object.entries(message.data)) {
        received.push({ key, nbytes: worker.data.set(key, unpackPayload(tree, frames)) });
      }
      worker.dispatch({ type: "data-received", received, ...(message.afterFreeKeys ? { afterFreeKeys: message.afterFreeKeys } : {}) });
      connection.reply(message.reqId, { nbytes: Object.fromEntries(received.map((r) => [r.key, r.nbytes])) });
      return;
    }
    default:
      throw new Error(`peers may not send "${message.op}" to a worker`);
  }
}

/** `client.run(fn)`: runs on the worker's main thread, like Dask's run. */
export function runOnMainThread(message: MessageOf<"run-function">, frames: Uint8Array[], connection: Connection): void {
  let args: unknown[];
  try {
    args = unpackPayload(message.args, frames) as unknown[];
  } catch (error) {
    connection.replyError(message.reqId, error);
    return;
  }
  runTask(message.fn, args).then(
    (result) => connection.replyValue(message.reqId, result, "the value returned by the function run on the worker"),
    (error: unknown) => connection.replyError(message.reqId, error),
  );
}
