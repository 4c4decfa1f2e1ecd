/**
 * The contract between the filters and the lazy array layer (`mapOverlap`):
 *
 * - every filter travels to workers under a stable builtin name, `"ndimage.<functionName>"`;
 * - every separable filter accepts `outputRegion` and computes only that box (see separable.ts);
 * - `fn.kernelRadius(options, ndim)` says how many neighbour cells on each side, per axis, the
 *   filter reads: the halo a block needs for its core to equal the whole-array result;
 * - a filter marked `windowLocal` computes each output cell from the cells within its radius
 *   only, in an order that does not depend on where the filtered box starts or ends (a
 *   correlation: centre tap, then pairs from the outermost in). Any halo at least as deep as
 *   the radius then gives the same core, bit for bit, so mapOverlap may filter several
 *   neighbouring blocks in one call (overlap-groups.ts). Running sums (uniform filters), and
 *   min/max deques whose NaN answers depend on where a line starts, are not window-local.
 *   Such a filter also says how it extends lines at the array's edges (`edgeModes`), so a
 *   halo padded the same way (Dask's boundary "nearest" for mode "nearest") can be left
 *   unpadded: the filter's own extension gives the same cells.
 * - any filter whose `mode` option does not map to one mode per axis (the Gaussian
 *   derivatives: term i extends every axis with mode[i]) states its `edgeModes` too, so that
 *   mapOverlap wraps the halo on exactly the axes the filter wraps (or refuses when no one halo is right).
 */
import { defineBuiltin } from "../core/builtin.js";
import { refuseUnknownOptions } from "./option-names.js";
import { publicParameters, withPublicParameters } from "./public-parameters.js";
import type { BoundaryMode } from "./options.js";

export interface RegionKernelTraits<Options> {
  /** Every option name the filter reads: any other key is refused, by the filter and by kernelRadius (so mapOverlap refuses it before building a graph). */
  optionKeys: readonly string[];
  /** Which argument of the filter is its options object (default 1: after the input). */
  optionsArgument?: number;
  windowLocal?: boolean;
  /** Per axis, the mode the filter extends lines with (undefined on axes it leaves alone). */
  edgeModes?: (options: Options, ndim: number) => Array<BoundaryMode | undefined>;
}

export interface RegionKernel<Options, Extra extends unknown[] = []> {
  /** Neighbour cells read on each side, per axis (0 on axes the filter leaves alone). */
  kernelRadius(options: Options, ndim: number, ...extra: Extra): number[];
}

/** The filter's options, refused when they hold a key it does not read. */
function checkedOptions(options: unknown, traits: RegionKernelTraits<unknown>, what: string): void {
  if (options !== null && typeof options === "object") refuseUnknownOptions(options, traits.optionKeys, what);
}

/** Tags `fn` with its builtin name and attaches its `kernelRadius` (and `windowLocal`, see above). */
export function defineRegionKernel<F extends (...args: never[]) => unknown, Options, Extra extends unknown[] = []>(
  name: string, fn: F, kernelRadius: (options: Options, ndim: number, ...extra: Extra) => number[], traits: RegionKernelTraits<Options>,
): F & RegionKernel<Options, Extra> {
  const what = name.replace(/^ndimage\./, "");
  const at = traits.optionsArgument ?? 1;
  const withKnownOptions = ((...args: never[]) => {
    checkedOptions(args[at], traits as RegionKernelTraits<unknown>, what);
    return fn(...args);
  }) as F;
  // A public filter refuses arguments beyond its own (public-parameters.ts); the block kernels
  // only graphs call (weights-blocks.ts) are not listed there.
  const checked = what in publicParameters ? withPublicParameters(what, withKnownOptions) : withKnownOptions;
  const radius = (options: Options, ndim: number, ...extra: Extra): number[] => {
    checkedOptions(options, traits as RegionKernelTraits<unknown>, what);
    return kernelRadius(options, ndim, ...extra);
  };
  const tagged = defineBuiltin(name, checked) as F & RegionKernel<Options, Extra>;
  Object.defineProperty(tagged, "kernelRadius", { value: radius, enumerable: false });
  if (traits.windowLocal) Object.defineProperty(tagged, "windowLocal", { value: true, enumerable: false });
  if (traits.edgeModes) Object.defineProperty(tagged, "edgeModes", { value: traits.edgeModes, enumerable: false });
  return tagged;
}

/** True for functions that publish a `kernelRadius` (so mapOverlap can size halos itself). */
export function isRegionKernel(value: unknown): value is ((...args: never[]) => unknown) & RegionKernel<unknown, unknown[]> {
  return typeof value === "function" && typeof (value as { kernelRadius?: unknown }).kernelRadius === "function";
}

/** True for region kernels whose core does not depend on the halo's extent beyond the radius (see above). */
export function isWindowLocal(value: unknown): boolean {
  return isRegionKernel(value) && (value as { windowLocal?: unknown }).windowLocal === true;
}

/** A region kernel's edge modes per axis for `options`, or undefined when it does not state them. */
export function edgeModesOf(value: unknown, options: unknown, ndim: number): Array<BoundaryMode | undefined> | undefined {
  if (!isRegionKernel(value)) return undefined;
  const edgeModes = (value as { edgeModes?: (options: unknown, ndim: number) => Array<BoundaryMode | undefined> }).edgeModes;
  return edgeModes ? edgeModes(options, ndim) : undefined;
}
