/**
 * The task functions of chunked labelling (label.ts), run on workers; they travel by module
 * reference. Each block is labelled alone; block labels are offset to be unique across the
 * array; labels that touch across block faces (including edges and corners, per the structure)
 * are paired; a union-find over the pairs merges them, and components are numbered in the order
 * of their first cell in C order — scipy's numbering, so the result equals scipy's `label` of the
 * whole array, not just up to a relabelling.
 */
import { exportedFunctions } from "../graph/function-travel.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { bitsOf } from "../ndimage/binary-erosion.js";
import { LabelForest, labelRuns, paintRuns } from "../ndimage/label.js";

export interface BlockLabels {
  /** Local labels 1…count (0 = background), int32, C order. */
  labels: NDArray;
  count: number;
  /** first[k]: flat index in the whole array (C order) of local label k+1's first cell. */
  first: Float64Array;
}

export interface LabelSummary {
  count: number;
  first: Float64Array;
}

export interface LabelOffsets {
  /** Global label of a block's local label k is k + offsets[block]. */
  offsets: number[];
  total: number;
  /** first[g]: flat index of global label g's first cell (g ≥ 1). */
  first: Float64Array;
}

export interface BlockSpec {
  /** Offsets of the structure's cells before the centre (per axis). */
  neighbours: number[][];
  /** The block's first cell in the array, and the array's shape. */
  blockStart: number[];
  shape: number[];
}

export function labelBlockTask(block: NDArray, spec: BlockSpec): BlockLabels {
  const shape = block.shape;
  const ndim = shape.length;
  const { runs, forest } = labelRuns(bitsOf(block, false), shape, spec.neighbours);
  const { table, labels: count } = forest.compact();
  const out = allocate("int32", shapeSize(shape)) as Int32Array;
  paintRuns(runs, table, shape[ndim - 1], out);
  // A label's first cell is the start of its first run (runs are in C order).
  const first = new Float64Array(count).fill(-1);
  const arrayStrides = cStrides(spec.shape);
  const lineStrides = cStrides(shape.slice(0, ndim - 1));
  for (let r = 0; r < runs.count; r++) {
    const label = table[r + 1];
    if (first[label - 1] >= 0) continue;
    let rest = runs.line[r];
    let flat = (spec.blockStart[ndim - 1] + runs.edges[2 * r]) * arrayStrides[ndim - 1];
    for (let a = 0; a < ndim - 1; a++) {
      const c = Math.floor(rest / lineStrides[a]);
      rest -= c * lineStrides[a];
      flat += (spec.blockStart[a] + c) * arrayStrides[a];
    }
    first[label - 1] = flat;
  }
  return { labels: new NDArray(out, shape, { dtype: "int32" }), count, first };
}

export function labelSummary(local: BlockLabels): LabelSummary {
  return { count: local.count, first: local.first };
}

export function labelOffsets(summaries: LabelSummary[]): LabelOffsets {
  const offsets: number[] = [];
  let total = 0;
  for (const s of summaries) {
    offsets.push(total);
    total += s.count;
  }
  if (total > 2 ** 31 - 1) throw new RangeError(`chunked label found ${total} block labels, more than int32 holds`);
  const first = new Float64Array(total + 1);
  summaries.forEach((s, b) => first.set(s.first, offsets[b] + 1));
  return { offsets, total, first };
}

export function globalLabels(local: BlockLabels, offsets: LabelOffsets, block: number): NDArray {
  const source = local.labels.data as Int32Array;
  const out = allocate("int32", source.length) as Int32Array;
  const shift = offsets.offsets[block];
  for (let i = 0; i < source.length; i++) out[i] = source[i] === 0 ? 0 : source[i] + shift;
  return new NDArray(out, local.labels.shape, { dtype: "int32" });
}

export interface PairSpec {
  /** The block's core inside the halo array (the halo is one cell wide where a neighbour exists). */
  coreStart: number[];
  coreStop: number[];
  /** Every offset of the structure (both directions, centre excluded). */
  offsets: number[][];
}

/** Pairs (a, b) of labels of a core cell and a halo cell the structure connects, as [a0, b0, a1, b1, …]. */
export function boundaryPairs(halo: NDArray, spec: PairSpec): Int32Array {
  const labels = halo.toTypedArray() as Int32Array;
  const shape = halo.shape;
  const ndim = shape.length;
  const last = ndim - 1;
  const strides = cStrides(shape);
  const { coreStart, coreStop, offsets } = spec;
  if (coreStart.some((s, a) => coreStop[a] <= s)) return new Int32Array(0);
  const flat = offsets.map((o) => o.reduce((sum, d, a) => sum + d * strides[a], 0));
  const pairs: number[] = [];
  const position = [...coreStart];
  const visit = (): void => {
    let p = 0;
    for (let a = 0; a < ndim; a++) p += position[a] * strides[a];
    const own = labels[p];
    if (own === 0) return;
    for (let k = 0; k < offsets.length; k++) {
      let inHalo = false;
      let inside = true;
      for (let a = 0; a < ndim; a++) {
        const c = position[a] + offsets[k][a];
        if (c < 0 || c >= shape[a]) inside = false;
        else if (c < coreStart[a] || c >= coreStop[a]) inHalo = true;
      }
      if (!inside || !inHalo) continue;
      const other = labels[p + flat[k]];
      if (other !== 0 && other !== own) pairs.push(own, other);
    }
  };
  // Lines along the last axis: all of a line on the shell of the outer axes, else its two ends.
  for (;;) {
    let outerShell = false;
    for (let a = 0; a < last; a++) if (position[a] === coreStart[a] || position[a] === coreStop[a] - 1) outerShell = true;
    if (outerShell) {
      for (let x = coreStart[last]; x < coreStop[last]; x++) {
        position[last] = x;
        visit();
      }
    } else {
      position[last] = coreStart[last];
      visit();
      if (coreStop[last] - 1 > coreStart[last]) {
        position[last] = coreStop[last] - 1;
        visit();
      }
    }
    position[last] = coreStart[last];
    let a = last - 1;
    for (; a >= 0; a--) {
      if (++position[a] < coreStop[a]) break;
      position[a] = coreStart[a];
    }
    if (a < 0) break;
  }
  return Int32Array.from(pairs);
}

export interface RelabelTable {
  /** table[global label] = final label (0 stays 0). */
  table: Int32Array;
  count: number;
}

/** Merges paired labels and numbers the components by their first cell in C order (scipy's order). */
export function relabelTable(pairLists: Int32Array[], offsets: LabelOffsets): RelabelTable {
  const forest = new LabelForest();
  for (let g = 0; g < offsets.total; g++) forest.add();
  for (const pairs of pairLists) for (let i = 0; i < pairs.length; i += 2) forest.union(pairs[i], pairs[i + 1]);
  const earliest = new Float64Array(offsets.total + 1).fill(Infinity);
  for (let g = 1; g <= offsets.total; g++) {
    const root = forest.find(g);
    if (offsets.first[g] < earliest[root]) earliest[root] = offsets.first[g];
  }
  const finalOf = new Int32Array(offsets.total + 1);
  const roots = orderRoots(forest, offsets.total, earliest);
  roots.forEach((root, i) => (finalOf[root] = i + 1));
  const table = new Int32Array(offsets.total + 1);
  for (let g = 1; g <= offsets.total; g++) table[g] = finalOf[forest.find(g)];
  return { table, count: roots.length };
}

/** The roots in the order of their first cells (each cell index is one root's only). */
function orderRoots(forest: LabelForest, total: number, earliest: Float64Array): number[] {
  const roots: number[] = [];
  for (let g = 1; g <= total; g++) if (forest.find(g) === g) roots.push(g);
  // Pack (first cell, root) into one float64 and sort natively when both fit in 53 bits.
  const rootBits = Math.ceil(Math.log2(total + 1));
  const largest = roots.reduce((m, r) => Math.max(m, earliest[r]), 0);
  if (largest * 2 ** rootBits < 2 ** 53) {
    const keys = Float64Array.from(roots, (r) => earliest[r] * 2 ** rootBits + r).sort();
    return Array.from(keys, (key) => key % 2 ** rootBits);
  }
  return roots.sort((a, b) => earliest[a] - earliest[b]);
}

export function applyRelabel(block: NDArray, relabel: RelabelTable): NDArray {
  const source = block.toTypedArray() as Int32Array;
  const out = allocate("int32", source.length) as Int32Array;
  const table = relabel.table;
  for (let i = 0; i < source.length; i++) out[i] = table[source[i]];
  return new NDArray(out, block.shape, { dtype: "int32" });
}

export function labelCount(relabel: RelabelTable): NDArray {
  return new NDArray(Int32Array.of(relabel.count), [], { dtype: "int32" });
}

exportedFunctions(import.meta.url, {
  labelBlockTask, labelSummary, labelOffsets, globalLabels, boundaryPairs, relabelTable, applyRelabel, labelCount,
});
