/**
 * Walking a footprint over an array, as scipy's NI_InitFilterOffsets / NI_FILTER_NEXT do: every
 * output point reads the cells at its coordinates plus each footprint offset, in the footprint's
 * C order, and a coordinate outside the array is mapped through the boundary mode on each axis
 * independently (or reads the constant). Offsets of cell k on axis a are `k_a − (⌊n_a/2⌋ + origin_a)`.
 *
 * Work is organised by lines along the last axis. The footprint's cells fall into "rows" (cells
 * sharing their offsets on every axis but the last); for each output line, each row of the
 * source is copied once into a float64 buffer already extended by the mode at both ends. Cell k
 * of output i then reads `rows[rowOf[k]][i + shift[k]]`: one contiguous, monomorphic read, the
 * same code for the interior and the edges, whatever the input's dtype and strides.
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
  /** Number of distinct rows, and the row of each cell. */
  readonly rows: number;
  readonly rowOf: Int32Array;
  /** Offsets of row r on the axes before the last at [r·(ndim−1) + a]. */
  readonly rowOffsets: Int32Array;
  /** Where cell k of output i sits in its extended row: i + shift[k]. */
  readonly shift: Int32Array;
}

export function neighborhoodOf(footprint: Footprint, origins: readonly number[]): Neighborhood {
  const ndim = footprint.shape.length;
  const last = ndim - 1;
  const offsets = new Int32Array(footprint.count * ndim);
  const low = new Array<number>(ndim).fill(Infinity);
  const high = new Array<number>(ndim).fill(-Infinity);
  const position = new Array<number>(ndim).fill(0);
  const rowKeys = new Map<string, number>();
  const rowOf = new Int32Array(footprint.count);
  const rowOffsets: number[] = [];
  let k = 0;
  for (let i = 0; i < footprint.mask.length; i++) {
    if (footprint.mask[i]) {
      for (let a = 0; a < ndim; a++) {
        const offset = position[a] - (Math.floor(footprint.shape[a] / 2) + origins[a]);
        offsets[k * ndim + a] = offset;
        low[a] = Math.min(low[a], offset);
        high[a] = Math.max(high[a], offset);
      }
      const outer = Array.from(offsets.subarray(k * ndim, k * ndim + last));
      const key = outer.join(",");
      let row = rowKeys.get(key);
      if (row === undefined) {
        row = rowKeys.size;
        rowKeys.set(key, row);
        rowOffsets.push(...outer);
      }
      rowOf[k] = row;
      k++;
    }
    for (let a = ndim - 1; a >= 0; a--) {
      if (++position[a] < footprint.shape[a]) break;
      position[a] = 0;
    }
  }
  const shift = new Int32Array(footprint.count);
  for (let c = 0; c < footprint.count; c++) shift[c] = offsets[c * ndim + last] - low[last];
  return { ndim, count: footprint.count, offsets, low, high, rows: rowKeys.size, rowOf, rowOffsets: Int32Array.from(rowOffsets), shift };
}

/** Cells on each side, per axis, that a neighbourhood reads (the halo a block needs). */
export function neighborhoodReach(hood: Neighborhood): number[] {
  return hood.low.map((lo, a) => Math.max(0, -lo, hood.high[a]));
}

/** One output line of a walk. */
export interface NeighborhoodLine<Row extends RowBuffer = Float64Array> {
  /** The extended source rows (see `Neighborhood.shift`); length: line width + high − low on the last axis. */
  readonly rows: readonly Row[];
  /** Flat index into the C-ordered output of the line's first point. */
  readonly outputIndex: number;
  /** The line's coordinates on the axes before the last. */
  readonly position: readonly number[];
}

/** A buffer a row can be copied into. */
export type RowBuffer = Float64Array | Float32Array | Uint8Array;

/** Length of the extended rows for lines of `width` outputs. */
export function rowLength(hood: Neighborhood, width: number): number {
  return width + hood.high[hood.ndim - 1] - hood.low[hood.ndim - 1];
}

/**
 * Calls `visit` once per output line of `region` (C order). Rows outside the array in constant
 * mode read `cval`. The same `line` object and row buffers are reused between calls: float64
 * buffers unless `buffers` gives others (one per row, `rowLength` long, e.g. views of WASM memory).
 */
export function forEachNeighborhoodLine<Row extends RowBuffer = Float64Array>(
  source: Source, hood: Neighborhood, mode: BoundaryMode, cval: number, region: OutputRegion,
  visit: (line: NeighborhoodLine<Row>) => void, buffers?: Row[],
): void {
  const { ndim } = hood;
  const last = ndim - 1;
  const width = region.stop[last] - region.start[last];
  if (width <= 0 || region.start.some((s, a) => region.stop[a] <= s)) return;
  const rows = buffers ?? (Array.from({ length: hood.rows }, () => new Float64Array(rowLength(hood, width))) as Row[]);
  const position = [...region.start];
  const line = { rows, outputIndex: 0, position };
  const first = region.start[last] + hood.low[last];
  for (;;) {
    for (let r = 0; r < hood.rows; r++) {
      let base = source.offset;
      for (let a = 0; a < last; a++) {
        const g = sourceIndex(position[a] + hood.rowOffsets[r * last + a], source.shape[a], mode);
        if (g < 0) {
          base = Number.NaN;
          break;
        }
        base += g * source.strides[a];
      }
      fillRow(source, base, first, mode, cval, rows[r]);
    }
    visit(line);
    line.outputIndex += width;
    let a = last - 1;
    for (; a >= 0; a--) {
      if (++position[a] < region.stop[a]) break;
      position[a] = region.start[a];
    }
    if (a < 0) return;
  }
}

/** row[e] = the source row (flat start `base` at x = 0; NaN: outside) at x = first + e, extended by the mode. */
export function fillRow(source: Source, base: number, first: number, mode: BoundaryMode, cval: number, row: RowBuffer): void {
  if (Number.isNaN(base)) {
    row.fill(cval);
    return;
  }
  const last = source.shape.length - 1;
  const n = source.shape[last];
  const stride = source.strides[last];
  const data = source.data;
  // A footprint reaching past a short line may leave the row wholly before (or after) the array.
  const insideStart = Math.min(row.length, Math.max(0, -first));
  const insideStop = Math.max(insideStart, Math.min(row.length, n - first));
  for (let e = 0; e < insideStart; e++) {
    const g = sourceIndex(first + e, n, mode);
    row[e] = g < 0 ? cval : data[base + g * stride];
  }
  const from = base + (first + insideStart) * stride;
  if (stride === 1) {
    row.set(data.subarray(from, from + insideStop - insideStart), insideStart);
  } else {
    for (let e = insideStart, s = from; e < insideStop; e++, s += stride) row[e] = data[s];
  }
  for (let e = insideStop; e < row.length; e++) {
    const g = sourceIndex(first + e, n, mode);
    row[e] = g < 0 ? cval : data[base + g * stride];
  }
}

/** The values of every footprint cell around output i of a line, into `buffer[0…count)`. */
export function gatherNeighborhood(hood: Neighborhood, line: NeighborhoodLine, i: number, buffer: Float64Array): void {
  const { count, rowOf, shift } = hood;
  const rows = line.rows;
  for (let k = 0; k < count; k++) buffer[k] = rows[rowOf[k]][i + shift[k]];
}
