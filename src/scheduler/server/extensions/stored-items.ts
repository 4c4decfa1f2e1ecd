/**
 * What queues and variables hold: a future (by key, kept alive by the holder) or a small
 * value. Values pass through the scheduler, so they are bounded: big data belongs on the
 * workers (scatter it, and share the future).
 */
import { unpackPayload } from "../../../protocol/payload.js";
import { CoordinationError, requireClient, type PeerRequest } from "./extension-host.js";
import type { KeyHolders, KeyReport } from "./key-holders.js";

/** Binary bytes a value stored on the scheduler may carry. */
export const maxStoredValueBytes = 16 * 1024 * 1024;

export type StoredItem = { futureKey: string } | { value: unknown };

/** The item a put/set message carries; raises for an oversized value. */
export function readItem(message: { futureKey?: string; value?: unknown }, frames: Uint8Array[], what: string): StoredItem {
  if (message.futureKey !== undefined) return { futureKey: message.futureKey };
  const bytes = frames.reduce((sum, frame) => sum + frame.byteLength, 0);
  if (bytes > maxStoredValueBytes) {
    throw new CoordinationError(`${what}: a value of ${bytes} bytes is too big to pass through the scheduler (at most ${maxStoredValueBytes}); scatter it and pass the future instead`);
  }
  return { value: unpackPayload(message.value, frames) };
}

/** An item as it goes back to a client: a future becomes the client's own (see KeyHolders.giveTo). */
export type ItemReply = { future: KeyReport } | { value: unknown };

/**
 * Hands `item` to the requester: a future is given to its client and let go by `holder`.
 * Raises (taking nothing) when a worker asks for a future.
 */
export function handOut(item: StoredItem, request: PeerRequest, holders: KeyHolders, holder: string | null, what: string): ItemReply {
  if (!("futureKey" in item)) return { value: item.value };
  requireClient(request, what);
  const [report] = holders.giveTo(request.peer, [item.futureKey]);
  if (holder) holders.release(holder, [item.futureKey]);
  return { future: report };
}
