/** Identifiers: random ids for servers and keys, and deterministic tokens for pure tasks. */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { hashValue } from "./value-hash.js";

export function uuid(): string {
  return randomUUID();
}

/** 32 lowercase hex characters of randomness, for keys of impure tasks. */
export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString("hex");
}

/**
 * A deterministic 32-hex token of values (names of lazy arrays, keys of pure tasks): equal
 * values give equal tokens, distinct values distinct ones (value-hash.ts); what cannot be
 * hashed faithfully (a function, a symbol, …) raises HashError naming it.
 */
export function tokenize(...parts: unknown[]): string {
  const hash = createHash("md5");
  hashValue(hash, parts, "the inputs and options that name this array or task");
  return hash.digest("hex");
}
