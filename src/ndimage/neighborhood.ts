/**
 * Walking a footprint over an array, as scipy's NI_InitFilterOffsets / NI_FILTER_NEXT do: every
 * output point reads the cells at its coordinates plus each footprint offset, in the footprint's
 * C order, and a coordinate outside the array is mapped through the boundary mode on each axis
 * independently (or reads the constant). Offsets of point k on axis a are `k_a − (⌊n_a/2⌋ + origin_a)`.
 *
 * Work is organised by lines along the last axis. For each line the footprint's rows (its cells
 * with the last coordinate dropped) are resolved once to a flat start in the source, so the
 * kernels' inner loops read `data[start_k + x·stride]` and only the few points near the ends of a
 * line need the boundary mapping along the last axis.
 */
import { sourceIndex } from "./boundary.js";
import type { Footprint } from "./footprint.js";
import type { BoundaryMode, NumericArray, OutputRegion } from "./options.js";

/** An array's cells: data, shape, strides (elements) and offset, as an NDArray holds them. */
export interface Source {
  readonly data: NumericArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

export interface Neighborhood {
  readonly ndim: number;
  /** Cells that take part (footprint entries that are on), in C order. */
  readonly count: number;
  /** Offset of cell k on axis a at [k·ndim + a]. */
  readonly offsets: Int32Array;
  /** Smallest and largest offset per axis. */
  readonly low: number[];
  readonly high: number[];
}

export function neighborhoodOf(footprint: Footprint, origins: readonly number[]): Neighborhood {
  const ndim = footprint.shape.length;
  const offsets = new Int32Array(footprint.count * ndim);
  const low = new Array<number>(ndim).fill(Infinity);
  const high = new Array<number>(ndim).fill(-Infinity);
  const position = new Array<number>(ndim).fill(0);
  let k = 0;
  for (let i = 0; i < footprint.mask.length; i++) {
    if (footprint.mask[i]) {
      for (let a = 0; a < ndim; a++) {
        const offset = position[a] - (Math.floor(footprint.shape[a] / 2) + origins[a]);
        offsets[k * ndim + a] = offset;
        low[a] = Math.min(low[a], offset);
        high[a] = Math.max(high[a], offset);
      }
      k++;
    }
    for (let a = ndim - 1; a >= 0; a--) {
      if (++position[a] < footprint.shape[a]) break;
      position[a] = 0;
    }
  }
  return { ndim, count: footprint.count, offsets, low, high };
}

/** Cells on each side, per axis, that a neighbourhood reads (the halo a block needs). */
export function neighborhoodReach(hood: Neighborhood): number[] {
  return hood.low.map((lo, a) => Math.max(0, -lo, hood.high[a]));
}

/** One output line of a walk: where each footprint cell's row starts, and which x need no mapping. */
export interface NeighborhoodLine {
  /** Flat index of cell k at x = 0 (its last-axis offset included; may be negative), or NaN: the row lies outside (constant). */
  readonly starts: Float64Array;
  /** Every row lies inside the array (after mapping). */
  readonly rowsInside: boolean;
  /** For x in [interiorStart, interiorStop) every cell's last coordinate lies inside. */
  readonly interiorStart: number;
  readonly interiorStop: number;
  /** Flat index into the C-ordered output of the line's first point (x = region start). */
  readonly outputIndex: number;
}

/**
 * Calls `visit` once per output line of `region`. The same `line` object is reused (its
 * fields change between calls).
 */
export function forEachNeighborhoodLine(
  source: Source, hood: Neighborhood, mode: BoundaryMode, region: OutputRegion, visit: (line: NeighborhoodLine) => void,
): void {
  const { ndim, count, offsets } = hood;
  const last = ndim - 1;
  const shape = source.shape;
  const n = shape[last];
  const strideLast = source.strides[last];
  const starts = new Float64Array(count);
  const line = {
    starts, rowsInside: true, outputIndex: 0,
    interiorStart: Math.max(region.start[last], -hood.low[last]),
    interiorStop: Math.min(region.stop[last], n - hood.high[last]),
  };
  if (line.interiorStop < line.interiorStart) line.interiorStop = line.interiorStart;
  const lineLength = region.stop[last] - region.start[last];
  if (lineLength <= 0 || region.start.some((s, a) => region.stop[a] <= s)) return;
  const position = [...region.start];
  for (;;) {
    let inside = true;
    for (let k = 0; k < count; k++) {
      let start = source.offset;
      for (let a = 0; a < last; a++) {
        const g = sourceIndex(position[a] + offsets[k * ndim + a], shape[a], mode);
        if (g < 0) {
          start = Number.NaN;
          break;
        }
        start += g * source.strides[a];
      }
      if (Number.isNaN(start)) inside = false;
      else start += offsets[k * ndim + last] * strideLast;
      starts[k] = start;
    }
    line.rowsInside = inside;
    visit(line);
    line.outputIndex += lineLength;
    let a = last - 1;
    for (; a >= 0; a--) {
      if (++position[a] < region.stop[a]) break;
      position[a] = region.start[a];
    }
    if (a < 0) return;
  }
}

/**
 * The values of every footprint cell around point x of a line, into `buffer[0…count)`, with
 * boundary mapping along the last axis; `cval` stands for cells outside in constant mode.
 */
export function gatherNeighborhood(
  source: Source, hood: Neighborhood, mode: BoundaryMode, line: NeighborhoodLine, x: number, cval: number, buffer: Float64Array,
): void {
  const { count, offsets, ndim } = hood;
  const last = ndim - 1;
  const data = source.data;
  const n = source.shape[last];
  const stride = source.strides[last];
  const starts = line.starts;
  if (line.rowsInside && x >= line.interiorStart && x < line.interiorStop) {
    const shift = x * stride;
    for (let k = 0; k < count; k++) buffer[k] = data[starts[k] + shift];
    return;
  }
  for (let k = 0; k < count; k++) {
    const start = starts[k];
    if (start !== start) {
      buffer[k] = cval;
      continue;
    }
    const offset = offsets[k * ndim + last];
    const g = sourceIndex(x + offset, n, mode);
    buffer[k] = g < 0 ? cval : data[start + (g - offset) * stride];
  }
}
