/**
 * `thresholdLocal`: skimage.filters.threshold_local as dask-image's ndfilters.threshold_local
 * computes it — the image cast to float64, one neighbourhood filter of it, minus `offset`:
 *
 * - "gaussian": gaussianFilter with σ = `param`, or (blockSize − 1) / 6 per axis (a block of 1
 *   gives σ 0: that axis is left alone, as in scipy);
 * - "mean": uniformFilter of size blockSize (skimage's ndi.uniform_filter; dask-image calls
 *   generic_filter with np.mean instead, which differs from it in the last bits);
 * - "median": medianFilter of size blockSize;
 * - "generic": genericFilter of size blockSize with `param`, the user's function of the values.
 *
 * The filters are scipy's, bit for bit, so the thresholds are skimage's bits for float64 work.
 * (skimage keeps float32 images in float32; dask-image, whose twin this is, casts every image to
 * float64, and so does this.) Everything a silent default could hide is refused: an even block
 * (skimage refuses it; dask-image does not check), a param the method does not read (skimage
 * ignores it for "mean" and "median"), a list of modes (skimage takes one), unknown options.
 *
 * planThresholdLocal is shared with the chunked twin (src/array/ndimage-threshold-local.ts), so
 * both check the same way and call the same filters with the same options.
 */
import { InvalidOptionError } from "../core/errors.js";
import { astype } from "../ndarray/copy.js";
import { subtract } from "../ndarray/arithmetic.js";
import { type NDArray, isNDArray } from "../ndarray/ndarray.js";
import { gaussianFilter } from "./gaussian.js";
import { type GenericFilterFunction, genericFilter } from "./generic-filter.js";
import { refuseUnknownOptions } from "./option-names.js";
import { type Mode, checkCval, toBoundaryMode } from "./options.js";
import { medianFilter } from "./rank-filter.js";
import { uniformFilter } from "./uniform.js";

export type ThresholdMethod = "gaussian" | "mean" | "median" | "generic";

export interface ThresholdLocalOptions {
  /** How the neighbourhood's threshold is found. Default "gaussian". */
  method?: ThresholdMethod;
  /** Subtracted from every threshold. Default 0. */
  offset?: number;
  /** One boundary mode for every axis. Default "reflect". */
  mode?: Mode;
  /** "gaussian": σ, one or one per axis; "generic": the function of the neighbourhood's values. Other methods take none. */
  param?: number | readonly number[] | GenericFilterFunction;
  /** The value outside the image for mode "constant". Default 0. */
  cval?: number;
}

/** The checked call: which filter, with which options, and the offset after it. */
export type ThresholdPlan =
  | { readonly method: "gaussian"; readonly filterOptions: { sigma: number[]; mode: Mode; cval: number }; readonly offset: number }
  | { readonly method: "mean"; readonly filterOptions: WindowOptions; readonly offset: number }
  | { readonly method: "median"; readonly filterOptions: WindowOptions; readonly offset: number }
  | { readonly method: "generic"; readonly fn: GenericFilterFunction; readonly filterOptions: WindowOptions; readonly offset: number };

interface WindowOptions { size: number[]; mode: Mode; cval: number }

const optionKeys = ["method", "offset", "mode", "param", "cval"];
const methods: readonly ThresholdMethod[] = ["gaussian", "mean", "median", "generic"];

function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return `${value}n`;
  return JSON.stringify(value) ?? String(value);
}

/** Odd positive integers, one per axis (a single number applies to every axis). */
function blockSizes(blockSize: unknown, ndim: number, what: string): number[] {
  const sizes = Array.isArray(blockSize) ? [...(blockSize as unknown[])] : new Array<unknown>(ndim).fill(blockSize);
  if (sizes.length !== ndim) {
    throw new InvalidOptionError(`${what}: blockSize ${describe(blockSize)} has ${sizes.length} entries, expected ${ndim} (one per axis of the image)`);
  }
  for (const size of sizes) {
    if (typeof size !== "number" || !Number.isInteger(size) || size < 1) {
      throw new InvalidOptionError(`${what}: blockSize ${describe(blockSize)} must be odd positive integers, got ${describe(size)}`);
    }
    // skimage refuses even blocks: a centred neighbourhood has an odd length.
    if (size % 2 === 0) throw new InvalidOptionError(`${what}: blockSize must be odd, got ${describe(blockSize)} (it contains the even ${size})`);
  }
  return sizes as number[];
}

function gaussianSigma(param: unknown, sizes: readonly number[], what: string): number[] {
  if (param === undefined) return sizes.map((size) => (size - 1) / 6.0);
  const sigmas = Array.isArray(param) ? [...(param as unknown[])] : new Array<unknown>(sizes.length).fill(param);
  const valid = sigmas.length === sizes.length && sigmas.every((s) => typeof s === "number" && Number.isFinite(s) && s >= 0);
  if (!valid) {
    throw new InvalidOptionError(
      `${what}: param for method "gaussian" is the Gaussian's sigma, a finite number ≥ 0 or one per axis (${sizes.length}), got ${describe(param)}`,
    );
  }
  return sigmas as number[];
}

/** Checks the call and says what to filter with: shared by the eager and the chunked thresholdLocal. */
export function planThresholdLocal(blockSize: unknown, options: ThresholdLocalOptions | undefined, ndim: number, what = "thresholdLocal"): ThresholdPlan {
  if (options === null || (options !== undefined && typeof options !== "object")) {
    throw new InvalidOptionError(`${what} takes an options object ({ method, offset, mode, param, cval }), got ${describe(options)}`);
  }
  // Only undefined means "the default": a null is refused as the wrong kind, never read as the default.
  const given = options ?? {};
  refuseUnknownOptions(given, optionKeys, what, { block_size: "blockSize is the second argument" });
  const sizes = blockSizes(blockSize, ndim, what);
  const method = given.method === undefined ? "gaussian" : given.method;
  if (!methods.includes(method)) throw new InvalidOptionError(`${what}: method ${describe(method)} is not one of ${methods.join(", ")}`);
  const offset = given.offset === undefined ? 0 : given.offset;
  if (typeof offset !== "number") throw new InvalidOptionError(`${what}: offset ${describe(offset)} must be a number`);
  if (Array.isArray(given.mode)) throw new InvalidOptionError(`${what}: mode must be one mode for every axis (skimage takes one), got a list`);
  const mode = given.mode === undefined ? "reflect" : given.mode;
  toBoundaryMode(mode);
  const cval = checkCval(given.cval === undefined ? 0 : given.cval);
  const { param } = given;
  if (method === "gaussian") return { method, filterOptions: { sigma: gaussianSigma(param, sizes, what), mode, cval }, offset };
  if (method === "generic") {
    if (typeof param !== "function") {
      throw new InvalidOptionError(`${what}: method "generic" needs param, the function of the neighbourhood's values, got ${describe(param)}`);
    }
    return { method, fn: param as GenericFilterFunction, filterOptions: { size: sizes, mode, cval }, offset };
  }
  // skimage ignores param here: refused, so a sigma or function meant to matter is not dropped.
  if (param !== undefined) throw new InvalidOptionError(`${what}: method "${method}" takes no param (it is read by "gaussian" and "generic" only), got ${describe(param)}`);
  return { method, filterOptions: { size: sizes, mode, cval }, offset };
}

/**
 * skimage.filters.threshold_local (dask-image's twin): the float64 threshold of every pixel from
 * its blockSize neighbourhood; pixels above their threshold are foreground.
 */
export function thresholdLocal(image: NDArray, blockSize: number | readonly number[], options?: ThresholdLocalOptions): NDArray {
  if (!isNDArray(image)) throw new InvalidOptionError(`thresholdLocal: image must be an NDArray, got ${describe(image)}`);
  const plan = planThresholdLocal(blockSize, options, image.ndim);
  const values = astype(image, "float64");
  const thresholds = plan.method === "gaussian" ? gaussianFilter(values, plan.filterOptions)
    : plan.method === "mean" ? uniformFilter(values, plan.filterOptions)
    : plan.method === "median" ? medianFilter(values, plan.filterOptions)
    : genericFilter(values, plan.fn, plan.filterOptions);
  // t − 0 is t, bit for bit (−0 − 0 is −0), so the subtraction is skipped then.
  return plan.offset === 0 ? thresholds : subtract(thresholds, plan.offset);
}
