/**
 * `gaussianLaplace` and `gaussianGradientMagnitude`, as scipy's generic_laplace and
 * generic_gradient_magnitude build them: for each axis i, a full Gaussian filter (all axes) with
 * derivative order 2 (Laplace) or 1 (gradient) on axis i, using `mode[i]` on every axis of that
 * term. The terms are summed in the output dtype (`output += term`); the gradient squares each
 * term first and takes the square root at the end. With `outputRegion` each term is computed on
 * the region only.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { addInPlace, sqrtInPlace, squareInPlace } from "./dtype-arithmetic.js";
import { type GaussianAxis, gaussianAxes, gaussianPass } from "./gaussian.js";
import {
  type BoundaryMode, type CommonFilterOptions, type Mode, type NumericArray, type OutputRegion, type Backend, checkCval, perAxis,
  resolveBackend, resolveLinearOutputDtype, resolveOutputRegion, toBoundaryMode,
} from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";
import { copyRegion, runSeparable } from "./separable.js";

export interface GaussianDerivativeOptions extends CommonFilterOptions {
  sigma: number | readonly number[];
  /** One mode, or one per axis: the mode of the term that differentiates along that axis. */
  mode?: Mode | readonly Mode[];
  cval?: number;
  truncate?: number;
  radius?: number | readonly number[];
}

/** The Gaussian axes of term i: derivative `order` along axis i, mode[i] everywhere. */
function termAxes(options: GaussianDerivativeOptions, ndim: number, term: number, order: number): GaussianAxis[] {
  const modes = perAxis<Mode>(options.mode ?? "reflect", ndim, "mode");
  modes.forEach(toBoundaryMode);
  const orders = new Array<number>(ndim).fill(0);
  orders[term] = order;
  return gaussianAxes({ sigma: options.sigma, order: orders, mode: modes[term], truncate: options.truncate, radius: options.radius }, ndim);
}

interface Setup {
  readonly outputDtype: DType;
  readonly region: OutputRegion;
  readonly cval: number;
  readonly backend: Backend;
}

function setup(input: NDArray, options: GaussianDerivativeOptions): Setup {
  for (let term = 0; term < input.ndim; term++) termAxes(options, input.ndim, term, 0);
  return {
    outputDtype: resolveLinearOutputDtype(input, options.output),
    region: resolveOutputRegion(options.outputRegion, input.shape),
    cval: checkCval(options.cval ?? 0),
    backend: resolveBackend(options.backend),
  };
}

function term(input: NDArray, options: GaussianDerivativeOptions, axis: number, order: number, s: Setup): NDArray {
  const passes = termAxes(options, input.ndim, axis, order).map((parameters) => gaussianPass(parameters, s.cval));
  return runSeparable(input, passes, s.outputDtype, s.region, s.backend);
}

function gaussianLaplaceImpl(input: NDArray, options: GaussianDerivativeOptions): NDArray {
  const s = setup(input, options);
  if (input.ndim === 0) return copyRegion(input, s.region, s.outputDtype);
  const output = term(input, options, 0, 2, s);
  for (let axis = 1; axis < input.ndim; axis++) {
    addInPlace(output.data as NumericArray, term(input, options, axis, 2, s).data as NumericArray, s.outputDtype);
  }
  return output;
}

function gaussianGradientMagnitudeImpl(input: NDArray, options: GaussianDerivativeOptions): NDArray {
  const s = setup(input, options);
  if (input.ndim === 0) return copyRegion(input, s.region, s.outputDtype);
  const output = term(input, options, 0, 1, s);
  const values = output.data as NumericArray;
  squareInPlace(values, s.outputDtype);
  for (let axis = 1; axis < input.ndim; axis++) {
    const next = term(input, options, axis, 1, s).data as NumericArray;
    squareInPlace(next, s.outputDtype);
    addInPlace(values, next, s.outputDtype);
  }
  sqrtInPlace(values, s.outputDtype);
  return output;
}

function radii(options: GaussianDerivativeOptions, ndim: number): number[] {
  const result = new Array<number>(ndim).fill(0);
  for (let t = 0; t < ndim; t++) {
    for (const { axis, radius } of termAxes(options, ndim, t, 0)) result[axis] = Math.max(result[axis], radius);
  }
  return result;
}

/**
 * The modes mapOverlap's halo must follow at the array's edges. Term i extends every axis with
 * mode[i], so one list naming wrap on some axes only would need a periodic halo for some terms
 * and a cut one for the others on the same axis: refused (the halo would be wrong for one of
 * them, silently). A list of other modes states nothing per axis (each term differs).
 */
const edgeModes = (what: string) => (options: GaussianDerivativeOptions, ndim: number): Array<BoundaryMode | undefined> => {
  const modes = perAxis<Mode>(options?.mode ?? "reflect", ndim, "mode").map(toBoundaryMode);
  const wraps = modes.map((mode) => mode === "wrap");
  if (wraps.some(Boolean) && !wraps.every(Boolean)) {
    throw new InvalidOptionError(
      `${what}: mode ${JSON.stringify(options.mode)} mixes wrap with other modes; on a chunked array each term's mode ` +
        "extends every axis, so use wrap on all axes or on none",
    );
  }
  return modes.every((mode) => mode === modes[0]) ? modes : new Array<BoundaryMode | undefined>(ndim).fill(undefined);
};

/** Laplace filter with Gaussian second derivatives (scipy.ndimage.gaussian_laplace). */
const derivativeKeys = ["sigma", "mode", "cval", "truncate", "radius", "output", "outputRegion", "backend"];

export const gaussianLaplace = defineRegionKernel("ndimage.gaussianLaplace", gaussianLaplaceImpl, radii, { optionKeys: derivativeKeys, edgeModes: edgeModes("gaussianLaplace") });

/** Gradient magnitude with Gaussian derivatives (scipy.ndimage.gaussian_gradient_magnitude). */
export const gaussianGradientMagnitude = defineRegionKernel("ndimage.gaussianGradientMagnitude", gaussianGradientMagnitudeImpl, radii, {
  optionKeys: derivativeKeys, edgeModes: edgeModes("gaussianGradientMagnitude"),
});
