/**
 * `binaryPropagation`: scipy.ndimage.binary_propagation, which is binary_dilation repeated until
 * nothing changes (iterations −1) inside `mask` — the seeds grown through the mask's connected
 * parts. It is global (one seed can reach across the whole array), so it has no chunked twin.
 */
import { definePublicBuiltin } from "./public-parameters.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { binaryDilation } from "./binary-morphology.js";
import type { Grid } from "./footprint.js";
import { refuseUnknownOptions } from "./option-names.js";
import type { Backend, OutputRegion } from "./options.js";

export interface BinaryPropagationOptions {
  /** Structuring element (nonzero = on); default: the faces-only cross of the input's rank. */
  structure?: Grid;
  /** Only cells where the mask is nonzero may become true. Same shape as the input. */
  mask?: NDArray;
  /** Value of cells outside the array (0 or 1). Default 0. */
  borderValue?: number | boolean;
  origin?: number | readonly number[];
  outputRegion?: OutputRegion;
  backend?: Backend;
}

/** The input's true cells grown by the structure until stable, within the mask (bool result). */
export const binaryPropagation = definePublicBuiltin("binaryPropagation", function binaryPropagation(input: NDArray, options?: BinaryPropagationOptions): NDArray {
  const o = options ?? {};
  refuseUnknownOptions(o, ["structure", "mask", "borderValue", "origin", "outputRegion", "backend"], "binaryPropagation", {
    iterations: "binaryPropagation always repeats until nothing changes; binaryDilation takes iterations",
    output: "the result is a new bool array",
  });
  return binaryDilation(input, { ...o, iterations: -1 });
});
