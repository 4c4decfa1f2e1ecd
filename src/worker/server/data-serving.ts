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
 * A spilled value bigger than a piece goes out from its file instead, piece by piece
 * (memory/spill-stream.ts over comm/frame-source.ts), on connections that write bytes: it
 * costs two pieces of memory instead of its size, and holds only those from the admission. It
 * goes in a reply of its own (its frames are numbered from 0 in its file; the keys after it
 * are deferred, asked for again). A file that fails its checksum while being sent drops the
 * connection before the frame's last byte (the requester sees a failed fetch, never a wrong
 * value) and loses the key here, as a failed read-back does (the scheduler recomputes it).
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
import { SpillFileError } from "../memory/spill-file.js";
import { type SpillStream, openSpillStream, streamPieceBytes } from "../memory/spill-stream.js";

/** What serving needs of the worker. */
export interface DataServingContext {
  readonly data: Pick<DataStore, "has" | "get" | "isInMemory" | "bytesOf" | "fileOf" | "loseUnreadable">;
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
  const count = (bytes: number) => {
    readBack += bytes;
    readingNow.set(worker.data, (readingNow.get(worker.data) ?? 0) + bytes);
  };
  try {
    for (const key of message.keys) {
      const spilled = worker.data.has(key) && !worker.data.isInMemory(key);
      if (spilled && sent > 0 && readBack >= budget) break;
      const streams = spilled && connection.streamsFrames && worker.data.bytesOf([key]).onDisk > streamPieceBytes;
      if (streams && sent > 0) break; // in a reply of its own
      handled++;
      const stream = streams ? await openStream(worker, key, releases, count) : null;
      if (stream === "missing") {
        reply.missing.push(key);
        continue;
      }
      if (stream) {
        reply.data[key] = stream.tree;
        await sendStreamed(worker, key, stream, connection, message, reply, handled);
        return;
      }
      if (spilled && worker.admission) releases.push(await worker.admission.holdForServing(worker.data.bytesOf([key]).onDisk));
      // A key freed (or lost) while an earlier one was read from disk is as missing as one never held.
      const value = worker.data.has(key) ? await worker.data.get(key, false).catch(() => missingValue) : missingValue;
      if (value === missingValue) {
        reply.missing.push(key);
        continue;
      }
      if (spilled) count(sizeOf(value));
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

/**
 * The key's spill file opened to stream, with the room for its buffers held; null: read it
 * back whole instead (compressed, or spilled no more); "missing": its file failed (the key is
 * lost here) or went with the key.
 */
async function openStream(worker: DataServingContext, key: string, releases: Array<() => void>, count: (bytes: number) => void): Promise<SpillStream | null | "missing"> {
  if (worker.admission) releases.push(await worker.admission.holdForServing(2 * streamPieceBytes));
  const file = worker.data.fileOf(key);
  if (file === null || worker.data.isInMemory(key)) return worker.data.has(key) ? null : "missing";
  try {
    const stream = await openSpillStream(file);
    if (stream) count(stream.bufferBytes);
    return stream;
  } catch (error) {
    if (!(error instanceof SpillFileError)) throw error;
    worker.data.loseUnreadable(key, file, error);
    return "missing";
  }
}

/** Sends the reply whose last value is streamed from `stream`, the keys after it deferred. */
async function sendStreamed(
  worker: DataServingContext, key: string, stream: SpillStream, connection: Connection, message: MessageOf<"get-data">, reply: DataReply, handled: number,
): Promise<void> {
  if (handled < message.keys.length) reply.deferred = message.keys.slice(handled);
  try {
    await connection.replyStreamed(message.reqId, reply, stream.frames);
  } catch (error) {
    // The connection is dropped (the requester's fetch fails); a damaged file also loses the key here.
    if (error instanceof SpillFileError) worker.data.loseUnreadable(key, stream.path, error);
    else if (!connection.isClosed) throw error;
  } finally {
    await stream.close();
  }
}
