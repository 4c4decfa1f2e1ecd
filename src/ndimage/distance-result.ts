/**
 * What the brute-force and chamfer distance transforms share with distanceTransformEdt: the
 * returnDistances / returnIndices switches, the indices as scipy builds them from flat feature
 * indices (np.indices(shape)[a].ravel()[feature], int32, shape [ndim, …shape]) and the result's
 * shape: the distances alone as an NDArray, otherwise { distances?, indices }.
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, cStrides } from "../ndarray/ndarray.js";
import type { DistanceTransformResult } from "./distance-transform.js";

export type { DistanceTransformResult } from "./distance-transform.js";

export function checkReturns(options: { returnDistances?: unknown; returnIndices?: unknown }, what: string): { returnDistances: boolean; returnIndices: boolean } {
  const returnDistances = options.returnDistances ?? true;
  const returnIndices = options.returnIndices ?? false;
  if (typeof returnDistances !== "boolean") throw new InvalidOptionError(`${what}: returnDistances must be true or false, got ${JSON.stringify(returnDistances)}`);
  if (typeof returnIndices !== "boolean") throw new InvalidOptionError(`${what}: returnIndices must be true or false, got ${JSON.stringify(returnIndices)}`);
  if (!returnDistances && !returnIndices) throw new InvalidOptionError(`${what}: at least one of returnDistances and returnIndices must be true`);
  return { returnDistances, returnIndices };
}

/** Flat C-order indices as per-axis coordinates, axis-major: [ndim, …shape] int32. */
export function coordinatesOf(flat: Int32Array, shape: readonly number[]): NDArray {
  const ndim = shape.length;
  const strides = cStrides(shape);
  const size = flat.length;
  const out = new Int32Array(ndim * size);
  for (let p = 0; p < size; p++) {
    let rest = flat[p];
    for (let a = 0; a < ndim; a++) {
      const c = Math.floor(rest / strides[a]);
      out[a * size + p] = c;
      rest -= c * strides[a];
    }
  }
  return new NDArray(out, [ndim, ...shape], { dtype: "int32" });
}

export function distanceResult(distances: NDArray | undefined, indices: NDArray | undefined): NDArray | DistanceTransformResult {
  if (indices === undefined) return distances as NDArray;
  return distances === undefined ? { indices } : { distances, indices };
}
