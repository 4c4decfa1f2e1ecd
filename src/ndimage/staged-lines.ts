/**
 * The footprint walk of the SIMD kernels with every source row staged once. The per-line walk
 * (neighborhood.ts) copies each footprint row of each output line into staging: a source row is
 * converted once per footprint row that reads it (5 times for a 3-D cross, 9 for a 3×3×3 box).
 * Here each source row is converted (to the kernel's lanes) and extended by the mode on the last
 * axis once, on first use, into its own slot of the kernels' memory, and a line passes the kernel
 * the addresses of the slots its footprint rows read: the same values at the same positions, so
 * the kernels' results are unchanged.
 *
 * Memory: one slot per source row (the row plus the footprint's reach on the last axis), in the
 * kernels' memory, which keeps its size. Above `stagedLimit` the caller walks line by line.
 */
import { sourceIndex } from "./boundary.js";
import { type Neighborhood, type Source, fillRow } from "./neighborhood.js";
import type { BoundaryMode, OutputRegion } from "./options.js";
import { type LaneKind, elementBytes, kernelMemory, lanesOf } from "./simd-kernels.js";

/** The largest staged copy (bytes) worth keeping in the kernels' memory, on a thread with memory to spare. */
export const stagedLimitBytes = 64 * 1024 * 1024;
/**
 * This thread's cap on the staged copy; above it the caller walks line by line. The worker
 * lowers it when its memory limit per thread is small (the kernels' memory never shrinks);
 * tests lower it to 0 to run that walk on small arrays.
 */
export const stagedLimit = { bytes: stagedLimitBytes };

type ViewOf<K extends LaneKind> = K extends "f64" ? Float64Array : K extends "f32" ? Float32Array : Uint8Array;

export interface StagedLine {
  /** Address of each footprint row's values for this line's first output (row r: rowAddresses[r]). */
  readonly rowAddresses: number[];
  /** Flat index into the C-ordered output of the line's first point. */
  readonly outputIndex: number;
}

export interface StagedWalk<View> {
  readonly kind: LaneKind;
  /** The kernel's output group buffer and its address; `groups` vectors cover one line. */
  readonly out: View;
  readonly outAddress: number;
  readonly groups: number;
  /** Visits every output line of the region in C order. */
  run(visit: (line: StagedLine) => void): void;
}

/** The staged walk, or null when the region is empty or the staged rows would exceed the limit. */
export function stagedWalk<K extends LaneKind>(
  kind: K, source: Source, hood: Neighborhood, mode: BoundaryMode, cval: number, region: OutputRegion,
): StagedWalk<ViewOf<K>> | null {
  const { ndim } = hood;
  const last = ndim - 1;
  const width = region.stop[last] - region.start[last];
  if (width <= 0 || region.start.some((s, a) => region.stop[a] <= s)) return null;
  const lanes = lanesOf(kind);
  const bytes = elementBytes(kind);
  const n = source.shape[last];
  const slotLength = n + hood.high[last] - hood.low[last];
  const slotBytes = Math.ceil(((slotLength + lanes) * bytes) / 16) * 16;
  let sourceRows = 1;
  for (let a = 0; a < last; a++) sourceRows *= source.shape[a];
  const groups = Math.ceil(width / lanes);
  const outBytes = groups * 16;
  const total = outBytes + (sourceRows + 1) * slotBytes;
  if (total > stagedLimit.bytes) return null;
  const buffer = kernelMemory(total);
  const View = (kind === "f64" ? Float64Array : kind === "f32" ? Float32Array : Uint8Array) as unknown as new (buffer: ArrayBuffer, offset: number, length: number) => ViewOf<K>;
  const cvalSlot = outBytes;
  const slotsAt = outBytes + slotBytes;
  new View(buffer, cvalSlot, slotLength).fill(cval);
  const filled = new Uint8Array(sourceRows);
  // Row strides of the staged slots (C order over the axes before the last).
  const rowStrides = new Array<number>(last).fill(1);
  for (let a = last - 2; a >= 0; a--) rowStrides[a] = rowStrides[a + 1] * source.shape[a + 1];
  const startOffset = region.start[last] * bytes;
  /** Flat source index of the start of staged row `row`. */
  const baseOf = (row: number): number => {
    let base = source.offset;
    for (let a = last - 1, rest = row; a >= 0; a--) {
      const g = rest % source.shape[a];
      rest = (rest - g) / source.shape[a];
      base += g * source.strides[a];
    }
    return base;
  };
  return {
    kind, out: new View(buffer, 0, groups * lanes), outAddress: 0, groups,
    run(visit) {
      const rowAddresses = new Array<number>(hood.rows).fill(0);
      const line = { rowAddresses, outputIndex: 0 };
      const position = [...region.start];
      // Lines whose footprint rows all lie inside the array find row r at a fixed distance from
      // the line's own row; only lines near the faces map rows through the mode.
      const rowDelta = Array.from({ length: hood.rows }, (_, r) => {
        let delta = 0;
        for (let a = 0; a < last; a++) delta += hood.rowOffsets[r * last + a] * rowStrides[a];
        return delta;
      });
      const fill = (row: number, base: number): void => {
        fillRow(source, base, hood.low[last], mode, cval, new View(buffer, slotsAt + row * slotBytes, slotLength));
        filled[row] = 1;
      };
      for (;;) {
        let interior = true;
        let lineRow = 0;
        for (let a = 0; a < last; a++) {
          if (position[a] + hood.low[a] < 0 || position[a] + hood.high[a] >= source.shape[a]) interior = false;
          lineRow += position[a] * rowStrides[a];
        }
        for (let r = 0; r < hood.rows && interior; r++) {
          const row = lineRow + rowDelta[r];
          if (filled[row] === 0) fill(row, baseOf(row));
          rowAddresses[r] = slotsAt + row * slotBytes + startOffset;
        }
        for (let r = 0; r < hood.rows && !interior; r++) {
          let row = 0;
          let base = source.offset;
          for (let a = 0; a < last; a++) {
            const g = sourceIndex(position[a] + hood.rowOffsets[r * last + a], source.shape[a], mode);
            if (g < 0) {
              row = -1;
              break;
            }
            row += g * rowStrides[a];
            base += g * source.strides[a];
          }
          if (row < 0) {
            rowAddresses[r] = cvalSlot + startOffset;
            continue;
          }
          if (filled[row] === 0) fill(row, base);
          rowAddresses[r] = slotsAt + row * slotBytes + startOffset;
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
    },
  };
}
