/**
 * `distanceTransformBf`: scipy.ndimage.distance_transform_bf, the brute-force distance transform:
 * each nonzero cell against every background cell that touches the foreground (the full-box
 * dilation of the foreground minus the foreground), as scipy 1.10 computes it.
 *
 * scipy keeps those border cells in a list built by prepending, so it visits them in reverse C
 * order and keeps the first strictly smaller distance: among equally near border cells the one
 * latest in C order wins, which fixes the indices. Euclidean distances are sqrt of
 * Σ_axis ((Δ·sampling)²) summed in axis order in float64 (DBL_MAX under the sqrt when there is no
 * border cell); taxicab and chessboard distances are uint32 (UINT_MAX without a border cell) and
 * ignore sampling. scipy's nearest index is one variable for the whole pass, so a cell that finds
 * no nearer border cell keeps the previous cell's — kept here too.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownOptions } from "./option-names.js";
import { NDArray, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { bitsOf } from "./binary-erosion.js";
import { readSampling } from "./distance-transform.js";
import { type DistanceTransformResult, checkReturns, coordinatesOf, distanceResult } from "./distance-result.js";

export type BruteForceMetric = "euclidean" | "taxicab" | "cityblock" | "manhattan" | "chessboard";

export interface DistanceTransformBfOptions {
  /** Default "euclidean" (float64 distances); "taxicab" (aliases "cityblock", "manhattan") and "chessboard" give uint32. Case-insensitive, as scipy. */
  metric?: BruteForceMetric;
  /** Cell spacing along each axis (one number for all); only the Euclidean metric uses it. Default 1. */
  sampling?: number | readonly number[];
  /** Default true. */
  returnDistances?: boolean;
  /** Return the index of the nearest background cell per axis (int32, shape [ndim, …shape]). Default false. */
  returnIndices?: boolean;
}

/** Distances of every nonzero cell to the nearest zero cell by exhaustive search; see DistanceTransformBfOptions. */
export function distanceTransformBf(input: NDArray, options?: DistanceTransformBfOptions & { returnIndices?: false; returnDistances?: true }): NDArray;
export function distanceTransformBf(input: NDArray, options: DistanceTransformBfOptions): DistanceTransformResult;
export function distanceTransformBf(input: NDArray, options: DistanceTransformBfOptions = {}): NDArray | DistanceTransformResult {
  const what = "distanceTransformBf";
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, ["metric", "sampling", "returnDistances", "returnIndices"], what, {
    distances: "scipy's output array: the distances are returned", indices: "scipy's output array: pass returnIndices: true",
  });
  const { returnDistances, returnIndices } = checkReturns(options, what);
  if (input.ndim === 0) throw new InvalidOptionError(`${what}: the input is 0-d; give at least one axis`);
  const metric = readMetric(options.metric ?? "euclidean");
  const shape = [...input.shape];
  const sampling = readSampling(options.sampling, shape.length);
  const objects = bitsOf(input, false);
  const border = borderCells(objects, shape);
  const size = objects.length;
  const features = new Int32Array(size);
  const distances = metric === "euclidean" ? new Float64Array(size) : new Uint32Array(size);
  const ndim = shape.length;
  const strides = cStrides(shape);
  const coordinates = (p: number, out: Int32Array | number[]): void => {
    for (let a = 0, rest = p; a < ndim; a++) {
      out[a] = Math.floor(rest / strides[a]);
      rest -= out[a] * strides[a];
    }
  };
  const borderCoordinates = new Int32Array(border.length * ndim);
  for (let k = 0; k < border.length; k++) coordinates(border[k], borderCoordinates.subarray(k * ndim, (k + 1) * ndim));
  const here = new Array<number>(ndim);
  let nearest = 0; // scipy's min_index: one variable across cells
  for (let p = 0; p < size; p++) {
    if (!objects[p]) {
      features[p] = p;
      continue;
    }
    coordinates(p, here);
    let best = metric === "euclidean" ? Number.MAX_VALUE : 0xffffffff;
    // Reverse C order: scipy's prepended list.
    for (let k = border.length - 1; k >= 0; k--) {
      let d = 0;
      for (let a = 0; a < ndim; a++) {
        let t = here[a] - borderCoordinates[k * ndim + a];
        if (metric === "euclidean") {
          if (sampling !== null) t *= sampling[a];
          d += t * t;
        } else {
          t = Math.abs(t);
          if (metric === "taxicab") d += t;
          else if (t > d) d = t;
        }
      }
      if (d < best) {
        best = d;
        nearest = border[k];
      }
    }
    distances[p] = metric === "euclidean" ? Math.sqrt(best) : best;
    features[p] = nearest;
  }
  return distanceResult(
    returnDistances ? new NDArray(distances, shape, { dtype: metric === "euclidean" ? "float64" : "uint32" }) : undefined,
    returnIndices ? coordinatesOf(features, shape) : undefined,
  );
}

function readMetric(metric: unknown): "euclidean" | "taxicab" | "chessboard" {
  const name = typeof metric === "string" ? metric.toLowerCase() : metric;
  if (name === "euclidean" || name === "chessboard") return name;
  if (name === "taxicab" || name === "cityblock" || name === "manhattan") return "taxicab";
  throw new InvalidOptionError(`distanceTransformBf: metric ${JSON.stringify(metric)} is not one of "euclidean", "taxicab", "cityblock", "manhattan", "chessboard"`);
}

/** Background cells with a foreground cell in their 3×…×3 box, in C order (scipy's dilation xor input). */
function borderCells(objects: Uint8Array, shape: readonly number[]): number[] {
  const ndim = shape.length;
  const strides = cStrides(shape);
  const size = shapeSize(shape);
  const neighbours = 3 ** ndim;
  const border: number[] = [];
  const here = new Array<number>(ndim).fill(0);
  for (let p = 0; p < size; p++) {
    if (!objects[p]) {
      let touches = false;
      for (let k = 0; k < neighbours && !touches; k++) {
        let q = 0;
        let inside = true;
        for (let rest = k, a = ndim - 1; a >= 0; a--, rest = Math.floor(rest / 3)) {
          const c = here[a] + (rest % 3) - 1;
          if (c < 0 || c >= shape[a]) {
            inside = false;
            break;
          }
          q += c * strides[a];
        }
        touches = inside && objects[q] === 1;
      }
      if (touches) border.push(p);
    }
    for (let a = ndim - 1; a >= 0; a--) {
      if (++here[a] < shape[a]) break;
      here[a] = 0;
    }
  }
  return border;
}
