/**
 * Reductions as functions of an array (dask.array's da.max(x, axis=0), da.nanmean(x) and
 * friends): the same tree reductions (reductions.ts) as the methods x.sum() … x.argmax(), with
 * the same options, plus those NumPy offers only as functions (the NaN-ignoring ones and
 * countNonzero). amax / amin are NumPy's and Dask's other names of max / min.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { TreeOp } from "../ndarray/tree-reduction.js";
import * as nd from "../ndarray/index.js";
import { LazyArray, binary } from "./array.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { type ReductionCallOptions, reductionNode } from "./reductions.js";

type ReductionFunction = (x: LazyArray, options?: ReductionCallOptions) => LazyArray;

function reductionFunction(op: TreeOp): ReductionFunction {
  return (x, options = {}) => {
    // A NumPy habit (ta.sum(ndarray)) would otherwise fail deep inside with an unrelated message.
    if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${op}: expected a lazy array (ta.fromArray makes one), got ${describe(x)}`);
    return LazyArray.of(reductionNode(x, op, options));
  };
}

function describe(value: unknown): string {
  return value === null || typeof value !== "object" ? JSON.stringify(value) ?? typeof value : (value.constructor?.name ?? "an object");
}

export const sum = reductionFunction("sum");
export const prod = reductionFunction("prod");
export const mean = reductionFunction("mean");
export const max = reductionFunction("max");
export const min = reductionFunction("min");
export const std = reductionFunction("std");
const variance = reductionFunction("var");
export { variance as var };
/** NumPy's and Dask's amax: max. */
export const amax = max;
/** NumPy's and Dask's amin: min. */
export const amin = min;

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

/**
 * da.ptp (peak to peak): max − min along `axis` (all axes when absent), subtracted in the
 * input dtype, so integer ranges wider than the dtype wrap as NumPy 1.24's do. Dask's ptp
 * takes only axis; booleans are refused as NumPy's subtract refuses them.
 */
export function ptp(x: LazyArray, options: Pick<ReductionCallOptions, "axis"> = {}): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`ptp: expected a lazy array (ta.fromArray makes one), got ${describe(x)}`);
  refuseUnknownOptions("ptp", options, ["axis"]);
  if (x.dtype === "bool") throw new InvalidOptionError("ptp: bool arrays have no peak-to-peak (NumPy's boolean subtract is not supported); astype an integer dtype first");
  const axis = options.axis ?? null;
  return binary(nd.subtract, x.max({ axis }), x.min({ axis }));
}
