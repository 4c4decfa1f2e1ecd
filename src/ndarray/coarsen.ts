/**
 * Block reduction, as dask.array's `coarsen` does on each chunk: axis a of length n is split
 * into (n / f, f) for its factor f (`coarsenView`: (10, 10) with factors (5, 2) becomes
 * (2, 5, 5, 2)), and the reduction runs over the factor axes. With `trimExcess` the last
 * n mod f cells of an axis are dropped first; without, n must be a multiple of f.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { requireArray } from "./copy.js";
import { refuseUnknownKeys } from "./option-keys.js";
import type { NDArray } from "./ndarray.js";
import { slice } from "./slice.js";
import { reshape } from "./views.js";

export interface CoarsenOptions {
  /** One factor per axis (1 leaves an axis as it is). */
  factors: readonly number[];
  /** Drop the cells past the last whole group instead of refusing them. Default false. */
  trimExcess?: boolean;
}

function checkFactors(a: NDArray, options: CoarsenOptions, what: string): number[] {
  const factors = options?.factors;
  if (!Array.isArray(factors) || factors.length !== a.ndim || factors.some((f) => !Number.isSafeInteger(f) || f < 1)) {
    throw new InvalidOptionError(`${what}: factors ${JSON.stringify(factors)} must give one positive integer per axis (${a.ndim} axes)`);
  }
  if (!options.trimExcess) {
    const bad = a.shape.findIndex((n, axis) => n % factors[axis] !== 0);
    if (bad >= 0) {
      throw new InvalidOptionError(
        `${what}: factor ${factors[bad]} does not divide axis ${bad} of length ${a.shape[bad]} (shape [${a.shape.join(", ")}]); pass trimExcess: true to drop the rest`,
      );
    }
  }
  return [...factors];
}

const coarsenViewKeys = ["factors", "trimExcess"];
const coarsenKeys = ["factors", "trimExcess", "reductionOptions"];

/** The array with every axis split into (groups, factor), C order kept. */
export const coarsenView = definePublicBuiltin("coarsenView", function coarsenView(a: NDArray, options: CoarsenOptions): NDArray {
  requireArray(a, "coarsenView");
  if (options !== null && typeof options === "object") refuseUnknownKeys(options, coarsenViewKeys, "coarsenView");
  return coarsenedView(a, options, "coarsenView");
});

function coarsenedView(a: NDArray, options: CoarsenOptions, what: string): NDArray {
  const factors = checkFactors(a, options, what);
  const trimmed = slice(a, ...a.shape.map((n, axis) => ({ stop: n - (n % factors[axis]) })));
  return reshape(trimmed, trimmed.shape.flatMap((n, axis) => [n / factors[axis], factors[axis]]));
}

/** The axes of coarsenView's result that hold the factors. */
export function factorAxes(ndim: number): number[] {
  return Array.from({ length: ndim }, (_, axis) => 2 * axis + 1);
}

/**
 * `reduction(coarsenView(a), { ...reductionOptions, axis: factor axes })`: e.g.
 * `coarsen(nd.mean, image, { factors: [2, 2] })` halves an image by averaging 2×2 groups.
 */
export const coarsen = definePublicBuiltin("coarsen", function coarsen(
  reduction: (a: NDArray, options: Record<string, unknown>) => NDArray,
  a: NDArray,
  options: CoarsenOptions & { reductionOptions?: Record<string, unknown> },
): NDArray {
  if (typeof reduction !== "function") throw new InvalidOptionError(`coarsen: the reduction must be a function such as nd.sum, got ${String(reduction)}`);
  requireArray(a, "coarsen");
  if (options !== null && typeof options === "object") refuseUnknownKeys(options, coarsenKeys, "coarsen");
  const view = coarsenedView(a, options, "coarsen");
  return reduction(view, { ...options.reductionOptions, axis: factorAxes(a.ndim) });
});
