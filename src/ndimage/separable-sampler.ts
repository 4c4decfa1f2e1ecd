/**
 * Interpolation when each input coordinate depends on one output coordinate (zoom, shift, a
 * diagonal affine matrix): scipy's NI_ZoomShift. Taps and weights are located once per axis and
 * output index; each output value is then
 *
 *   t = Σ over taps in C order (axis 0 slowest) of ((v · w₀) · w₁) · … · w_last
 *
 * accumulated left to right from 0.0, exactly as scipy does (the products cannot be regrouped
 * without changing the rounding). For each row of the output (fixed indices on all axes but the
 * last) the combinations of the outer axes' taps are formed once: their summed offsets and
 * their weights in order. The inner loop then runs over the last axis's taps only.
 */
import type { DType } from "../ndarray/dtype.js";
import { NDArray, allocate, shapeSize } from "../ndarray/ndarray.js";
import { storeInterpolated } from "./interpolation-cast.js";
import type { NumericArray } from "./options.js";
import type { SplineSource } from "./spline-source.js";
import { type TapAxis, TapsInside, TapsOutside, TapsWithCval, locateTaps } from "./spline-taps.js";

/** Taps and weights of every output index along one axis. */
export interface AxisPlan {
  readonly count: number;
  readonly status: Uint8Array;
  readonly offsets: Int32Array;
  readonly weights: Float64Array;
  readonly cvalFlags: Uint8Array | null;
}

export function planAxis(count: number, coordinateOf: (k: number) => number, axis: TapAxis): AxisPlan {
  const taps = axis.order + 1;
  const status = new Uint8Array(count);
  const offsets = new Int32Array(count * taps);
  const weights = new Float64Array(count * taps);
  const cvalFlags = axis.mode === "grid-constant" ? new Uint8Array(count * taps) : null;
  for (let k = 0; k < count; k++) status[k] = locateTaps(coordinateOf(k), axis, offsets, weights, cvalFlags, k * taps);
  return { count, status, offsets, weights, cvalFlags };
}

export function sampleSeparable(source: SplineSource, plans: readonly AxisPlan[], taps: number, outputDtype: DType, cval: number): NDArray {
  const shape = plans.map((plan) => plan.count);
  const out = allocate(outputDtype, shapeSize(shape)) as NumericArray;
  const result = new NDArray(out, shape, { dtype: outputDtype });
  if (out.length === 0) return result;
  const data = source.data;
  const rank = plans.length;
  const outer = plans.slice(0, rank - 1);
  const lastPlan = plans[rank - 1];
  const rowLength = lastPlan.count;
  const comboCount = taps ** (rank - 1);
  const comboOffsets = new Int32Array(comboCount);
  // At least two weights per combination: 1-D and 2-D pad with 1.0, which multiplies exactly
  // (v · 1 = v for every double), so one set of loops serves ranks 1–3.
  const comboWeights = new Float64Array(comboCount * Math.max(rank - 1, 2)).fill(1.0);
  const comboCval = new Uint8Array(comboCount);
  const values = new Float64Array(rowLength);
  const index = new Array<number>(rank - 1).fill(0);
  for (let base = 0; base < out.length; base += rowLength) {
    const rowState = formCombos(outer, index, taps, comboOffsets, comboWeights, comboCval);
    if (rowState === TapsOutside) {
      values.fill(cval);
    } else {
      sampleRow(data, lastPlan, taps, rank, comboCount, comboOffsets, comboWeights, rowState === TapsWithCval ? comboCval : null, cval, values);
    }
    storeInterpolated(out, base, values, rowLength, outputDtype);
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis] < plans[axis].count) break;
      index[axis] = 0;
    }
  }
  return result;
}

/**
 * The outer axes' tap combinations for one row, in C order: summed offsets, the weights of
 * axes 0 … rank−2 in order, and whether any of them reads cval. Returns the row's status.
 */
function formCombos(
  outer: readonly AxisPlan[], index: readonly number[], taps: number,
  offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array,
): number {
  let state = TapsInside;
  for (let axis = 0; axis < outer.length; axis++) {
    const status = outer[axis].status[index[axis]];
    if (status === TapsOutside) return TapsOutside;
    if (status === TapsWithCval) state = TapsWithCval;
  }
  const depth = outer.length;
  const width = Math.max(depth, 2);
  const count = offsets.length;
  for (let combo = 0; combo < count; combo++) {
    let offset = 0;
    let flagged = 0;
    let rest = combo;
    for (let axis = depth - 1; axis >= 0; axis--) {
      const j = rest % taps;
      rest = (rest - j) / taps;
      const plan = outer[axis];
      const at = index[axis] * taps + j;
      offset += plan.offsets[at];
      weights[combo * width + axis] = plan.weights[at];
      if (plan.cvalFlags && plan.cvalFlags[at]) flagged = 1;
    }
    offsets[combo] = offset;
    cvalFlags[combo] = flagged;
  }
  return state;
}

function sampleRow(
  data: NumericArray, last: AxisPlan, taps: number, rank: number, comboCount: number,
  comboOffsets: Int32Array, comboWeights: Float64Array, comboCval: Uint8Array | null, cval: number, values: Float64Array,
): void {
  const depth = rank - 1;
  const { offsets, weights, status } = last;
  let k = 0;
  // Four outputs at a time where all read data only: their add chains are independent, so the
  // CPU overlaps them (each chain alone waits on its previous addition).
  if (comboCval === null && depth <= 2) {
    for (; k + 3 < last.count; k += 4) {
      if (status[k] !== TapsInside || status[k + 1] !== TapsInside || status[k + 2] !== TapsInside || status[k + 3] !== TapsInside) {
        for (let p = k; p < k + 4; p++) values[p] = samplePoint(data, last, p, taps, depth, comboCount, comboOffsets, comboWeights, comboCval, cval);
      } else {
        sum4(data, comboCount, comboOffsets, comboWeights, offsets, weights, k * taps, taps, values, k);
      }
    }
  }
  for (; k < last.count; k++) values[k] = samplePoint(data, last, k, taps, depth, comboCount, comboOffsets, comboWeights, comboCval, cval);
}

function samplePoint(
  data: NumericArray, last: AxisPlan, k: number, taps: number, depth: number, comboCount: number,
  comboOffsets: Int32Array, comboWeights: Float64Array, comboCval: Uint8Array | null, cval: number,
): number {
  const status = last.status[k];
  if (status === TapsOutside) return cval;
  const at = k * taps;
  if (comboCval === null && status === TapsInside && depth <= 2) {
    let t = 0.0;
    const { offsets, weights } = last;
    for (let c = 0; c < comboCount; c++) {
      const base = comboOffsets[c];
      const w0 = comboWeights[2 * c];
      const w1 = comboWeights[2 * c + 1];
      for (let j = 0; j < taps; j++) t += ((data[base + offsets[at + j]] * w0) * w1) * weights[at + j];
    }
    return t;
  }
  return sumN(data, depth, comboCount, comboOffsets, comboWeights, comboCval, last.offsets, last.weights, last.cvalFlags, at, taps, cval);
}

/** Four consecutive outputs of a row (ranks 1–3: two combination weights each, padded with 1.0). */
function sum4(data: NumericArray, combos: number, comboOffsets: Int32Array, comboWeights: Float64Array, offsets: Int32Array, weights: Float64Array, at: number, taps: number, values: Float64Array, k: number): void {
  const a1 = at + taps;
  const a2 = a1 + taps;
  const a3 = a2 + taps;
  let t0 = 0.0;
  let t1 = 0.0;
  let t2 = 0.0;
  let t3 = 0.0;
  for (let c = 0; c < combos; c++) {
    const base = comboOffsets[c];
    const w0 = comboWeights[2 * c];
    const w1 = comboWeights[2 * c + 1];
    for (let j = 0; j < taps; j++) {
      t0 += ((data[base + offsets[at + j]] * w0) * w1) * weights[at + j];
      t1 += ((data[base + offsets[a1 + j]] * w0) * w1) * weights[a1 + j];
      t2 += ((data[base + offsets[a2 + j]] * w0) * w1) * weights[a2 + j];
      t3 += ((data[base + offsets[a3 + j]] * w0) * w1) * weights[a3 + j];
    }
  }
  values[k] = t0;
  values[k + 1] = t1;
  values[k + 2] = t2;
  values[k + 3] = t3;
}

/** Any rank, with cval taps (grid-constant) where flagged. */
function sumN(
  data: NumericArray, depth: number, combos: number, comboOffsets: Int32Array, comboWeights: Float64Array, comboCval: Uint8Array | null,
  offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array | null, at: number, taps: number, cval: number,
): number {
  const width = Math.max(depth, 2);
  let t = 0.0;
  for (let c = 0; c < combos; c++) {
    const base = comboOffsets[c];
    const outerCval = comboCval !== null && comboCval[c] === 1;
    for (let j = 0; j < taps; j++) {
      let coeff = outerCval || (cvalFlags !== null && cvalFlags[at + j] === 1) ? cval : data[base + offsets[at + j]];
      for (let a = 0; a < depth; a++) coeff *= comboWeights[c * width + a];
      coeff *= weights[at + j];
      t += coeff;
    }
  }
  return t;
}
