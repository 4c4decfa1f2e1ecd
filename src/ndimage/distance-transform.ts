/**
 * `distanceTransformEdt`: scipy.ndimage.distance_transform_edt, the exact Euclidean distance from
 * every nonzero cell to the nearest zero cell, and the index of that zero cell.
 *
 * The feature transform is Maurer, Qi & Raghavan's linear-time algorithm as scipy computes it:
 * along axis 0, every zero cell is its own feature; then axis by axis, each line keeps the
 * features whose Voronoi cells cross it (a stack with the three-point removal test
 * c·vR − b·uR − a·wR − a·b·c ≤ 0) and gives every cell the nearest of them (ties keep the earlier
 * one). Distances are then sqrt(Σ_axis ((feature − index)·sampling)²), summed in axis order.
 * Every float operation is the one scipy does in the same order, so with `sampling` too the
 * features chosen and the distances are bit-identical.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownOptions } from "./option-names.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { bitsOf } from "./binary-erosion.js";
import { edtPasses } from "./edt-passes.js";

export interface DistanceTransformOptions {
  /** Cell spacing along each axis (one number for all). Default 1. */
  sampling?: number | readonly number[];
  /** Default true. */
  returnDistances?: boolean;
  /** Return the index of the nearest zero cell per axis (int32, shape [ndim, …shape]). Default false. */
  returnIndices?: boolean;
}

export interface DistanceTransformResult {
  distances?: NDArray;
  indices?: NDArray;
}

export function readSampling(sampling: unknown, ndim: number): Float64Array | null {
  if (sampling === undefined || sampling === null) return null;
  const values = Array.isArray(sampling) ? sampling : new Array<unknown>(ndim).fill(sampling);
  if (values.length !== ndim) {
    throw new InvalidOptionError(`sampling ${JSON.stringify(sampling)} has ${values.length} entries, expected ${ndim} (one per axis)`);
  }
  return Float64Array.from(values, (v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidOptionError(`sampling ${JSON.stringify(sampling)} must hold finite numbers`);
    return v;
  });
}

/** Distances (float64) of every nonzero cell to the nearest zero cell; see DistanceTransformOptions. */
export function distanceTransformEdt(input: NDArray, options?: DistanceTransformOptions & { returnIndices?: false; returnDistances?: true }): NDArray;
export function distanceTransformEdt(input: NDArray, options: DistanceTransformOptions): DistanceTransformResult;
export function distanceTransformEdt(input: NDArray, options: DistanceTransformOptions = {}): NDArray | DistanceTransformResult {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`distanceTransformEdt options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, ["sampling", "returnDistances", "returnIndices"], "distanceTransformEdt", {
    distances: "scipy's output array: the distances are returned", indices: "scipy's output array: pass returnIndices: true",
  });
  const returnDistances = options.returnDistances ?? true;
  const returnIndices = options.returnIndices ?? false;
  if (!returnDistances && !returnIndices) {
    throw new InvalidOptionError("distanceTransformEdt: at least one of returnDistances and returnIndices must be true");
  }
  const shape = input.ndim === 0 ? [1] : [...input.shape];
  const ndim = shape.length;
  const sampling = readSampling(options.sampling, ndim);
  const objects = bitsOf(input, false);
  const result: DistanceTransformResult = {};
  const fast = edtPasses(objects, shape, sampling, returnIndices);
  if (fast !== null) {
    if (returnDistances) {
      const distances = fast.squared;
      for (let p = 0; p < distances.length; p++) distances[p] = Math.sqrt(distances[p]);
      result.distances = new NDArray(distances, shape, { dtype: "float64" });
    }
    if (returnIndices) result.indices = new NDArray(fast.features as Int32Array, [ndim, ...shape], { dtype: "int32" });
    return returnIndices || !returnDistances ? result : (result.distances as NDArray);
  }
  const features = featureTransform(objects, shape, sampling);
  if (returnDistances) result.distances = distancesOf(features, shape, sampling);
  if (returnIndices) result.indices = new NDArray(features, [ndim, ...shape], { dtype: "int32" });
  return returnIndices || !returnDistances ? result : (result.distances as NDArray);
}

/** The feature transform: component a of the nearest zero cell of cell p at [a·size + p]. */
function featureTransform(objects: Uint8Array, shape: readonly number[], sampling: Float64Array | null): Int32Array {
  const ndim = shape.length;
  const size = shapeSize(shape);
  const ft = allocate("int32", ndim * size) as Int32Array;
  const strides = cStrides(shape);
  const scratch = lineScratch(Math.max(...shape), ndim);
  const coor = new Float64Array(ndim);
  // Axis 0 first: a zero cell is its own feature, a nonzero cell has none yet (−1 in component 0).
  const position = new Array<number>(ndim).fill(0);
  for (let p = 0; p < size; p++) {
    if (objects[p]) {
      ft[p] = -1;
    } else {
      for (let a = 0; a < ndim; a++) ft[a * size + p] = position[a];
    }
    for (let a = ndim - 1; a >= 0; a--) {
      if (++position[a] < shape[a]) break;
      position[a] = 0;
    }
  }
  for (let d = 0; d < ndim; d++) {
    const len = shape[d];
    const stride = strides[d];
    // Every line along axis d: positions with coordinate 0 on d.
    const lines = size / len;
    for (let line = 0; line < lines; line++) {
      let start = 0;
      let rest = line;
      for (let a = ndim - 1; a >= 0; a--) {
        if (a === d) {
          coor[a] = 0;
          continue;
        }
        const c = rest % shape[a];
        rest = (rest - c) / shape[a];
        coor[a] = c;
        start += c * strides[a];
      }
      voronoiLine(ft, size, start, stride, len, coor, ndim, d, scratch, sampling);
    }
  }
  return ft;
}

/**
 * One line along axis d. Per feature, the parts of scipy's sums that do not depend on the cell
 * along the line are computed once, with scipy's operations in scipy's order: `perpendicular`
 * (wR: Σ over the other axes, which is also the uR / vR of the removal test) and, for the
 * distance to cell i, `before` (the running sum over the axes before d) and the squares of the
 * axes after d, added one by one after the axis-d term as scipy's loop adds them.
 */
function voronoiLine(
  ft: Int32Array, size: number, start: number, stride: number, len: number, coor: Float64Array, ndim: number, d: number,
  scratch: LineScratch, sampling: Float64Array | null,
): void {
  const { f, g, perpendicular, before, after } = scratch;
  const sd = sampling === null ? 1 : sampling[d];
  for (let i = 0; i < len; i++) {
    const p = start + i * stride;
    for (let a = 0; a < ndim; a++) f[i * ndim + a] = ft[a * size + p];
    if (f[i * ndim] < 0) continue;
    let wR = 0;
    let partial = 0;
    for (let a = 0; a < ndim; a++) {
      if (a === d) continue;
      let t = f[i * ndim + a] - coor[a];
      if (sampling !== null) t *= sampling[a];
      const square = t * t;
      wR += square;
      if (a < d) partial += square;
      else after[i * ndim + a] = square;
    }
    perpendicular[i] = wR;
    before[i] = partial;
  }
  let l = -1;
  for (let i = 0; i < len; i++) {
    if (f[i * ndim] < 0) continue;
    const fd = f[i * ndim + d];
    const wR = perpendicular[i];
    while (l >= 1) {
      const idx1 = g[l];
      const f1 = f[idx1 * ndim + d];
      const idx2 = g[l - 1];
      let a = f1 - f[idx2 * ndim + d];
      let b = fd - f1;
      if (sampling !== null) {
        a *= sd;
        b *= sd;
      }
      const c = a + b;
      if (c * perpendicular[idx1] - b * perpendicular[idx2] - a * wR - a * b * c <= 0) break;
      l--;
    }
    l++;
    g[l] = i;
  }
  const maxl = l;
  if (maxl < 0) return;
  l = 0;
  for (let i = 0; i < len; i++) {
    let delta1 = lineDistance(scratch, g[l], ndim, d, i, sd);
    while (l < maxl) {
      const delta2 = lineDistance(scratch, g[l + 1], ndim, d, i, sd);
      if (delta1 <= delta2) break;
      delta1 = delta2;
      l++;
    }
    const p = start + i * stride;
    const from = g[l] * ndim;
    for (let a = 0; a < ndim; a++) ft[a * size + p] = f[from + a];
  }
}

/** scipy's Σ_a t_a² for feature k and cell i of the line, in axis order. */
function lineDistance(scratch: LineScratch, k: number, ndim: number, d: number, i: number, sd: number): number {
  const t = (scratch.f[k * ndim + d] - i) * sd;
  let sum = scratch.before[k] + t * t;
  for (let a = d + 1; a < ndim; a++) sum += scratch.after[k * ndim + a];
  return sum;
}

interface LineScratch {
  readonly f: Float64Array;
  readonly g: Int32Array;
  readonly perpendicular: Float64Array;
  readonly before: Float64Array;
  readonly after: Float64Array;
}

function lineScratch(longest: number, ndim: number): LineScratch {
  return {
    f: new Float64Array(longest * ndim), g: new Int32Array(longest), perpendicular: new Float64Array(longest),
    before: new Float64Array(longest), after: new Float64Array(longest * ndim),
  };
}

/** sqrt(Σ_a ((ft_a − index_a)·sampling_a)²), accumulated in axis order as NumPy's add.reduce over axis 0. */
function distancesOf(ft: Int32Array, shape: readonly number[], sampling: Float64Array | null): NDArray {
  const ndim = shape.length;
  const size = shapeSize(shape);
  const out = allocate("float64", size) as Float64Array;
  const position = new Array<number>(ndim).fill(0);
  for (let p = 0; p < size; p++) {
    let sum = 0;
    for (let a = 0; a < ndim; a++) {
      let t = (ft[a * size + p] - position[a]) | 0;
      if (sampling !== null) t *= sampling[a];
      const square = t * t;
      sum = a === 0 ? square : sum + square;
    }
    out[p] = Math.sqrt(sum);
    for (let a = ndim - 1; a >= 0; a--) {
      if (++position[a] < shape[a]) break;
      position[a] = 0;
    }
  }
  return new NDArray(out, shape, { dtype: "float64" });
}
