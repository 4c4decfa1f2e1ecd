/**
 * `ta.ndimage.genericFilter`: dask-image's generic_filter, scipy's generic_filter on a chunked
 * array. As in dask-image it is one mapOverlap whose depth is the footprint's reach after the
 * origin, with the halo cut at the array's edges (boundary "none") so the filter's own mode
 * extends the edge blocks as it would the whole array (mode "wrap": a periodic halo, which
 * reads the far side of the array as the whole-array filter does).
 *
 * The user's function reaches the workers by its source (user-function-source.ts): each block
 * runs `ndimage.genericFilter(block, <the user's function>, options)`.
 */
import { InvalidOptionError } from "../core/errors.js";
import * as ndimage from "../ndimage/index.js";
import { isNDArray } from "../ndarray/ndarray.js";
import { outputDtypeOption } from "../ndimage/options.js";
import { LazyArray } from "./array.js";
import { boundaryForMode } from "./ndimage-filters.js";
import { ndimageCallWithUserFunction, userFunctionSource } from "./user-function-source.js";
import { checkPlainData } from "./plain-data.js";

type LazyGenericFilterOptions = Omit<ndimage.GenericFilterOptions, "outputRegion">;

/** The block function: ndimage.genericFilter of the block with the user's function (user-function-source.ts). */
function blockFunction(source: string): (block: unknown, options: unknown) => unknown {
  const block = ndimageCallWithUserFunction("genericFilterBlock", "genericFilter", source);
  // mapOverlap reads the halo from kernelRadius and hands every block its core as outputRegion.
  Object.defineProperty(block, "kernelRadius", {
    value: (options: ndimage.GenericFilterOptions, ndim: number) => ndimage.genericFilter.kernelRadius(options, ndim),
    enumerable: false,
  });
  return block;
}

/**
 * dask-image's generic_filter: `fn(values, ...extraArguments, extraKeywords?)` on every
 * neighbourhood of a chunked array, equal to tessera/ndimage's genericFilter on the whole array.
 */
export function genericFilter(array: LazyArray, fn: ndimage.GenericFilterFunction, options: LazyGenericFilterOptions): LazyArray {
  if (!(array instanceof LazyArray)) throw new InvalidOptionError("genericFilter: expected a lazy array (ta.fromArray, ta.fromZarr, …)");
  const source = userFunctionSource(fn, "genericFilter", "function");
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError("genericFilter needs an options object with size or footprint");
  }
  if ("outputRegion" in options) throw new InvalidOptionError("genericFilter: outputRegion is set per block by the lazy filter; leave it out");
  const plain: Record<string, unknown> = { ...options };
  if (isNDArray(plain.footprint)) plain.footprint = plain.footprint.toArray();
  if (plain.extraArguments !== undefined) checkPlainData(plain.extraArguments, "extraArguments", "genericFilter");
  if (plain.extraKeywords !== undefined) checkPlainData(plain.extraKeywords, "extraKeywords", "genericFilter");
  if (Array.isArray(plain.mode)) throw new InvalidOptionError("genericFilter: mode must be one mode for every axis (scipy takes no list here), got a list");
  // Refuses unknown options and bad sizes, footprints and origins before a graph is built.
  const depth = ndimage.genericFilter.kernelRadius(plain as ndimage.GenericFilterOptions, array.ndim);
  const dtype = plain.output === undefined ? array.dtype : outputDtypeOption(plain.output, "genericFilter output");
  return array.mapOverlap(blockFunction(source), { depth, boundary: boundaryForMode(plain.mode, array.ndim), dtype, name: "genericFilter" }, plain);
}
