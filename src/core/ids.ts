/** Identifiers: random ids for servers and keys, and deterministic tokens for pure tasks. */
import { createHash, randomBytes, randomUUID } from "node:crypto";

export function uuid(): string {
  return randomUUID();
}

/** 32 lowercase hex characters of randomness, for keys of impure tasks. */
export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString("hex");
}

/** A deterministic 32-hex token of any JSON-like value (used for keys of pure tasks). */
export function tokenize(...parts: unknown[]): string {
  const hash = createHash("md5");
  for (const part of parts) hash.update(stableStringify(part)).update("\u0000");
  return hash.digest("hex");
}

function stableStringify(value: unknown): string {
  if (value === undefined) return "u";
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `f:${value.name}:${value.toString()}`;
  if (ArrayBuffer.isView(value)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return `b:${value.constructor.name}:${createHash("md5").update(bytes).digest("hex")}`;
  }
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}
