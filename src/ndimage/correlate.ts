/** `correlate1d` and `convolve1d`: scipy.ndimage's 1-D correlation with arbitrary weights. */
import { InvalidOptionError } from "../core/errors.js";
import { type NDArray, isNDArray } from "../ndarray/ndarray.js";
import { correlationLineFilter, filterReach } from "./line-kernel.js";
import {
  type CommonFilterOptions, type Mode, checkCval, normalizeAxis, resolveBackend, resolveLinearOutputDtype, resolveOutputRegion,
  toBoundaryMode,
} from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";
import { runSeparable } from "./separable.js";

export interface Correlate1dOptions extends CommonFilterOptions {
  axis?: number;
  mode?: Mode;
  cval?: number;
  /** Shift of the weights' centre: −⌊n/2⌋ ≤ origin ≤ ⌊(n−1)/2⌋. Default 0. */
  origin?: number;
}

/** The weights: numbers, a TypedArray or a 1-D NDArray. */
export type Weights = ArrayLike<number> | NDArray;

function checkWeights(weights: unknown): Float64Array {
  if (isNDArray(weights)) {
    if (weights.ndim !== 1 || weights.size < 1 || typeof weights.data[0] === "bigint") {
      throw new InvalidOptionError(`weights ${weights.toString()} must be a non-empty 1-D array of numbers`);
    }
    return Float64Array.from({ length: weights.size }, (_, i) => Number(weights.get(i)));
  }
  const values = weights as ArrayLike<number> | null;
  if (values === null || typeof values !== "object" || typeof values.length !== "number" || values.length < 1) {
    throw new InvalidOptionError(`weights ${JSON.stringify(weights)} must be a non-empty list of numbers`);
  }
  const result = Float64Array.from(values);
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== "number") throw new InvalidOptionError(`weights[${i}] ${JSON.stringify(values[i])} is not a number`);
  }
  return result;
}

function checkOrigin(origin: unknown, length: number): number {
  const low = -Math.floor(length / 2);
  const high = Math.floor((length - 1) / 2);
  if (typeof origin !== "number" || !Number.isInteger(origin) || origin < low || origin > high) {
    throw new InvalidOptionError(`origin ${JSON.stringify(origin)} is invalid for ${length} weights: use an integer from ${low} to ${high}`);
  }
  return origin;
}

interface CorrelationPlan {
  readonly axis: number;
  readonly weights: Float64Array;
  readonly origin: number;
}

function planCorrelation(weights: unknown, options: Correlate1dOptions | undefined, ndim: number, convolve: boolean): CorrelationPlan {
  let w = checkWeights(weights);
  let origin = checkOrigin(options?.origin ?? 0, w.length);
  if (convolve) {
    // scipy: reverse the weights and mirror the origin (one further for even lengths).
    w = w.slice().reverse();
    origin = -origin - (w.length % 2 === 0 ? 1 : 0);
  }
  return { axis: normalizeAxis(options?.axis ?? -1, ndim), weights: w, origin };
}

function run(input: NDArray, plan: CorrelationPlan, options: Correlate1dOptions | undefined): NDArray {
  const mode = toBoundaryMode(options?.mode ?? "reflect");
  const cval = checkCval(options?.cval ?? 0);
  const outputDtype = resolveLinearOutputDtype(input, options?.output);
  const region = resolveOutputRegion(options?.outputRegion, input.shape);
  const pass = { axis: plan.axis, filter: correlationLineFilter(plan.weights, plan.origin), mode, cval };
  return runSeparable(input, [pass], outputDtype, region, resolveBackend(options?.backend));
}

function radius(plan: CorrelationPlan, ndim: number): number[] {
  const radii = new Array<number>(ndim).fill(0);
  radii[plan.axis] = filterReach(correlationLineFilter(plan.weights, plan.origin));
  return radii;
}

/** 1-D correlation along `axis` (scipy.ndimage.correlate1d). `kernelRadius(options, ndim, weights)`. */
const correlateKeys = ["axis", "mode", "cval", "origin", "output", "outputRegion", "backend"];

export const correlate1d = defineRegionKernel("ndimage.correlate1d",
  (input: NDArray, weights: Weights, options?: Correlate1dOptions): NDArray =>
    run(input, planCorrelation(weights, options, input.ndim, false), options),
  (options: Correlate1dOptions | undefined, ndim: number, weights: Weights) =>
    radius(planCorrelation(weights, options, ndim, false), ndim), { optionKeys: correlateKeys, optionsArgument: 2 });

/** 1-D convolution along `axis` (scipy.ndimage.convolve1d). `kernelRadius(options, ndim, weights)`. */
export const convolve1d = defineRegionKernel("ndimage.convolve1d",
  (input: NDArray, weights: Weights, options?: Correlate1dOptions): NDArray =>
    run(input, planCorrelation(weights, options, input.ndim, true), options),
  (options: Correlate1dOptions | undefined, ndim: number, weights: Weights) =>
    radius(planCorrelation(weights, options, ndim, true), ndim), { optionKeys: correlateKeys, optionsArgument: 2 });
