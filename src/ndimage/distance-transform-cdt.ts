/**
 * `distanceTransformCdt`: scipy.ndimage.distance_transform_cdt, the chamfer distance (in steps of
 * a 3×…×3 structure) from every nonzero cell to the nearest zero cell, as scipy 1.10 computes it.
 *
 * Two raster passes over an int32 map (−1 unknown, 0 background): forward in C order looking at
 * the structure's cells before its centre, then backward (scipy flips every axis and runs the same
 * pass, so the neighbours are the mirrored offsets, in the same structure order). A cell takes
 * 1 + the smallest known neighbour, the first such neighbour in structure order winning ties, and
 * copies that neighbour's feature (the flat index of its zero cell) — which is why the indices
 * equal scipy's only with this exact order.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownOptions } from "./option-names.js";
import { NDArray, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { bitsOf } from "./binary-erosion.js";
import { generateBinaryStructure } from "./binary-structure.js";
import { type Grid, readGrid } from "./footprint.js";
import { type DistanceTransformResult, checkReturns, coordinatesOf, distanceResult } from "./distance-result.js";

export interface DistanceTransformCdtOptions {
  /**
   * "chessboard" (the full 3×…×3 box, the default), "taxicab" (faces only; scipy's aliases
   * "cityblock" and "manhattan") or a 3×…×3 structure of the input's rank (nonzero is on).
   */
  metric?: "chessboard" | "taxicab" | "cityblock" | "manhattan" | Grid;
  /** Default true. */
  returnDistances?: boolean;
  /** Return the index of the nearest zero cell per axis (int32, shape [ndim, …shape]). Default false. */
  returnIndices?: boolean;
}

/** Chamfer distances (int32; −1 where no zero cell is reachable); see DistanceTransformCdtOptions. */
export function distanceTransformCdt(input: NDArray, options?: DistanceTransformCdtOptions & { returnIndices?: false; returnDistances?: true }): NDArray;
export function distanceTransformCdt(input: NDArray, options: DistanceTransformCdtOptions): DistanceTransformResult;
export function distanceTransformCdt(input: NDArray, options: DistanceTransformCdtOptions = {}): NDArray | DistanceTransformResult {
  const what = "distanceTransformCdt";
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, ["metric", "returnDistances", "returnIndices"], what, {
    distances: "scipy's output array: the distances are returned", indices: "scipy's output array: pass returnIndices: true",
  });
  const { returnDistances, returnIndices } = checkReturns(options, what);
  if (input.ndim === 0) throw new InvalidOptionError(`${what}: the input is 0-d; give at least one axis`);
  const shape = [...input.shape];
  const steps = structureSteps(options.metric ?? "chessboard", shape.length);
  const distances = new Int32Array(shapeSize(shape));
  const objects = bitsOf(input, false);
  for (let p = 0; p < distances.length; p++) distances[p] = objects[p] ? -1 : 0;
  const features = returnIndices ? Int32Array.from({ length: distances.length }, (_, p) => p) : null;
  chamferPass(distances, features, shape, steps, 1);
  chamferPass(distances, features, shape, steps, -1);
  return distanceResult(
    returnDistances ? new NDArray(distances, shape, { dtype: "int32" }) : undefined,
    features === null ? undefined : coordinatesOf(features, shape),
  );
}

/** The structure's cells before its centre (C order), as per-axis steps. */
function structureSteps(metric: unknown, ndim: number): number[][] {
  let structure: Grid;
  if (typeof metric === "string") {
    if (metric === "taxicab" || metric === "cityblock" || metric === "manhattan") structure = generateBinaryStructure(ndim, 1);
    else if (metric === "chessboard") structure = generateBinaryStructure(ndim, ndim);
    else throw new InvalidOptionError(`distanceTransformCdt: metric "${metric}" is not one of "chessboard", "taxicab", "cityblock", "manhattan" (or a 3×…×3 structure)`);
  } else {
    structure = metric as Grid;
  }
  const grid = readGrid(structure, "distanceTransformCdt metric");
  if (grid.shape.some((n) => n !== 3)) throw new InvalidOptionError(`distanceTransformCdt: metric structure shape [${grid.shape.join(", ")}] must be 3 along every axis`);
  // scipy reads a structure of another rank past its end (garbage or a crash): refused here.
  if (grid.shape.length !== ndim) throw new InvalidOptionError(`distanceTransformCdt: metric structure has ${grid.shape.length} dimensions, the input ${ndim}; they must be equal`);
  const steps: number[][] = [];
  for (let k = 0; k < Math.floor(grid.values.length / 2); k++) {
    if (grid.values[k] === 0) continue;
    const step = new Array<number>(ndim);
    for (let rest = k, a = ndim - 1; a >= 0; a--, rest = Math.floor(rest / 3)) step[a] = (rest % 3) - 1;
    steps.push(step);
  }
  return steps;
}

/** One raster pass: `direction` 1 is forward C order with the steps, −1 backward with them mirrored. */
function chamferPass(distances: Int32Array, features: Int32Array | null, shape: readonly number[], steps: readonly number[][], direction: 1 | -1): void {
  const ndim = shape.length;
  const strides = cStrides(shape);
  const offsets = steps.map((step) => direction * step.reduce((sum, s, a) => sum + s * strides[a], 0));
  const size = distances.length;
  const position = direction === 1 ? new Array<number>(ndim).fill(0) : shape.map((n) => n - 1);
  for (let i = 0; i < size; i++) {
    const p = direction === 1 ? i : size - 1 - i;
    const value = distances[p];
    if (value !== 0) {
      let min = value;
      let minOffset = 0;
      for (let k = 0; k < steps.length; k++) {
        let inside = true;
        for (let a = 0; a < ndim && inside; a++) {
          const c = position[a] + direction * steps[k][a];
          inside = c >= 0 && c < shape[a];
        }
        const known = inside ? distances[p + offsets[k]] : -1;
        if (known >= 0 && (min < 0 || known + 1 < min)) {
          min = known + 1;
          minOffset = offsets[k];
        }
      }
      distances[p] = min;
      if (features !== null) features[p] = features[p + minOffset];
    }
    for (let a = ndim - 1; a >= 0; a--) {
      position[a] += direction;
      if (position[a] >= 0 && position[a] < shape[a]) break;
      position[a] = direction === 1 ? 0 : shape[a] - 1;
    }
  }
}
