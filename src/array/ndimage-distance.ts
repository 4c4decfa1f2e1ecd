/**
 * scipy.ndimage.distance_transform_edt on chunked arrays. The distance to the nearest zero cell
 * has no bounded reach, so this is no mapOverlap: scipy's transform is one pass per axis over
 * whole lines (ndimage/edt-passes.ts carries each cell's squared distance between passes), and
 * the chunked version runs the same passes on blocks that hold whole lines along the pass's
 * axis, rechunking the float64 squared distances between passes (whole along that axis, the
 * other axes' chunks kept up to 256 MiB a block, Dask's "auto" sizes beyond), then takes the square roots: scipy's values, bit for bit. The
 * result has the input's chunks. Each pass moves the volume's squared distances between workers
 * once, as a rechunk does.
 *
 * Distances only: `returnIndices` is refused (the feature indices would move ndim more arrays).
 */
import { InvalidOptionError } from "../core/errors.js";
import { largestOf } from "./chunks.js";
import { edtFinish, edtLinePass, edtStart } from "../ndimage/edt-blocks.js";
import { readSampling } from "../ndimage/distance-transform.js";
import { LazyArray, mapBlocksOf } from "./array.js";

const wholeLineBlockBytes = 256 * 2 ** 20;

export interface LazyDistanceTransformOptions {
  /** Cell spacing along each axis (one number for all). Default 1. */
  sampling?: number | readonly number[];
}

/** Distances (float64) of every nonzero cell to the nearest zero cell (scipy.ndimage.distance_transform_edt). */
export function distanceTransformEdt(input: LazyArray, options: LazyDistanceTransformOptions = {}): LazyArray {
  if (!(input instanceof LazyArray)) throw new InvalidOptionError("distanceTransformEdt needs a tessera array; for an NDArray use ndimage.distanceTransformEdt");
  if (options === null || typeof options !== "object") throw new InvalidOptionError("distanceTransformEdt: options must be an object");
  for (const key of Object.keys(options)) {
    if (key === "returnIndices" || key === "returnDistances") throw new InvalidOptionError(`distanceTransformEdt: ${key} is not supported on chunked arrays (it returns the distances)`);
    if (key !== "sampling") throw new InvalidOptionError(`distanceTransformEdt: unknown option "${key}"; it takes sampling`);
  }
  if (input.ndim === 0) throw new InvalidOptionError("distanceTransformEdt of a 0-d array: use ndimage.distanceTransformEdt");
  const sampling = readSampling(options.sampling, input.ndim);
  let squared = mapBlocksOf(edtStart, [input], { dtype: "float64" });
  for (let axis = 0; axis < input.ndim; axis++) {
    // Whole along the axis; the other axes take the input's chunks (not the previous pass's,
    // which are whole along its axis) unless a block would pass wholeLineBlockBytes, then
    // Dask's "auto" sizes them.
    const widest = input.chunks.reduce((bytes, sizes, a) => bytes * (a === axis ? input.shape[a] : Math.max(1, largestOf(sizes))), 8);
    const whole = squared.rechunk(input.chunks.map((sizes, a) => (a === axis ? -1 : widest > wholeLineBlockBytes ? "auto" : [...sizes])));
    squared = mapBlocksOf(edtLinePass, [whole], { dtype: "float64" }, { axis, spacing: sampling === null ? 1 : sampling[axis] });
  }
  const distances = mapBlocksOf(edtFinish, [squared], { dtype: "float64", blockInfo: true }, { sampling: sampling === null ? null : [...sampling] });
  return distances.rechunk(input.chunks.map((sizes) => [...sizes]));
}
