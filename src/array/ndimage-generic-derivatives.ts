/**
 * `ta.ndimage.genericLaplace` and `ta.ndimage.genericGradientMagnitude`: scipy's generic_laplace
 * and generic_gradient_magnitude on a chunked array, one mapOverlap whose blocks run the eager
 * function (tessera/ndimage) with the user's derivative, which travels by its source
 * (user-function-source.ts). tessera cannot know how far the derivative reads, so the halo is the
 * user's `depth` (one number or one per axis), refused when missing: a halo narrower than the
 * derivative's reach would give wrong cells at block edges, silently. At the array's edges the halo
 * is cut (boundary "none") so that the derivative's own mode extends the edge blocks as it does the
 * whole array; with mode "wrap" on every term the halo is periodic instead. Each term extends every
 * axis with its own mode, so a mode list mixing wrap with others is refused (no one halo fits both).
 */
import { InvalidOptionError } from "../core/errors.js";
import * as ndimage from "../ndimage/index.js";
import { refuseUnknownDerivativeOptions } from "../ndimage/generic-derivatives.js";
import { outputDtypeOption } from "../ndimage/options.js";
import { LazyArray } from "./array.js";
import { ndimageCallWithUserFunction, userFunctionSource } from "./user-function-source.js";
import { checkPlainData } from "./plain-data.js";

export type LazyGenericDerivativeOptions = ndimage.GenericDerivativeOptions & {
  /** How many cells the derivative reads on each side along each axis (one number for all axes). Required. */
  depth: number | readonly number[];
};

function lazyDerivatives(
  array: LazyArray, derivative: ndimage.DerivativeFunction, options: LazyGenericDerivativeOptions, call: "genericLaplace" | "genericGradientMagnitude",
): LazyArray {
  if (!(array instanceof LazyArray)) throw new InvalidOptionError(`${call}: expected a lazy array (ta.fromArray, ta.fromZarr, …)`);
  const source = userFunctionSource(derivative, call, "the derivative");
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError(`${call} on a chunked array needs an options object with depth (how far the derivative reads)`);
  }
  // Refused here, not first on a worker when the graph runs.
  refuseUnknownDerivativeOptions(options, call, ["depth"]);
  const { depth, ...rest } = options;
  if (depth === undefined) {
    throw new InvalidOptionError(`${call}: give depth, the cells the derivative reads on each side (e.g. 1 for sobel); tessera cannot know the derivative's reach`);
  }
  const depths = typeof depth === "number" ? new Array<number>(array.ndim).fill(depth) : [...depth];
  if (depths.length !== array.ndim || depths.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new InvalidOptionError(`${call}: depth ${JSON.stringify(depth)} must be one integer ≥ 0 or one per axis (${array.ndim})`);
  }
  if (rest.extraArguments !== undefined) checkPlainData(rest.extraArguments, "extraArguments", call);
  if (rest.extraKeywords !== undefined) checkPlainData(rest.extraKeywords, "extraKeywords", call);
  const modes = Array.isArray(rest.mode) ? rest.mode : new Array<unknown>(array.ndim).fill(rest.mode ?? "reflect");
  const wraps = modes.map((mode) => mode === "wrap" || mode === "grid-wrap");
  if (wraps.some(Boolean) && !wraps.every(Boolean)) {
    throw new InvalidOptionError(`${call}: mode ${JSON.stringify(rest.mode)} mixes wrap with other modes; each term's mode extends every axis, so on a chunked array use wrap on all terms or on none`);
  }
  const dtype = rest.output === undefined ? array.dtype : outputDtypeOption(rest.output, `${call} output`);
  const block = ndimageCallWithUserFunction(`${call}Block`, call, source);
  const boundary = wraps.every(Boolean) && array.ndim > 0 ? "periodic" : "none";
  return array.mapOverlap(block, { depth: depths, boundary, dtype, name: call }, rest as Record<string, unknown>);
}

/** scipy's generic_laplace on a chunked array: Σ_axis derivative2(block, axis, …), with the user's halo `depth`. */
export function genericLaplace(array: LazyArray, derivative2: ndimage.DerivativeFunction, options: LazyGenericDerivativeOptions): LazyArray {
  return lazyDerivatives(array, derivative2, options, "genericLaplace");
}

/** scipy's generic_gradient_magnitude on a chunked array: sqrt(Σ_axis derivative(block, axis, …)²), with the user's halo `depth`. */
export function genericGradientMagnitude(array: LazyArray, derivative: ndimage.DerivativeFunction, options: LazyGenericDerivativeOptions): LazyArray {
  return lazyDerivatives(array, derivative, options, "genericGradientMagnitude");
}
