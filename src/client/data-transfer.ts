/**
 * Moving data between the client and workers directly (Dask sends gathers through the
 * scheduler by default; we never do): gather asks each holder for its keys in requests of
 * bounded bytes (one for a small gather; see gather-batches.ts), and when it gives up says
 * why each attempt failed (gather-failures.ts); scatter sends each worker its share in one request and then tells the scheduler where the
 * data now lives.
 */
import { InvalidOptionError } from "../core/errors.js";
import { randomHex } from "../core/ids.js";
import { payloadToken } from "../protocol/payload-token.js";
import { packPayload, unpackPayload } from "../protocol/payload.js";
import type { FutureState } from "./future.js";
import type { Connection } from "../comm/connection.js";
import { messageBytesFor, requestData } from "../comm/data-request.js";
import { planBatches } from "./gather-batches.js";
import { GatherFailures, describeTransferFailure } from "./gather-failures.js";
import { checkOptionNames, type OptionNames } from "./option-names.js";
import type { ConnectionPool } from "../comm/connection-pool.js";

/** What gather and scatter need from the client. */
export interface TransferClient {
  readonly pool: ConnectionPool;
  readonly scheduler: Connection;
  refreshSchedulerInfo(): Promise<{ workers: Record<string, { address: string; name: string; freeKeysSent?: number }> }>;
  /** The info as last refreshed (asked again only after workers came or went): gathers size their requests by each worker's memory limit. */
  currentSchedulerInfo?(): Promise<{ workers: Record<string, { address: string; memoryLimit?: number }> }>;
}

export interface ScatterOptions {
  /** Put every value on every worker. */
  broadcast?: boolean;
  /** Only these workers (addresses or names). */
  workers?: string[];
  /** Key by content (default true), so scattering the same value twice gives the same key. */
  hash?: boolean;
}

const scatterOptionNames: OptionNames<ScatterOptions> = { broadcast: true, workers: true, hash: true };

export async function gatherValues(client: TransferClient, states: FutureState[]): Promise<unknown[]> {
  const values = new Map<string, unknown>();
  const failures = new GatherFailures();
  let pending = [...new Set(states)];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 20) throw failures.error(pending.map((s) => s.key), attempt);
    for (const state of pending) {
      await state.wait();
      if (state.error) throw state.error;
    }
    // Ask the scheduler where the results live now (as Dask does): a holder the client heard
    // of may have retired since, and connecting to it would only time out.
    if (attempt === 0) await refreshLocations(client, pending);
    const byWorker = new Map<string, FutureState[]>();
    for (const state of pending) {
      const holder = state.whoHas[Math.floor(Math.random() * state.whoHas.length)];
      if (!holder) continue;
      const group = byWorker.get(holder);
      if (group) group.push(state);
      else byWorker.set(holder, [state]);
    }
    const retry: FutureState[] = pending.filter((s) => s.whoHas.length === 0);
    if (retry.length > 0) failures.note(attempt, "no worker held them (lost, being recomputed)", retry.length);
    const limits = await memoryLimits(client);
    await Promise.all([...byWorker].map(async ([worker, group]) => {
      const failed = await fetchFrom(client, worker, group, messageBytesFor(limits.get(worker) ?? 0), values);
      for (const { reason, states: lost } of failed) {
        failures.note(attempt, reason, lost.length);
        retry.push(...lost);
      }
    }));
    if (retry.length > 0) await refreshLocations(client, retry);
    pending = retry;
  }
  return states.map((state) => values.get(state.key));
}

/**
 * Takes `group`'s values from `worker` into `values`, in requests of at most `boundBytes`
 * (gather-batches.ts), one after the other: a worker never reads more of its spilled results
 * back at once than one request's worth. Returns what it could not get, and why.
 */
async function fetchFrom(client: TransferClient, worker: string, group: FutureState[], boundBytes: number, values: Map<string, unknown>): Promise<Array<{ reason: string; states: FutureState[] }>> {
  let connection: Connection;
  try {
    connection = await client.pool.get(worker);
  } catch (error) {
    client.pool.discard(worker);
    return [{ reason: describeTransferFailure(worker, error, true), states: group }];
  }
  const failed: Array<{ reason: string; states: FutureState[] }> = [];
  const batches = planBatches(group, (state) => state.nbytes, boundBytes);
  for (const [i, batch] of batches.entries()) {
    try {
      await requestData(connection, batch.map((s) => s.key), { timeoutMs: 600_000 }, (data, frames) => {
        for (const [key, tree] of Object.entries(data)) values.set(key, unpackPayload(tree, frames));
      });
    } catch (error) {
      client.pool.discard(worker);
      failed.push({ reason: describeTransferFailure(worker, error, false), states: batches.slice(i).flat().filter((s) => !values.has(s.key)) });
      return failed;
    }
    const notHeld = batch.filter((s) => !values.has(s.key));
    if (notHeld.length > 0) failed.push({ reason: `${worker} no longer held them (released, lost, or its worker restarted)`, states: notHeld });
  }
  return failed;
}

/** Each worker's memory limit (0: none or unknown), from the scheduler info as last refreshed. */
async function memoryLimits(client: TransferClient): Promise<Map<string, number>> {
  const info = await client.currentSchedulerInfo?.().catch(() => undefined);
  return new Map(Object.values(info?.workers ?? {}).map((w) => [w.address, w.memoryLimit ?? 0]));
}

/**
 * Asks the scheduler where results live now; those with no holder wait to be recomputed.
 * The answer is applied as the reply is read (`onReply`), not when the promise resumes: the
 * scheduler's key-in-memory for a key being recomputed may come in the same batch right
 * behind the reply, and the reply's "no holder" applied after it would set the finished
 * future back to pending, to wait forever for a message that has already come.
 */
async function refreshLocations(client: TransferClient, states: FutureState[]): Promise<void> {
  await client.scheduler.request({ op: "who-has", keys: states.map((s) => s.key) }, [], {
    onReply: (reply) => {
      const whoHas = reply.result as Record<string, string[]>;
      for (const state of states) {
        const holders = whoHas[state.key] ?? [];
        if (holders.length > 0) state.whoHas = holders;
        else if (state.status === "finished") state.reset();
      }
    },
  });
}

/** Where a scattered value was put. */
export interface Placement {
  key: string;
  worker: string;
  nbytes: number;
  type: string;
}

/**
 * Puts the values on workers and tells the scheduler; returns each value's key and where it
 * went (the scheduler's key-in-memory for them may arrive before the caller has futures).
 */
export async function scatterValues(client: TransferClient, data: unknown[], options: ScatterOptions): Promise<{ keys: string[]; placed: Placement[] }> {
  checkOptionNames(options, scatterOptionNames, "Client.scatter");
  const info = await client.refreshSchedulerInfo();
  let workers = Object.values(info.workers);
  if (options.workers) workers = workers.filter((w) => options.workers?.includes(w.address) || options.workers?.includes(w.name));
  if (workers.length === 0) throw new InvalidOptionError("no workers to scatter to; call waitForWorkers first");
  workers.sort((a, b) => a.address.localeCompare(b.address));
  const keys = data.map((value, i) => `${typeLabel(value)}-${options.hash === false ? randomHex() : payloadToken(value, `scattered value ${i}`)}`);
  const assignment = new Map<string, number[]>();
  data.forEach((_, i) => {
    const targets = options.broadcast ? workers : [workers[i % workers.length]];
    for (const worker of targets) assignment.set(worker.address, [...(assignment.get(worker.address) ?? []), i]);
  });
  const placed: Placement[] = [];
  await Promise.all([...assignment].map(async ([address, indices]) => {
    const frames: Uint8Array[] = [];
    const payload: Record<string, unknown> = {};
    for (const i of indices) payload[keys[i]] = packPayload(data[i], frames, `scattered value ${i}`);
    const connection = await client.pool.get(address);
    // The free-keys the scheduler sent this worker before we asked may be about an earlier
    // copy of these keys (released a moment ago) and reach it after this: none of them drops it.
    const afterFreeKeys = info.workers[address]?.freeKeysSent;
    const reply = await connection.request({ op: "update-data", data: payload, ...(afterFreeKeys ? { afterFreeKeys } : {}) }, frames, { timeoutMs: 600_000 });
    const sizes = (reply.result as { nbytes: Record<string, number> }).nbytes;
    for (const i of indices) placed.push({ key: keys[i], worker: address, nbytes: sizes[keys[i]] ?? 0, type: typeLabel(data[i]) });
  }));
  await client.scheduler.request({ op: "scatter-placed", placed });
  return { keys, placed };
}

/** Finishes the futures of scattered keys from where they were placed (the scheduler announced them while they had no future). */
export function recordPlacements(futures: ReadonlyMap<string, FutureState>, placed: readonly Placement[]): void {
  for (const { key, worker, nbytes, type } of placed) {
    const state = futures.get(key);
    if (state && !state.done) state.finish([worker], nbytes, type);
    else if (state?.status === "finished" && !state.whoHas.includes(worker)) state.whoHas.push(worker);
  }
}

function typeLabel(value: unknown): string {
  if (value === null || typeof value !== "object") return typeof value;
  return (value as object).constructor?.name ?? "object";
}
