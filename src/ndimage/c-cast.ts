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

/**
 * The rule for results that are all values of `valueDtype` already (a fold or a selection of input
 * cells and cval cast to the input type): into that same dtype every value is representable, so
 * the plain typed-array copy of the "float" rule stores it exactly, without the range checks.
 */
export function storeRuleForValuesOf(valueDtype: DType, outputDtype: DType): StoreRule {
  return valueDtype === outputDtype ? "float" : storeRuleOf(outputDtype);
}

/**
 * target[at + i] = (dtype)values[i] for i < count, as C stores a double. A copy between arrays of
 * one type is a memcpy; any other goes through a loop compiled for the target's type and the rule
 * (a typed-array `set` across types, or one loop shared by every target type, is several times
 * slower: the element stores would be generic).
 */
export function storeDoubles(target: NumericArray, at: number, values: Float64Array | Float32Array, count: number, rule: StoreRule): void {
  if (rule === "float" && target.constructor === values.constructor) {
    if (count === values.length) target.set(values, at);
    else target.set(values.subarray(0, count), at);
    return;
  }
  storeLoop(target, rule)(target, at, values, count);
}

type StoreLoop = (target: NumericArray, at: number, values: Float64Array | Float32Array, count: number) => void;

/** The loop bodies: fixed templates (no caller text), one function per target type and rule. */
const storeBodies: Record<StoreRule, string> = {
  float: "target[at + i] = values[i];",
  int32: "const v = values[i]; target[at + i] = v > -2147483649 && v < 2147483648 ? v : -2147483648;",
  uint32: "const v = values[i]; target[at + i] = v > -9223372036854775809 && v < 9223372036854775808 ? v : 0;",
};

const storeLoops = new Map<unknown, Record<string, StoreLoop>>();

function storeLoop(target: NumericArray, rule: StoreRule): StoreLoop {
  let loops = storeLoops.get(target.constructor);
  if (loops === undefined) {
    loops = {};
    storeLoops.set(target.constructor, loops);
  }
  loops[rule] ??= new Function("target", "at", "values", "count", `for (let i = 0; i < count; i++) { ${storeBodies[rule]} }`) as StoreLoop;
  return loops[rule];
}
