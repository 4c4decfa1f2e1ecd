/**
 * The dtypes tessera supports, their TypedArray storage and NumPy's names for them.
 * `bool` is stored one byte per element (0 or 1) in a Uint8Array, as NumPy does.
 */
import { InvalidOptionError } from "../core/errors.js";

export type DType =
  | "bool" | "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32"
  | "int64" | "uint64" | "float32" | "float64";

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
  readonly kind: "b" | "i" | "u" | "f";
  readonly array: TypedArrayConstructor;
  /** NumPy's little-endian type string, as Zarr v2 writes it ("<u2"). */
  readonly numpy: string;
}

const table: Record<DType, DTypeInfo> = {
  bool: { name: "bool", itemsize: 1, kind: "b", array: Uint8Array, numpy: "|b1" },
  int8: { name: "int8", itemsize: 1, kind: "i", array: Int8Array, numpy: "|i1" },
  uint8: { name: "uint8", itemsize: 1, kind: "u", array: Uint8Array, numpy: "|u1" },
  int16: { name: "int16", itemsize: 2, kind: "i", array: Int16Array, numpy: "<i2" },
  uint16: { name: "uint16", itemsize: 2, kind: "u", array: Uint16Array, numpy: "<u2" },
  int32: { name: "int32", itemsize: 4, kind: "i", array: Int32Array, numpy: "<i4" },
  uint32: { name: "uint32", itemsize: 4, kind: "u", array: Uint32Array, numpy: "<u4" },
  int64: { name: "int64", itemsize: 8, kind: "i", array: BigInt64Array, numpy: "<i8" },
  uint64: { name: "uint64", itemsize: 8, kind: "u", array: BigUint64Array, numpy: "<u8" },
  float32: { name: "float32", itemsize: 4, kind: "f", array: Float32Array, numpy: "<f4" },
  float64: { name: "float64", itemsize: 8, kind: "f", array: Float64Array, numpy: "<f8" },
};

export const dtypes: readonly DType[] = Object.keys(table) as DType[];

export function isDType(value: unknown): value is DType {
  return typeof value === "string" && value in table;
}

export function dtypeInfo(dtype: DType): DTypeInfo {
  const info = table[dtype];
  if (!info) throw new InvalidOptionError(`unknown dtype "${String(dtype)}"; use one of ${dtypes.join(", ")}`);
  return info;
}

/** Validates a user-given dtype name at the edge. */
export function toDType(value: unknown, what = "dtype"): DType {
  if (isDType(value)) return value;
  throw new InvalidOptionError(`${what}: unknown dtype ${JSON.stringify(value)}; use one of ${dtypes.join(", ")}`);
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
