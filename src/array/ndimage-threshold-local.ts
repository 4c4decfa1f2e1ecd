/**
 * `ta.ndimage.thresholdLocal`: dask-image's ndfilters.threshold_local, composed as dask-image
 * composes it — astype float64, then one chunked filter (each a mapOverlap whose halo depth is
 * that filter's own kernelRadius), then minus the offset, elementwise. The checks and the filter
 * options are the eager thresholdLocal's (planThresholdLocal), so both refuse the same calls and
 * filter the same way.
 *
 * Every block's core equals the eager result bit for bit for "gaussian", "median" and "generic";
 * for "mean" the uniform filter's running sum starts in each block's halo, so values may differ
 * from the whole-array filter in the last bits (as ta.ndimage.uniformFilter's do).
 * The "generic" method's function travels by its source, as ta.ndimage.genericFilter's does.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type ThresholdLocalOptions, planThresholdLocal } from "../ndimage/threshold-local.js";
import { LazyArray } from "./array.js";
import { medianFilter } from "./ndimage-filters.js";
import { genericFilter } from "./ndimage-generic-filter.js";
import { gaussianFilter, uniformFilter } from "./ndimage-linear-filters.js";

/** dask-image's threshold_local: the float64 threshold of every pixel of a chunked image from its blockSize neighbourhood. */
export function thresholdLocal(image: LazyArray, blockSize: number | readonly number[], options?: ThresholdLocalOptions): LazyArray {
  if (!(image instanceof LazyArray)) throw new InvalidOptionError("thresholdLocal: expected a lazy array (ta.fromArray, ta.fromZarr, …)");
  const plan = planThresholdLocal(blockSize, options, image.ndim);
  const values = image.astype("float64");
  const thresholds = plan.method === "gaussian" ? gaussianFilter(values, plan.filterOptions)
    : plan.method === "mean" ? uniformFilter(values, plan.filterOptions)
    : plan.method === "median" ? medianFilter(values, plan.filterOptions)
    : genericFilter(values, plan.fn, plan.filterOptions);
  // t − 0 is t, bit for bit (−0 − 0 is −0): no task is added then.
  return plan.offset === 0 ? thresholds : thresholds.sub(plan.offset);
}
