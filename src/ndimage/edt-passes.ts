/**
 * The fast form of scipy's Euclidean feature transform: the same passes and the same float
 * operations, but each cell carries its squared distance from one pass to the next instead of
 * recomputing it from its feature.
 *
 * Why that is bit-identical: before the pass along axis d, the feature of a cell lies in the
 * subspace of axes 0..d−1 through the cell, so its component d is the cell's own index on the
 * line and its components after d are the line's coordinates. scipy's wR (and the uR / vR of the
 * removal test) is then Σ_{a<d} ((f_a − coor_a)·s_a)² summed in axis order, and the distance it
 * compares for cell i is that same partial sum plus ((f_d − i)·s_d)², the later terms being +0.
 * Both are exactly the squared distance the previous pass chose for the cell (the same terms
 * added in the same order; adding +0 changes nothing), so carrying it gives the same doubles,
 * the same comparisons, hence the same features and, after the last pass, the same
 * Σ_a ((f_a − x_a)·s_a)² whose square root NumPy takes.
 *
 * Without sampling the first pass (axis 0, where every zero cell is its own feature) is a plain
 * nearest-zero scan done a plane at a time (cache-friendly across the strided axis): with
 * integer distances, scipy's walk keeps the earlier zero exactly when it is not farther.
 * Features are only tracked when indices are asked for.
 */
import { shapeSize } from "../ndarray/ndarray.js";

export interface EdtPasses {
  /** Squared distance of every cell to its feature (−1 where no zero cell exists: never returned). */
  readonly squared: Float64Array;
  /** Component a of every cell's feature at [a·size + p], or null when not asked for. */
  readonly features: Int32Array | null;
}

/** Exact-integer bound for the nearest-zero scan's squares. */
const integerScanLimit = 2 ** 26;

/**
 * The passes, or null when there is no zero cell at all (scipy then leaves −1 and zeros in the
 * features, which the caller's literal algorithm reproduces).
 */
export function edtPasses(objects: Uint8Array, shape: readonly number[], sampling: Float64Array | null, withFeatures: boolean): EdtPasses | null {
  if (objects.indexOf(0) < 0) return null;
  const ndim = shape.length;
  const size = shapeSize(shape);
  const squared = new Float64Array(size);
  const features = withFeatures ? new Int32Array(ndim * size) : null;
  if (features !== null) fillCoordinates(features, shape, size);
  if (sampling === null && shape[0] < integerScanLimit) {
    nearestZeroPlanes(objects, shape[0], size / shape[0], squared, features);
  } else {
    for (let p = 0; p < size; p++) squared[p] = objects[p] ? -1 : 0;
    envelopePass(squared, features, shape, 0, sampling === null ? 1 : sampling[0]);
  }
  for (let d = 1; d < ndim; d++) envelopePass(squared, features, shape, d, sampling === null ? 1 : sampling[d]);
  return { squared, features };
}

/** Component a of every cell := its own coordinate a (components after the pass axis stay so). */
function fillCoordinates(features: Int32Array, shape: readonly number[], size: number): void {
  let inner = size;
  for (let a = 0; a < shape.length; a++) {
    const len = shape[a];
    inner /= len;
    const plane = features.subarray(a * size, (a + 1) * size);
    for (let p = 0; p < size;) {
      for (let i = 0; i < len; i++) for (let k = 0; k < inner; k++) plane[p++] = i;
    }
  }
}

/**
 * Axis 0 without sampling: the nearest zero cell along axis 0, the earlier one on a tie (scipy's
 * walk advances only while the next zero is strictly nearer), found by a forward scan for the
 * previous zero and a backward scan for the next, each over whole planes.
 */
function nearestZeroPlanes(objects: Uint8Array, len: number, inner: number, squared: Float64Array, features: Int32Array | null): void {
  const previous = new Int32Array(len * inner);
  const last = new Int32Array(inner).fill(-1);
  for (let i = 0, p = 0; i < len; i++) {
    for (let k = 0; k < inner; k++, p++) {
      if (!objects[p]) last[k] = i;
      previous[p] = last[k];
    }
  }
  const next = last.fill(-1);
  for (let i = len - 1; i >= 0; i--) {
    const row = i * inner;
    for (let k = 0; k < inner; k++) {
      const p = row + k;
      if (!objects[p]) next[k] = i;
      const before = previous[p];
      const after = next[k];
      let nearest: number;
      if (before < 0) nearest = after;
      else if (after < 0) nearest = before;
      else nearest = i - before <= after - i ? before : after;
      if (nearest < 0) {
        squared[p] = -1;
        continue;
      }
      const t = nearest - i;
      squared[p] = t * t;
      if (features !== null) features[p] = nearest;
    }
  }
}

/** The pass along axis d over every line of the array. */
export function envelopePass(squared: Float64Array, features: Int32Array | null, shape: readonly number[], d: number, sd: number): void {
  const len = shape[d];
  const size = squared.length;
  let inner = 1;
  for (let a = d + 1; a < shape.length; a++) inner *= shape[a];
  const outer = size / (len * inner);
  const line: LineScratch = {
    perpendicular: new Float64Array(len), stack: new Int32Array(len),
    sources: features === null ? null : new Int32Array(d * len),
  };
  for (let o = 0; o < outer; o++) {
    const base = o * len * inner;
    for (let k = 0; k < inner; k++) envelopeLine(squared, features, base + k, inner, len, d, sd, line);
  }
}

interface LineScratch {
  readonly perpendicular: Float64Array;
  readonly stack: Int32Array;
  /** The features' components before d, gathered (the line is rewritten in place). */
  readonly sources: Int32Array | null;
}

/**
 * scipy's _VoronoiFT on one line, with uR, vR, wR read from the carried squared distances and
 * the same expressions, in the same order, for the removal test and the compared distances.
 */
function envelopeLine(
  squared: Float64Array, features: Int32Array | null, start: number, stride: number, len: number, d: number, sd: number, line: LineScratch,
): void {
  const { perpendicular, stack, sources } = line;
  const size = squared.length;
  let l = -1;
  for (let i = 0, p = start; i < len; i++, p += stride) {
    const wR = squared[p];
    perpendicular[i] = wR;
    if (wR < 0) continue;
    if (sources !== null) for (let a = 0; a < d; a++) sources[a * len + i] = (features as Int32Array)[a * size + p];
    while (l >= 1) {
      const idx1 = stack[l];
      const idx2 = stack[l - 1];
      const a = (idx1 - idx2) * sd;
      const b = (i - idx1) * sd;
      const c = a + b;
      if (c * perpendicular[idx1] - b * perpendicular[idx2] - a * wR - a * b * c <= 0) break;
      l--;
    }
    stack[++l] = i;
  }
  const maxl = l;
  if (maxl < 0) return;
  l = 0;
  for (let i = 0, p = start; i < len; i++, p += stride) {
    let s = stack[l];
    const t = (s - i) * sd;
    let delta1 = perpendicular[s] + t * t;
    while (l < maxl) {
      const s2 = stack[l + 1];
      const t2 = (s2 - i) * sd;
      const delta2 = perpendicular[s2] + t2 * t2;
      if (delta1 <= delta2) break;
      delta1 = delta2;
      s = s2;
      l++;
    }
    squared[p] = delta1;
    if (features !== null) {
      features[d * size + p] = s;
      for (let a = 0; a < d; a++) features[a * size + p] = (sources as Int32Array)[a * len + s];
    }
  }
}
