/**
 * One-operand elementwise functions with NumPy's result dtypes.
 *
 * sqrt, exp and log of int16/uint16 give float32 and of wider integers float64, as in NumPy.
 * NumPy gives float16 for bool, int8 and uint8; tessera has no float16, so those give float32
 * (the values NumPy would compute before its final rounding to float16).
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { type DType, dtypeInfo, isBigIntDType } from "./dtype.js";
import { type ElementwiseOperation, applyElementwise, inCommonDType } from "./elementwise.js";
import type { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";

/** The float dtype NumPy's sqrt/exp/log loops use for an input dtype (float16 → float32 here). */
export function transcendentalDType(dtype: DType): DType {
  const info = dtypeInfo(dtype);
  if (info.kind === "f") return dtype;
  return info.itemsize <= 2 ? "float32" : "float64";
}

const negativeOperation: ElementwiseOperation = {
  name: "negative",
  resolve(common) {
    if (common === "bool") {
      throw new InvalidOptionError("negative: negating a bool array is not supported (NumPy refuses it too); use logicalNot");
    }
    return inCommonDType(common);
  },
  expression: ([a]) => `-${a}`,
};

const absOperation: ElementwiseOperation = {
  name: "absolute",
  resolve: inCommonDType,
  expression([a], { loop }) {
    if (loop === "bool") return a;
    return isBigIntDType(loop) ? `(${a} < 0n ? -${a} : ${a})` : `Math.abs(${a})`;
  },
};

function transcendental(name: string, mathFunction: string): ElementwiseOperation {
  return {
    name,
    resolve: (common) => inCommonDType(transcendentalDType(common)),
    expression: ([a]) => `Math.${mathFunction}(${a})`,
  };
}

const sqrtOperation = transcendental("sqrt", "sqrt");
const expOperation = transcendental("exp", "exp");
const logOperation = transcendental("log", "log");

const logicalNotOperation: ElementwiseOperation = {
  name: "logical_not",
  resolve: (common) => ({ loop: common, result: "bool" }),
  expression: ([a], { loop }) => `(${a} === ${isBigIntDType(loop) ? "0n" : "0"} ? 1 : 0)`,
};

/** −a; unsigned integers wrap (negative of uint8 1 is 255), bool is refused. */
export const negative = definePublicBuiltin("negative", function negative(a: Operand): NDArray {
  return applyElementwise(negativeOperation, [a]);
});

/** |a|, same dtype (abs of int8 −128 stays −128, as in NumPy). */
export const abs = definePublicBuiltin("abs", function abs(a: Operand): NDArray {
  return applyElementwise(absOperation, [a]);
});

export const sqrt = definePublicBuiltin("sqrt", function sqrt(a: Operand): NDArray {
  return applyElementwise(sqrtOperation, [a]);
});

export const exp = definePublicBuiltin("exp", function exp(a: Operand): NDArray {
  return applyElementwise(expOperation, [a]);
});

/** Natural logarithm. */
export const log = definePublicBuiltin("log", function log(a: Operand): NDArray {
  return applyElementwise(logOperation, [a]);
});

export const logicalNot = definePublicBuiltin("logicalNot", function logicalNot(a: Operand): NDArray {
  return applyElementwise(logicalNotOperation, [a]);
});
