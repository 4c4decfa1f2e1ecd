/**
 * The B-spline prefilter: turns samples into spline coefficients along one axis, a port of
 * scipy 1.10's ni_splines.c (`apply_filter`) with its poles, gain and boundary initialisations.
 *
 * Per pole z the filter is a causal recursion c[i] += z·c[i−1] and an anticausal one
 * c[i] = z·(c[i+1] − c[i]); only the first value of each depends on the boundary mode, through
 * sums over the whole line (Unser et al. 1991 for mirror; Thévenaz for wrap and reflect). A
 * line of length 1 is left as it is, as in scipy.
 *
 * Lines along an axis other than the last are filtered `lanes` at a time in lockstep: with
 * C-ordered data the lines next to each other are adjacent in memory, so every step of the
 * recursions reads one contiguous run. Each line still sees exactly scipy's operations in
 * scipy's order, including the reflect initialisation reading c[0] after it has begun to change.
 */
import { exactPower } from "./exact-power.js";
import type { PrefilterInit } from "./interpolation-options.js";

/** The poles of the order-n B-spline prefilter (ni_splines.c `get_filter_poles`). */
export function filterPoles(order: number): readonly number[] {
  switch (order) {
    case 2:
      return [-0.171572875253809902396622551580603843];
    case 3:
      return [-0.267949192431122706472553658494127633];
    case 4:
      return [-0.361341225900220177092212841325675255, -0.013725429297339121360331226939128204];
    case 5:
      return [-0.430575347099973791851434783493520110, -0.043096288203264653822712376822550182];
    default:
      return [];
  }
}

/**
 * Filters, in place, `lanes` lines of length n: element i of lane j is c[base + i·step + j].
 * `poles` empty (orders 0 and 1) leaves the data alone.
 */
export function filterLines(c: Float64Array, base: number, step: number, lanes: number, n: number, poles: readonly number[], init: PrefilterInit): void {
  if (n <= 1 || poles.length === 0) return;
  let gain = 1.0;
  for (const z of poles) gain *= (1.0 - z) * (1.0 - 1.0 / z);
  const end = base + (n - 1) * step + lanes;
  for (let i = base; i < end; i += step) {
    for (let j = i; j < i + lanes; j++) c[j] *= gain;
  }
  for (const z of poles) {
    causalInit(c, base, step, lanes, n, z, init);
    for (let i = 1; i < n; i++) {
      const row = base + i * step;
      const previous = row - step;
      for (let j = 0; j < lanes; j++) c[row + j] += z * c[previous + j];
    }
    anticausalInit(c, base, step, lanes, n, z, init);
    for (let i = n - 2; i >= 0; i--) {
      const row = base + i * step;
      const next = row + step;
      for (let j = 0; j < lanes; j++) c[row + j] = z * (c[next + j] - c[row + j]);
    }
  }
}

function causalInit(c: Float64Array, base: number, step: number, lanes: number, n: number, z: number, init: PrefilterInit): void {
  const last = base + (n - 1) * step;
  switch (init) {
    case "mirror": {
      const zn1 = exactPower(z, n - 1);
      for (let j = 0; j < lanes; j++) c[base + j] = c[base + j] + zn1 * c[last + j];
      let zi = z;
      for (let i = 1; i < n - 1; i++) {
        const a = base + i * step;
        const b = base + (n - 1 - i) * step;
        for (let j = 0; j < lanes; j++) c[base + j] += zi * (c[a + j] + zn1 * c[b + j]);
        zi *= z;
      }
      const divisor = 1 - zn1 * zn1;
      for (let j = 0; j < lanes; j++) c[base + j] /= divisor;
      return;
    }
    case "wrap": {
      let zi = z;
      for (let i = 1; i < n; i++) {
        const a = base + (n - i) * step;
        for (let j = 0; j < lanes; j++) c[base + j] += zi * c[a + j];
        zi *= z;
      }
      const divisor = 1 - zi;
      for (let j = 0; j < lanes; j++) c[base + j] /= divisor;
      return;
    }
    case "reflect": {
      const zn = exactPower(z, n);
      const first = c.slice(base, base + lanes);
      for (let j = 0; j < lanes; j++) c[base + j] = c[base + j] + zn * c[last + j];
      let zi = z;
      for (let i = 1; i < n; i++) {
        // At i = n − 1 the mirrored cell is c[0] itself, already partly accumulated (as in scipy).
        const a = base + i * step;
        const b = base + (n - 1 - i) * step;
        for (let j = 0; j < lanes; j++) c[base + j] += zi * (c[a + j] + zn * c[b + j]);
        zi *= z;
      }
      const factor = z / (1 - zn * zn);
      for (let j = 0; j < lanes; j++) {
        c[base + j] *= factor;
        c[base + j] += first[j];
      }
      return;
    }
  }
}

function anticausalInit(c: Float64Array, base: number, step: number, lanes: number, n: number, z: number, init: PrefilterInit): void {
  const last = base + (n - 1) * step;
  switch (init) {
    case "mirror": {
      const before = last - step;
      const divisor = z * z - 1;
      for (let j = 0; j < lanes; j++) c[last + j] = (z * c[before + j] + c[last + j]) * z / divisor;
      return;
    }
    case "wrap": {
      let zi = z;
      for (let i = 0; i < n - 1; i++) {
        const a = base + i * step;
        for (let j = 0; j < lanes; j++) c[last + j] += zi * c[a + j];
        zi *= z;
      }
      const factor = z / (zi - 1);
      for (let j = 0; j < lanes; j++) c[last + j] *= factor;
      return;
    }
    case "reflect": {
      const factor = z / (z - 1);
      for (let j = 0; j < lanes; j++) c[last + j] *= factor;
      return;
    }
  }
}

/**
 * Filters every line of a C-ordered float64 array along `axis`, in place. Lines along an inner
 * axis are taken in groups of adjacent lanes (bounded so a group stays in cache). Lines along
 * the last axis are contiguous, so one line's recursion would wait on each step: groups of them
 * are transposed into a lane buffer, filtered in lockstep and copied back.
 */
export function filterAxis(data: Float64Array, shape: readonly number[], axis: number, order: number, init: PrefilterInit): void {
  const n = shape[axis];
  const poles = filterPoles(order);
  if (n <= 1 || poles.length === 0) return;
  let inner = 1;
  for (let a = axis + 1; a < shape.length; a++) inner *= shape[a];
  let outer = 1;
  for (let a = 0; a < axis; a++) outer *= shape[a];
  if (inner === 1) {
    filterContiguousLines(data, outer, n, poles, init);
    return;
  }
  const lanesPerGroup = Math.max(1, Math.min(inner, Math.floor(16384 / n)));
  for (let o = 0; o < outer; o++) {
    const block = o * n * inner;
    for (let lane = 0; lane < inner; lane += lanesPerGroup) {
      filterLines(data, block + lane, inner, Math.min(lanesPerGroup, inner - lane), n, poles, init);
    }
  }
}

/** Transposed lanes per group for lines along the last axis. */
const contiguousLanes = 16;

function filterContiguousLines(data: Float64Array, lines: number, n: number, poles: readonly number[], init: PrefilterInit): void {
  const buffer = new Float64Array(n * contiguousLanes);
  for (let first = 0; first < lines; first += contiguousLanes) {
    const lanes = Math.min(contiguousLanes, lines - first);
    const base = first * n;
    for (let j = 0; j < lanes; j++) {
      const from = base + j * n;
      for (let i = 0; i < n; i++) buffer[i * lanes + j] = data[from + i];
    }
    filterLines(buffer, 0, lanes, lanes, n, poles, init);
    for (let j = 0; j < lanes; j++) {
      const to = base + j * n;
      for (let i = 0; i < n; i++) data[to + i] = buffer[i * lanes + j];
    }
  }
}
