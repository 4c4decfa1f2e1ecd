/**
 * `sign`: −1, 0 or 1 in the input's dtype (NaN stays NaN, and −0 gives +0, as in NumPy 1.24);
 * unsigned integers give 0 or 1; bool is refused, as NumPy has no bool loop for it.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { dtypeInfo, isBigIntDType } from "./dtype.js";
import { type ElementwiseOperation, applyElementwise, inCommonDType } from "./elementwise.js";
import type { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";

const signOperation: ElementwiseOperation = {
  name: "sign",
  resolve(common) {
    if (common === "bool") throw new InvalidOptionError("sign: bool arrays have no sign (NumPy refuses them too); convert with astype first");
    return inCommonDType(common);
  },
  expression([a], { loop }) {
    if (isBigIntDType(loop)) return `(${a} > 0n ? 1n : ${a} < 0n ? -1n : 0n)`;
    if (dtypeInfo(loop).kind === "f") return `(${a} > 0 ? 1 : ${a} < 0 ? -1 : ${a} === 0 ? 0 : ${a})`;
    return `(${a} > 0 ? 1 : ${a} < 0 ? -1 : 0)`;
  },
};

export const sign = definePublicBuiltin("sign", function sign(a: Operand): NDArray {
  return applyElementwise(signOperation, [a]);
});
