/**
 * The line loops in plain TypeScript. The buffer holds `rows + before + after` rows of `lanes`
 * interleaved lines (lanes = 1 for a line along the last axis); output (row i, lane t) reads the
 * cells (i + centreRow + j)·lanes + t and is stored straight into the target array at
 * targetBase + (i − skip)·targetRowStride + t, converted by the TypedArray store.
 *
 * Each output sees exactly scipy's float64 operations in scipy's order (line-kernel.ts). The
 * (anti)symmetric loops compute four rows of one lane together: neighbouring rows read
 * overlapping cells, so a sliding window of eight values needs two new loads per tap instead of
 * eight, and four independent add chains stay in flight. V8 does not vectorise; this layout
 * brings the loops to about 0.7 ns per tap and output.
 */
import type { LineFilter } from "./line-kernel.js";
import type { NumericArray } from "./options.js";

/** How a float64 result becomes the target's value (see `toTarget`). */
export type StoreKind = typeof StoreFloat | typeof StoreInt32Range | typeof StoreUint32;
export const StoreFloat = 0;
/** int8…int32 and uint8/uint16: out-of-int32-range values and NaN become INT32_MIN first. */
export const StoreInt32Range = 1;
/** uint32: a 64-bit truncation; beyond ±2^63 and NaN give 0. */
export const StoreUint32 = 2;

/**
 * C's cast on x86-64 (cvttsd2si), before the TypedArray store truncates and wraps: values the
 * 32-bit conversion cannot represent become INT32_MIN (whose low 8 or 16 bits are 0).
 */
function toTarget(value: number, kind: StoreKind): number {
  if (kind === StoreFloat) return value;
  if (kind === StoreInt32Range) return value > -2147483649 && value < 2147483648 ? value : -2147483648;
  return value > -9223372036854775809 && value < 9223372036854775808 ? value : 0;
}

export interface TileTarget {
  readonly data: NumericArray;
  readonly base: number;
  readonly rowStride: number;
  readonly kind: StoreKind;
}

export function runKernelJs(filter: LineFilter, buffer: Float64Array, rows: number, lanes: number, skip: number, target: TileTarget): void {
  const kernel = filter.kernel;
  const centre = filter.centreRow * lanes;
  switch (kernel.kind) {
    case "symmetric":
      symmetric(buffer, centre, rows, lanes, kernel.centre, kernel.pairs, target);
      return;
    case "antisymmetric":
      antisymmetric(buffer, centre, rows, lanes, kernel.centre, kernel.pairs, target);
      return;
    case "general":
      general(buffer, rows, lanes, kernel.weights, target);
      return;
    case "uniform":
      uniform(buffer, rows, lanes, kernel.size, skip, target);
      return;
  }
}

function symmetric(b: Float64Array, centre: number, rows: number, L: number, w0: number, pairs: Float64Array, target: TileTarget): void {
  const { data: out, base, rowStride: S, kind } = target;
  const radius = pairs.length;
  const L2 = 2 * L;
  const L3 = 3 * L;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    for (let t = 0; t < L; t++) {
      const c = centre + i * L + t;
      let a0 = b[c] * w0;
      let a1 = b[c + L] * w0;
      let a2 = b[c + L2] * w0;
      let a3 = b[c + L3] * w0;
      // Step j reads rows c − j + s (left, held in x) and c + j + s (right, held in y) for the
      // four outputs s. x0…x2 and y1…y3 enter each step loaded; one new cell each side per step.
      let lp = c - radius * L;
      let rp = c + radius * L;
      let x0 = b[lp];
      let x1 = b[lp + L];
      let x2 = b[lp + L2];
      let x3 = 0;
      let y0 = 0;
      let y1 = b[rp + L];
      let y2 = b[rp + L2];
      let y3 = b[rp + L3];
      let k = 0;
      // Four taps per iteration with the window's roles rotated instead of values moved; after
      // four taps the roles are back where they started.
      for (; k + 4 <= radius; k += 4) {
        x3 = b[lp + L3];
        y0 = b[rp];
        let w = pairs[k];
        a0 += (x0 + y0) * w;
        a1 += (x1 + y1) * w;
        a2 += (x2 + y2) * w;
        a3 += (x3 + y3) * w;
        lp += L;
        rp -= L;
        x0 = b[lp + L3];
        y3 = b[rp];
        w = pairs[k + 1];
        a0 += (x1 + y3) * w;
        a1 += (x2 + y0) * w;
        a2 += (x3 + y1) * w;
        a3 += (x0 + y2) * w;
        lp += L;
        rp -= L;
        x1 = b[lp + L3];
        y2 = b[rp];
        w = pairs[k + 2];
        a0 += (x2 + y2) * w;
        a1 += (x3 + y3) * w;
        a2 += (x0 + y0) * w;
        a3 += (x1 + y1) * w;
        lp += L;
        rp -= L;
        x2 = b[lp + L3];
        y1 = b[rp];
        w = pairs[k + 3];
        a0 += (x3 + y1) * w;
        a1 += (x0 + y2) * w;
        a2 += (x1 + y3) * w;
        a3 += (x2 + y0) * w;
        lp += L;
        rp -= L;
      }
      for (; k < radius; k++) {
        x3 = b[lp + L3];
        y0 = b[rp];
        const w = pairs[k];
        a0 += (x0 + y0) * w;
        a1 += (x1 + y1) * w;
        a2 += (x2 + y2) * w;
        a3 += (x3 + y3) * w;
        lp += L;
        rp -= L;
        x0 = x1;
        x1 = x2;
        x2 = x3;
        y3 = y2;
        y2 = y1;
        y1 = y0;
      }
      const p = base + i * S + t;
      out[p] = toTarget(a0, kind);
      out[p + S] = toTarget(a1, kind);
      out[p + 2 * S] = toTarget(a2, kind);
      out[p + 3 * S] = toTarget(a3, kind);
    }
  }
  for (; i < rows; i++) {
    for (let t = 0; t < L; t++) {
      const c = centre + i * L + t;
      let a = b[c] * w0;
      for (let k = 0; k < radius; k++) {
        const d = (radius - k) * L;
        a += (b[c - d] + b[c + d]) * pairs[k];
      }
      out[base + i * S + t] = toTarget(a, kind);
    }
  }
}

function antisymmetric(b: Float64Array, centre: number, rows: number, L: number, w0: number, pairs: Float64Array, target: TileTarget): void {
  const { data: out, base, rowStride: S, kind } = target;
  const radius = pairs.length;
  const L2 = 2 * L;
  const L3 = 3 * L;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    for (let t = 0; t < L; t++) {
      const c = centre + i * L + t;
      let a0 = b[c] * w0;
      let a1 = b[c + L] * w0;
      let a2 = b[c + L2] * w0;
      let a3 = b[c + L3] * w0;
      // Step j reads rows c − j + s (left, held in x) and c + j + s (right, held in y) for the
      // four outputs s. x0…x2 and y1…y3 enter each step loaded; one new cell each side per step.
      let lp = c - radius * L;
      let rp = c + radius * L;
      let x0 = b[lp];
      let x1 = b[lp + L];
      let x2 = b[lp + L2];
      let x3 = 0;
      let y0 = 0;
      let y1 = b[rp + L];
      let y2 = b[rp + L2];
      let y3 = b[rp + L3];
      let k = 0;
      // Four taps per iteration with the window's roles rotated instead of values moved; after
      // four taps the roles are back where they started.
      for (; k + 4 <= radius; k += 4) {
        x3 = b[lp + L3];
        y0 = b[rp];
        let w = pairs[k];
        a0 += (x0 - y0) * w;
        a1 += (x1 - y1) * w;
        a2 += (x2 - y2) * w;
        a3 += (x3 - y3) * w;
        lp += L;
        rp -= L;
        x0 = b[lp + L3];
        y3 = b[rp];
        w = pairs[k + 1];
        a0 += (x1 - y3) * w;
        a1 += (x2 - y0) * w;
        a2 += (x3 - y1) * w;
        a3 += (x0 - y2) * w;
        lp += L;
        rp -= L;
        x1 = b[lp + L3];
        y2 = b[rp];
        w = pairs[k + 2];
        a0 += (x2 - y2) * w;
        a1 += (x3 - y3) * w;
        a2 += (x0 - y0) * w;
        a3 += (x1 - y1) * w;
        lp += L;
        rp -= L;
        x2 = b[lp + L3];
        y1 = b[rp];
        w = pairs[k + 3];
        a0 += (x3 - y1) * w;
        a1 += (x0 - y2) * w;
        a2 += (x1 - y3) * w;
        a3 += (x2 - y0) * w;
        lp += L;
        rp -= L;
      }
      for (; k < radius; k++) {
        x3 = b[lp + L3];
        y0 = b[rp];
        const w = pairs[k];
        a0 += (x0 - y0) * w;
        a1 += (x1 - y1) * w;
        a2 += (x2 - y2) * w;
        a3 += (x3 - y3) * w;
        lp += L;
        rp -= L;
        x0 = x1;
        x1 = x2;
        x2 = x3;
        y3 = y2;
        y2 = y1;
        y1 = y0;
      }
      const p = base + i * S + t;
      out[p] = toTarget(a0, kind);
      out[p + S] = toTarget(a1, kind);
      out[p + 2 * S] = toTarget(a2, kind);
      out[p + 3 * S] = toTarget(a3, kind);
    }
  }
  for (; i < rows; i++) {
    for (let t = 0; t < L; t++) {
      const c = centre + i * L + t;
      let a = b[c] * w0;
      for (let k = 0; k < radius; k++) {
        const d = (radius - k) * L;
        a += (b[c - d] - b[c + d]) * pairs[k];
      }
      out[base + i * S + t] = toTarget(a, kind);
    }
  }
}

function general(b: Float64Array, rows: number, L: number, weights: Float64Array, target: TileTarget): void {
  const { data: out, base, rowStride: S, kind } = target;
  const last = weights.length - 1;
  const wLast = weights[last];
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < L; t++) {
      const first = i * L + t;
      let a = b[first + last * L] * wLast;
      for (let k = 0; k < last; k++) a += b[first + k * L] * weights[k];
      out[base + i * S + t] = toTarget(a, kind);
    }
  }
}

/** Running sums per lane: t = Σ the first `size` rows, then t += entering − leaving; out = t / size. */
function uniform(b: Float64Array, rows: number, L: number, size: number, skip: number, target: TileTarget): void {
  const { data: out, base, rowStride: S, kind } = target;
  const sums = new Float64Array(L); // lanes inner: memory is read row by row
  for (let i = 0; i < size; i++) {
    for (let t = 0; t < L; t++) sums[t] += b[i * L + t];
  }
  for (let i = 0; i < rows; i++) {
    if (i > 0) {
      const leaving = (i - 1) * L;
      const entering = (i - 1 + size) * L;
      for (let t = 0; t < L; t++) sums[t] += b[entering + t] - b[leaving + t];
    }
    if (i < skip) continue;
    const p = base + (i - skip) * S;
    for (let t = 0; t < L; t++) out[p + t] = toTarget(sums[t] / size, kind);
  }
}
