/**
 * The per-block task functions of chunked labelling (label.ts), run on workers; they travel by
 * module reference.
 *
 * A block is labelled alone (labelRuns); what it keeps on its worker is only its foreground bits
 * and the local label of each run — not a painted int32 block. What travels to the merge
 * (label-merge.ts) is a small summary: the label count, each label's first cell, and the block's
 * faces (its first and last layer along each axis where another block lies beyond), painted
 * with local labels. The final pass paints every cell once, straight from the bits, through a
 * lookup table run → final label: no intermediate int32 block, no second pass over one.
 */
import { exportedFunctions } from "../graph/function-travel.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { scratchArray } from "../ndarray/scratch-buffer.js";
import { bitsOf } from "../ndimage/binary-erosion.js";
import { joinsAlongLine, labelRuns, paintCells } from "../ndimage/label.js";
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
}

export function labelBlockTask(block: NDArray, spec: BlockSpec): BlockLabels {
  const shape = block.shape.length === 0 ? [1] : [...block.shape];
  const ndim = shape.length;
  const size = shapeSize(shape);
  const bits = bitsOf(block, false);
  const neighbours = block.shape.length === 0 ? [] : spec.neighbours;
  const joinAlongLine = joinsAlongLine(neighbours);
  if (size === 0) {
    return { bits, shape, runLabel: new Int32Array(1), joinAlongLine, summary: { count: 0, first: new Float64Array(0), faces: spec.faces.flatMap(() => [new Int32Array(0), new Int32Array(0)]) } };
  }
  const { runs, forest } = labelRuns(bits, shape, neighbours);
  const { table: runLabel, labels: count } = forest.compact();
  // A label's first cell is the start of its first run (runs are in C order).
  const first = new Float64Array(count).fill(-1);
  const arrayStrides = cStrides(spec.shape.length === 0 ? [1] : spec.shape);
  const blockStart = spec.shape.length === 0 ? [0] : spec.blockStart;
  const lineStrides = cStrides(shape.slice(0, ndim - 1));
  for (let r = 0; r < runs.count; r++) {
    const label = runLabel[r + 1];
    if (first[label - 1] >= 0) continue;
    let rest = runs.line[r];
    let flat = (blockStart[ndim - 1] + runs.edges[2 * r]) * arrayStrides[ndim - 1];
    for (let a = 0; a < ndim - 1; a++) {
      const c = Math.floor(rest / lineStrides[a]);
      rest -= c * lineStrides[a];
      flat += (blockStart[a] + c) * arrayStrides[a];
    }
    first[label - 1] = flat;
  }
  const faces: Int32Array[] = [];
  if (spec.faces.some(([low, high]) => low || high)) {
    // The local labels painted into this thread's scratch buffer, only to cut the faces out.
    const painted = scratchArray(shape, "int32").data as Int32Array;
    paintCells(bits, runLabel, shape[ndim - 1], joinAlongLine, painted);
    spec.faces.forEach(([low, high], a) => {
      faces.push(low ? layer(painted, shape, a, 0) : new Int32Array(0), high ? layer(painted, shape, a, shape[a] - 1) : new Int32Array(0));
    });
  }
  return { bits, shape, runLabel, joinAlongLine, summary: { count, first, faces } };
}

/** The cells of `values` (C order over `shape`) whose coordinate along `axis` is `at`, in C order. */
export function layer(values: Int32Array, shape: readonly number[], axis: number, at: number): Int32Array {
  const inner = shape.slice(axis + 1).reduce((p, n) => p * n, 1);
  const outer = shape.slice(0, axis).reduce((p, n) => p * n, 1);
  const out = new Int32Array(inner * outer);
  for (let o = 0; o < outer; o++) {
    const from = (o * shape[axis] + at) * inner;
    out.set(values.subarray(from, from + inner), o * inner);
  }
  return out;
}

export function labelSummary(local: BlockLabels): LabelSummary {
  return local.summary;
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

exportedFunctions(import.meta.url, { labelBlockTask, labelSummary, relabelBlock, labelCount });
