/**
 * Testing floats for NaN and infinities: isnan, isinf, isfinite, each giving a bool array. Every
 * value of an integer or bool dtype is finite, as in NumPy.
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { dtypeInfo } from "./dtype.js";
import { type ElementwiseOperation, applyElementwise } from "./elementwise.js";
import type { NDArray } from "./ndarray.js";
import type { Operand } from "./promotion.js";

function test(name: string, forFloats: (a: string) => string, forOthers: string): ElementwiseOperation {
  return {
    name,
    resolve: (common) => ({ loop: common, result: "bool" }),
    expression: ([a], { loop }) => (dtypeInfo(loop).kind === "f" ? `(${forFloats(a)} ? 1 : 0)` : forOthers),
  };
}

const isnanOperation = test("isnan", (a) => `${a} !== ${a}`, "0");
const isinfOperation = test("isinf", (a) => `(${a} === Infinity || ${a} === -Infinity)`, "0");
const isfiniteOperation = test("isfinite", (a) => `Number.isFinite(${a})`, "1");

export const isnan = definePublicBuiltin("isnan", function isnan(a: Operand): NDArray { return applyElementwise(isnanOperation, [a]); });
export const isinf = definePublicBuiltin("isinf", function isinf(a: Operand): NDArray { return applyElementwise(isinfOperation, [a]); });
export const isfinite = definePublicBuiltin("isfinite", function isfinite(a: Operand): NDArray { return applyElementwise(isfiniteOperation, [a]); });
