/**
 * `where` (pick from two operands by a condition) and `clip` (bound an array), with NumPy's
 * promotion of the value operands (scalars are NEP 50 weak) and broadcasting of all three.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { extremaExpressions } from "./arithmetic.js";
import { isBigIntDType } from "./dtype.js";
import { type ElementwiseOperation, inCommonDType, prepareOperands, runOperation, scalarArray } from "./elementwise.js";
import { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";
import { refuseUnknownKeys } from "./option-keys.js";

/** Elements of `a` where `condition` is non-zero, else of `b` (NumPy's three-argument `np.where`). */
export const where = definePublicBuiltin("where", function where(condition: Operand, a: Operand, b: Operand): NDArray {
  const { arrays, common } = prepareOperands("where", [a, b]);
  const conditionArray = condition instanceof NDArray ? condition : scalarArray(Boolean(condition), "bool", "where");
  const conditionZero = isBigIntDType(conditionArray.dtype) ? "0n" : "0";
  const operation: ElementwiseOperation = {
    name: "where",
    resolve: () => inCommonDType(common),
    // The condition is tested in its own dtype, never converted.
    expression: ([, valueA, valueB]) => `(x0 !== ${conditionZero} ? ${valueA} : ${valueB})`,
  };
  return runOperation(operation, [conditionArray, ...arrays], inCommonDType(common));
});

export interface ClipOptions {
  /** Lower bound (array or scalar); null or absent for none. */
  min?: Operand | null;
  /** Upper bound (array or scalar); null or absent for none. */
  max?: Operand | null;
}

const clipKeys = ["min", "max"];

/**
 * `np.clip`: min(max(a, lower), upper) elementwise, NaN propagating from any operand. Call it
 * as `clip(a, lower, upper)` or `clip(a, { min, max })`.
 */
export const clip = definePublicBuiltin("clip", function clip(
  a: Operand,
  lowerOrOptions?: Operand | ClipOptions | null,
  upper?: Operand | null,
): NDArray {
  const isOptions = lowerOrOptions !== null && typeof lowerOrOptions === "object" && !(lowerOrOptions instanceof NDArray);
  if (isOptions) refuseUnknownKeys(lowerOrOptions, clipKeys, "clip");
  const lower = isOptions ? (lowerOrOptions as ClipOptions).min ?? null : (lowerOrOptions as Operand | null | undefined) ?? null;
  const upperBound = isOptions ? (lowerOrOptions as ClipOptions).max ?? null : upper ?? null;
  if (lower === null && upperBound === null) {
    throw new InvalidOptionError("clip: give at least one of min and max");
  }
  // NumPy 1.24 reads a scalar NaN bound as "no bound" (deprecated) but propagates NaN from an
  // array bound; later NumPy gives NaN everywhere. Neither reading is safe to guess.
  for (const [name, bound] of [["min", lower], ["max", upperBound]] as const) {
    if (typeof bound === "number" && Number.isNaN(bound)) {
      throw new InvalidOptionError(`clip: ${name} is NaN, which NumPy 1.24 reads as no bound and later NumPy as NaN everywhere; pass null for no bound`);
    }
  }
  const operands = [a, ...(lower === null ? [] : [lower]), ...(upperBound === null ? [] : [upperBound])];
  const { arrays, common } = prepareOperands("clip", operands);
  const choice = inCommonDType(common);
  const operation: ElementwiseOperation = {
    name: `clip${lower === null ? "" : "Min"}${upperBound === null ? "" : "Max"}`,
    resolve: () => choice,
    expression([value, ...bounds]) {
      let expression = value;
      let next = 0;
      if (lower !== null) expression = extremaExpressions.maximum([expression, bounds[next++]], choice);
      if (upperBound !== null) expression = extremaExpressions.minimum([expression, bounds[next]], choice);
      return expression;
    },
  };
  return runOperation(operation, arrays, choice);
});
