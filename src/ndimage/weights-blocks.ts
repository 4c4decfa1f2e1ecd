/**
 * The block functions of the chunked filters that take a weights argument (tessera/array's
 * `ta.ndimage.correlate(volume, weights, options)` and friends). mapOverlap calls a block
 * function as `fn(block, options)`, so these carry the weights inside the options
 * (`{ weights, ...options }`) and publish a `kernelRadius` that reads them there. They are
 * window-local (each output is its own weighted sum; region-kernel.ts), so neighbouring blocks
 * may share one call. Not part of the public API: the worker catalog loads this module.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { type Correlate1dOptions, type Weights, convolve1d, correlate1d } from "./correlate.js";
import { type CorrelateOptions, correlateKeys, planWeights, runWeights, weightsReach } from "./correlate-nd.js";
import { type BoundaryMode, normalizeAxis, toBoundaryMode } from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";

export type WeightedOptions<Options> = Options & { weights: unknown };

function split<Options>(options: WeightedOptions<Options>, what: string): [unknown, Options] {
  if (options === null || typeof options !== "object" || !("weights" in options)) {
    throw new InvalidOptionError(`${what} needs its weights in the options ({ weights, ... })`);
  }
  const { weights, ...rest } = options;
  return [weights, rest as Options];
}

const nd = (convolve: boolean) => {
  const what = convolve ? "convolveBlock" : "correlateBlock";
  return defineRegionKernel(`ndimage.${what}`,
    (input: NDArray, options: WeightedOptions<CorrelateOptions>): NDArray => {
      const [weights, rest] = split(options, what);
      return runWeights(input, planWeights(weights, rest, input.ndim, convolve), rest);
    },
    (options: WeightedOptions<CorrelateOptions>, ndim: number) => {
      const [weights, rest] = split(options, what);
      return weightsReach(planWeights(weights, rest, ndim, convolve), ndim);
    },
    {
      optionKeys: ["weights", ...correlateKeys], windowLocal: true,
      edgeModes: (options: WeightedOptions<CorrelateOptions>, ndim: number) =>
        new Array<BoundaryMode>(ndim).fill(planWeights(options.weights, split(options, what)[1], ndim, convolve).mode),
    });
};

/** correlate (scipy.ndimage.correlate) with the weights in the options. */
export const correlateBlock = nd(false);
/** convolve (scipy.ndimage.convolve) with the weights in the options. */
export const convolveBlock = nd(true);

const oneD = (convolve: boolean) => {
  const what = convolve ? "convolve1dBlock" : "correlate1dBlock";
  const eager = convolve ? convolve1d : correlate1d;
  return defineRegionKernel(`ndimage.${what}`,
    (input: NDArray, options: WeightedOptions<Correlate1dOptions>): NDArray => {
      const [weights, rest] = split(options, what);
      return eager(input, weights as Weights, rest);
    },
    (options: WeightedOptions<Correlate1dOptions>, ndim: number) => {
      const [weights, rest] = split(options, what);
      return eager.kernelRadius(rest, ndim, weights as Weights);
    },
    {
      optionKeys: ["weights", "axis", "mode", "cval", "origin", "output", "outputRegion", "backend"], windowLocal: true,
      edgeModes: (options: WeightedOptions<Correlate1dOptions>, ndim: number) => {
        const modes = new Array<BoundaryMode | undefined>(ndim).fill(undefined);
        modes[normalizeAxis(options.axis ?? -1, ndim)] = toBoundaryMode(options.mode ?? "reflect");
        return modes;
      },
    });
};

/** correlate1d (scipy.ndimage.correlate1d) with the weights in the options. */
export const correlate1dBlock = oneD(false);
/** convolve1d (scipy.ndimage.convolve1d) with the weights in the options. */
export const convolve1dBlock = oneD(true);
