/**
 * The contract between the filters and the lazy array layer (`mapOverlap`):
 *
 * - every filter travels to workers under a stable builtin name, `"ndimage.<functionName>"`;
 * - every separable filter accepts `outputRegion` and computes only that box (see separable.ts);
 * - `fn.kernelRadius(options, ndim)` says how many neighbour cells on each side, per axis, the
 *   filter reads: the halo a block needs for its core to equal the whole-array result.
 */
import { defineBuiltin } from "../core/builtin.js";

export interface RegionKernel<Options, Extra extends unknown[] = []> {
  /** Neighbour cells read on each side, per axis (0 on axes the filter leaves alone). */
  kernelRadius(options: Options, ndim: number, ...extra: Extra): number[];
}

/** Tags `fn` with its builtin name and attaches its `kernelRadius`. */
export function defineRegionKernel<F extends (...args: never[]) => unknown, Options, Extra extends unknown[] = []>(
  name: string, fn: F, kernelRadius: (options: Options, ndim: number, ...extra: Extra) => number[],
): F & RegionKernel<Options, Extra> {
  const tagged = defineBuiltin(name, fn) as F & RegionKernel<Options, Extra>;
  Object.defineProperty(tagged, "kernelRadius", { value: kernelRadius, enumerable: false });
  return tagged;
}

/** True for functions that publish a `kernelRadius` (so mapOverlap can size halos itself). */
export function isRegionKernel(value: unknown): value is ((...args: never[]) => unknown) & RegionKernel<unknown, unknown[]> {
  return typeof value === "function" && typeof (value as { kernelRadius?: unknown }).kernelRadius === "function";
}
