/**
 * Tokens of values, for pure task keys (same function and arguments ⇒ same key ⇒ computed
 * once) and for scatter keys. A token is computed from the value as it will travel
 * (packPayload's tree and frames), so two values share a token only when they arrive as the
 * same value: Maps, Sets, Dates and ArrayBuffers by their content, -0 apart from 0 and NaN
 * apart from null. (A hash of the value's own enumerable keys would give every Map one key,
 * and a second submit with another Map would silently get the first one's result.) Packing
 * also refuses what cannot travel, with its clear error, before any key is made. The tree is
 * plain data by then; core's faithful hash (value-hash.ts) digests it.
 */
import { createHash } from "node:crypto";
import { hashValue } from "../core/value-hash.js";
import { packPayload } from "./payload.js";

export function payloadToken(value: unknown, what: string): string {
  const frames: Uint8Array[] = [];
  const tree = packPayload(value, frames, what);
  const hash = createHash("md5");
  hashValue(hash, tree, what);
  for (const frame of frames) hash.update(`|${frame.byteLength}|`).update(frame);
  return hash.digest("hex");
}
