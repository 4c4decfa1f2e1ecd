/**
 * Tokens of values, for pure task keys (same function and arguments ⇒ same key ⇒ computed
 * once) and for scatter keys. A token is computed from the value as it will travel
 * (packPayload's tree and frames), so two values share a token only when they arrive as the
 * same value: Maps, Sets, Dates and ArrayBuffers by their content, -0 apart from 0 and NaN
 * apart from null. (A hash of the value's own enumerable keys would give every Map one key,
 * and a second submit with another Map would silently get the first one's result.) Packing
 * also refuses what cannot travel, with its clear error, before any key is made.
 */
import { createHash, type Hash } from "node:crypto";
import { packPayload } from "../protocol/payload.js";

export function payloadToken(value: unknown, what: string): string {
  const frames: Uint8Array[] = [];
  const tree = packPayload(value, frames, what);
  const hash = createHash("md5");
  hashTree(hash, tree);
  for (const frame of frames) hash.update(`|${frame.byteLength}|`).update(frame);
  return hash.digest("hex");
}

/** Feeds a packed tree (plain data only: markers made it so) to the hash, object keys sorted. */
function hashTree(hash: Hash, tree: unknown): void {
  if (tree === null) {
    hash.update("n");
  } else if (typeof tree === "number") {
    hash.update(`#${String(tree)};`); // NaN and ±Infinity spelled out (-0 is a marker by now)
  } else if (typeof tree === "string") {
    hash.update(`s${tree.length}:`).update(tree);
  } else if (typeof tree === "boolean") {
    hash.update(tree ? "t" : "f");
  } else if (Array.isArray(tree)) {
    hash.update(`[${tree.length}`);
    for (const item of tree) hashTree(hash, item);
    hash.update("]");
  } else {
    const record = tree as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    hash.update(`{${keys.length}`);
    for (const key of keys) {
      hash.update(`k${key.length}:`).update(key);
      hashTree(hash, record[key]);
    }
    hash.update("}");
  }
}
