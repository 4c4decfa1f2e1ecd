/**
 * Binary arithmetic with NumPy's semantics: promotion of the operands (scalars are NEP 50
 * weak), then NumPy's loop choice per operation: bool + bool is a logical or, bool − bool is
 * refused, true division of integers computes in float64, floor division / remainder / power
 * of bools compute in int8. Integer results wrap modulo 2^bits (`uint16 − uint16` included).
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { allowWritingOverOperands } from "./operand-reuse.js";
import { type DType, isBigIntDType, isFloatDType } from "./dtype.js";
import { type ElementwiseOperation, type LoopChoice, applyElementwise, inCommonDType } from "./elementwise.js";
import type { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";

const boolAsInt8 = (common: DType): LoopChoice => (common === "bool" ? { loop: "int8", result: "int8" } : inCommonDType(common));

/** Picks a helper by loop dtype: float64, float32, 64-bit integer (bigint) or other integer. */
function byLoop(loop: DType, helpers: { float64: string; float32: string; bigint: string; integer: string }): string {
  if (loop === "float64") return helpers.float64;
  if (loop === "float32") return helpers.float32;
  return isBigIntDType(loop) ? helpers.bigint : helpers.integer;
}

const addOperation: ElementwiseOperation = {
  name: "add",
  resolve: inCommonDType,
  expression: ([a, b], { loop }) => (loop === "bool" ? `(${a} | ${b})` : `${a} + ${b}`),
};

const subtractOperation: ElementwiseOperation = {
  name: "subtract",
  resolve(common) {
    if (common === "bool") {
      throw new InvalidOptionError(
        "subtract: subtracting bool arrays is not supported (NumPy refuses it too); use logicalXor (or notEqual), or astype to an integer dtype first",
      );
    }
    return inCommonDType(common);
  },
  expression: ([a, b]) => `${a} - ${b}`,
};

const multiplyOperation: ElementwiseOperation = {
  name: "multiply",
  resolve: inCommonDType,
  expression([a, b], { loop }) {
    if (loop === "bool") return `(${a} & ${b})`;
    // A product of two 32-bit integers needs 64 bits: Math.imul keeps the low 32 exactly.
    if (loop === "int32" || loop === "uint32") return `Math.imul(${a}, ${b})`;
    return `${a} * ${b}`;
  },
};

const divideOperation: ElementwiseOperation = {
  name: "divide",
  resolve: (common) => (isFloatDType(common) ? inCommonDType(common) : { loop: "float64", result: "float64" }),
  expression: ([a, b]) => `${a} / ${b}`,
};

const floorDivideOperation: ElementwiseOperation = {
  name: "floor_divide",
  resolve: boolAsInt8,
  expression: ([a, b], { loop }) =>
    `${byLoop(loop, { float64: "floorDivideFloat64", float32: "floorDivideFloat32", bigint: "floorDivideBigInt", integer: "floorDivideInteger" })}(${a}, ${b})`,
};

const remainderOperation: ElementwiseOperation = {
  name: "remainder",
  resolve: boolAsInt8,
  expression: ([a, b], { loop }) =>
    `${byLoop(loop, { float64: "remainderFloat64", float32: "remainderFloat32", bigint: "remainderBigInt", integer: "remainderInteger" })}(${a}, ${b})`,
};

const powerOperation: ElementwiseOperation = {
  name: "power",
  resolve: boolAsInt8,
  expression: ([a, b], { loop }) =>
    `${byLoop(loop, { float64: "powerFloat", float32: "powerFloat", bigint: "powerBigInt", integer: "powerInteger" })}(${a}, ${b})`,
};

const maximumOperation: ElementwiseOperation = {
  name: "maximum",
  resolve: inCommonDType,
  expression: ([a, b], { loop }) => (isFloatDType(loop) ? `maximumFloat(${a}, ${b})` : `(${a} > ${b} ? ${a} : ${b})`),
};

const minimumOperation: ElementwiseOperation = {
  name: "minimum",
  resolve: inCommonDType,
  expression: ([a, b], { loop }) => (isFloatDType(loop) ? `minimumFloat(${a}, ${b})` : `(${a} < ${b} ? ${a} : ${b})`),
};

// Each is applyElementwise alone: element i of the result reads element i of each operand only.
allowWritingOverOperands(
  "ndarray.add", "ndarray.subtract", "ndarray.multiply", "ndarray.divide", "ndarray.floorDivide", "ndarray.remainder",
  "ndarray.power", "ndarray.maximum", "ndarray.minimum",
);

export const add = definePublicBuiltin("add", function add(a: Operand, b: Operand): NDArray {
  return applyElementwise(addOperation, [a, b]);
});

/** a − b; integer results wrap (uint16 − uint16 stays uint16 modulo 2^16, as in NumPy). */
export const subtract = definePublicBuiltin("subtract", function subtract(a: Operand, b: Operand): NDArray {
  return applyElementwise(subtractOperation, [a, b]);
});

export const multiply = definePublicBuiltin("multiply", function multiply(a: Operand, b: Operand): NDArray {
  return applyElementwise(multiplyOperation, [a, b]);
});

/** True division: integer operands give float64, float32 stays float32. */
export const divide = definePublicBuiltin("divide", function divide(a: Operand, b: Operand): NDArray {
  return applyElementwise(divideOperation, [a, b]);
});

/** Python's `//`: rounds toward −∞; integer division by zero gives 0 (NumPy warns, we do not). */
export const floorDivide = definePublicBuiltin("floorDivide", function floorDivide(a: Operand, b: Operand): NDArray {
  return applyElementwise(floorDivideOperation, [a, b]);
});

/** Python's `%`: the result has the sign of the divisor; integer remainder by zero gives 0. */
export const remainder = definePublicBuiltin("remainder", function remainder(a: Operand, b: Operand): NDArray {
  return applyElementwise(remainderOperation, [a, b]);
});

/** a ** b; integers wrap, and a negative integer exponent is refused as in NumPy. */
export const power = definePublicBuiltin("power", function power(a: Operand, b: Operand): NDArray {
  return applyElementwise(powerOperation, [a, b]);
});

/** Elementwise maximum; NaN propagates. */
export const maximum = definePublicBuiltin("maximum", function maximum(a: Operand, b: Operand): NDArray {
  return applyElementwise(maximumOperation, [a, b]);
});

/** Elementwise minimum; NaN propagates. */
export const minimum = definePublicBuiltin("minimum", function minimum(a: Operand, b: Operand): NDArray {
  return applyElementwise(minimumOperation, [a, b]);
});

/** The loop expressions of maximum and minimum, which clip chains. */
export const extremaExpressions = {
  maximum: maximumOperation.expression,
  minimum: minimumOperation.expression,
};

/**
 * The operations behind the binary builtins, by builtin name: reduce-elementwise.ts runs them
 * into a reused buffer when only a reduction of their result is wanted.
 */
export const binaryOperations: Readonly<Record<string, ElementwiseOperation>> = {
  "ndarray.add": addOperation,
  "ndarray.subtract": subtractOperation,
  "ndarray.multiply": multiplyOperation,
  "ndarray.divide": divideOperation,
  "ndarray.maximum": maximumOperation,
  "ndarray.minimum": minimumOperation,
};
