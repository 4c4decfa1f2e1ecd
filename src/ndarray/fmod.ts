/**
 * NumPy's fmod: C's fmod, the remainder of truncating division, with the dividend's sign
 * (remainder, arithmetic.ts, takes the divisor's). Integer dtypes (bool takes the int8 loop)
 * keep their dtype and give 0 for a zero divisor, as NumPy (without its warning); INT_MIN fmod
 * −1 is 0. Floats: JS's % is exactly C's fmod (exact result; x fmod 0, inf fmod y give NaN;
 * x fmod inf is x), and a float32 result is exact too, so the store cannot round it.
 */
import { isBigIntDType, isFloatDType } from "./dtype.js";
import { type ElementwiseOperation, inCommonDType } from "./elementwise.js";
import { allowWritingOverOperands } from "./operand-reuse.js";
import { defineBinary } from "./binary-builtin.js";

const fmodOperation: ElementwiseOperation = {
  name: "fmod",
  resolve: (common) => inCommonDType(common === "bool" ? "int8" : common),
  expression([a, b], { loop }) {
    if (isFloatDType(loop)) return `(${a} % ${b})`;
    // JS's integer % truncates as C's; INT_MIN % −1 is −0 in JS, stored as 0.
    return isBigIntDType(loop) ? `(${b} === 0n ? 0n : ${a} % ${b})` : `(${b} === 0 ? 0 : ${a} % ${b})`;
  },
};

allowWritingOverOperands("ndarray.fmod");

/** C's fmod: the remainder with the dividend's sign; integer fmod by 0 gives 0. */
export const fmod = defineBinary("fmod", fmodOperation);
