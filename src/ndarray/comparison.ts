/**
 * Comparisons and logical operations, all giving bool arrays.
 *
 * Operands are promoted as for arithmetic and compared in the promoted dtype (so int64 against
 * uint64 compares as float64, as NumPy does). One NumPy 2 refinement: comparing an integer
 * array with an integer scalar outside the array's range is not an error but has the answer
 * the mathematics gives (`uint8Array < 300` is all true, `equal(uint8Array, -1)` all false).
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { isBigIntDType, isIntegerDType } from "./dtype.js";
import { type ElementwiseOperation, applyElementwise } from "./elementwise.js";
import { NDArray, empty } from "./ndarray.js";
import { type Operand, integerFits, resultType, weakKindOf } from "./promotion.js";
import { broadcastShapes } from "./broadcast.js";

type Comparator = "<" | "<=" | ">" | ">=" | "===" | "!==";

function comparison(name: string, operator: Comparator): ElementwiseOperation {
  return {
    name,
    resolve: (common) => ({ loop: common, result: "bool" }),
    expression: ([a, b]) => `(${a} ${operator} ${b} ? 1 : 0)`,
  };
}

function compareBigInts(a: bigint, b: bigint, operator: Comparator): boolean {
  switch (operator) {
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    case ">=": return a >= b;
    case "===": return a === b;
    default: return a !== b;
  }
}

/**
 * When one operand is an integer scalar outside the integer result dtype, every element
 * compares the same way as 0 does (0 lies inside every integer dtype): a constant result.
 */
function outOfRangeResult(a: Operand, b: Operand, operator: Comparator): NDArray | undefined {
  const common = resultType(a, b);
  if (!isIntegerDType(common) || common === "bool") return undefined;
  const isOutside = (operand: Operand) =>
    (typeof operand === "number" || typeof operand === "bigint") && weakKindOf(operand) === "int" && !integerFits(operand, common);
  if (!isOutside(a) && !isOutside(b)) return undefined;
  const asBig = (operand: Operand) => (isOutside(operand) ? BigInt(operand as number | bigint) : 0n);
  const answer = compareBigInts(asBig(a), asBig(b), operator);
  const shapes = [a, b].filter((operand): operand is NDArray => operand instanceof NDArray).map((array) => array.shape);
  const out = empty(broadcastShapes(...shapes), "bool");
  if (answer) out.data.fill(1 as never);
  return out;
}

function defineComparison(name: string, numpyName: string, operator: Comparator) {
  const operation = comparison(numpyName, operator);
  const compare = (a: Operand, b: Operand): NDArray => outOfRangeResult(a, b, operator) ?? applyElementwise(operation, [a, b]);
  Object.defineProperty(compare, "name", { value: name });
  return definePublicBuiltin(name, compare);
}

export const equal = defineComparison("equal", "equal", "===");
export const notEqual = defineComparison("notEqual", "not_equal", "!==");
export const less = defineComparison("less", "less", "<");
export const lessEqual = defineComparison("lessEqual", "less_equal", "<=");
export const greater = defineComparison("greater", "greater", ">");
export const greaterEqual = defineComparison("greaterEqual", "greater_equal", ">=");

function logical(name: string, operator: "&&" | "||" | "!=="): ElementwiseOperation {
  return {
    name,
    resolve: (common) => ({ loop: common, result: "bool" }),
    expression([a, b], { loop }) {
      const zero = isBigIntDType(loop) ? "0n" : "0";
      return `(((${a} !== ${zero}) ${operator} (${b} !== ${zero})) ? 1 : 0)`;
    },
  };
}

const logicalAndOperation = logical("logical_and", "&&");
const logicalOrOperation = logical("logical_or", "||");
// Exclusive or: exactly one operand is non-zero (the truths differ).
const logicalXorOperation = logical("logical_xor", "!==");

/** True where both operands are non-zero (NaN counts as non-zero). */
export const logicalAnd = definePublicBuiltin("logicalAnd", function logicalAnd(a: Operand, b: Operand): NDArray {
  return applyElementwise(logicalAndOperation, [a, b]);
});

export const logicalOr = definePublicBuiltin("logicalOr", function logicalOr(a: Operand, b: Operand): NDArray {
  return applyElementwise(logicalOrOperation, [a, b]);
});

/** True where exactly one operand is non-zero (NaN counts as non-zero). */
export const logicalXor = definePublicBuiltin("logicalXor", function logicalXor(a: Operand, b: Operand): NDArray {
  return applyElementwise(logicalXorOperation, [a, b]);
});
