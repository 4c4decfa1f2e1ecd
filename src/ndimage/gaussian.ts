/**
 * `gaussianFilter` and `gaussianFilter1d`: scipy.ndimage's Gaussian filters, bit for bit.
 * A multi-axis filter is a chain of 1-D correlations, one per axis with σ > 1e-15, in the order
 * of `axes` (default 0, 1, …), each reading the previous pass's result stored in the output
 * dtype (scipy's documented "intermediate results may be stored with insufficient precision").
 */
import { InvalidOptionError } from "../core/errors.js";
import type { NDArray } from "../ndarray/ndarray.js";
import type { AxisPass } from "./pass-geometry.js";
import { gaussianKernel1d, gaussianRadius } from "./gaussian-kernel.js";
import { correlationLineFilter } from "./line-kernel.js";
import {
  type CommonFilterOptions, type Mode, checkCval, checkFiniteNumber, checkOrder, checkRadius, checkSigma,
  modesPerAxis, normalizeAxes, normalizeAxis, perAxis, resolveBackend, resolveLinearOutputDtype, resolveOutputRegion, toBoundaryMode,
} from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";
import { runSeparable } from "./separable.js";

export interface GaussianFilterOptions extends CommonFilterOptions {
  /** Standard deviation, one for all axes or one per filtered axis; axes with σ ≤ 1e-15 are skipped. */
  sigma: number | readonly number[];
  /** Derivative order 0–3, scalar or per axis. Default 0. */
  order?: number | readonly number[];
  mode?: Mode | readonly Mode[];
  /** Value outside the array for mode "constant". Default 0. */
  cval?: number;
  /** Kernel radius = int(truncate·σ + 0.5) unless `radius` is given. Default 4. */
  truncate?: number;
  radius?: number | readonly number[];
  /** Axes to filter (scipy ≥ 1.11); per-axis options then have one entry per listed axis. */
  axes?: readonly number[];
}

export interface GaussianFilter1dOptions extends CommonFilterOptions {
  sigma: number;
  axis?: number;
  order?: number;
  mode?: Mode;
  cval?: number;
  truncate?: number;
  radius?: number;
}

/** The smallest σ scipy filters with; smaller axes are copied unchanged. */
const sigmaThreshold = 1e-15;

export interface GaussianAxis {
  readonly axis: number;
  readonly sigma: number;
  readonly order: number;
  readonly radius: number;
  readonly mode: AxisPass["mode"];
}

/** Validated per-axis Gaussian parameters, in pass order, skipping σ ≤ 1e-15. */
export function gaussianAxes(options: GaussianFilterOptions, ndim: number): GaussianAxis[] {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(`gaussianFilter needs an options object with sigma, got ${JSON.stringify(options)}`);
  }
  const axes = normalizeAxes(options.axes, ndim);
  const count = axes.length;
  const sigmas = perAxis(options.sigma, count, "sigma").map(checkSigma);
  const orders = perAxis(options.order ?? 0, count, "order").map(checkOrder);
  const modes = modesPerAxis(options.mode, count);
  const truncate = checkFiniteNumber(options.truncate ?? 4, "truncate");
  const radii = options.radius === undefined ? undefined : perAxis(options.radius, count, "radius").map(checkRadius);
  const result: GaussianAxis[] = [];
  axes.forEach((axis, i) => {
    if (!(sigmas[i] > sigmaThreshold)) return;
    const radius = radii ? radii[i] : gaussianRadius(sigmas[i], truncate);
    if (radius < 0) throw new InvalidOptionError(`truncate ${truncate} gives a negative radius for sigma ${sigmas[i]}`);
    result.push({ axis, sigma: sigmas[i], order: orders[i], radius, mode: modes[i] });
  });
  return result;
}

/** The correlation pass for one Gaussian axis (scipy reverses the kernel to correlate). */
export function gaussianPass(parameters: GaussianAxis, cval: number): AxisPass {
  const weights = gaussianKernel1d(parameters.sigma, parameters.order, parameters.radius).slice().reverse();
  return { axis: parameters.axis, filter: correlationLineFilter(weights, 0), mode: parameters.mode, cval };
}

function gaussianFilterImpl(input: NDArray, options: GaussianFilterOptions): NDArray {
  const axes = gaussianAxes(options, input.ndim);
  const cval = checkCval(options.cval ?? 0);
  const outputDtype = resolveLinearOutputDtype(input, options.output);
  const region = resolveOutputRegion(options.outputRegion, input.shape);
  const passes = axes.map((parameters) => gaussianPass(parameters, cval));
  return runSeparable(input, passes, outputDtype, region, resolveBackend(options.backend));
}

function gaussianFilter1dImpl(input: NDArray, options: GaussianFilter1dOptions): NDArray {
  const parameters = gaussian1dAxis(options, input.ndim);
  const cval = checkCval(options.cval ?? 0);
  const outputDtype = resolveLinearOutputDtype(input, options.output);
  const region = resolveOutputRegion(options.outputRegion, input.shape);
  return runSeparable(input, [gaussianPass(parameters, cval)], outputDtype, region, resolveBackend(options.backend));
}

function gaussian1dAxis(options: GaussianFilter1dOptions, ndim: number): GaussianAxis {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(`gaussianFilter1d needs an options object with sigma, got ${JSON.stringify(options)}`);
  }
  const sigma = checkSigma(options.sigma);
  if (sigma === 0) throw new InvalidOptionError(`sigma 0 is not allowed in gaussianFilter1d: give a positive sigma`);
  const truncate = checkFiniteNumber(options.truncate ?? 4, "truncate");
  const radius = options.radius === undefined ? gaussianRadius(sigma, truncate) : checkRadius(options.radius);
  if (radius < 0) throw new InvalidOptionError(`truncate ${truncate} gives a negative radius for sigma ${sigma}`);
  return {
    axis: normalizeAxis(options.axis ?? -1, ndim), sigma, order: checkOrder(options.order ?? 0), radius,
    mode: toBoundaryMode(options.mode ?? "reflect"),
  };
}

function modesOf(axes: readonly GaussianAxis[], ndim: number): Array<AxisPass["mode"] | undefined> {
  const modes = new Array<AxisPass["mode"] | undefined>(ndim).fill(undefined);
  for (const { axis, mode } of axes) modes[axis] = mode;
  return modes;
}

function radiiOf(axes: readonly GaussianAxis[], ndim: number): number[] {
  const radii = new Array<number>(ndim).fill(0);
  for (const { axis, radius } of axes) radii[axis] = Math.max(radii[axis], radius);
  return radii;
}

/** Multidimensional Gaussian filter (scipy.ndimage.gaussian_filter). */
export const gaussianFilter = defineRegionKernel("ndimage.gaussianFilter", gaussianFilterImpl,
  (options: GaussianFilterOptions, ndim: number) => radiiOf(gaussianAxes(options, ndim), ndim),
  {
    windowLocal: true, edgeModes: (options: GaussianFilterOptions, ndim: number) => modesOf(gaussianAxes(options, ndim), ndim),
    optionKeys: ["sigma", "order", "mode", "cval", "truncate", "radius", "axes", "output", "outputRegion", "backend"],
  });

/** One-dimensional Gaussian filter along `axis` (scipy.ndimage.gaussian_filter1d). */
export const gaussianFilter1d = defineRegionKernel("ndimage.gaussianFilter1d", gaussianFilter1dImpl,
  (options: GaussianFilter1dOptions, ndim: number) => radiiOf([gaussian1dAxis(options, ndim)], ndim),
  {
    windowLocal: true, edgeModes: (options: GaussianFilter1dOptions, ndim: number) => modesOf([gaussian1dAxis(options, ndim)], ndim),
    optionKeys: ["sigma", "axis", "order", "mode", "cval", "truncate", "radius", "output", "outputRegion", "backend"],
  });
