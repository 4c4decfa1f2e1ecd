/** The user-facing side of reductions: axes, keepdims, ddof and result dtypes as NumPy. */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import * as nd from "../ndarray/index.js";
import type { TreeOp } from "../ndarray/tree-reduction.js";
import type { ArrayNode } from "./expr.js";
import { ReductionExpr } from "./reduction.js";

export interface ReductionCallOptions {
  axis?: number | number[] | null;
  keepdims?: boolean;
  /** Delta degrees of freedom for var/std. */
  ddof?: number;
  /** Partials combined per step along each reduced axis (Dask's split_every). */
  splitEvery?: number;
}

export function reductionNode(input: ArrayNode, op: TreeOp, options: ReductionCallOptions): ArrayNode {
  const ndim = input.shape.length;
  const requested = options.axis === undefined || options.axis === null ? input.shape.map((_, a) => a) : typeof options.axis === "number" ? [options.axis] : options.axis;
  const axes = [...new Set(requested.map((axis) => {
    const a = axis < 0 ? axis + ndim : axis;
    if (!Number.isInteger(a) || a < 0 || a >= ndim) throw new InvalidOptionError(`${op}: axis ${axis} is out of bounds for an array of ${ndim} axes`);
    return a;
  }))].sort((a, b) => a - b);
  const keepdims = options.keepdims ?? false;
  // The result dtype is what NumPy gives for one block.
  const probe = (nd as unknown as Record<string, (a: unknown, o: unknown) => { dtype: string }>)[op === "var" ? "variance" : op](nd.ones(input.shape.map(() => 1), input.dtype), { axis: axes });
  const dtype = probe.dtype as ArrayNode["dtype"];
  const shape = input.shape.flatMap((n, a) => (axes.includes(a) ? (keepdims ? [1] : []) : [n]));
  const chunks = input.chunks.flatMap((sizes, a) => (axes.includes(a) ? (keepdims ? [[1]] : []) : [[...sizes]]));
  const treeOptions = { op, axes, keepdims, ddof: options.ddof ?? 0, dtype };
  const splitEvery = options.splitEvery ?? 8;
  if (!Number.isInteger(splitEvery) || splitEvery < 2) throw new InvalidOptionError(`splitEvery must be an integer ≥ 2, got ${splitEvery}`);
  return { name: `${op}-${tokenize(input.name, treeOptions, splitEvery)}`, shape, chunks, dtype, expr: new ReductionExpr(input, treeOptions, splitEvery) };
}
