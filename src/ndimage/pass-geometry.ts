/**
 * The shape of one pass's work, shared by the TypeScript and WASM executors: which rows of the
 * line buffer come from which source rows ("runs"), how many outputs are computed and stored,
 * and how many neighbouring lines share one buffer (`lanes`).
 *
 * Lines along the last axis are processed one at a time (lanes = 1). Lines along any other axis
 * are processed `lanes` at a time: neighbouring lines along the last axis are interleaved in the
 * buffer, so gathering and storing move contiguous runs of the last axis and the SIMD loops read
 * consecutive memory. Each output still sees the same operations in the same order.
 */
import { sourceIndex } from "./boundary.js";
import type { LineFilter } from "./line-kernel.js";
import type { BoundaryMode } from "./options.js";

/** Cells of a (possibly partial) array: local index i on axis b is global index origin[b] + i. */
export interface BlockSource {
  readonly shape: readonly number[];
  readonly origin: readonly number[];
}

export interface AxisPass {
  readonly axis: number;
  readonly filter: LineFilter;
  readonly mode: BoundaryMode;
  readonly cval: number;
}

/** A box of a pass's output, in global indices, half-open. */
export interface PassBox {
  readonly start: readonly number[];
  readonly stop: readonly number[];
}

export interface PassGeometry {
  /** Outputs computed per line: from `computeStart` (0 for running sums) to the box's stop. */
  readonly rows: number;
  /** Leading computed outputs that lie before the box and are not stored. */
  readonly skip: number;
  readonly bufferRows: number;
  /**
   * (buffer row, source row in the source's local indices or −1 for cval, length, step) quads:
   * buffer rows row…row+length−1 read source rows from, from+step, … (step −1, 0 or 1, so the
   * mirrored, repeated and direct parts of a line are one run each).
   */
  readonly runs: Int32Array;
  /** Lines per buffer: 1 along the last axis, else a chunk of the last axis. */
  readonly lanes: number;
}

/** About this many float64 cells per line buffer (it and the output tile stay in L2). */
const bufferBudget = 32768;

export function passGeometry(pass: AxisPass, lineLength: number, source: BlockSource, box: PassBox): PassGeometry {
  const { axis, filter } = pass;
  const computeStart = filter.cumulative ? 0 : box.start[axis];
  const rows = box.stop[axis] - computeStart;
  const bufferRows = rows + filter.before + filter.after;
  const runs: number[] = [];
  const rowAt = (p: number): number => localRow(computeStart - filter.before + p, lineLength, pass.mode, source.origin[axis]);
  let p = 0;
  while (p < bufferRows) {
    const start = p;
    const first = rowAt(p);
    let step = 0;
    p++;
    if (p < bufferRows && first >= 0) {
      const second = rowAt(p);
      if (second >= 0 && Math.abs(second - first) <= 1) step = second - first;
    }
    while (p < bufferRows) {
      const next = rowAt(p);
      if (first < 0 ? next >= 0 : next !== first + step * (p - start)) break;
      p++;
    }
    runs.push(start, first, p - start, step);
  }
  const last = box.start.length - 1;
  const lanesTotal = axis === last ? 1 : box.stop[last] - box.start[last];
  const chunks = Math.ceil(lanesTotal / Math.max(1, Math.floor(bufferBudget / bufferRows)));
  return {
    rows, skip: box.start[axis] - computeStart, bufferRows, runs: Int32Array.from(runs), lanes: Math.ceil(lanesTotal / chunks),
  };
}

function localRow(e: number, n: number, mode: BoundaryMode, origin: number): number {
  const g = sourceIndex(e, n, mode);
  return g < 0 ? -1 : g - origin;
}

export function boxShape(box: PassBox): number[] {
  return box.start.map((s, axis) => box.stop[axis] - s);
}

/**
 * Visits every position of the axes in `axes` within the box, calling `visit` with the position
 * (global indices on those axes; other entries hold box.start).
 */
export function forEachPosition(axes: readonly number[], box: PassBox, visit: (position: readonly number[]) => void): void {
  const position = [...box.start];
  for (;;) {
    visit(position);
    let k = axes.length - 1;
    for (; k >= 0; k--) {
      const b = axes[k];
      position[b]++;
      if (position[b] < box.stop[b]) break;
      position[b] = box.start[b];
    }
    if (k < 0) return;
  }
}
