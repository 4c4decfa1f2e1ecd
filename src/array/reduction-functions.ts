/**
 * Reductions as functions of an array (dask.array's da.nanmean(x, axis=0) and friends), for
 * those NumPy offers only as functions: the NaN-ignoring reductions, plus argmin, argmax, any
 * and all, which are also methods of the array, and countNonzero. All are tree reductions (reductions.ts).
 */
import { InvalidOptionError } from "../core/errors.js";
import type { TreeOp } from "../ndarray/tree-reduction.js";
import { LazyArray } from "./array.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { type ReductionCallOptions, reductionNode } from "./reductions.js";

type ReductionFunction = (x: LazyArray, options?: ReductionCallOptions) => LazyArray;

function reductionFunction(op: TreeOp): ReductionFunction {
  return (x, options = {}) => LazyArray.of(reductionNode(x, op, options));
}

export const nansum = reductionFunction("nansum");
export const nanprod = reductionFunction("nanprod");
export const nanmin = reductionFunction("nanmin");
export const nanmax = reductionFunction("nanmax");
export const nanmean = reductionFunction("nanmean");
export const nanvar = reductionFunction("nanvar");
export const nanstd = reductionFunction("nanstd");
export const argmin = reductionFunction("argmin");
export const argmax = reductionFunction("argmax");
export const nanargmin = reductionFunction("nanargmin");
export const nanargmax = reductionFunction("nanargmax");
export const any = reductionFunction("any");
export const all = reductionFunction("all");

/** da.count_nonzero: how many elements are nonzero (NaN counts), in all or along axes, as int64. */
export function countNonzero(x: LazyArray, options: Pick<ReductionCallOptions, "axis" | "keepdims" | "splitEvery"> = {}): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError("countNonzero: expected a lazy array");
  refuseUnknownOptions("countNonzero", options, ["axis", "keepdims", "splitEvery"]);
  return x.astype("bool").sum({ ...options, dtype: "int64" });
}
