/**
 * NumPy's other one-operand float functions: trigonometric, hyperbolic and inverse hyperbolic, and the logarithm and
 * exponential variants (log1p, expm1, log2, log10). Result dtypes follow sqrt/exp/log (unary.ts):
 * floats keep their dtype, int16/uint16 give float32, wider integers float64, and bool, int8 and
 * uint8 float32 where NumPy gives float16.
 *
 * Values come from JS's Math functions rounded to the result dtype. NumPy on x86-64 uses its own
 * SIMD routines (SVML on AVX-512 for float64), which are not correctly rounded either: results
 * may differ from NumPy's in the last bits (the tests allow 4 units in the last place).
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { type ElementwiseOperation, applyElementwise, inCommonDType } from "./elementwise.js";
import type { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";
import { transcendentalDType } from "./unary.js";

function mathFunction(name: string, jsName: string): ElementwiseOperation {
  return { name, resolve: (common) => inCommonDType(transcendentalDType(common)), expression: ([a]) => `Math.${jsName}(${a})` };
}

const operations = {
  sin: mathFunction("sin", "sin"),
  cos: mathFunction("cos", "cos"),
  tan: mathFunction("tan", "tan"),
  arcsin: mathFunction("arcsin", "asin"),
  arccos: mathFunction("arccos", "acos"),
  arctan: mathFunction("arctan", "atan"),
  sinh: mathFunction("sinh", "sinh"),
  cosh: mathFunction("cosh", "cosh"),
  tanh: mathFunction("tanh", "tanh"),
  arcsinh: mathFunction("arcsinh", "asinh"),
  arccosh: mathFunction("arccosh", "acosh"),
  arctanh: mathFunction("arctanh", "atanh"),
  log1p: mathFunction("log1p", "log1p"),
  expm1: mathFunction("expm1", "expm1"),
  log2: mathFunction("log2", "log2"),
  log10: mathFunction("log10", "log10"),
};

export const sin = definePublicBuiltin("sin", function sin(a: Operand): NDArray { return applyElementwise(operations.sin, [a]); });
export const cos = definePublicBuiltin("cos", function cos(a: Operand): NDArray { return applyElementwise(operations.cos, [a]); });
export const tan = definePublicBuiltin("tan", function tan(a: Operand): NDArray { return applyElementwise(operations.tan, [a]); });
export const arcsin = definePublicBuiltin("arcsin", function arcsin(a: Operand): NDArray { return applyElementwise(operations.arcsin, [a]); });
export const arccos = definePublicBuiltin("arccos", function arccos(a: Operand): NDArray { return applyElementwise(operations.arccos, [a]); });
export const arctan = definePublicBuiltin("arctan", function arctan(a: Operand): NDArray { return applyElementwise(operations.arctan, [a]); });
export const sinh = definePublicBuiltin("sinh", function sinh(a: Operand): NDArray { return applyElementwise(operations.sinh, [a]); });
export const cosh = definePublicBuiltin("cosh", function cosh(a: Operand): NDArray { return applyElementwise(operations.cosh, [a]); });
export const tanh = definePublicBuiltin("tanh", function tanh(a: Operand): NDArray { return applyElementwise(operations.tanh, [a]); });
export const arcsinh = definePublicBuiltin("arcsinh", function arcsinh(a: Operand): NDArray { return applyElementwise(operations.arcsinh, [a]); });
export const arccosh = definePublicBuiltin("arccosh", function arccosh(a: Operand): NDArray { return applyElementwise(operations.arccosh, [a]); });
export const arctanh = definePublicBuiltin("arctanh", function arctanh(a: Operand): NDArray { return applyElementwise(operations.arctanh, [a]); });
/** log(1 + a), accurate for small a. */
export const log1p = definePublicBuiltin("log1p", function log1p(a: Operand): NDArray { return applyElementwise(operations.log1p, [a]); });
/** exp(a) − 1, accurate for small a. */
export const expm1 = definePublicBuiltin("expm1", function expm1(a: Operand): NDArray { return applyElementwise(operations.expm1, [a]); });
export const log2 = definePublicBuiltin("log2", function log2(a: Operand): NDArray { return applyElementwise(operations.log2, [a]); });
export const log10 = definePublicBuiltin("log10", function log10(a: Operand): NDArray { return applyElementwise(operations.log10, [a]); });
