/**
 * Values crossing between a worker's main thread and its compute threads. postMessage
 * clones plain data and shares SharedArrayBuffers, but drops class identity, so NDArrays
 * travel as tagged records and are rebuilt on the other side around the same memory.
 * Buffers that are not shared are transferred (moved, not copied) when the sender no longer
 * needs them, which is the case for task results.
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

/** Objects postMessage clones (or shares) whole, keeping their kind: not walked into. */
function clonedAsIs(value: object): boolean {
  return value instanceof Map || value instanceof Set || value instanceof Date || value instanceof Error || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer;
}

/** Encodes for postMessage; collects non-shared buffers into `transfer` when given. */
export function toThreadValue(value: unknown, transfer?: ArrayBuffer[]): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof NDArray) {
    if (transfer && value.data.buffer instanceof ArrayBuffer && !transfer.includes(value.data.buffer)) transfer.push(value.data.buffer);
    return { __tesseraNDArray: true, data: value.data, shape: [...value.shape], strides: [...value.strides], offset: value.offset, dtype: value.dtype } satisfies NDArrayRecord;
  }
  if (ArrayBuffer.isView(value)) {
    if (transfer && value.buffer instanceof ArrayBuffer && !transfer.includes(value.buffer)) transfer.push(value.buffer);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => toThreadValue(item, transfer));
  if (clonedAsIs(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = toThreadValue(item, transfer);
  return out;
}

export function fromThreadValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (isRecord(value)) return new NDArray(value.data, value.shape, { strides: value.strides, offset: value.offset, dtype: value.dtype });
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(fromThreadValue);
  if (clonedAsIs(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = fromThreadValue(item);
  return out;
}
