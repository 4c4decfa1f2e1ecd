/**
 * numpy.ma's binary operations as functions (np.ma.add(2, x) as well as x.add(2)), and
 * np.ma.where. The functions are numpy.ma's own operations: add … power as the methods,
 * divide as np.ma.divide (domained), comparisons as np.ma.equal & co. (_MaskedBinaryOperation:
 * the first operand's data under the mask, also for == and !=, unlike the x.eq(y) method, which
 * is Python's == with its masked-equal-masked data).
 */
import { InvalidOptionError } from "../../core/errors.js";
import * as nd from "../../ndarray/index.js";
import type { MaskedDivisionOp } from "../../ndarray/masked-kernels.js";
import { LazyArray } from "../array.js";
import { fitMask, maskedBinary, maskedDivision, maskedPower } from "./elementwise.js";
import { MaskedArray } from "./masked-array.js";
import { type MaskedOperand, dataOf, ew, isMaskedParts, maskOf, maskUnion } from "./parts.js";

type Kernel = (a: nd.NDArray, b: nd.NDArray) => nd.NDArray;

const binary = (kernel: Kernel, what: string) => (a: MaskedOperand, b: MaskedOperand): MaskedArray => {
  if (!isMaskedParts(a) && !isMaskedParts(b) && !(a instanceof LazyArray) && !(b instanceof LazyArray)) {
    throw new InvalidOptionError(`ma.${what}: give at least one array (two numbers are NumPy scalars, not masked arrays)`);
  }
  return MaskedArray.of(maskedBinary(kernel, a, b, what));
};
const division = (op: MaskedDivisionOp, what: string) => (a: MaskedOperand, b: MaskedOperand): MaskedArray => {
  if (typeof a === "number" && typeof b === "number") throw new InvalidOptionError(`ma.${what}: give at least one array`);
  return MaskedArray.of(maskedDivision(op, a, b, what));
};

export const add = binary(nd.add, "add");
export const subtract = binary(nd.subtract, "subtract");
export const multiply = binary(nd.multiply, "multiply");
export const equal = binary(nd.equal, "equal");
export const notEqual = binary(nd.notEqual, "notEqual");
export const less = binary(nd.less, "less");
export const lessEqual = binary(nd.lessEqual, "lessEqual");
export const greater = binary(nd.greater, "greater");
export const greaterEqual = binary(nd.greaterEqual, "greaterEqual");
/** np.ma.divide / true_divide: masked where the divisor is ~0 or the quotient is not finite. */
export const divide = division("divide", "divide");
export const floorDivide = division("floorDivide", "floorDivide");

/** np.ma.power: masked where an operand is masked or the result is not finite (the fill value there). */
export function power(a: MaskedOperand, b: MaskedOperand): MaskedArray {
  if (typeof a === "number" && typeof b === "number") throw new InvalidOptionError("ma.power: give at least one array");
  return MaskedArray.of(maskedPower(a, b));
}

/**
 * np.ma.where(condition, x, y): x where the condition is true and unmasked, else y; masked
 * where the picked operand is masked or the condition is; the default fill value (NumPy
 * builds a new masked_array). The one-argument form (nonzero) is not provided.
 */
export function where(condition: MaskedOperand, x: MaskedOperand, y: MaskedOperand): MaskedArray {
  if (x === undefined || y === undefined) throw new InvalidOptionError("ma.where: give condition, x and y (the one-argument form, nonzero, is not provided)");
  const cd = dataOf(condition, "where");
  if (typeof cd === "number") throw new InvalidOptionError("ma.where: the condition must be an array");
  const cm = maskOf(condition);
  const truth = ew(nd.notEqual, cd, 0);
  const picked = cm === null ? truth : ew(nd.logicalAnd, truth, ew(nd.logicalNot, cm));
  const data = ew(nd.where, picked, dataOf(x, "where"), dataOf(y, "where"));
  const xm = maskOf(x);
  const ym = maskOf(y);
  const chosen = xm === null && ym === null ? null : ew(nd.where, picked, xm ?? false, ym ?? false);
  return new MaskedArray(data, fitMask(maskUnion(chosen, cm), data), null);
}
