/**
 * da.median and da.nanmedian: the exact median along axes. As in Dask, the reduced axes are
 * first made one chunk each (the other axes rechunked "auto", so a block stays near the chunk
 * target), then every block is reduced by NumPy's median on its own; so, as in Dask, a median
 * needs an axis, and each task holds whole lanes along the reduced axes.
 */
import { InvalidOptionError } from "../core/errors.js";
import { normalizeAxes } from "../ndarray/axes.js";
import { median as medianBlock, nanmedian as nanmedianBlock, type MedianOptions } from "../ndarray/median.js";
import { LazyArray, mapBlocksOf } from "./array.js";
import type { ChunkSpec } from "./chunks.js";
import { refuseUnknownOptions } from "./option-checks.js";

export interface MedianCallOptions {
  /** The axes to reduce: required, as in Dask (the median of everything would be one task). */
  axis: number | readonly number[];
  keepdims?: boolean;
}

function lazyMedian(x: LazyArray, options: MedianCallOptions, what: string, block: (a: never, o: MedianOptions) => unknown): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a lazy array`);
  refuseUnknownOptions(what, options ?? {}, ["axis", "keepdims"]);
  if (options?.axis === undefined || options.axis === null) {
    throw new InvalidOptionError(
      `${what} needs an axis, as Dask's does: a median over everything would gather the whole array into one task ` +
        `(give every axis explicitly if it fits, or use ta.percentile for Dask's approximation)`,
    );
  }
  const axes = normalizeAxes(options.axis, x.ndim, what);
  const keepdims = options.keepdims ?? false;
  if (typeof keepdims !== "boolean") throw new InvalidOptionError(`${what}: keepdims must be true or false, got ${JSON.stringify(keepdims)}`);
  const whole = axes.some((axis) => x.chunks[axis].length > 1)
    ? x.rechunk(Object.fromEntries(x.shape.map((_, axis) => [axis, axes.includes(axis) ? -1 : "auto"])) as ChunkSpec)
    : x;
  const dtype = x.dtype === "float32" ? "float32" : "float64";
  const fnOptions = { axis: axes, keepdims };
  if (keepdims) {
    const chunks = whole.chunks.map((sizes, axis) => (axes.includes(axis) ? [1] : [...sizes]));
    return mapBlocksOf(block, [whole], { dtype, chunks }, fnOptions);
  }
  return mapBlocksOf(block, [whole], { dtype, dropAxis: axes }, fnOptions);
}

/** da.median(x, axis, keepdims): NumPy's exact median along the axes. */
export const median = (x: LazyArray, options: MedianCallOptions): LazyArray => lazyMedian(x, options, "median", medianBlock);
/** da.nanmedian(x, axis, keepdims): the median of the non-NaN values along the axes. */
export const nanmedian = (x: LazyArray, options: MedianCallOptions): LazyArray => lazyMedian(x, options, "nanmedian", nanmedianBlock);
