/**
 * Shared inputs of the eager and lazy differential tests of the bitwise and two-operand float
 * ufuncs (bitwise.ts, float-binary.ts, comparison.ts's logical ones): the ops with their NumPy
 * names, corner values of every dtype (shift counts below 0 and at or past each width, INT_MIN,
 * NaN of both signs, ±inf, ±0, subnormals), and how NumPy 1.24 is asked for what tessera
 * computes (NEP 50 scalars as 1-element arrays of their dtype, float16 loops as float32).
 */
import * as nd from "../../src/ndarray/index.js";

export interface BinaryOp {
  /** tessera's name (nd.* and ta.*). */
  name: string;
  numpy: string;
  /** Allowed ulps (arctan2: V8's fdlibm against NumPy's SVML / glibc, float-binary.ts). */
  ulps: number;
  /** Only float loops in NumPy: operands ≤ 8 bits on both sides give float16 there, float32 here. */
  floatLoop: boolean;
}

export const binaryOps: readonly BinaryOp[] = [
  { name: "bitwiseAnd", numpy: "bitwise_and", ulps: 0, floatLoop: false },
  { name: "bitwiseOr", numpy: "bitwise_or", ulps: 0, floatLoop: false },
  { name: "bitwiseXor", numpy: "bitwise_xor", ulps: 0, floatLoop: false },
  { name: "leftShift", numpy: "left_shift", ulps: 0, floatLoop: false },
  { name: "rightShift", numpy: "right_shift", ulps: 0, floatLoop: false },
  { name: "logicalAnd", numpy: "logical_and", ulps: 0, floatLoop: false },
  { name: "logicalOr", numpy: "logical_or", ulps: 0, floatLoop: false },
  { name: "logicalXor", numpy: "logical_xor", ulps: 0, floatLoop: false },
  { name: "arctan2", numpy: "arctan2", ulps: 4, floatLoop: true },
  { name: "hypot", numpy: "hypot", ulps: 0, floatLoop: true },
  { name: "copysign", numpy: "copysign", ulps: 0, floatLoop: true },
  { name: "fmax", numpy: "fmax", ulps: 0, floatLoop: false },
  { name: "fmin", numpy: "fmin", ulps: 0, floatLoop: false },
];

export const unaryOps: readonly BinaryOp[] = [
  { name: "invert", numpy: "invert", ulps: 0, floatLoop: false },
  { name: "bitwiseNot", numpy: "bitwise_not", ulps: 0, floatLoop: false },
];

export const allDtypes: readonly nd.DType[] = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64"];

const narrow = new Set<nd.DType>(["bool", "int8", "uint8"]);

/** Whether NumPy would pick its float16 loop for these operand dtypes (tessera: float32). */
export function numpyFloat16(op: BinaryOp, dtypes: readonly nd.DType[]): boolean {
  return op.floatLoop && dtypes.every((dtype) => narrow.has(dtype));
}

/** The Python operand: as is, or as float32 where NumPy would compute in float16. */
export const asNumpyOperand = (name: string, float16: boolean): string => (float16 ? `${name}.astype(np.float32)` : name);

/** A negative quiet NaN (sign bit set), as x86 produces for inf − inf: copysign reads that bit. */
export const negativeNaN: number = (() => {
  const bits = new Float64Array(1);
  new Uint32Array(bits.buffer)[1] = 0xfff80000;
  return bits[0];
})();

/** Integer corners of `dtype`: shift counts around every width, the extremes and their neighbours. */
export function integerCorners(dtype: nd.DType): bigint[] {
  const info = nd.dtypeInfo(dtype);
  if (info.kind === "b") return [0n, 1n];
  const bits = BigInt(info.itemsize * 8);
  const min = info.kind === "u" ? 0n : -(1n << (bits - 1n));
  const max = info.kind === "u" ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
  const values = [0n, 1n, -1n, 2n, 3n, -7n, 7n, 8n, 9n, 15n, 16n, 17n, 31n, 32n, 33n, 63n, 64n, 65n, 100n, -100n, 0x55n, min, max, min + 1n, max - 1n];
  return [...new Set(values.filter((v) => v >= min && v <= max))];
}

export const floatCorners: readonly number[] = [0, -0, 1, -1, 0.5, -2.5, 3, NaN, negativeNaN, Infinity, -Infinity, 1e-310, -5e-324, 1e308, -1e300,
  2 ** -500, 3 * 2 ** -480, 2 ** 600, 0.1, 7.25, -1e-30, 1e30, 65504, 2 ** 53 + 2];

/** A 1-d array of `length` values of `dtype`: every corner first, then random values of the full range. */
export function cornerVector(dtype: nd.DType, length: number, rng: () => number): nd.NDArray {
  const info = nd.dtypeInfo(dtype);
  const data = new (info.array as unknown as new (n: number) => Array<number | bigint>)(length);
  const big = dtype === "int64" || dtype === "uint64";
  if (info.kind === "f") {
    for (let i = 0; i < length; i++) data[i] = i < floatCorners.length ? floatCorners[i] : (rng() - 0.5) * 10 ** Math.floor(rng() * 40 - 20);
  } else {
    const corners = integerCorners(dtype);
    const span = info.kind === "b" ? 2 : 2 ** Math.min(info.itemsize * 8, 52);
    const low = info.kind === "i" ? -span / 2 : 0;
    for (let i = 0; i < length; i++) {
      const value = i < corners.length ? corners[i] : BigInt(Math.floor(low + rng() * span));
      data[i] = big ? value : Number(value);
    }
  }
  return nd.fromTypedArray(data as never, [length], { dtype });
}

/** NEP 50's dtype for a JS scalar beside an array of `dtype` (promotion.ts): −0 is a Python float. */
export function weakDtype(value: number | bigint | boolean, dtype: nd.DType): nd.DType {
  if (typeof value === "boolean") return "bool";
  const kind = nd.dtypeInfo(dtype).kind;
  if (typeof value === "bigint" || (Number.isInteger(value) && !Object.is(value, -0))) return kind === "b" ? "int64" : dtype;
  return kind === "f" ? dtype : "float64";
}

/** Whether an integral scalar fits `dtype` (NEP 50 refuses it otherwise; NumPy 1.24 would promote by value). */
export function scalarFits(value: number | bigint | boolean, dtype: nd.DType): boolean {
  if (typeof value === "boolean" || (typeof value === "number" && (!Number.isInteger(value) || Object.is(value, -0)))) return true;
  const info = nd.dtypeInfo(dtype);
  if (info.kind === "f" || info.kind === "b") return true;
  const corners = integerCorners(dtype);
  const big = BigInt(value);
  return big >= corners.reduce((a, b) => (b < a ? b : a)) && big <= corners.reduce((a, b) => (b > a ? b : a));
}

export const scalars: ReadonlyArray<number | bigint | boolean> = [0, 1, -1, 3, 7, 8, 31, 32, 64, -0, 0.5, -2.5, NaN, Infinity, -Infinity, true, false, 5n, -9n, 200, -129];

/** A 1-element NumPy array holding the scalar in its NEP 50 dtype: broadcasts like the scalar, and 1.24 does not promote it by value. */
export function numpyScalar(value: number | bigint | boolean, dtype: nd.DType): string {
  let literal: string;
  if (typeof value === "boolean") literal = value ? "True" : "False";
  else if (typeof value === "bigint") literal = String(value);
  else if (Number.isNaN(value)) literal = "float('nan')";
  else if (!Number.isFinite(value)) literal = value > 0 ? "float('inf')" : "float('-inf')";
  else if (Object.is(value, -0)) literal = "-0.0";
  else literal = String(value);
  return `np.asarray([${literal}], dtype="${dtype}")`;
}
