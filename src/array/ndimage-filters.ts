/**
 * The rank filters and morphology of tessera/ndimage on lazy chunked arrays. Each call is one
 * mapOverlap whose depth the filter states itself (its `kernelRadius`: footprint reach including
 * |origin|; doubled for openings, closings and tophats; times the iterations of binary
 * morphology), so every block's core equals filtering the whole array, bit for bit.
 *
 * Boundaries: the halo is cut at the array's edges (`boundary: "none"`) and the filter's own mode
 * extends the edge blocks there, as it would the whole array — except mode "wrap", which needs
 * the far side of the array: those axes use a periodic halo. A min/max filter (rank 0 or n−1 of a
 * box) over data with NaN is the exception to block-for-block equality: scipy's deque answer
 * then depends on where a line starts (see min-max-passes.ts).
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import { isNDArray } from "../ndarray/ndarray.js";
import type { AnyFunction } from "../core/builtin.js";
import * as ndimage from "../ndimage/index.js";
import { modesPerAxis, outputDtypeOption } from "../ndimage/options.js";
import type { LazyArray } from "./array.js";
import type { BoundarySpec } from "./map-overlap.js";

type RegionFilter = AnyFunction & { kernelRadius(options: unknown, ndim: number): number[] };

/** The halo boundary per axis for a filter's `mode` (a list of modes: one per axis). */
export function boundaryForMode(mode: unknown, ndim: number): BoundarySpec[] {
  const modes = modesPerAxis((mode ?? "reflect") as Parameters<typeof modesPerAxis>[0], ndim);
  return modes.map((m) => (m === "wrap" ? "periodic" : "none"));
}

function lazyFilter(fn: RegionFilter, array: LazyArray, options: Record<string, unknown>, dtype: DType, what: string): LazyArray {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} needs an options object`);
  if ("outputRegion" in options) throw new InvalidOptionError(`${what}: outputRegion is set per block by the lazy filter; leave it out`);
  const plain = withPlainGrids(options);
  const depth = fn.kernelRadius(plain, array.ndim);
  return array.mapOverlap(fn, { depth, boundary: boundaryForMode(plain.mode, array.ndim), dtype }, plain);
}

/**
 * Footprints and structures as nested lists: they travel inside every block's task arguments,
 * and small grids are cheaper (and name the graph the same way) as plain data than as arrays.
 */
function withPlainGrids(options: Record<string, unknown>): Record<string, unknown> {
  const out = { ...options };
  for (const key of ["footprint", "structure", "structure1", "structure2"]) {
    const grid = out[key];
    if (isNDArray(grid)) out[key] = grid.toArray();
  }
  return out;
}

function outputDtype(array: LazyArray, options: { output?: unknown }, what: string): DType {
  return options?.output === undefined ? array.dtype : outputDtypeOption(options.output, `${what} output`);
}

type FilterOptions = ndimage.FootprintFilterOptions;

export const minimumFilter = (array: LazyArray, options: FilterOptions): LazyArray =>
  lazyFilter(ndimage.minimumFilter, array, { ...options }, outputDtype(array, options, "minimumFilter"), "minimumFilter");
export const maximumFilter = (array: LazyArray, options: FilterOptions): LazyArray =>
  lazyFilter(ndimage.maximumFilter, array, { ...options }, outputDtype(array, options, "maximumFilter"), "maximumFilter");
export const minimumFilter1d = (array: LazyArray, options: ndimage.MinMaxFilter1dOptions): LazyArray =>
  lazyFilter(ndimage.minimumFilter1d, array, { ...options }, outputDtype(array, options, "minimumFilter1d"), "minimumFilter1d");
export const maximumFilter1d = (array: LazyArray, options: ndimage.MinMaxFilter1dOptions): LazyArray =>
  lazyFilter(ndimage.maximumFilter1d, array, { ...options }, outputDtype(array, options, "maximumFilter1d"), "maximumFilter1d");
export const medianFilter = (array: LazyArray, options: FilterOptions): LazyArray =>
  lazyFilter(ndimage.medianFilter, array, { ...options }, outputDtype(array, options, "medianFilter"), "medianFilter");
export const rankFilter = (array: LazyArray, options: ndimage.RankFilterOptions): LazyArray =>
  lazyFilter(ndimage.rankFilter, array, { ...options }, outputDtype(array, options, "rankFilter"), "rankFilter");
export const percentileFilter = (array: LazyArray, options: ndimage.PercentileFilterOptions): LazyArray =>
  lazyFilter(ndimage.percentileFilter, array, { ...options }, outputDtype(array, options, "percentileFilter"), "percentileFilter");

type GreyOptions = ndimage.GreyMorphologyOptions;
export const greyErosion = (array: LazyArray, options: GreyOptions): LazyArray =>
  lazyFilter(ndimage.greyErosion, array, { ...options }, outputDtype(array, options, "greyErosion"), "greyErosion");
export const greyDilation = (array: LazyArray, options: GreyOptions): LazyArray =>
  lazyFilter(ndimage.greyDilation, array, { ...options }, outputDtype(array, options, "greyDilation"), "greyDilation");
export const greyOpening = (array: LazyArray, options: GreyOptions): LazyArray =>
  lazyFilter(ndimage.greyOpening, array, { ...options }, outputDtype(array, options, "greyOpening"), "greyOpening");
export const greyClosing = (array: LazyArray, options: GreyOptions): LazyArray =>
  lazyFilter(ndimage.greyClosing, array, { ...options }, outputDtype(array, options, "greyClosing"), "greyClosing");
export const whiteTophat = (array: LazyArray, options: GreyOptions): LazyArray =>
  lazyFilter(ndimage.whiteTophat, array, { ...options }, outputDtype(array, options, "whiteTophat"), "whiteTophat");
export const blackTophat = (array: LazyArray, options: GreyOptions): LazyArray =>
  lazyFilter(ndimage.blackTophat, array, { ...options }, outputDtype(array, options, "blackTophat"), "blackTophat");

export const morphologicalGradient = (array: LazyArray, options: ndimage.MorphologyCompositionOptions): LazyArray =>
  lazyFilter(ndimage.morphologicalGradient, array, { ...options }, array.dtype, "morphologicalGradient");
export const morphologicalLaplace = (array: LazyArray, options: ndimage.MorphologyCompositionOptions): LazyArray =>
  lazyFilter(ndimage.morphologicalLaplace, array, { ...options }, array.dtype, "morphologicalLaplace");

type BinaryOptions = Omit<ndimage.BinaryMorphologyOptions, "mask" | "outputRegion">;

function binary(fn: RegionFilter, array: LazyArray, options: BinaryOptions | undefined, what: string): LazyArray {
  const o = withPlainGrids({ ...(options ?? {}) } as Record<string, unknown>);
  if ("mask" in o) throw new InvalidOptionError(`${what}: mask is not supported on chunked arrays (apply it with where/logical operations afterwards)`);
  // Binary morphology pads with borderValue, not with a mode: the halo is cut at the edges.
  if ("outputRegion" in o) throw new InvalidOptionError(`${what}: outputRegion is set per block by the lazy filter; leave it out`);
  const depth = fn.kernelRadius(o, array.ndim);
  return array.mapOverlap(fn, { depth, boundary: "none", dtype: "bool" }, o);
}

export const binaryErosion = (array: LazyArray, options?: BinaryOptions): LazyArray => binary(ndimage.binaryErosion, array, options, "binaryErosion");
export const binaryDilation = (array: LazyArray, options?: BinaryOptions): LazyArray => binary(ndimage.binaryDilation, array, options, "binaryDilation");
export const binaryOpening = (array: LazyArray, options?: BinaryOptions): LazyArray => binary(ndimage.binaryOpening, array, options, "binaryOpening");
export const binaryClosing = (array: LazyArray, options?: BinaryOptions): LazyArray => binary(ndimage.binaryClosing, array, options, "binaryClosing");
export const binaryHitOrMiss = (array: LazyArray, options?: Omit<ndimage.HitOrMissOptions, "outputRegion">): LazyArray =>
  binary(ndimage.binaryHitOrMiss, array, options as BinaryOptions, "binaryHitOrMiss");
