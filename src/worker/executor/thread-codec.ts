/**
 * Values crossing between a worker's main thread and its compute threads. postMessage
 * clones plain data, Maps, Sets and Dates and shares SharedArrayBuffers, but drops class
 * identity, so NDArrays travel as tagged records and are rebuilt on the other side around
 * the same memory, wherever they sit (in arrays, objects, Map keys and values, Sets).
 * Buffers that are not shared are transferred (moved, not copied) when the sender no longer
 * needs them, which is the case for task results. What may cross at all is decided before:
 * a result must be able to travel on the wire (compute-thread.ts checks), so nothing that
 * postMessage would change or refuse gets here.
 */
import { NDArray } from "../../ndarray/ndarray.js";
import type { DType, TypedArray } from "../../ndarray/dtype.js";

interface NDArrayRecord {
  __tesseraNDArray: true;
  data: TypedArray;
  shape: number[];
  strides: number[];
  offset: number;
  dtype: DType;
}

function isRecord(value: unknown): value is NDArrayRecord {
  return typeof value === "object" && value !== null && (value as NDArrayRecord).__tesseraNDArray === true;
}

/** Objects postMessage clones (or shares) whole, keeping their kind, with nothing inside to rebuild. */
function clonedAsIs(value: object): boolean {
  return value instanceof Date || value instanceof RegExp || value instanceof Error || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer;
}

/** Rebuilds Maps and Sets with `convert` applied to what they hold; undefined for other values. */
function convertCollection(value: object, convert: (item: unknown) => unknown): unknown {
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [convert(key), convert(item)]));
  if (value instanceof Set) return new Set([...value].map(convert));
  return undefined;
}

/** Encodes for postMessage; collects non-shared buffers into `transfer` when given. */
export function toThreadValue(value: unknown, transfer?: ArrayBuffer[]): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof NDArray) {
    if (transfer && value.storage.buffer instanceof ArrayBuffer && !transfer.includes(value.storage.buffer)) transfer.push(value.storage.buffer);
    // postMessage copies shape and strides as it clones the record: no copy needed here.
    return { __tesseraNDArray: true, data: value.storage, shape: value.shape as number[], strides: value.strides as number[], offset: value.offset, dtype: value.dtype } satisfies NDArrayRecord;
  }
  if (ArrayBuffer.isView(value)) {
    if (transfer && value.buffer instanceof ArrayBuffer && !transfer.includes(value.buffer)) transfer.push(value.buffer);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => toThreadValue(item, transfer));
  if (clonedAsIs(value)) return value;
  const collection = convertCollection(value, (item) => toThreadValue(item, transfer));
  if (collection) return collection;
  return mapOwnEntries(value, (item) => toThreadValue(item, transfer));
}

/** A plain object with `convert` applied to each value ("__proto__" kept as an own key). */
function mapOwnEntries(value: object, convert: (item: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = convert((value as Record<string, unknown>)[key]);
    // Plain assignment would set the prototype for "__proto__"; every other key takes the fast path.
    if (key === "__proto__") Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}

export function fromThreadValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (isRecord(value)) return new NDArray(value.data, value.shape, { strides: value.strides, offset: value.offset, dtype: value.dtype });
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(fromThreadValue);
  if (clonedAsIs(value)) return value;
  const collection = convertCollection(value, fromThreadValue);
  if (collection) return collection;
  return mapOwnEntries(value, fromThreadValue);
}
