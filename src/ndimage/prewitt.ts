/**
 * `prewitt`: scipy.ndimage's Prewitt filter, the derivative [−1, 0, 1] along `axis` followed by
 * the smoothing [1, 1, 1] along every other axis in increasing order, each pass stored in the
 * output dtype (so uint8 results wrap, as in scipy). Sobel's twin with a flat smoothing.
 */
import type { NDArray } from "../ndarray/ndarray.js";
import type { AxisPass } from "./pass-geometry.js";
import { correlationLineFilter } from "./line-kernel.js";
import {
  type CommonFilterOptions, type Mode, checkCval, modesPerAxis, normalizeAxis, resolveBackend, resolveLinearOutputDtype,
  resolveOutputRegion,
} from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";
import { runSeparable } from "./separable.js";

export interface PrewittOptions extends CommonFilterOptions {
  /** The axis of the derivative. Default −1 (the last). */
  axis?: number;
  /** One mode, or one per axis (the mode of the pass along that axis). */
  mode?: Mode | readonly Mode[];
  cval?: number;
}

const derivative = Float64Array.of(-1, 0, 1);
const smoothing = Float64Array.of(1, 1, 1);

function prewittPasses(options: PrewittOptions | undefined, ndim: number): AxisPass[] {
  const axis = normalizeAxis(options?.axis ?? -1, ndim);
  const modes = modesPerAxis(options?.mode, ndim);
  const cval = checkCval(options?.cval ?? 0);
  const passes: AxisPass[] = [{ axis, filter: correlationLineFilter(derivative, 0), mode: modes[axis], cval }];
  for (let other = 0; other < ndim; other++) {
    if (other !== axis) passes.push({ axis: other, filter: correlationLineFilter(smoothing, 0), mode: modes[other], cval });
  }
  return passes;
}

function prewittImpl(input: NDArray, options?: PrewittOptions): NDArray {
  const passes = prewittPasses(options, input.ndim);
  const outputDtype = resolveLinearOutputDtype(input, options?.output);
  const region = resolveOutputRegion(options?.outputRegion, input.shape);
  return runSeparable(input, passes, outputDtype, region, resolveBackend(options?.backend));
}

/** Prewitt derivative along `axis` (scipy.ndimage.prewitt). */
export const prewitt = defineRegionKernel("ndimage.prewitt", prewittImpl, (options: PrewittOptions | undefined, ndim: number) => {
  prewittPasses(options, ndim);
  return new Array<number>(ndim).fill(1);
}, { optionKeys: ["axis", "mode", "cval", "output", "outputRegion", "backend"] });
