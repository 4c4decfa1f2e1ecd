/**
 * Which input cells a box of a zoom, shift or affine transform's output reads: what the lazy
 * array layer hands each task (as an InputWindow), so that a block of the output computed from
 * its window equals the same box of the whole-array result. Coordinates are computed with the
 * kernels' own arithmetic, then their taps located with the kernels' own boundary logic.
 *
 * Separable transforms (zoom, shift, diagonal matrix) are scanned exactly, index by index. For a
 * full matrix every input coordinate is monotone in each output index (floating-point products
 * with a fixed factor and sums are monotone), so its extremes over a box are at the box's
 * corners; coordinates between them are covered by the taps of the interval, mapped into the
 * array where a mode reflects or wraps them (the whole axis when the interval leaves the array
 * in such a mode).
 *
 * The footprint does not include the prefilter's reach: with prefiltering (order > 1), a window
 * is prefiltered on its own, and its inner edges must lie far enough out (see `depth`).
 */
import { firstTap, mapTap } from "./coordinate-mapping.js";
import { type ExtendMode, prepadWidth, tapMode } from "./interpolation-options.js";
import type { OutputRegion } from "./options.js";
import { filterPoles } from "./spline-prefilter.js";
import { type TapAxis, TapsInside, TapsWithCval, locateTaps } from "./spline-taps.js";
import { type ZoomShiftAxis, zoomShiftCoordinate } from "./zoom-shift.js";

/**
 * A half-open box of input cells, per axis. For grid-wrap it is `periodic`: a stretch of the
 * array's periodic extension that may start below 0 or end past the array (the cells across an
 * edge that a block near it reads), to be read with a periodic boundary.
 */
export interface CellBox {
  readonly start: number[];
  readonly stop: number[];
  readonly periodic: boolean;
}

export interface FootprintSettings {
  readonly order: number;
  readonly mode: ExtendMode;
  readonly prefilter: boolean;
}

/** The virtual axis the kernels interpolate on: the input plus scipy's padding when prefiltered. */
function virtualAxis(n: number, settings: FootprintSettings): TapAxis & { pad: number } {
  const pad = settings.prefilter && settings.order > 1 ? prepadWidth(settings.mode) : 0;
  const length = n + 2 * pad;
  return {
    length, origin: 0, size: length, stride: 1, shift: pad, mode: settings.mode, tapMode: tapMode(settings.mode), order: settings.order,
    periodic: false, pad,
  };
}

/** Cells [lo, hi] (inclusive, virtual indices) as a half-open box of input cells, never empty. */
function toCells(lo: number, hi: number, pad: number, n: number): [number, number] {
  if (hi < lo) return [0, Math.min(1, n)]; // the box reads no cell (all cval): any one cell will do
  const start = Math.min(Math.max(lo - pad, 0), n - 1);
  const stop = Math.min(Math.max(hi - pad, 0), n - 1) + 1;
  return [start, stop];
}

/** The cells a zoom/shift axis reads for output indices [from, to). */
export function separableFootprint(axes: readonly ZoomShiftAxis[], arrayShape: readonly number[], region: OutputRegion, settings: FootprintSettings): CellBox {
  const start: number[] = [];
  const stop: number[] = [];
  const taps = settings.order + 1;
  const offsets = new Int32Array(taps);
  const weights = new Float64Array(taps);
  const flags = new Uint8Array(taps);
  const periodic = settings.mode === "grid-wrap";
  axes.forEach((axisSpec, a) => {
    const axis = virtualAxis(arrayShape[a], settings);
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = region.start[a]; k < region.stop[a]; k++) {
      if (periodic) {
        // The unwrapped taps (grid-wrap pads nothing): the kernel reads each at its copy nearest them.
        const first = firstTap(zoomShiftCoordinate(k, axisSpec), settings.order);
        lo = Math.min(lo, first);
        hi = Math.max(hi, first + settings.order);
        continue;
      }
      const status = locateTaps(zoomShiftCoordinate(k, axisSpec), axis, offsets, weights, flags, 0);
      if (status !== TapsInside && status !== TapsWithCval) continue;
      for (let j = 0; j < taps; j++) {
        if (status === TapsWithCval && flags[j] === 1) continue;
        lo = Math.min(lo, offsets[j]);
        hi = Math.max(hi, offsets[j]);
      }
    }
    const [s, e] = periodic && hi >= lo ? [lo, hi + 1] : toCells(lo, hi, axis.pad, arrayShape[a]);
    start.push(s);
    stop.push(e);
  });
  return { start, stop, periodic };
}

/** The cells a full affine matrix reads for an output box (rows = input axes). */
export function affineFootprint(
  rows: readonly (readonly number[])[], offset: readonly number[], arrayShape: readonly number[], region: OutputRegion, settings: FootprintSettings,
): CellBox {
  const outRank = region.start.length;
  const empty = region.start.some((s, axis) => region.stop[axis] <= s);
  const lows: number[] = [];
  const highs: number[] = [];
  rows.forEach((row, h) => {
    let low = Infinity;
    let high = -Infinity;
    if (!empty) {
      for (let corner = 0; corner < 2 ** outRank; corner++) {
        let value = 0.0;
        for (let l = 0; l < outRank; l++) value += ((corner >> l) & 1 ? region.stop[l] - 1 : region.start[l]) * row[l];
        value += offset[h];
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
    }
    lows.push(low);
    highs.push(high);
  });
  return coordinateFootprint(lows, highs, arrayShape, settings);
}

/**
 * The cells read by coordinates within [low[h], high[h]] on each input axis h (low > high: no
 * coordinate, as for an empty box or only NaN coordinates): the taps of the interval, mapped
 * into the array by the mode. What map_coordinates' blocks read, from their coordinates' extremes.
 */
export function coordinateFootprint(low: readonly number[], high: readonly number[], arrayShape: readonly number[], settings: FootprintSettings): CellBox {
  const start: number[] = [];
  const stop: number[] = [];
  const periodic = settings.mode === "grid-wrap";
  arrayShape.forEach((n, h) => {
    const empty = !(low[h] <= high[h]);
    const axis = virtualAxis(n, settings);
    if (periodic && !empty) {
      start.push(firstTap(low[h], settings.order));
      stop.push(firstTap(high[h], settings.order) + settings.order + 1);
      return;
    }
    const [lo, hi] = empty ? [Infinity, -Infinity] : tapInterval(low[h] + axis.shift, high[h] + axis.shift, axis);
    const [s, e] = toCells(lo, hi, axis.pad, n);
    start.push(s);
    stop.push(e);
  });
  return { start, stop, periodic };
}

/** Virtual cells [lo, hi] read by coordinates in [low, high] (already shifted by the padding). */
function tapInterval(low: number, high: number, axis: TapAxis): [number, number] {
  const { length, mode, order } = axis;
  const top = length - 1;
  if (mode === "constant") {
    // Coordinates outside [0, n − 1] read cval; taps of the rest mirror.
    low = Math.max(low, 0);
    high = Math.min(high, top);
    if (!(low <= high)) return [Infinity, -Infinity];
  } else if (mode !== "nearest" && mode !== "grid-constant" && (low < 0 || high > top)) {
    return [0, top]; // reflected or wrapped coordinates can land anywhere
  }
  const lo = firstTap(low, order);
  const hi = firstTap(high, order) + order;
  if (mode === "grid-constant") return [Math.max(lo, 0), Math.min(hi, top)];
  if (mode === "nearest") return [Math.min(Math.max(lo, 0), top), Math.min(Math.max(hi, 0), top)];
  // Taps past an edge map back inside; they lie within `order` cells of it.
  let mappedLo = Math.max(lo, 0);
  let mappedHi = Math.min(hi, top);
  for (let index = lo; index < 0; index++) {
    const cell = mapTap(index, length, axis.tapMode);
    mappedLo = Math.min(mappedLo, cell);
    mappedHi = Math.max(mappedHi, cell);
  }
  for (let index = hi; index > top; index--) {
    const cell = mapTap(index, length, axis.tapMode);
    mappedLo = Math.min(mappedLo, cell);
    mappedHi = Math.max(mappedHi, cell);
  }
  return [mappedLo, mappedHi];
}

/**
 * The prefilter's reach dask-image uses (`_get_default_depth`): the smallest n with
 * |p|ⁿ < tolerance for the largest pole p, i.e. how far a window's inner edge must lie from the
 * cells it serves for the truncated recursion to matter less than `tolerance` (relative).
 */
export function prefilterDepth(order: number, tolerance = 1e-8): number {
  const poles = filterPoles(order);
  if (poles.length === 0) return 0;
  return Math.ceil(Math.log(tolerance) / Math.log(Math.abs(poles[0])));
}
