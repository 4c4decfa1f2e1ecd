/**
 * `laplace`: scipy.ndimage's Laplace filter, as scipy's generic_laplace builds it with the second
 * derivative correlate1d([1, −2, 1]): the term of axis 0 is written into the output dtype, and
 * the term of every further axis, computed from the input into the output dtype too, is added
 * in place (`output += term`: float32 rounding, integer wrap-around). Each term extends lines
 * with its own axis's mode (`mode[i]`, one mode or one per axis). A 0-d input is copied.
 */
import type { NDArray } from "../ndarray/ndarray.js";
import { addInPlace } from "./dtype-arithmetic.js";
import { correlationLineFilter } from "./line-kernel.js";
import {
  type CommonFilterOptions, type Mode, type NumericArray, checkCval, modesPerAxis, resolveBackend, resolveLinearOutputDtype,
  resolveOutputRegion,
} from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";
import { copyRegion, runSeparable } from "./separable.js";

export interface LaplaceOptions extends CommonFilterOptions {
  /** One mode, or one per axis (the mode of that axis's term). */
  mode?: Mode | readonly Mode[];
  cval?: number;
}

const secondDerivative = correlationLineFilter(Float64Array.of(1, -2, 1), 0);

function laplaceImpl(input: NDArray, options?: LaplaceOptions): NDArray {
  const modes = modesPerAxis(options?.mode, input.ndim);
  const cval = checkCval(options?.cval ?? 0);
  const outputDtype = resolveLinearOutputDtype(input, options?.output);
  const region = resolveOutputRegion(options?.outputRegion, input.shape);
  const backend = resolveBackend(options?.backend);
  if (input.ndim === 0) return copyRegion(input, region, outputDtype);
  const term = (axis: number): NDArray =>
    runSeparable(input, [{ axis, filter: secondDerivative, mode: modes[axis], cval }], outputDtype, region, backend);
  const output = term(0);
  for (let axis = 1; axis < input.ndim; axis++) addInPlace(output.data as NumericArray, term(axis).data as NumericArray, outputDtype);
  return output;
}

/** Laplace filter from second differences (scipy.ndimage.laplace). */
export const laplace = defineRegionKernel("ndimage.laplace", laplaceImpl, (options: LaplaceOptions | undefined, ndim: number) => {
  modesPerAxis(options?.mode, ndim);
  checkCval(options?.cval ?? 0);
  return new Array<number>(ndim).fill(1);
}, { optionKeys: ["mode", "cval", "output", "outputRegion", "backend"] });
