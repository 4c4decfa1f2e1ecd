/**
 * `ta.ndimage.splineFilter` and `splineFilter1d`: dask-image's ndinterp.spline_filter and
 * spline_filter1d, scipy's B-spline prefilters on chunked arrays. The prefilter is a recursive
 * filter along whole lines, so as in dask-image each block is filtered on its own window,
 * widened by `depth` cells (default: dask-image's `_get_default_depth`, the smallest n with
 * |pole|ⁿ < 1e-8 — 11, 14, 19, 22 for orders 2–5) on every axis the filter runs along. Where a
 * window ends inside the volume the recursion starts from that edge instead of the volume's, so
 * a block differs from scipy's whole-volume result by about |pole|^depth relative to the data's
 * range; at the volume's own edges the boundary treatment is scipy's (grid-wrap reads the cells
 * across the edge, as dask-image's periodic halo does). A larger depth shrinks the difference;
 * one block along each filtered axis is exact.
 *
 * "wrap" is refused, as dask-image refuses it: its period (n − 1, the edge cell shared) cannot
 * be read from a halo, and its recursion's start sums over the whole line.
 */
import { InvalidOptionError } from "../core/errors.js";
import { outputDtypeOption } from "../ndimage/options.js";
import { zeros } from "../ndarray/index.js";
import * as ndimage from "../ndimage/index.js";
import type { SplineFilter1dOptions, SplineFilterOptions } from "../ndimage/index.js";
import { prefilterDepth } from "../ndimage/interpolation-footprint.js";
import { checkSplineOrder } from "../ndimage/interpolation-options.js";
import { normalizeAxis } from "../ndimage/options.js";
import { LazyArray } from "./array.js";

export interface LazySplineFilterOptions {
  /** Cells each block's window extends beyond the block along the filtered axes (dask-image's depth). */
  depth?: number;
}

function optionsOf<T extends object>(options: unknown, what: string): T & LazySplineFilterOptions {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError(`${what} takes an options object, got ${JSON.stringify(options)}`);
  }
  return { ...(options as T) };
}

/** A one-cell array of the input's rank, on which the kernel checks its options before any graph is built. */
function oneCell(array: LazyArray) {
  if (!(array instanceof LazyArray)) throw new InvalidOptionError("the lazy spline filters need a tessera array; for an NDArray use ndimage.splineFilter");
  return zeros(array.shape.map(() => 1), "float64");
}

/** Orders 0 and 1 are the identity: no halo. */
function windowDepth(depth: unknown, order: number, what: string): number {
  if (depth === undefined) return order < 2 ? 0 : prefilterDepth(order);
  if (typeof depth !== "number" || !Number.isSafeInteger(depth) || depth < 0) {
    throw new InvalidOptionError(`${what}: depth must be a non-negative integer (cells of halo along the filtered axes), got ${JSON.stringify(depth)}`);
  }
  return depth;
}

function checkMode(mode: unknown, what: string): void {
  if (mode === "wrap") {
    throw new InvalidOptionError(
      `${what}: mode "wrap" is not supported on chunked arrays (its period shares the edge cell, which a halo cannot reproduce; dask-image refuses it too): use "grid-wrap"`,
    );
  }
}

function filtered(array: LazyArray, kernel: typeof ndimage.splineFilter | typeof ndimage.splineFilter1d, depth: number[], mode: unknown, output: unknown, kernelOptions: Record<string, unknown>): LazyArray {
  const dtype = outputDtypeOption(output ?? "float64", "splineFilter output");
  const boundary = mode === "grid-wrap" ? "periodic" : "none";
  return array.mapOverlap(kernel, { depth, boundary, dtype, name: kernel === ndimage.splineFilter ? "spline_filter" : "spline_filter1d" }, kernelOptions);
}

/** Multidimensional spline prefilter of a chunked array (dask-image's spline_filter). */
export function splineFilter(array: LazyArray, options?: SplineFilterOptions & LazySplineFilterOptions): LazyArray {
  const what = "splineFilter";
  const { depth, ...kernelOptions } = optionsOf<SplineFilterOptions>(options, what);
  const order = checkSplineOrder(kernelOptions.order ?? 3, 2);
  checkMode(kernelOptions.mode, what);
  ndimage.splineFilter(oneCell(array), kernelOptions);
  const reach = windowDepth(depth, order, what);
  return filtered(array, ndimage.splineFilter, array.shape.map(() => reach), kernelOptions.mode, kernelOptions.output, kernelOptions);
}

/** Spline prefilter along one axis of a chunked array (dask-image's spline_filter1d): a halo on that axis only. */
export function splineFilter1d(array: LazyArray, options?: SplineFilter1dOptions & LazySplineFilterOptions): LazyArray {
  const what = "splineFilter1d";
  const { depth, ...kernelOptions } = optionsOf<SplineFilter1dOptions>(options, what);
  const order = checkSplineOrder(kernelOptions.order ?? 3);
  checkMode(kernelOptions.mode, what);
  ndimage.splineFilter1d(oneCell(array), kernelOptions);
  const axis = normalizeAxis(kernelOptions.axis ?? -1, array.ndim);
  const reach = windowDepth(depth, order, what);
  return filtered(array, ndimage.splineFilter1d, array.shape.map((_, a) => (a === axis ? reach : 0)), kernelOptions.mode, kernelOptions.output, { ...kernelOptions, axis });
}
