/**
 * Interpolation at arbitrary coordinates: scipy's NI_GeometricTransform, used by
 * affineTransform (a full matrix) and mapCoordinates. The output is produced one row (the last
 * output axis) at a time: the caller writes the row's input coordinates, the taps of each input
 * axis are located for the whole row (spline-taps.ts for anything near an edge), and each point
 * is summed in C order as
 *
 *   t = Σ ((v · w₀) · w₁) · … · w_last,  from 0.0, left to right,
 *
 * which is scipy's order of operations, so results are bit-identical. Four points are summed
 * together where they all read data only: their add chains are independent, so the CPU overlaps
 * them (one chain alone waits on each addition).
 */
import type { DType } from "../ndarray/dtype.js";
import { NDArray, allocate, shapeSize } from "../ndarray/ndarray.js";
import { storeInterpolated } from "./interpolation-cast.js";
import type { NumericArray } from "./options.js";
import type { SplineSource } from "./spline-source.js";
import { type TapAxis, TapsInside, TapsNaN, TapsOutside, TapsWithCval, locateTaps } from "./spline-taps.js";
import { cubicWeights, splineWeights } from "./spline-weights.js";
import { sum2, sum3Cubic2, sum3Linear, sum3LinearCval, sum3x4, sumTaps } from "./point-sums.js";

/**
 * Writes the input coordinates of one output row: `index` is the row's first point (global
 * output index), `flat` its C-order position in the output box, and coordinate h of point k goes
 * to coordinates[h · length + k].
 */
export type RowCoordinates = (index: readonly number[], flat: number, length: number, coordinates: Float64Array) => void;

/**
 * Samples `source` at the coordinates of every point of an output box of shape `shape` whose
 * first point has global index `start`.
 */
export function samplePoints(
  source: SplineSource, axes: readonly TapAxis[], start: readonly number[], shape: readonly number[],
  coordinatesOf: RowCoordinates, outputDtype: DType, cval: number,
): NDArray {
  const out = allocate(outputDtype, shapeSize(shape)) as NumericArray;
  const result = new NDArray(out, shape, { dtype: outputDtype });
  if (out.length === 0) return result;
  const data = source.data;
  const rank = axes.length;
  const taps = axes[0].order + 1;
  const stride = rank * taps;
  const last = shape.length - 1;
  const length = shape[last];
  const coordinates = new Float64Array(rank * length);
  const offsets = new Int32Array(length * stride);
  const weights = new Float64Array(length * stride);
  const cvalFlags = axes[0].mode === "grid-constant" ? new Uint8Array(length * stride) : null;
  const states = new Uint8Array(length);
  const values = new Float64Array(length);
  const index = [...start];
  const table = axisTable(axes);
  for (let rowStart = 0; rowStart < out.length; rowStart += length) {
    coordinatesOf(index, rowStart, length, coordinates);
    if (rank === 3 && taps === 2) {
      linearRow3(data, coordinates, axes, length, offsets, weights, cvalFlags, cval, values);
    } else if (taps === 1) {
      nearestRow(data, coordinates, axes, table, length, offsets, weights, cvalFlags, cval, values);
    } else {
      sampleRow(data, coordinates, axes, length, offsets, weights, cvalFlags, states, cval, values);
    }
    storeInterpolated(out, rowStart, values, length, outputDtype);
    for (let axis = last - 1; axis >= 0; axis--) {
      if (++index[axis] < start[axis] + shape[axis]) break;
      index[axis] = start[axis];
    }
  }
  return result;
}

/** One row, any rank and order: taps located axis by axis for the whole row, then summed. */
function sampleRow(
  data: NumericArray, coordinates: Float64Array, axes: readonly TapAxis[], length: number,
  offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array | null, states: Uint8Array, cval: number, values: Float64Array,
): void {
  const rank = axes.length;
  const taps = axes[0].order + 1;
  const stride = rank * taps;
  states.fill(TapsInside);
  for (let axis = 0; axis < rank; axis++) locateRow(coordinates, axis, axes[axis], length, stride, offsets, weights, cvalFlags, states);
  let k = 0;
    if (rank === 3) {
      for (; k + 3 < length; k += 4) {
        if (states[k] !== TapsInside || states[k + 1] !== TapsInside || states[k + 2] !== TapsInside || states[k + 3] !== TapsInside) {
          for (let p = k; p < k + 4; p++) values[p] = samplePoint(data, offsets, weights, cvalFlags, states[p], p * stride, rank, taps, cval);
        } else if (taps === 4) {
          sum3Cubic2(data, offsets, weights, k * stride, values, k);
          sum3Cubic2(data, offsets, weights, (k + 2) * stride, values, k + 2);
        } else {
          sum3x4(data, offsets, weights, taps, k * stride, stride, values, k);
        }
      }
    }
  for (; k < length; k++) values[k] = samplePoint(data, offsets, weights, cvalFlags, states[k], k * stride, rank, taps, cval);
}

/**
 * One row of a 3-D order-1 transform (the most common one), each point located and summed in
 * registers when its eight taps lie inside the array and the window; other points go through
 * locateTaps. Same operations in the same order as the general path (splineWeights' order-1
 * weights w0 = 1 − (x − ⌊x⌋), w1 = 1 − w0; taps in C order).
 */
function linearRow3(
  data: NumericArray, coordinates: Float64Array, axes: readonly TapAxis[], length: number,
  offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array | null, cval: number, values: Float64Array,
): void {
  const [a, b, c] = axes;
  const shift = a.shift;
  const topA = a.length - 1;
  const topB = b.length - 1;
  const topC = c.length - 1;
  const sa = a.stride;
  const sb = b.stride;
  const sc = c.stride;
  for (let k = 0; k < length; k++) {
    const xa = coordinates[k] + shift;
    const xb = coordinates[length + k] + shift;
    const xc = coordinates[2 * length + k] + shift;
    if (xa >= 0 && xa <= topA && xb >= 0 && xb <= topB && xc >= 0 && xc <= topC) {
      const fa = Math.floor(xa);
      const fb = Math.floor(xb);
      const fc = Math.floor(xc);
      const la = fa - a.origin;
      const lb = fb - b.origin;
      const lc = fc - c.origin;
      if (fa < topA && fb < topB && fc < topC && la >= 0 && lb >= 0 && lc >= 0 && la + 1 < a.size && lb + 1 < b.size && lc + 1 < c.size) {
        const u0 = 1.0 - (xa - fa);
        const u1 = 1.0 - u0;
        const v0 = 1.0 - (xb - fb);
        const v1 = 1.0 - v0;
        const w0 = 1.0 - (xc - fc);
        const w1 = 1.0 - w0;
        const p = la * sa + lb * sb + lc * sc;
        let t = 0.0;
        t += ((data[p] * u0) * v0) * w0;
        t += ((data[p + sc] * u0) * v0) * w1;
        t += ((data[p + sb] * u0) * v1) * w0;
        t += ((data[p + sb + sc] * u0) * v1) * w1;
        t += ((data[p + sa] * u1) * v0) * w0;
        t += ((data[p + sa + sc] * u1) * v0) * w1;
        t += ((data[p + sa + sb] * u1) * v1) * w0;
        t += ((data[p + sa + sb + sc] * u1) * v1) * w1;
        values[k] = t;
        continue;
      }
    }
    values[k] = locateAndSum(data, coordinates, axes, length, k, offsets, weights, cvalFlags, cval);
  }
}

/** One point by the general route (locateTaps on every axis), for points near an edge. */
function locateAndSum(
  data: NumericArray, coordinates: Float64Array, axes: readonly TapAxis[], length: number, k: number,
  offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array | null, cval: number,
): number {
  const rank = axes.length;
  const taps = axes[0].order + 1;
  let state: number = TapsInside;
  for (let axis = 0; axis < rank && state !== TapsOutside && state !== TapsNaN; axis++) {
    state = worse(state, locateTaps(coordinates[axis * length + k], axes[axis], offsets, weights, cvalFlags, axis * taps));
  }
  if (rank === 3 && taps === 2) {
    if (state === TapsInside) return sum3Linear(data, offsets, weights, 0);
    if (state === TapsWithCval) return sum3LinearCval(data, offsets, weights, cvalFlags as Uint8Array, cval);
  }
  return samplePoint(data, offsets, weights, cvalFlags, state, 0, rank, taps, cval);
}

/** The axes' numbers as typed arrays, for loops over axes. */
interface AxisTable {
  readonly shift: number;
  readonly tops: Float64Array;
  readonly origins: Float64Array;
  readonly sizes: Float64Array;
  readonly strides: Float64Array;
}

function axisTable(axes: readonly TapAxis[]): AxisTable {
  return {
    shift: axes[0].shift,
    tops: Float64Array.from(axes, (a) => a.length - 1),
    origins: Float64Array.from(axes, (a) => a.origin),
    sizes: Float64Array.from(axes, (a) => a.size),
    strides: Float64Array.from(axes, (a) => a.stride),
  };
}

/**
 * One row of an order-0 transform: each point reads one cell, t = 0.0 + v (no weights), located
 * directly when inside the array and the window.
 */
function nearestRow(
  data: NumericArray, coordinates: Float64Array, axes: readonly TapAxis[], table: AxisTable, length: number,
  offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array | null, cval: number, values: Float64Array,
): void {
  const rank = axes.length;
  const { shift, tops, origins, sizes, strides } = table;
  next: for (let k = 0; k < length; k++) {
    let offset = 0;
    for (let axis = 0, at = k; axis < rank; axis++, at += length) {
      const x = coordinates[at] + shift;
      const local = Math.floor(x + 0.5) - origins[axis];
      if (!(x >= 0 && x <= tops[axis] && local >= 0 && local < sizes[axis])) {
        values[k] = locateAndSum(data, coordinates, axes, length, k, offsets, weights, cvalFlags, cval);
        continue next;
      }
      offset += local * strides[axis];
    }
    values[k] = 0.0 + data[offset];
  }
}

/** The statuses in order of precedence: a point outside or NaN on any axis is that, whatever the others say. */
function worse(a: number, b: number): number {
  if (a === TapsOutside || b === TapsOutside) return TapsOutside;
  if (a === TapsNaN || b === TapsNaN) return TapsNaN;
  return a === TapsWithCval || b === TapsWithCval ? TapsWithCval : TapsInside;
}

/**
 * Locates one axis's taps for every point of a row. Taps well inside the array (the common case)
 * are located here directly, order 1's weights inline (splineWeights' expressions:
 * w0 = 1 − (x − ⌊x⌋), w1 = 1 − w0); the rest go through locateTaps.
 */
function locateRow(
  coordinates: Float64Array, axis: number, a: TapAxis, length: number, stride: number,
  offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array | null, states: Uint8Array,
): void {
  const order = a.order;
  const taps = order + 1;
  const half = order >> 1;
  const odd = (order & 1) === 1;
  const { shift, origin, size, stride: step } = a;
  const top = a.length - 1;
  const from = axis * length;
  if (order === 1 && cvalFlags === null) {
    locateRowLinear(coordinates, from, axis * taps, a, length, stride, offsets, weights, states);
    return;
  }
  for (let k = 0; k < length; k++) {
    const at = k * stride + axis * taps;
    const coordinate = coordinates[from + k];
    const cc = coordinate + shift;
    if (cc >= 0 && cc <= top) {
      const first = (odd ? Math.floor(cc) : Math.floor(cc + 0.5)) - half;
      const local = first - origin;
      if (first + order <= top && local >= 0 && local + order < size) {
        let offset = local * step;
        for (let j = 0; j < taps; j++, offset += step) offsets[at + j] = offset;
        if (cvalFlags !== null) cvalFlags.fill(0, at, at + taps);
        if (order === 1) {
          const w0 = 1.0 - (cc - Math.floor(cc));
          weights[at] = w0;
          weights[at + 1] = 1.0 - w0;
        } else if (order === 3) {
          cubicWeights(cc, weights, at);
        } else if (order === 0) {
          weights[at] = 1;
        } else {
          splineWeights(cc, order, weights, at);
        }
        continue;
      }
    }
    if (states[k] === TapsOutside || states[k] === TapsNaN) continue;
    states[k] = worse(states[k], locateTaps(coordinate, a, offsets, weights, cvalFlags, at));
  }
}

/** locateRow for order 1 without grid-constant flags, the most common case, in its simplest form. */
function locateRowLinear(
  coordinates: Float64Array, from: number, axisAt: number, a: TapAxis, length: number, stride: number,
  offsets: Int32Array, weights: Float64Array, states: Uint8Array,
): void {
  const { shift, origin, size, stride: step } = a;
  const top = a.length - 1;
  for (let k = 0; k < length; k++) {
    const at = k * stride + axisAt;
    const coordinate = coordinates[from + k];
    const cc = coordinate + shift;
    if (cc >= 0 && cc <= top) {
      const first = Math.floor(cc);
      const local = first - origin;
      if (first + 1 <= top && local >= 0 && local + 1 < size) {
        const offset = local * step;
        offsets[at] = offset;
        offsets[at + 1] = offset + step;
        const w0 = 1.0 - (cc - first);
        weights[at] = w0;
        weights[at + 1] = 1.0 - w0;
        continue;
      }
    }
    if (states[k] === TapsOutside || states[k] === TapsNaN) continue;
    states[k] = worse(states[k], locateTaps(coordinate, a, offsets, weights, null, at));
  }
}

function samplePoint(
  data: NumericArray, offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array | null, state: number,
  at: number, rank: number, taps: number, cval: number,
): number {
  if (state === TapsOutside) return cval;
  if (state === TapsNaN) return Number.NaN;
  if (state === TapsInside && rank === 2) return sum2(data, offsets, weights, at, taps);
  return sumTaps(data, offsets, weights, state === TapsWithCval ? cvalFlags : null, at, rank, taps, cval);
}

