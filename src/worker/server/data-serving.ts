/**
 * Serving get-data (peers fetching inputs, clients gathering results) within the worker's
 * memory. Values in memory go out as they are (frames over their own buffers: no copy).
 * Values spilled to disk must be read back to be sent; one reply reads back at most what
 * fits now (readBackBudget: a message's worth, and no more than the room left below the pause
 * threshold) and names the rest `deferred`, which the requester asks for again
 * (comm/data-request.ts). Without this a worker asked for all its spilled results at once
 * read them all into one reply and its nanny killed it at 95%.
 *
 * A value read back also waits for room beside the tasks running here (TaskAdmission
 * holdForServing) and holds it until the reply is handed to the socket: a 16 MB read-back for a
 * peer beside a 16 MB row merge carried a 192 MiB worker past its nanny's 95%.
 *
 * What was read back only to be sent is not kept in memory (DataStore.get with keep false):
 * its file stays valid, so it costs no second write, and it does not push out the values in
 * memory that tasks here still use. Dask's SpillBuffer (zict.Buffer) moves every value read by
 * get_data back into memory instead, evicting others, and reads a whole request at once.
 */
import type { Connection } from "../../comm/connection.js";
import { type DataReply, messageBytesFor } from "../../comm/data-request.js";
import type { MessageOf } from "../../protocol/messages.js";
import { packPayload } from "../../protocol/payload.js";
import type { DataStore } from "../memory/data-store.js";
import { type MemoryPolicy, thresholdBytes } from "../memory/memory-policy.js";
import { sizeOf } from "../memory/value-size.js";
import type { TaskAdmission } from "../memory/task-admission.js";

/** What serving needs of the worker. */
export interface DataServingContext {
  readonly data: Pick<DataStore, "has" | "get" | "isInMemory" | "bytesOf">;
  readonly memoryPolicy: MemoryPolicy;
  /** Room for what is read back, beside the running tasks (absent: none is waited for). */
  readonly admission?: Pick<TaskAdmission, "holdForServing"> | null;
  /** The process's resident memory now (default: process.memoryUsage.rss). */
  readRss?: () => number;
}

/** Bytes being read back for replies not yet handed to their sockets, per store (concurrent requests share the room). */
const readingNow = new WeakMap<object, number>();

/**
 * Bytes of spilled values one reply may read back: a message's worth (messageBytesFor), and
 * no more than the room left below the lowest threshold that acts (pause, terminate, the
 * limit) after what the process holds and what other replies are reading. No limit: no bound
 * (nothing is spilled then).
 */
export function readBackBudget(policy: MemoryPolicy, rss: number, othersReading: number): number {
  if (policy.limitBytes <= 0) return Infinity;
  const ceiling = Math.min(policy.limitBytes, thresholdBytes(policy, "pause"), thresholdBytes(policy, "terminate"));
  return Math.max(0, Math.min(messageBytesFor(policy.limitBytes), ceiling - rss - othersReading));
}

const missingValue = Symbol("missing");

/** The reply to one get-data: at least one value sent (or every key reported missing), then as many as the budget allows. */
export async function serveData(worker: DataServingContext, message: MessageOf<"get-data">, connection: Connection): Promise<void> {
  const others = readingNow.get(worker.data) ?? 0;
  const budget = readBackBudget(worker.memoryPolicy, (worker.readRss ?? process.memoryUsage.rss)(), others);
  const out: Uint8Array[] = [];
  const reply: DataReply = { data: {}, missing: [] };
  let readBack = 0;
  let handled = 0;
  let sent = 0;
  const releases: Array<() => void> = [];
  try {
    for (const key of message.keys) {
      const spilled = worker.data.has(key) && !worker.data.isInMemory(key);
      if (spilled && sent > 0 && readBack >= budget) break;
      handled++;
      if (spilled && worker.admission) releases.push(await worker.admission.holdForServing(worker.data.bytesOf([key]).onDisk));
      // A key freed (or lost) while an earlier one was read from disk is as missing as one never held.
      const value = worker.data.has(key) ? await worker.data.get(key, false).catch(() => missingValue) : missingValue;
      if (value === missingValue) {
        reply.missing.push(key);
        continue;
      }
      if (spilled) {
        const nbytes = sizeOf(value);
        readBack += nbytes;
        readingNow.set(worker.data, (readingNow.get(worker.data) ?? 0) + nbytes);
      }
      reply.data[key] = packPayload(value, out, `the result of task ${key}`);
      sent++;
    }
    if (handled < message.keys.length) reply.deferred = message.keys.slice(handled);
    connection.reply(message.reqId, reply, out);
  } finally {
    for (const release of releases) release();
    const left = (readingNow.get(worker.data) ?? 0) - readBack;
    if (left > 0) readingNow.set(worker.data, left);
    else readingNow.delete(worker.data);
  }
}
