/**
 * `sobel`: scipy.ndimage's Sobel filter, the derivative [−1, 0, 1] along `axis` followed by the
 * smoothing [1, 2, 1] along every other axis in increasing order, each pass stored in the output
 * dtype (so uint8 results wrap, as in scipy).
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

export interface SobelOptions extends CommonFilterOptions {
  /** The axis of the derivative. Default −1 (the last). */
  axis?: number;
  mode?: Mode | readonly Mode[];
  cval?: number;
}

const derivative = Float64Array.of(-1, 0, 1);
const smoothing = Float64Array.of(1, 2, 1);

function sobelPasses(options: SobelOptions | undefined, ndim: number): AxisPass[] {
  const axis = normalizeAxis(options?.axis ?? -1, ndim);
  const modes = modesPerAxis(options?.mode, ndim);
  const cval = checkCval(options?.cval ?? 0);
  const passes: AxisPass[] = [{ axis, filter: correlationLineFilter(derivative, 0), mode: modes[axis], cval }];
  for (let other = 0; other < ndim; other++) {
    if (other !== axis) passes.push({ axis: other, filter: correlationLineFilter(smoothing, 0), mode: modes[other], cval });
  }
  return passes;
}

function sobelImpl(input: NDArray, options?: SobelOptions): NDArray {
  const passes = sobelPasses(options, input.ndim);
  const outputDtype = resolveLinearOutputDtype(input, options?.output);
  const region = resolveOutputRegion(options?.outputRegion, input.shape);
  return runSeparable(input, passes, outputDtype, region, resolveBackend(options?.backend));
}

/** Sobel derivative along `axis` (scipy.ndimage.sobel). */
export const sobel = defineRegionKernel("ndimage.sobel", sobelImpl, (options: SobelOptions | undefined, ndim: number) => {
  sobelPasses(options, ndim);
  return new Array<number>(ndim).fill(1);
}, { optionKeys: ["axis", "mode", "cval", "output", "outputRegion", "backend"] });
