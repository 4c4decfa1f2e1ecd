/**
 * scipy.ndimage's Sobel and Prewitt filters: the derivative [−1, 0, 1] along `axis`, then a
 * smoothing along every other axis in increasing order — [1, 2, 1] for Sobel, [1, 1, 1] for
 * Prewitt — each pass stored in the output dtype (so uint8 results wrap, as in scipy).
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
  /** One mode, or one per axis (the mode of the pass along that axis). */
  mode?: Mode | readonly Mode[];
  cval?: number;
}

export type PrewittOptions = SobelOptions;

const derivative = Float64Array.of(-1, 0, 1);

function derivativePasses(smoothing: Float64Array, options: SobelOptions | undefined, ndim: number): AxisPass[] {
  const axis = normalizeAxis(options?.axis ?? -1, ndim);
  const modes = modesPerAxis(options?.mode, ndim);
  const cval = checkCval(options?.cval ?? 0);
  const passes: AxisPass[] = [{ axis, filter: correlationLineFilter(derivative, 0), mode: modes[axis], cval }];
  for (let other = 0; other < ndim; other++) {
    if (other !== axis) passes.push({ axis: other, filter: correlationLineFilter(smoothing, 0), mode: modes[other], cval });
  }
  return passes;
}

function defineDerivativeFilter(name: string, smoothing: Float64Array) {
  const impl = (input: NDArray, options?: SobelOptions): NDArray => {
    const passes = derivativePasses(smoothing, options, input.ndim);
    const outputDtype = resolveLinearOutputDtype(input, options?.output);
    const region = resolveOutputRegion(options?.outputRegion, input.shape);
    return runSeparable(input, passes, outputDtype, region, resolveBackend(options?.backend));
  };
  Object.defineProperty(impl, "name", { value: name });
  return defineRegionKernel(`ndimage.${name}`, impl, (options: SobelOptions | undefined, ndim: number) => {
    derivativePasses(smoothing, options, ndim);
    return new Array<number>(ndim).fill(1);
  }, { optionKeys: ["axis", "mode", "cval", "output", "outputRegion", "backend"] });
}

/** Sobel derivative along `axis` (scipy.ndimage.sobel). */
export const sobel = defineDerivativeFilter("sobel", Float64Array.of(1, 2, 1));
/** Prewitt derivative along `axis` (scipy.ndimage.prewitt). */
export const prewitt = defineDerivativeFilter("prewitt", Float64Array.of(1, 1, 1));
