/**
 * Asking a worker for results by key ("get-data"), for clients and peer workers alike. A
 * worker sends in one reply only as much as it can read back from disk within its memory
 * now and names the rest `deferred` (worker/server/data-serving.ts); they are asked for
 * again, one reply at a time, so neither side holds more than one reply's worth of data
 * read back for it.
 */
import type { Connection } from "./connection.js";

/** Dask's `distributed.worker.transfer.message-bytes-limit`: most bytes of values in one get-data. */
export const maxMessageBytes = 50e6;

/**
 * Most bytes of values to ask of (and send from) a worker with this memory limit in one
 * get-data: 50 MB, and at most a tenth of a limited worker's memory (Dask's
 * `memory.transfer` fraction), so that a reply read back from disk fits beside what it holds.
 */
export function messageBytesFor(memoryLimit: number): number {
  return memoryLimit > 0 ? Math.min(maxMessageBytes, 0.1 * memoryLimit) : maxMessageBytes;
}

/** What a worker answers to get-data. */
export interface DataReply {
  /** Packed values by key (their binary parts in the reply's frames). */
  data: Record<string, unknown>;
  /** Keys it does not hold (released, lost, never had). */
  missing: string[];
  /** Keys it holds but will send in a later reply (asked for again). */
  deferred?: string[];
}

export interface DataRequestResult {
  missing: string[];
  /** Replies it took (1 unless the worker deferred some keys). */
  replies: number;
}

/**
 * Asks `connection`'s worker for `keys`, following its deferrals; `receive` takes each reply's
 * values as it comes (unpack them there: the frames are only that reply's).
 */
export async function requestData(
  connection: Connection, keys: readonly string[], options: { timeoutMs: number },
  receive: (data: Record<string, unknown>, frames: Uint8Array[]) => void,
): Promise<DataRequestResult> {
  const missing: string[] = [];
  let asked = [...keys];
  let replies = 0;
  while (asked.length > 0) {
    const reply = await connection.request({ op: "get-data", keys: asked }, [], { timeoutMs: options.timeoutMs });
    replies++;
    const result = reply.result as DataReply;
    receive(result.data, reply.frames);
    missing.push(...result.missing);
    const deferred = result.deferred ?? [];
    // A worker always sends or refuses at least one key per reply; one that does neither would loop forever.
    if (deferred.length >= asked.length) throw new Error(`${connection.peerAddress} deferred all ${asked.length} key(s) asked of it and sent none`);
    asked = deferred;
  }
  return { missing, replies };
}
