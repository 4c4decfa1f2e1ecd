/**
 * The results a worker holds, with their sizes. Sizes are exact for binary data (NDArray
 * and typed-array bytes, which is what chunked workloads store) and estimated for other
 * JavaScript values; the sum is the worker's managed memory.
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

export class DataStore {
  private values = new Map<string, { value: unknown; nbytes: number }>();
  managedBytes = 0;

  set(key: string, value: unknown, nbytes = sizeOf(value)): number {
    this.delete(key);
    this.values.set(key, { value, nbytes });
    this.managedBytes += nbytes;
    return nbytes;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  get(key: string): unknown {
    return this.values.get(key)?.value;
  }

  nbytes(key: string): number {
    return this.values.get(key)?.nbytes ?? 0;
  }

  delete(key: string): void {
    const entry = this.values.get(key);
    if (!entry) return;
    this.values.delete(key);
    this.managedBytes -= entry.nbytes;
  }

  get size(): number {
    return this.values.size;
  }

  keys(): IterableIterator<string> {
    return this.values.keys();
  }
}
