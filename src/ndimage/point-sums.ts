/**
 * The tap sums of the point sampler: for one point (or two or four neighbouring ones, whose add
 * chains the CPU then overlaps), Σ ((v · w₀) · w₁) · … in C order from 0.0, scipy's order of
 * operations. Offsets and weights are laid out per point as [axis][tap], `at` the point's first.
 */
import type { NumericArray } from "./options.js";

/** One point in 2-D, taps in C order. */
export function sum2(data: NumericArray, offsets: Int32Array, weights: Float64Array, at: number, taps: number): number {
  let t = 0.0;
  for (let j0 = at; j0 < at + taps; j0++) {
    const row = offsets[j0];
    const w0 = weights[j0];
    for (let j1 = at + taps; j1 < at + 2 * taps; j1++) t += (data[row + offsets[j1]] * w0) * weights[j1];
  }
  return t;
}

/** One point of order 1 in 3-D, its eight taps written out (the CPU overlaps neighbouring calls). */
export function sum3Linear(data: NumericArray, offsets: Int32Array, weights: Float64Array, at: number): number {
  const a0 = offsets[at];
  const a1 = offsets[at + 1];
  const b0 = offsets[at + 2];
  const b1 = offsets[at + 3];
  const c0 = offsets[at + 4];
  const c1 = offsets[at + 5];
  const u0 = weights[at];
  const u1 = weights[at + 1];
  const v0 = weights[at + 2];
  const v1 = weights[at + 3];
  const w0 = weights[at + 4];
  const w1 = weights[at + 5];
  let t = 0.0;
  t += ((data[a0 + b0 + c0] * u0) * v0) * w0;
  t += ((data[a0 + b0 + c1] * u0) * v0) * w1;
  t += ((data[a0 + b1 + c0] * u0) * v1) * w0;
  t += ((data[a0 + b1 + c1] * u0) * v1) * w1;
  t += ((data[a1 + b0 + c0] * u1) * v0) * w0;
  t += ((data[a1 + b0 + c1] * u1) * v0) * w1;
  t += ((data[a1 + b1 + c0] * u1) * v1) * w0;
  t += ((data[a1 + b1 + c1] * u1) * v1) * w1;
  return t;
}

/** sum3Linear at offset 0 with grid-constant's cval taps (a tap reads cval if flagged on any axis). */
export function sum3LinearCval(data: NumericArray, offsets: Int32Array, weights: Float64Array, flags: Uint8Array, cval: number): number {
  let t = 0.0;
  for (let j0 = 0; j0 < 2; j0++) {
    for (let j1 = 2; j1 < 4; j1++) {
      for (let j2 = 4; j2 < 6; j2++) {
        const v = flags[j0] === 1 || flags[j1] === 1 || flags[j2] === 1 ? cval : data[offsets[j0] + offsets[j1] + offsets[j2]];
        t += ((v * weights[j0]) * weights[j1]) * weights[j2];
      }
    }
  }
  return t;
}

/**
 * Two neighbouring points of order 3 in 3-D (stride 12 apart), their add chains interleaved;
 * each point's last-axis taps held in registers.
 */
export function sum3Cubic2(data: NumericArray, offsets: Int32Array, weights: Float64Array, at: number, values: Float64Array, k: number): void {
  const bt = at + 12;
  const a0 = offsets[at + 8];
  const a1 = offsets[at + 9];
  const a2 = offsets[at + 10];
  const a3 = offsets[at + 11];
  const x0 = weights[at + 8];
  const x1 = weights[at + 9];
  const x2 = weights[at + 10];
  const x3 = weights[at + 11];
  const b0 = offsets[bt + 8];
  const b1 = offsets[bt + 9];
  const b2 = offsets[bt + 10];
  const b3 = offsets[bt + 11];
  const y0 = weights[bt + 8];
  const y1 = weights[bt + 9];
  const y2 = weights[bt + 10];
  const y3 = weights[bt + 11];
  let s = 0.0;
  let t = 0.0;
  for (let j0 = 0; j0 < 4; j0++) {
    const pa = offsets[at + j0];
    const ua = weights[at + j0];
    const pb = offsets[bt + j0];
    const ub = weights[bt + j0];
    for (let j1 = 4; j1 < 8; j1++) {
      const p = pa + offsets[at + j1];
      const v = weights[at + j1];
      const q = pb + offsets[bt + j1];
      const w = weights[bt + j1];
      s += ((data[p + a0] * ua) * v) * x0;
      t += ((data[q + b0] * ub) * w) * y0;
      s += ((data[p + a1] * ua) * v) * x1;
      t += ((data[q + b1] * ub) * w) * y1;
      s += ((data[p + a2] * ua) * v) * x2;
      t += ((data[q + b2] * ub) * w) * y2;
      s += ((data[p + a3] * ua) * v) * x3;
      t += ((data[q + b3] * ub) * w) * y3;
    }
  }
  values[k] = s;
  values[k + 1] = t;
}

/** Four neighbouring points (`stride` apart) of any order in 3-D, their chains interleaved. */
export function sum3x4(data: NumericArray, offsets: Int32Array, weights: Float64Array, taps: number, at: number, stride: number, values: Float64Array, k: number): void {
  const b0 = at;
  const b1 = at + stride;
  const b2 = b1 + stride;
  const b3 = b2 + stride;
  const second = taps;
  const third = 2 * taps;
  let t0 = 0.0;
  let t1 = 0.0;
  let t2 = 0.0;
  let t3 = 0.0;
  for (let j0 = 0; j0 < taps; j0++) {
    for (let j1 = second; j1 < third; j1++) {
      const o0 = offsets[b0 + j0] + offsets[b0 + j1];
      const o1 = offsets[b1 + j0] + offsets[b1 + j1];
      const o2 = offsets[b2 + j0] + offsets[b2 + j1];
      const o3 = offsets[b3 + j0] + offsets[b3 + j1];
      const u0 = weights[b0 + j0];
      const u1 = weights[b1 + j0];
      const u2 = weights[b2 + j0];
      const u3 = weights[b3 + j0];
      const v0 = weights[b0 + j1];
      const v1 = weights[b1 + j1];
      const v2 = weights[b2 + j1];
      const v3 = weights[b3 + j1];
      for (let j2 = third; j2 < third + taps; j2++) {
        t0 += ((data[o0 + offsets[b0 + j2]] * u0) * v0) * weights[b0 + j2];
        t1 += ((data[o1 + offsets[b1 + j2]] * u1) * v1) * weights[b1 + j2];
        t2 += ((data[o2 + offsets[b2 + j2]] * u2) * v2) * weights[b2 + j2];
        t3 += ((data[o3 + offsets[b3 + j2]] * u3) * v3) * weights[b3 + j2];
      }
    }
  }
  values[k] = t0;
  values[k + 1] = t1;
  values[k + 2] = t2;
  values[k + 3] = t3;
}

/** One point of any rank, taps in C order; taps flagged in `cvalFlags` (grid-constant) read cval. */
export function sumTaps(data: NumericArray, offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array | null, at: number, rank: number, taps: number, cval: number): number {
  const tap = new Array<number>(rank).fill(0);
  const total = taps ** rank;
  let t = 0.0;
  for (let n = 0; n < total; n++) {
    let offset = 0;
    let flagged = false;
    for (let axis = 0; axis < rank; axis++) {
      const i = at + axis * taps + tap[axis];
      offset += offsets[i];
      if (cvalFlags !== null && cvalFlags[i] === 1) flagged = true;
    }
    let coeff = flagged ? cval : data[offset];
    for (let axis = 0; axis < rank; axis++) coeff *= weights[at + axis * taps + tap[axis]];
    t += coeff;
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++tap[axis] < taps) break;
      tap[axis] = 0;
    }
  }
  return t;
}
