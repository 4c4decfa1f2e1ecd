/**
 * NumPy's square, reciprocal, cbrt and exp2.
 *
 * dtypes, NumPy 1.24's loop selection: square and reciprocal keep integer dtypes (bool takes
 * the int8 loop, the first one bool casts to); cbrt and exp2 have float loops only, so integers
 * give float32 (int16/uint16) or float64 (wider), and bool/int8/uint8 float32 where NumPy gives
 * float16 (tessera has none; as sqrt, unary.ts).
 *
 * Values: square wraps at the integer width (int32 by Math.imul: a double product of two int32
 * loses bits). Integer reciprocal is NumPy's `1.0 / x` stored to the integer type: 1, −1 or 0,
 * and for x = 0 what x86-64's conversion of inf gives through NumPy's loop (checked on NumPy
 * 1.24): INT_MIN for int32 and int64, 0 for every other integer dtype. cbrt and exp2 are V8's
 * Math.cbrt and 2 ** x: NumPy 1.24 on an AVX-512 CPU (AVX512_SKX) runs its SVML loops for both,
 * which differ from glibc's cbrt in most elements (and are 1 ulp from the correctly rounded
 * value where ours is not); the tests allow the 4 ulps of the other transcendental functions
 * (math-functions.ts).
 */
import { isBigIntDType, isFloatDType } from "./dtype.js";
import { type ElementwiseOperation, inCommonDType } from "./elementwise.js";
import { allowWritingOverOperands } from "./operand-reuse.js";
import { defineUnary } from "./binary-builtin.js";
import { transcendentalDType } from "./unary.js";

/** Float loops only (cbrt, exp2): integers in the float dtype NumPy's loop search gives. */
function floatFunction(name: string, expression: (a: string) => string): ElementwiseOperation {
  return { name, resolve: (common) => inCommonDType(transcendentalDType(common)), expression: ([a]) => expression(a) };
}

const squareOperation: ElementwiseOperation = {
  name: "square",
  resolve: (common) => inCommonDType(common === "bool" ? "int8" : common),
  expression([a], { loop }) {
    if (loop === "int32") return `Math.imul(${a}, ${a})`;
    if (loop === "uint32") return `(Math.imul(${a}, ${a}) >>> 0)`;
    return `(${a} * ${a})`;
  },
};

// 1.0 / 0 = inf stored to an integer: cvttsd2si gives the "integer indefinite" 0x80…0 for the
// 32- and 64-bit signed conversions; the narrower types and the unsigned ones come out 0.
const reciprocalOfZero: Readonly<Record<string, string>> = { int32: "-2147483648", int64: "-9223372036854775808n" };

const reciprocalOperation: ElementwiseOperation = {
  name: "reciprocal",
  resolve: (common) => inCommonDType(common === "bool" ? "int8" : common),
  expression([a], { loop }) {
    if (isFloatDType(loop)) return `(1 / ${a})`;
    if (isBigIntDType(loop)) return `(${a} === 0n ? ${reciprocalOfZero[loop] ?? "0n"} : 1n / ${a})`;
    return `(${a} === 0 ? ${reciprocalOfZero[loop] ?? "0"} : ${a} === 1 ? 1 : ${a} === -1 ? -1 : 0)`;
  },
};

const cbrtOperation = floatFunction("cbrt", (a) => `Math.cbrt(${a})`);
const exp2Operation = floatFunction("exp2", (a) => `(2 ** ${a})`);

allowWritingOverOperands("ndarray.square", "ndarray.reciprocal", "ndarray.cbrt", "ndarray.exp2");

/** a², wrapping at integer widths; bool gives int8 as NumPy. */
export const square = defineUnary("square", squareOperation);
/** 1 / a; integers: NumPy's 1.0 / a stored to the integer dtype (1, −1, 0; a = 0 gives INT_MIN for int32/int64, else 0). */
export const reciprocal = defineUnary("reciprocal", reciprocalOperation);
/** The real cube root (negative for negative a). */
export const cbrt = defineUnary("cbrt", cbrtOperation);
/** 2^a. */
export const exp2 = defineUnary("exp2", exp2Operation);
