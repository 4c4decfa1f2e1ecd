/**
 * The linear filters of tessera/ndimage on lazy chunked arrays, dask-image's
 * `dask_image.ndfilters` twins (`ta.ndimage.gaussianFilter(volume, { sigma: 3 })`): each call is
 * one mapOverlap whose depth is the filter's own `kernelRadius` (the reach of its kernel, origin
 * included), so a caller never works out halo depths, and every block's core equals the eager
 * filter over the whole array, bit for bit — except the uniform filters, whose scipy loop is a
 * running sum from each line's start: a block's line starts in its halo, so float results may
 * differ from the whole array's in the last bits (as dask-image's do), and a NaN or ±inf, which
 * poisons the rest of scipy's whole line, poisons only the rest of the block's.
 *
 * Boundaries: the halo stops at the array's edges (boundary "none", dask-image's choice) and the
 * filter's mode extends the edge blocks as it would the whole array. Mode "wrap" reads the far
 * side of the array: mapOverlap gives those axes a periodic halo itself (map-overlap.ts,
 * wrapHalos) from the filter's stated modes. The Gaussian derivatives use mode[i] on every axis
 * of term i, so a list mixing wrap with other modes needs two halos at once: their edge modes
 * refuse it (gaussian-derivatives.ts), here and in a user's own mapOverlap.
 *
 * dask-image's signatures take no `output`; these take tessera's (the result's dtype, and the
 * dtype of intermediate passes, as in scipy). `outputRegion` is set per block and refused here.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import { isNDArray } from "../ndarray/ndarray.js";
import type { AnyFunction } from "../core/builtin.js";
import * as ndimage from "../ndimage/index.js";
import { outputDtypeOption } from "../ndimage/options.js";
import { convolve1dBlock, convolveBlock, correlate1dBlock, correlateBlock } from "../ndimage/weights-blocks.js";
import type { LazyArray } from "./array.js";

type RegionFilter = AnyFunction & { kernelRadius(options: unknown, ndim: number): number[] };

function checkedOptions(options: unknown, what: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError(`${what} takes an options object, got ${JSON.stringify(options)}`);
  }
  if ("outputRegion" in options) throw new InvalidOptionError(`${what}: outputRegion is set per block by the lazy filter; leave it out`);
  return { ...(options as Record<string, unknown>) };
}

function resultDtype(array: LazyArray, options: Record<string, unknown>, what: string): DType {
  return options.output === undefined ? array.dtype : outputDtypeOption(options.output, `${what} output`);
}

function lazyLinear(fn: RegionFilter, array: LazyArray, options: Record<string, unknown>): LazyArray {
  // kernelRadius checks the options (unknown keys included) before any graph is built.
  const depth = fn.kernelRadius(options, array.ndim);
  return array.mapOverlap(fn, { depth, boundary: "none", dtype: resultDtype(array, options, fn.name) }, options);
}

/**
 * The options of a weights block function (weights-blocks.ts), after the eager filter has checked
 * weights and options under its own name. Weights travel in every block's task arguments, as
 * plain (nested) lists: they name the graph the same way however they were given.
 */
function withWeights(eager: AnyFunction & { kernelRadius(options: unknown, ndim: number, weights: never): number[] },
  array: LazyArray, weights: unknown, options: Record<string, unknown>): Record<string, unknown> {
  eager.kernelRadius(options, array.ndim, weights as never);
  const plain = isNDArray(weights) ? weights.toArray() : ArrayBuffer.isView(weights) ? Array.from(weights as unknown as ArrayLike<number>) : weights;
  return { weights: plain, ...options };
}

export const gaussianFilter = (array: LazyArray, options: ndimage.GaussianFilterOptions): LazyArray =>
  lazyLinear(ndimage.gaussianFilter, array, checkedOptions(options, "gaussianFilter"));
export const gaussianFilter1d = (array: LazyArray, options: ndimage.GaussianFilter1dOptions): LazyArray =>
  lazyLinear(ndimage.gaussianFilter1d, array, checkedOptions(options, "gaussianFilter1d"));
export const uniformFilter = (array: LazyArray, options?: ndimage.UniformFilterOptions): LazyArray =>
  lazyLinear(ndimage.uniformFilter, array, checkedOptions(options, "uniformFilter"));
export const uniformFilter1d = (array: LazyArray, options: ndimage.UniformFilter1dOptions): LazyArray =>
  lazyLinear(ndimage.uniformFilter1d, array, checkedOptions(options, "uniformFilter1d"));
export const sobel = (array: LazyArray, options?: ndimage.SobelOptions): LazyArray =>
  lazyLinear(ndimage.sobel, array, checkedOptions(options, "sobel"));
export const prewitt = (array: LazyArray, options?: ndimage.PrewittOptions): LazyArray =>
  lazyLinear(ndimage.prewitt, array, checkedOptions(options, "prewitt"));
export const laplace = (array: LazyArray, options?: ndimage.LaplaceOptions): LazyArray =>
  lazyLinear(ndimage.laplace, array, checkedOptions(options, "laplace"));

// A mode list mixing wrap with other modes is refused by the filter's edge modes (gaussian-derivatives.ts).
export const gaussianLaplace = (array: LazyArray, options: ndimage.GaussianDerivativeOptions): LazyArray =>
  lazyLinear(ndimage.gaussianLaplace, array, checkedOptions(options, "gaussianLaplace"));
export const gaussianGradientMagnitude = (array: LazyArray, options: ndimage.GaussianDerivativeOptions): LazyArray =>
  lazyLinear(ndimage.gaussianGradientMagnitude, array, checkedOptions(options, "gaussianGradientMagnitude"));

/** n-d correlation with `weights` (an NDArray or nested lists), as scipy.ndimage.correlate. */
export const correlate = (array: LazyArray, weights: ndimage.Grid, options?: ndimage.CorrelateOptions): LazyArray =>
  lazyLinear(correlateBlock, array, withWeights(ndimage.correlate, array, weights, checkedOptions(options, "correlate")));
/** n-d convolution with `weights`, as scipy.ndimage.convolve. */
export const convolve = (array: LazyArray, weights: ndimage.Grid, options?: ndimage.CorrelateOptions): LazyArray =>
  lazyLinear(convolveBlock, array, withWeights(ndimage.convolve, array, weights, checkedOptions(options, "convolve")));
/** 1-D correlation along `axis` with `weights`, as scipy.ndimage.correlate1d. */
export const correlate1d = (array: LazyArray, weights: ndimage.Weights, options?: ndimage.Correlate1dOptions): LazyArray =>
  lazyLinear(correlate1dBlock, array, withWeights(ndimage.correlate1d, array, weights, checkedOptions(options, "correlate1d")));
/** 1-D convolution along `axis` with `weights`, as scipy.ndimage.convolve1d. */
export const convolve1d = (array: LazyArray, weights: ndimage.Weights, options?: ndimage.Correlate1dOptions): LazyArray =>
  lazyLinear(convolve1dBlock, array, withWeights(ndimage.convolve1d, array, weights, checkedOptions(options, "convolve1d")));
