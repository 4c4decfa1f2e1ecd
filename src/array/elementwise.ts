/**
 * Elementwise operations on lazy arrays: a block function (an ndarray ufunc) applied to the
 * matching blocks of its operands after NumPy broadcasting and chunk unification
 * (broadcasting.ts). Scalars (numbers, bigints, booleans, null for "absent") travel as values
 * in every task; the result dtype is the function's own answer on tiny blocks of the operand
 * dtypes (meta.ts), so it follows NumPy's promotion and NEP 50 scalar rules exactly.
 */
import { InvalidOptionError } from "../core/errors.js";
import { builtinNameOf } from "../core/builtin.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import type { DType } from "../ndarray/dtype.js";
import { NDArray } from "../ndarray/ndarray.js";
import { BlockwiseExpr, type BlockwiseArg } from "./blockwise.js";
import { isArrayNode, unifyOperands } from "./broadcasting.js";
import type { ArrayNode } from "./expr.js";
import { inferDtype } from "./meta.js";
import { sameShapeCall } from "./unknown-elementwise.js";

export type ElementwiseOperand = ArrayNode | number | bigint | boolean | null;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type BlockFunction = Function;

function checkOperand(operand: unknown, position: number, what: string): void {
  if (isArrayNode(operand) || operand === null || ["number", "bigint", "boolean"].includes(typeof operand)) return;
  const hint = operand instanceof NDArray ? " (wrap an NDArray with ta.fromArray first)" : "";
  const shown = operand instanceof NDArray ? `an NDArray` : typeof operand === "string" ? JSON.stringify(operand) : String(operand);
  throw new InvalidOptionError(`${what}: operand ${position} must be a tessera array or a scalar, got ${shown}${hint}`);
}

/** `fn` over the operands, block by block, with NumPy broadcasting. */
export function elementwiseNode(fn: BlockFunction, operands: readonly ElementwiseOperand[], dtype?: DType, options?: Record<string, unknown>): ArrayNode {
  const fnName = builtinNameOf(fn) ?? fn.name;
  const what = fnName.replace(/^ndarray\./, "");
  operands.forEach((operand, i) => checkOperand(operand, i, what));
  const unified = unifyOperands(operands, what);
  const resultDtype = dtype ?? inferDtype(fn, operands.map((op) => (isArrayNode(op) ? { dtype: op.dtype, ndim: op.shape.length } : { value: op })), options, what);
  const args: BlockwiseArg[] = unified.operands.map((op) => (isArrayNode(op) ? { array: op, axes: op.shape.map((_, a) => a + unified.shape.length - op.shape.length) } : { value: op }));
  const name = `${what}-${tokenize(fnName, unified.operands.map((op) => (isArrayNode(op) ? op.name : op)), options)}`;
  const checked = sameShapeCall(fnName, unified.operands.filter(isArrayNode), args);
  const expr = checked ? new BlockwiseExpr(checked.fn, checked.args, options, { blockInfo: false }, true) : new BlockwiseExpr(functionRefOf(fn), args, options, { blockInfo: false }, true);
  return { name, shape: unified.shape, chunks: unified.chunks, dtype: resultDtype, expr };
}
