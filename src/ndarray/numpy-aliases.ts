/**
 * NumPy's and Dask's other names for operations tessera has (np.absolute, np.around,
 * np.true_divide, np.fix, da.isnull / da.notnull) and np.divmod, the pair of floor_divide and
 * remainder. The aliases are the same functions (a lazy graph names them by the original).
 *
 * fix (round towards zero, written in NumPy as ceil below 0 and floor elsewhere) equals trunc
 * in every value, the signed zeros and NaN included, and in dtype (integers give floats, as
 * NumPy's ceil and floor of integers do).
 *
 * isnull / notnull are Dask's pandas.isnull on an array: for numeric arrays, NaN (isnan) and its
 * negation; integer and bool arrays hold no nulls (all false / all true).
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { dtypeInfo } from "./dtype.js";
import { type ElementwiseOperation, applyElementwise } from "./elementwise.js";
import { divide, floorDivide, remainder } from "./arithmetic.js";
import { abs } from "./unary.js";
import { round, trunc } from "./rounding.js";
import { isnan } from "./classification.js";
import type { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";

/** np.absolute: abs. */
export const absolute = abs;
/** np.around: round (half to even at `decimals` places). */
export const around = round;
/** np.true_divide: divide. */
export const trueDivide = divide;
/** np.fix: towards zero (trunc, see the header). */
export const fix = trunc;
/** da.isnull: NaN (isnan). */
export const isnull = isnan;

const notnullOperation: ElementwiseOperation = {
  name: "notnull",
  resolve: (common) => ({ loop: common, result: "bool" }),
  expression: ([a], { loop }) => (dtypeInfo(loop).kind === "f" ? `(${a} === ${a} ? 1 : 0)` : "1"),
};

/** da.notnull: not NaN. */
export const notnull = definePublicBuiltin("notnull", function notnull(a: Operand): NDArray {
  return applyElementwise(notnullOperation, [a]);
});

/** [a // b, a % b] (np.divmod): floor division and the remainder with the divisor's sign, NumPy's integer-by-zero 0s included. */
export const divmod = definePublicBuiltin("divmod", function divmod(a: Operand, b: Operand): [NDArray, NDArray] {
  return [floorDivide(a, b), remainder(a, b)];
});
