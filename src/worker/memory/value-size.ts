/**
 * The size of a stored result: exact for binary data (NDArray and typed-array bytes, which
 * is what chunked workloads store), estimated for other JavaScript values. The sum over a
 * worker's results is its managed memory.
 */
import { NDArray } from "../../ndarray/ndarray.js";

export function sizeOf(value: unknown, depth = 0): number {
  if (value === null || value === undefined) return 8;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return 8;
  if (typeof value === "string") return 16 + 2 * value.length;
  if (value instanceof NDArray) return value.nbytes;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return value.byteLength;
  if (depth > 4) return 64;
  if (Array.isArray(value)) {
    let total = 32;
    for (let i = 0; i < value.length; i++) total += sizeOf(value[i], depth + 1);
    return total;
  }
  if (value instanceof Map) {
    let total = 64;
    for (const [k, v] of value) total += sizeOf(k, depth + 1) + sizeOf(v, depth + 1);
    return total;
  }
  if (typeof value === "object") {
    let total = 32;
    for (const [k, v] of Object.entries(value)) total += 16 + 2 * k.length + sizeOf(v, depth + 1);
    return total;
  }
  return 32;
}

export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof NDArray) return `NDArray<${value.dtype}>`;
  if (typeof value === "object") return (value as object).constructor?.name ?? "Object";
  return typeof value;
}
