/**
 * The per-block task functions of chunked labelling (label.ts), run on workers; they travel by
 * module reference.
 *
 * A block is labelled alone (labelRuns); what it keeps on its worker is only its foreground bits
 * and the local label of each run — not a painted int32 block — and its faces (its first and
 * last layer along each axis where another block lies beyond, painted with local labels). What
 * travels to the merge (label-merge.ts) is a small summary: the label count and each label's
 * first cell. The faces stay with the block: each boundary task (label-boundary.ts) pulls only
 * the part of a face it reads (labelLayer), and sends the merge label pairs. The final pass paints every cell once, straight from the bits, through a
 * lookup table run → final label: no intermediate int32 block, no second pass over one.
 */
import { exportedFunctions } from "../graph/function-travel.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { foregroundBits } from "../ndimage/label-foreground.js";
import { type LabelRuns, joinsAlongLine, labelRuns, paintCells } from "../ndimage/label.js";
import { cutFace } from "./label-boundary.js";
import type { LabelSummary, MergedLabels } from "./label-merge.js";

export interface BlockSpec {
  /** Offsets of the structure's cells before the centre (per axis). */
  neighbours: number[][];
  /** The block's first cell in the array, and the array's shape. */
  blockStart: number[];
  shape: number[];
  /** faces[a] = [low, high]: whether the merge needs the block's first / last layer along axis a. */
  faces: boolean[][];
}

/** A labelled block as it stays on its worker until the final pass. */
export interface BlockLabels {
  /** Foreground cells, 0 or 1, C order. */
  bits: Uint8Array;
  /** The block's shape (one axis of length 1 for a 0-d array). */
  shape: number[];
  /** runLabel[r]: local label (1…count) of run r as paintCells counts runs; runLabel[0] = 0. */
  runLabel: Int32Array;
  joinAlongLine: boolean;
  summary: LabelSummary;
  /** faces[2a] / faces[2a + 1]: the block's first / last layer along axis a (local labels), empty where no contact reads it. */
  faces: Int32Array[];
}

export function labelBlockTask(block: NDArray, spec: BlockSpec): BlockLabels {
  const shape = block.shape.length === 0 ? [1] : [...block.shape];
  const ndim = shape.length;
  const size = shapeSize(shape);
  // Everything kept is in shared memory: the summary, layer and relabel tasks read it on other
  // compute threads, and postMessage would copy plain buffers to each of them.
  const bits = foregroundBits(block);
  const neighbours = block.shape.length === 0 ? [] : spec.neighbours;
  const joinAlongLine = joinsAlongLine(neighbours);
  if (size === 0) {
    return { bits, shape, runLabel: sharedInt32(1), joinAlongLine, summary: { count: 0, first: new Float64Array(0) }, faces: spec.faces.flatMap(() => [sharedInt32(0), sharedInt32(0)]) };
  }
  const { runs, forest } = labelRuns(bits, shape, neighbours);
  const { table: runLabel, labels: count } = forest.compact(true);
  // A label's first cell is the start of its first run (runs are in C order), and labels are
  // numbered in the order of their first runs: label k's first run is where k first shows.
  const first = allocate("float64", count) as Float64Array;
  const arrayStrides = cStrides(spec.shape.length === 0 ? [1] : spec.shape);
  const blockStart = spec.shape.length === 0 ? [0] : spec.blockStart;
  const lineStrides = cStrides(shape.slice(0, ndim - 1));
  for (let r = 0, next = 1; r < runs.count; r++) {
    if (runLabel[r + 1] !== next) continue;
    let rest = runs.line[r];
    let flat = (blockStart[ndim - 1] + runs.edges[2 * r]) * arrayStrides[ndim - 1];
    for (let a = 0; a < ndim - 1; a++) {
      const c = Math.floor(rest / lineStrides[a]);
      rest -= c * lineStrides[a];
      flat += (blockStart[a] + c) * arrayStrides[a];
    }
    first[next++ - 1] = flat;
  }
  // A 0-d array is labelled as one cell along one axis, with no faces.
  const faces = facesOfRuns(runs, runLabel, shape, block.shape.length === 0 ? [[false, false]] : spec.faces);
  return { bits, shape, runLabel, joinAlongLine, summary: { count, first }, faces };
}

/**
 * The block's first and last layers along each axis where `needed`, in local labels (C order
 * over the other axes; empty where not needed), cut straight from the runs — no painted block.
 * Only the lines on a face are visited (lineStart finds their runs), not every run.
 */
function facesOfRuns(runs: LabelRuns, runLabel: Int32Array, shape: number[], needed: boolean[][]): Int32Array[] {
  const last = shape.length - 1;
  const n = shape[last];
  const size = shapeSize(shape);
  const faces = needed.flatMap(([low, high], a) => [sharedInt32(low ? size / shape[a] : 0), sharedInt32(high ? size / shape[a] : 0)]);
  const { edges, lineStart } = runs;
  const lines = size / n;
  // Along the last axis a face holds one cell per line: the line's first (last) run, where it
  // starts (stops) at the line's end.
  const [lowLast, highLast] = needed[last];
  for (let l = 0; (lowLast || highLast) && l < lines; l++) {
    const first = lineStart[l];
    const stop = lineStart[l + 1];
    if (first === stop) continue;
    if (lowLast && edges[2 * first] === 0) faces[2 * last][l] = runLabel[first + 1];
    if (highLast && edges[2 * stop - 1] === n) faces[2 * last + 1][l] = runLabel[stop];
  }
  // Along an outer axis a face is the lines at coordinate 0 (or the last) along it, in C order.
  const lineShape = shape.slice(0, last);
  const lineStrides = cStrides(lineShape);
  for (let a = 0; a < last; a++) {
    const across = lineShape.map((m, b) => (b === a ? 1 : m));
    for (const side of [0, 1]) {
      if (!needed[a][side]) continue;
      const face = faces[2 * a + side];
      const fixed = (side === 0 ? 0 : shape[a] - 1) * lineStrides[a];
      const position = new Array<number>(last).fill(0);
      for (let base = 0; base < face.length; base += n) {
        let l = fixed;
        for (let b = 0; b < last; b++) l += position[b] * lineStrides[b];
        for (let r = lineStart[l]; r < lineStart[l + 1]; r++) {
          const label = runLabel[r + 1];
          for (let x = base + edges[2 * r], end = base + edges[2 * r + 1]; x < end; x++) face[x] = label;
        }
        for (let b = last - 1; b >= 0; b--) {
          if (++position[b] < across[b]) break;
          position[b] = 0;
        }
      }
    }
  }
  return faces;
}

const sharedInt32 = (size: number): Int32Array => allocate("int32", size) as Int32Array;

export function labelSummary(local: BlockLabels): LabelSummary {
  return local.summary;
}

/**
 * The part [start, stop) of one of the block's faces (face coordinates: the block's axes but
 * the face's), C order: what one boundary task (label-boundary.ts) reads of this block.
 */
export function labelLayer(local: BlockLabels, face: number, start: number[], stop: number[]): Int32Array {
  return cutFace(local.faces[face], local.shape.filter((_, a) => a !== face >> 1), start, stop);
}

/** All the block's faces (label-contacts.ts: small blocks send them in one task, not a task per layer). */
export function labelFaces(local: BlockLabels): Int32Array[] {
  return local.faces;
}

/** The block's final labels: every cell painted once through run → final label. */
export function relabelBlock(local: BlockLabels, merged: MergedLabels, block: number, outShape: number[]): NDArray {
  const { runLabel } = local;
  const offset = merged.offsets[block];
  const table = merged.table;
  const lookup = new Int32Array(runLabel.length);
  for (let r = 1; r < runLabel.length; r++) lookup[r] = table[offset + runLabel[r]];
  const out = allocate("int32", local.bits.length) as Int32Array;
  if (out.length > 0) paintCells(local.bits, lookup, local.shape[local.shape.length - 1], local.joinAlongLine, out);
  return new NDArray(out, outShape, { dtype: "int32" });
}

export function labelCount(merged: MergedLabels): NDArray {
  return new NDArray(Int32Array.of(merged.count), [], { dtype: "int32" });
}

/** Several parts of the block's faces at once: the thin layers its edge and corner contacts read. */
export function labelRim(local: BlockLabels, parts: Array<{ face: number; start: number[]; stop: number[] }>): Int32Array[] {
  return parts.map(({ face, start, stop }) => labelLayer(local, face, start, stop));
}

exportedFunctions(import.meta.url, { labelBlockTask, labelSummary, labelLayer, labelFaces, labelRim, relabelBlock, labelCount });
