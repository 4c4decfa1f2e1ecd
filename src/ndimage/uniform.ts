/**
 * `uniformFilter` and `uniformFilter1d`: scipy.ndimage's running-mean filters. scipy computes
 * each line as a running sum from the line's start, so an output depends (in its rounding) on
 * every earlier cell of the line: with `outputRegion` the pass along an axis starts at the line's
 * first cell and keeps only the region, and filtering a block with a halo can differ from
 * filtering the whole array in the last bits (it does in scipy too).
 */
import { InvalidOptionError } from "../core/errors.js";
import type { NDArray } from "../ndarray/ndarray.js";
import type { AxisPass } from "./pass-geometry.js";
import { filterReach, uniformLineFilter } from "./line-kernel.js";
import {
  type CommonFilterOptions, type Mode, checkCval, checkWindowLength, modesPerAxis, normalizeAxis, perAxis, resolveBackend,
  resolveLinearOutputDtype, resolveOutputRegion, toBoundaryMode,
} from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";
import { runSeparable } from "./separable.js";

export interface UniformFilterOptions extends CommonFilterOptions {
  /** Window length, one for all axes or one per axis. Default 3; axes with size 1 are skipped. */
  size?: number | readonly number[];
  mode?: Mode | readonly Mode[];
  cval?: number;
  origin?: number | readonly number[];
}

export interface UniformFilter1dOptions extends CommonFilterOptions {
  size: number;
  axis?: number;
  mode?: Mode;
  cval?: number;
  origin?: number;
}

function checkSize(size: unknown): number {
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1) {
    throw new InvalidOptionError(`size ${JSON.stringify(size)} must be a positive integer`);
  }
  checkWindowLength(size, `uniform filter size ${size}`);
  return size;
}

function checkUniformOrigin(origin: unknown, size: number): number {
  if (typeof origin !== "number" || !Number.isInteger(origin) ||
      Math.floor(size / 2) + origin < 0 || Math.floor(size / 2) + origin >= size) {
    throw new InvalidOptionError(
      `origin ${JSON.stringify(origin)} is invalid for size ${size}: use an integer from ${-Math.floor(size / 2)} to ${size - 1 - Math.floor(size / 2)}`,
    );
  }
  return origin;
}

function uniformPasses(options: UniformFilterOptions | undefined, ndim: number): AxisPass[] {
  const sizes = perAxis(options?.size ?? 3, ndim, "size").map(checkSize);
  const origins = perAxis(options?.origin ?? 0, ndim, "origin");
  const modes = modesPerAxis(options?.mode, ndim);
  const cval = checkCval(options?.cval ?? 0);
  const passes: AxisPass[] = [];
  for (let axis = 0; axis < ndim; axis++) {
    if (sizes[axis] <= 1) continue;
    const origin = checkUniformOrigin(origins[axis], sizes[axis]);
    passes.push({ axis, filter: uniformLineFilter(sizes[axis], origin), mode: modes[axis], cval });
  }
  return passes;
}

function uniform1dPass(options: UniformFilter1dOptions, ndim: number): AxisPass {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(`uniformFilter1d needs an options object with size, got ${JSON.stringify(options)}`);
  }
  const size = checkSize(options.size);
  return {
    axis: normalizeAxis(options.axis ?? -1, ndim),
    filter: uniformLineFilter(size, checkUniformOrigin(options.origin ?? 0, size)),
    mode: toBoundaryMode(options.mode ?? "reflect"),
    cval: checkCval(options.cval ?? 0),
  };
}

function reach(passes: readonly AxisPass[], ndim: number): number[] {
  const radii = new Array<number>(ndim).fill(0);
  for (const pass of passes) radii[pass.axis] = Math.max(radii[pass.axis], filterReach(pass.filter));
  return radii;
}

function filter(input: NDArray, passes: AxisPass[], options: CommonFilterOptions | undefined): NDArray {
  const outputDtype = resolveLinearOutputDtype(input, options?.output);
  const region = resolveOutputRegion(options?.outputRegion, input.shape);
  return runSeparable(input, passes, outputDtype, region, resolveBackend(options?.backend));
}

/** Multidimensional running-mean filter (scipy.ndimage.uniform_filter). */
export const uniformFilter = defineRegionKernel("ndimage.uniformFilter",
  (input: NDArray, options?: UniformFilterOptions): NDArray => filter(input, uniformPasses(options, input.ndim), options),
  (options: UniformFilterOptions | undefined, ndim: number) => reach(uniformPasses(options, ndim), ndim),
  { optionKeys: ["size", "mode", "cval", "origin", "output", "outputRegion", "backend"] });

/** Running mean along one axis (scipy.ndimage.uniform_filter1d). */
export const uniformFilter1d = defineRegionKernel("ndimage.uniformFilter1d",
  (input: NDArray, options: UniformFilter1dOptions): NDArray => filter(input, [uniform1dPass(options, input.ndim)], options),
  (options: UniformFilter1dOptions, ndim: number) => reach([uniform1dPass(options, ndim)], ndim),
  { optionKeys: ["size", "axis", "mode", "cval", "origin", "output", "outputRegion", "backend"] });
