/**
 * C's conversion of a double to each dtype, as scipy's compiled loops do it on x86-64 (gcc):
 * `(npy_float)x` rounds to nearest; conversions to 8-, 16- and 32-bit integers go through
 * cvttsd2si into a 32-bit register (truncation toward zero; NaN and values outside the int32
 * range give INT32_MIN, whose low bits are 0) and keep the low bits; uint32 goes through the
 * 64-bit form (NaN and values beyond ±2^63 give 0). scipy's min/max, rank and morphology loops
 * cast cval and structure sums to the input type this way, and every result to the output type.
 */
import type { DType } from "../ndarray/dtype.js";
import type { NumericArray } from "./options.js";

/** The value `(type)value` holds, for the dtypes the filters accept. */
export type DoubleCast = (value: number) => number;

const int32Limit = 2147483648;
const int64Limit = 9223372036854775808;

/** Applies x86-64's out-of-range rule; a TypedArray store then keeps the low bits. */
export function int32RangeRule(value: number): number {
  return value > -int32Limit - 1 && value < int32Limit ? value : -int32Limit;
}

export function int64RangeRule(value: number): number {
  return value > -int64Limit - 1 && value < int64Limit ? value : 0;
}

/** A function computing `(dtype)value`. */
export function doubleCast(dtype: DType): DoubleCast {
  switch (dtype) {
    case "float64":
      return (value) => value;
    case "float32":
      return Math.fround;
    case "uint32":
      return (value) => int64RangeRule(value) >>> 0;
    case "int32":
      return (value) => int32RangeRule(value) | 0;
    case "int16":
      return (value) => (int32RangeRule(value) << 16) >> 16;
    case "uint16":
      return (value) => int32RangeRule(value) & 0xffff;
    case "int8":
      return (value) => (int32RangeRule(value) << 24) >> 24;
    case "uint8":
    case "bool":
      return (value) => int32RangeRule(value) & 0xff;
    default:
      throw new Error(`doubleCast: dtype ${dtype} is not a filter dtype`);
  }
}

/** How a double result is stored into an output of a dtype (see `storeDoubles`). */
export type StoreRule = "float" | "int32" | "uint32";

export function storeRuleOf(dtype: DType): StoreRule {
  if (dtype === "float32" || dtype === "float64") return "float";
  return dtype === "uint32" ? "uint32" : "int32";
}

/** target[at + i] = (dtype)values[i] for i < count, as C stores a double. */
export function storeDoubles(target: NumericArray, at: number, values: Float64Array | Float32Array, count: number, rule: StoreRule): void {
  if (rule === "float") {
    if (count === values.length) target.set(values, at);
    else target.set(values.subarray(0, count), at);
  } else if (rule === "int32") {
    for (let i = 0; i < count; i++) {
      const v = values[i];
      target[at + i] = v > -2147483649 && v < 2147483648 ? v : -2147483648;
    }
  } else {
    for (let i = 0; i < count; i++) {
      const v = values[i];
      target[at + i] = v > -9223372036854775809 && v < 9223372036854775808 ? v : 0;
    }
  }
}
