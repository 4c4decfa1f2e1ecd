/**
 * A walk over a footprint's output lines (as neighborhood.ts's forEachNeighborhoodLine) that
 * reuses extended source rows between consecutive lines. The rows one output line reads are
 * source lines (after the mode on the axes before the last) extended along the last axis; the
 * next line along the second-to-last axis reads mostly the same source lines (6 of 9 for a 3×3×3
 * footprint), so each source line is copied and extended once per run of lines instead of once
 * per footprint row. A row is keyed by where its source line starts (its flat offset), or by −1
 * for a line wholly outside the array in constant mode (all cval). Rows are read-only to `visit`.
 */
import { sourceIndex } from "./boundary.js";
import { type Neighborhood, type Source, fillRow, rowLength } from "./neighborhood.js";
import type { BoundaryMode, OutputRegion } from "./options.js";

export function forEachCachedLine(
  source: Source, hood: Neighborhood, mode: BoundaryMode, cval: number, region: OutputRegion,
  visit: (rows: readonly Float64Array[], outputIndex: number) => void,
): void {
  const { ndim } = hood;
  const last = ndim - 1;
  const width = region.stop[last] - region.start[last];
  if (width <= 0 || region.start.some((s, a) => region.stop[a] <= s)) return;
  const length = rowLength(hood, width);
  const first = region.start[last] + hood.low[last];
  const count = hood.rows;
  let rows = new Array<Float64Array>(count);
  let bases = new Float64Array(count);
  // The previous line's rows and their keys; a row it no longer needs returns to `spare`.
  let previousRows = new Array<Float64Array>(count);
  let previousBases = new Float64Array(count).fill(Number.NaN);
  const spare: Float64Array[] = [];
  const position = [...region.start];
  let outputIndex = 0;
  for (;;) {
    for (let r = 0; r < count; r++) {
      let base = source.offset;
      for (let a = 0; a < last; a++) {
        const g = sourceIndex(position[a] + hood.rowOffsets[r * last + a], source.shape[a], mode);
        if (g < 0) {
          base = -1;
          break;
        }
        base += g * source.strides[a];
      }
      const same = bases.subarray(0, r).indexOf(base);
      // A row this line already has (modes can map two offsets to one source line) is shared,
      // keyed NaN so that it is neither taken over nor returned to the spares twice.
      bases[r] = same >= 0 ? Number.NaN : base;
      rows[r] = same >= 0 ? rows[same] : takeOrFill(base);
    }
    for (let r = 0; r < count; r++) if (!Number.isNaN(previousBases[r])) spare.push(previousRows[r]);
    [rows, previousRows] = [previousRows, rows];
    [bases, previousBases] = [previousBases, bases];
    visit(previousRows, outputIndex);
    outputIndex += width;
    let a = last - 1;
    for (; a >= 0; a--) {
      if (++position[a] < region.stop[a]) break;
      position[a] = region.start[a];
    }
    if (a < 0) return;
  }

  /** The previous line's row keyed `base`, or a spare filled for it. */
  function takeOrFill(base: number): Float64Array {
    for (let q = 0; q < count; q++) {
      if (previousBases[q] === base) {
        // Taken over: marked NaN so that it is not returned to the spares after this line.
        previousBases[q] = Number.NaN;
        return previousRows[q];
      }
    }
    const row = spare.pop() ?? new Float64Array(length);
    fillRow(source, base < 0 ? Number.NaN : base, first, mode, cval, row);
    return row;
  }
}
