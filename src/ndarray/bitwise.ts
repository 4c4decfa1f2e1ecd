/**
 * NumPy's bitwise ufuncs: bitwise_and, bitwise_or, bitwise_xor, invert (bitwise_not),
 * left_shift and right_shift, on bool and integer operands.
 *
 * dtypes: the operands' promoted dtype (scalars NEP 50 weak, as every binary op here). NumPy
 * has no float loops for these: a float operand, or int64 with uint64 (which promote to
 * float64), is refused as NumPy raises TypeError. bool & | ^ bool and ~bool stay bool (logical);
 * the shifts have no bool loop, so bool << bool computes in int8, as NumPy's loop search picks.
 * Integers are two's complement at their width: int64/uint64 compute on bigints and wrap by
 * the BigInt64Array / BigUint64Array store, narrower ones on int32 and wrap by theirs.
 *
 * Shift counts: NumPy defines what C leaves undefined (npy_lshift / npy_rshift in
 * npy_math_internal.h.src, checked against NumPy 1.24 on x86-64): a count below 0 or at or
 * above the bit width of the loop dtype gives 0 for a left shift; a right shift gives −1 for a
 * negative signed value and 0 otherwise (the sign fills every bit). JS's own shifts take the
 * count modulo 32 (bigints shift the other way for a negative count), hence the guards.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, dtypeInfo, isBigIntDType, isFloatDType } from "./dtype.js";
import { type ElementwiseOperation, type LoopChoice, inCommonDType } from "./elementwise.js";
import { allowWritingOverOperands } from "./operand-reuse.js";
import { defineBinary, defineUnary } from "./binary-builtin.js";

/** Refuses float loops, naming tessera's and NumPy's function and the dtype. */
function integerLoop(name: string, numpyName: string, common: DType): void {
  if (!isFloatDType(common)) return;
  throw new InvalidOptionError(
    `${name} (np.${numpyName}): not supported for ${common} operands (NumPy raises TypeError: ufunc '${numpyName}' not supported ` +
      `for the input types); it needs bool or integer dtypes (int64 with uint64 promotes to float64 too): astype an integer dtype first`,
  );
}

function bitwise(name: string, numpyName: string, operator: "&" | "|" | "^"): ElementwiseOperation {
  return {
    name: numpyName,
    resolve(common) {
      integerLoop(name, numpyName, common);
      return inCommonDType(common);
    },
    expression: ([a, b]) => `(${a} ${operator} ${b})`,
  };
}

const invertOperation = (name: string, numpyName: string): ElementwiseOperation => ({
  name: "invert",
  resolve(common) {
    integerLoop(name, numpyName, common);
    return inCommonDType(common);
  },
  // ~ of a bool is a logical not; an integer's complement wraps to its dtype when stored.
  expression: ([a], { loop }) => (loop === "bool" ? `(${a} ^ 1)` : `(~${a})`),
});

function shiftChoice(name: string, numpyName: string, common: DType): LoopChoice {
  integerLoop(name, numpyName, common);
  return common === "bool" ? { loop: "int8", result: "int8" } : inCommonDType(common);
}

const leftShiftOperation: ElementwiseOperation = {
  name: "left_shift",
  resolve: (common) => shiftChoice("leftShift", "left_shift", common),
  expression([a, b], { loop }) {
    const bits = dtypeInfo(loop).itemsize * 8;
    if (isBigIntDType(loop)) return `(${b} >= 0n && ${b} < ${bits}n ? ${a} << ${b} : 0n)`;
    return `(${b} >= 0 && ${b} < ${bits} ? ${a} << ${b} : 0)`;
  },
};

const rightShiftOperation: ElementwiseOperation = {
  name: "right_shift",
  resolve: (common) => shiftChoice("rightShift", "right_shift", common),
  expression([a, b], { loop }) {
    const info = dtypeInfo(loop);
    const bits = info.itemsize * 8;
    const signed = info.kind === "i";
    if (isBigIntDType(loop)) {
      return signed ? `(${b} >= 0n && ${b} < ${bits}n ? ${a} >> ${b} : (${a} < 0n ? -1n : 0n))` : `(${b} < ${bits}n ? ${a} >> ${b} : 0n)`;
    }
    // uint32 values reach 2^32 − 1: >>> reads them unsigned, where >> would read them as negative.
    return signed ? `(${b} >= 0 && ${b} < ${bits} ? ${a} >> ${b} : (${a} < 0 ? -1 : 0))` : `(${b} < ${bits} ? ${a} >>> ${b} : 0)`;
  },
};

allowWritingOverOperands(
  "ndarray.bitwiseAnd", "ndarray.bitwiseOr", "ndarray.bitwiseXor", "ndarray.invert", "ndarray.bitwiseNot",
  "ndarray.leftShift", "ndarray.rightShift",
);

/** a & b: bool with bool is a logical and (masks: `(x > a) & (x < b)`). */
export const bitwiseAnd = defineBinary("bitwiseAnd", bitwise("bitwiseAnd", "bitwise_and", "&"));
/** a | b. */
export const bitwiseOr = defineBinary("bitwiseOr", bitwise("bitwiseOr", "bitwise_or", "|"));
/** a ^ b. */
export const bitwiseXor = defineBinary("bitwiseXor", bitwise("bitwiseXor", "bitwise_xor", "^"));
/** ~a: the logical not of a bool, the two's complement of an integer (~uint8 0 is 255). */
export const invert = defineUnary("invert", invertOperation("invert", "invert"));
/** NumPy's alias of invert. */
export const bitwiseNot = defineUnary("bitwiseNot", invertOperation("bitwiseNot", "bitwise_not"));
/** a << b, wrapping at the dtype's width; counts < 0 or ≥ the width give 0. */
export const leftShift = defineBinary("leftShift", leftShiftOperation);
/** a >> b (arithmetic for signed dtypes); counts < 0 or ≥ the width give −1 for negative a, else 0. */
export const rightShift = defineBinary("rightShift", rightShiftOperation);
