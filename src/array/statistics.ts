/**
 * dask.array's percentile and histogram as lazy operations (folds of every block into one
 * result block, block-fold.ts):
 * - `percentile(x, q, { method })`: Dask's approximate percentile of a 1-d array (exact, as
 *   NumPy's, for one block; see ndarray/percentile.ts). q a number (a result of length 1, as
 *   Dask) or a list, each in [0, 100].
 * - `histogram(x, { bins, range, density })`: NumPy's histogram of all the elements, counted
 *   block by block, as Dask's; returns [counts, edges] (edges an NDArray, known up front, as
 *   Dask returns them). A number of bins needs a range, as in Dask.
 * Options either takes that are not listed here (weights, normed, internal_method) are refused
 * by name.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { type HistogramSpec, histogramCombine, histogramEdges, histogramFinish, histogramPartial, histogramResultDType, histogramSpec } from "../ndarray/histogram.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { type PercentileMethod, blockQuantiles, percentileCombine, percentileFinish, percentileMethods, percentilePartial, percentileResultDType } from "../ndarray/percentile.js";
import { LazyArray } from "./array.js";
import { BlockFoldExpr } from "./block-fold.js";
import { refuseUnknownOptions } from "./option-checks.js";

export interface PercentileCallOptions {
  /** NumPy's interpolation method (default linear). */
  method?: PercentileMethod;
  /** Partials combined per task (default 16). */
  splitEvery?: number;
}

export interface HistogramCallOptions {
  /** A number of equal-width bins (then `range` is required), or the bin edges. */
  bins: number | readonly number[] | NDArray;
  range?: readonly [number, number];
  /** Counts divided by bin width and total (float64), as NumPy's density. */
  density?: boolean;
  splitEvery?: number;
}

function checkSplitEvery(what: string, splitEvery: unknown): number {
  if (splitEvery === undefined) return 16;
  if (typeof splitEvery !== "number" || !Number.isInteger(splitEvery) || splitEvery < 2) {
    throw new InvalidOptionError(`${what}: splitEvery must be an integer ≥ 2 (partials combined per task), got ${JSON.stringify(splitEvery)}`);
  }
  return splitEvery;
}

export function percentile(x: LazyArray, q: number | readonly number[], options: PercentileCallOptions = {}): LazyArray {
  refuseUnknownOptions("percentile", options, ["method", "splitEvery"]);
  if (x.shape.length !== 1) throw new InvalidOptionError(`percentile: only 1-d arrays are supported (as Dask's), got shape [${x.shape.join(", ")}]; ravel or index it first`);
  if (x.shape[0] === 0) throw new InvalidOptionError("percentile: the array is empty; there is nothing to take percentiles of");
  if (x.dtype === "bool") throw new InvalidOptionError("percentile: the array is bool; cast it to a number dtype first");
  const qs = typeof q === "number" ? [q] : Array.isArray(q) ? [...q] : null;
  if (qs === null || qs.length === 0) throw new InvalidOptionError(`percentile: q must be a number or a non-empty list of numbers, got ${JSON.stringify(q)}`);
  for (const value of qs) {
    if (typeof value !== "number" || !(value >= 0 && value <= 100)) throw new InvalidOptionError(`percentile: percentiles must be in the range [0, 100], got ${JSON.stringify(value)}`);
  }
  const method = options.method ?? "linear";
  if (!(percentileMethods as readonly string[]).includes(method)) throw new InvalidOptionError(`percentile: method must be one of ${percentileMethods.join(", ")}, got ${JSON.stringify(method)}`);
  const splitEvery = checkSplitEvery("percentile", options.splitEvery);
  const dtype = percentileResultDType(x.dtype, method);
  const foldOptions = { q: qs, method, dtype };
  const steps = { partial: percentilePartial, combine: percentileCombine, finish: percentileFinish, partialBytes: 8 * blockQuantiles(qs).length + 64 };
  return LazyArray.of({ name: `percentile-${tokenize(x.name, foldOptions, splitEvery)}`, shape: [qs.length], chunks: [[qs.length]], dtype, expr: new BlockFoldExpr(x, steps, foldOptions, splitEvery) });
}

export function histogram(x: LazyArray, options: HistogramCallOptions): [LazyArray, NDArray] {
  refuseUnknownOptions("histogram", options, ["bins", "range", "density", "splitEvery"]);
  if (options.bins === undefined) throw new InvalidOptionError("histogram: bins is required (a number of bins with range, or the bin edges)");
  if (options.density !== undefined && typeof options.density !== "boolean") throw new InvalidOptionError(`histogram: density must be true or false, got ${JSON.stringify(options.density)}`);
  if (options.range !== undefined && (!Array.isArray(options.range) || options.range.length !== 2)) {
    throw new InvalidOptionError(`histogram: range must be [min, max], got ${JSON.stringify(options.range)}`);
  }
  const spec: HistogramSpec = histogramSpec(x.dtype, options.bins, options.range, options.density ?? false);
  const splitEvery = checkSplitEvery("histogram", options.splitEvery);
  const bins = spec.edges.length - 1;
  const dtype = histogramResultDType(spec.density);
  const steps = { partial: histogramPartial, combine: histogramCombine, finish: histogramFinish, partialBytes: 8 * bins };
  const counts = LazyArray.of({ name: `histogram-${tokenize(x.name, spec, splitEvery)}`, shape: [bins], chunks: [[bins]], dtype, expr: new BlockFoldExpr(x, steps, spec, splitEvery) });
  return [counts, histogramEdges(spec)];
}
