/**
 * The dtypes tessera supports, their TypedArray storage and NumPy's names for them.
 * `bool` is stored one byte per element (0 or 1) in a Uint8Array, as NumPy does.
 * complex64 / complex128 are stored as NumPy lays them out in memory: interleaved (re, im)
 * pairs in a Float32Array / Float64Array, so one element is two storage slots (`lanes` 2).
 */
import { InvalidOptionError } from "../core/errors.js";

export type DType =
  | "bool" | "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32"
  | "int64" | "uint64" | "float32" | "float64" | "complex64" | "complex128";

export type TypedArray =
  | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

export type TypedArrayConstructor =
  | Uint8ArrayConstructor | Int8ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor
  | Int32ArrayConstructor | Uint32ArrayConstructor | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;

export interface DTypeInfo {
  readonly name: DType;
  readonly itemsize: number;
  readonly kind: "b" | "i" | "u" | "f" | "c";
  /** Storage slots per element: 2 for complex (re, im), 1 otherwise. */
  readonly lanes: 1 | 2;
  readonly array: TypedArrayConstructor;
  /** NumPy's little-endian type string, as Zarr v2 writes it ("<u2"). */
  readonly numpy: string;
}

const table: Record<DType, DTypeInfo> = {
  bool: { name: "bool", itemsize: 1, kind: "b", array: Uint8Array, numpy: "|b1", lanes: 1 },
  int8: { name: "int8", itemsize: 1, kind: "i", array: Int8Array, numpy: "|i1", lanes: 1 },
  uint8: { name: "uint8", itemsize: 1, kind: "u", array: Uint8Array, numpy: "|u1", lanes: 1 },
  int16: { name: "int16", itemsize: 2, kind: "i", array: Int16Array, numpy: "<i2", lanes: 1 },
  uint16: { name: "uint16", itemsize: 2, kind: "u", array: Uint16Array, numpy: "<u2", lanes: 1 },
  int32: { name: "int32", itemsize: 4, kind: "i", array: Int32Array, numpy: "<i4", lanes: 1 },
  uint32: { name: "uint32", itemsize: 4, kind: "u", array: Uint32Array, numpy: "<u4", lanes: 1 },
  int64: { name: "int64", itemsize: 8, kind: "i", array: BigInt64Array, numpy: "<i8", lanes: 1 },
  uint64: { name: "uint64", itemsize: 8, kind: "u", array: BigUint64Array, numpy: "<u8", lanes: 1 },
  float32: { name: "float32", itemsize: 4, kind: "f", array: Float32Array, numpy: "<f4", lanes: 1 },
  float64: { name: "float64", itemsize: 8, kind: "f", array: Float64Array, numpy: "<f8", lanes: 1 },
  complex64: { name: "complex64", itemsize: 8, kind: "c", array: Float32Array, numpy: "<c8", lanes: 2 },
  complex128: { name: "complex128", itemsize: 16, kind: "c", array: Float64Array, numpy: "<c16", lanes: 2 },
};

/**
 * The real dtypes, which every operation supports. complex64 / complex128 (`complexDTypes`)
 * are supported by the operations listed in complex.ts; the others refuse them by name.
 */
export const dtypes: readonly DType[] = (Object.keys(table) as DType[]).filter((name) => table[name].kind !== "c");
export const complexDTypes: readonly DType[] = ["complex64", "complex128"];
const allNames = [...dtypes, ...complexDTypes].join(", ");

export function isDType(value: unknown): value is DType {
  return typeof value === "string" && value in table;
}

export function dtypeInfo(dtype: DType): DTypeInfo {
  const info = table[dtype];
  if (!info) throw new InvalidOptionError(`unknown dtype "${String(dtype)}"; use one of ${allNames}`);
  return info;
}

/** Validates a user-given dtype name at the edge. */
export function toDType(value: unknown, what = "dtype"): DType {
  if (isDType(value)) return value;
  throw new InvalidOptionError(`${what}: unknown dtype ${JSON.stringify(value)}; use one of ${allNames}`);
}

/** The dtype stored in a TypedArray (a Uint8Array reads as uint8, never bool). */
export function dtypeOfTypedArray(data: TypedArray): DType {
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof BigUint64Array) return "uint64";
  return "uint8";
}

export function isIntegerDType(dtype: DType): boolean {
  const kind = dtypeInfo(dtype).kind;
  return kind === "i" || kind === "u";
}

export function isFloatDType(dtype: DType): boolean {
  return dtypeInfo(dtype).kind === "f";
}

export function isBigIntDType(dtype: DType): boolean {
  return dtype === "int64" || dtype === "uint64";
}

export function isComplexDType(dtype: DType): boolean {
  return dtype === "complex64" || dtype === "complex128";
}

/** The real dtype of each half of a complex dtype (complex64 → float32), or the dtype itself. */
export function complexPartDType(dtype: DType): DType {
  if (dtype === "complex64") return "float32";
  if (dtype === "complex128") return "float64";
  return dtype;
}

/** Storage slots `size` elements of `dtype` take (2 per complex element). */
export function storageLength(dtype: DType, size: number): number {
  return size * dtypeInfo(dtype).lanes;
}
