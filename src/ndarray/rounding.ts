/**
 * Rounding with NumPy's semantics: floor, ceil, trunc and rint (round half to even) keep float
 * dtypes and compute integers in the float dtype sqrt uses (so floor of int32 is float64, as in
 * NumPy 1.24); `round(a, decimals)` is NumPy's `np.round`: floats are scaled by 10^decimals in
 * their own dtype, rounded half to even and scaled back (so 2.675 rounds to 2.67, like NumPy);
 * integers are returned unchanged for decimals ≥ 0 and rounded in float64 then cast back for
 * decimals < 0 (np.round(25, -1) is 20). Signs of zero are kept: rint(−0.4) is −0.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { castExpression } from "./cast-expressions.js";
import { copy } from "./copy.js";
import { dtypeInfo } from "./dtype.js";
import { type ElementwiseOperation, applyElementwise, inCommonDType, prepareOperands, runOperation } from "./elementwise.js";
import { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";
import { transcendentalDType } from "./unary.js";
import { refuseUnknownKeys } from "./option-keys.js";

/** C's rint in the default rounding mode: nearest, ties to even; NaN, ±∞ and ±0 unchanged. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  let rounded = fraction > 0.5 ? floor + 1 : fraction < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  // Keep the sign of a zero result (C's rint(−0.4) is −0), and let NaN and ±∞ through.
  if (rounded === 0) rounded = x < 0 || Object.is(x, -0) ? -0 : 0;
  return x !== x || !Number.isFinite(x) ? x : rounded;
}

const helpers = { roundHalfEven };

function rounding(name: string, expression: (a: string) => string): ElementwiseOperation {
  return { name, resolve: (common) => inCommonDType(transcendentalDType(common)), expression: ([a]) => expression(a), helpers };
}

const floorOperation = rounding("floor", (a) => `Math.floor(${a})`);
const ceilOperation = rounding("ceil", (a) => `Math.ceil(${a})`);
const truncOperation = rounding("trunc", (a) => `Math.trunc(${a})`);
const rintOperation = rounding("rint", (a) => `roundHalfEven(${a})`);

export const floor = definePublicBuiltin("floor", function floor(a: Operand): NDArray { return applyElementwise(floorOperation, [a]); });
export const ceil = definePublicBuiltin("ceil", function ceil(a: Operand): NDArray { return applyElementwise(ceilOperation, [a]); });
export const trunc = definePublicBuiltin("trunc", function trunc(a: Operand): NDArray { return applyElementwise(truncOperation, [a]); });
/** Round to the nearest integer, ties to even (NumPy's rint). */
export const rint = definePublicBuiltin("rint", function rint(a: Operand): NDArray { return applyElementwise(rintOperation, [a]); });

export interface RoundOptions {
  /** Decimal places (negative: tens, hundreds…). Default 0. */
  decimals?: number;
}

const decimalsKey = ["decimals"];

/** `np.round(a, decimals)`; the decimals may be given directly or as `{ decimals }`. */
export const round = definePublicBuiltin("round", function round(a: Operand, decimalsOrOptions: number | RoundOptions = 0): NDArray {
  if (decimalsOrOptions !== null && typeof decimalsOrOptions === "object") refuseUnknownKeys(decimalsOrOptions, decimalsKey, "round");
  const decimals = typeof decimalsOrOptions === "number" ? decimalsOrOptions : decimalsOrOptions?.decimals ?? 0;
  if (!Number.isInteger(decimals) || Math.abs(decimals) > 400) {
    throw new InvalidOptionError(`round: decimals ${JSON.stringify(decimals)} must be an integer from -400 to 400`);
  }
  const { arrays, common } = prepareOperands("round", [a]);
  const kind = dtypeInfo(common).kind;
  const isInteger = kind === "i" || kind === "u";
  if (kind === "b" && decimals !== 0) {
    throw new InvalidOptionError(`round: a bool array cannot be rounded to ${decimals} decimals (NumPy refuses too); convert it with astype first`);
  }
  if (isInteger && decimals >= 0) return a instanceof NDArray ? copy(a) : arrays[0];
  if (decimals === 0) return applyElementwise(rintOperation, [a]);
  // NumPy multiplies by 10^d (divides for d < 0) in the array's float dtype: a float32 array
  // meets 10^d rounded to float32.
  const loop = isInteger ? "float64" : transcendentalDType(common);
  const scale = loop === "float32" ? Math.fround(10 ** Math.abs(decimals)) : 10 ** Math.abs(decimals);
  const store = loop === "float32" ? (e: string) => `Math.fround(${e})` : (e: string) => e;
  const [scaleUp, scaleDown] = decimals > 0 ? ["*", "/"] : ["/", "*"];
  const operation: ElementwiseOperation = {
    name: `round(${decimals})`,
    resolve: () => ({ loop, result: isInteger ? common : loop }),
    expression: ([x]) => castExpression(loop, isInteger ? common : loop, store(`roundHalfEven(${store(`${x} ${scaleUp} ${scale}`)}) ${scaleDown} ${scale}`)),
    helpers,
  };
  return runOperation(operation, arrays, operation.resolve(common));
});
