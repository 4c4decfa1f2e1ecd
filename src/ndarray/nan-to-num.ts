/**
 * np.nan_to_num: NaN, +inf and −inf replaced by given numbers, in the array's own dtype.
 *
 * NumPy's defaults: NaN → 0, +inf → the dtype's largest finite value, −inf → its most negative
 * one. A replacement is stored as the dtype stores any number (1e300 into float32 is inf, as
 * NumPy's copyto gives). Non-float dtypes hold none of the three: the result is a copy.
 * NumPy's copy=False (in-place) has no counterpart here: it is refused, as any unknown option.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { isFloatDType } from "./dtype.js";
import { type ElementwiseOperation, applyElementwise, inCommonDType } from "./elementwise.js";
import type { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";

export interface NanToNumOptions {
  /** Value for NaN (0). */
  nan?: number;
  /** Value for +inf (the dtype's largest finite value). */
  posinf?: number;
  /** Value for −inf (the dtype's most negative finite value). */
  neginf?: number;
}

const largest = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };

/** A number as JS source that reads back to the same double (−0 and NaN included). */
function literal(value: number): string {
  if (Object.is(value, -0)) return "-0";
  return Number.isNaN(value) ? "NaN" : String(value);
}

function replacement(options: NanToNumOptions, key: keyof NanToNumOptions): number | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw new InvalidOptionError(`nanToNum: ${key} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function operation(options: NanToNumOptions): ElementwiseOperation {
  for (const key of Object.keys(options)) {
    if (!["nan", "posinf", "neginf"].includes(key)) throw new InvalidOptionError(`nanToNum: unknown option "${key}"; nanToNum takes nan, posinf, neginf`);
  }
  const nan = replacement(options, "nan") ?? 0;
  const posinf = replacement(options, "posinf");
  const neginf = replacement(options, "neginf");
  return {
    // The values are part of the name: it keys the compiled loop.
    name: `nan_to_num(${literal(nan)},${posinf === undefined ? "max" : literal(posinf)},${neginf === undefined ? "min" : literal(neginf)})`,
    resolve: inCommonDType,
    expression([a], { loop }) {
      if (!isFloatDType(loop)) return a;
      const max = largest[loop as "float32" | "float64"];
      const pos = literal(posinf ?? max);
      const neg = literal(neginf ?? -max);
      return `(${a} !== ${a} ? ${literal(nan)} : ${a} === Infinity ? ${pos} : ${a} === -Infinity ? ${neg} : ${a})`;
    },
  };
}

/** `x` with NaN, +inf and −inf replaced (NumPy's defaults: 0 and the dtype's finite extremes). */
export const nanToNum = definePublicBuiltin("nanToNum", function nanToNum(x: Operand, options: NanToNumOptions = {}): NDArray {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError(`nanToNum: options must be an object, got ${String(options)}`);
  return applyElementwise(operation(options), [x]);
});
