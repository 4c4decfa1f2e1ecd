/**
 * NumPy's positive, signbit, isposinf and isneginf.
 *
 * positive (+x) is a copy in the same dtype; bool is refused, as NumPy has no bool loop.
 * signbit reads the sign bit itself, so −0 and a NaN with its sign bit set give true (NumPy's
 * float loops; integers reach them as floats, so only negative integers give true). isposinf
 * and isneginf give true only for a float ±inf: no other dtype holds one.
 */
import { InvalidOptionError } from "../core/errors.js";
import { isBigIntDType, isFloatDType } from "./dtype.js";
import { type ElementwiseOperation, inCommonDType } from "./elementwise.js";
import { allowWritingOverOperands } from "./operand-reuse.js";
import { defineUnary } from "./binary-builtin.js";

const positiveOperation: ElementwiseOperation = {
  name: "positive",
  resolve(common) {
    if (common === "bool") throw new InvalidOptionError("positive: not supported for bool arrays (NumPy has no bool loop and raises TypeError); astype an integer dtype first");
    return inCommonDType(common);
  },
  expression: ([a]) => a,
};

const signBits = new Float64Array(1);
const signWords = new Uint32Array(signBits.buffer);
/** The sign bit of a double (little-endian: in the high word), set for −0 and −NaN too. */
function signbitFloat(x: number): number {
  signBits[0] = x;
  return signWords[1] >>> 31;
}

const signbitOperation: ElementwiseOperation = {
  name: "signbit",
  resolve: (common) => ({ loop: common, result: "bool" }),
  expression([a], { loop }) {
    if (isFloatDType(loop)) return `signbitFloat(${a})`;
    return isBigIntDType(loop) ? `(${a} < 0n ? 1 : 0)` : `(${a} < 0 ? 1 : 0)`;
  },
  helpers: { signbitFloat },
};

// Only floats hold infinities: every other dtype gives false, as NumPy's isinf(x) & … does.
const infinityTest = (name: string, infinity: string): ElementwiseOperation => ({
  name,
  resolve: (common) => ({ loop: common, result: "bool" }),
  expression: ([a], { loop }) => (isFloatDType(loop) ? `(${a} === ${infinity} ? 1 : 0)` : "0"),
});

allowWritingOverOperands("ndarray.positive");

/** +a: a copy in the same dtype (bool refused, as NumPy). */
export const positive = defineUnary("positive", positiveOperation);
/** Whether the sign bit is set: true for −0 and a NaN with its sign bit, false for integers ≥ 0. */
export const signbit = defineUnary("signbit", signbitOperation);
/** a == +inf (false for every non-float dtype). */
export const isposinf = defineUnary("isposinf", infinityTest("isposinf", "Infinity"));
/** a == −inf. */
export const isneginf = defineUnary("isneginf", infinityTest("isneginf", "-Infinity"));
