/**
 * The merge step of chunked labelling (label.ts): one task that takes every block's summary
 * (label count, first cells, faces; label-tasks.ts) and returns the table from block labels to
 * final labels. Only faces travel here, never blocks.
 *
 * Why faces are enough: two cells of different blocks that the structure connects lie on the
 * two sides of a chunk boundary along at least one axis a (the last layer before the boundary
 * and the first after it). So for each boundary along each axis, the layer before it and the
 * layer after it, each assembled across the whole array from the blocks' faces, hold every such
 * pair, edge and corner neighbours included: pair the cells at each structure offset that
 * crosses the boundary (offset +1 along a) and unite their labels.
 *
 * Components are numbered by their first cell in C order — scipy's numbering, so the result
 * equals scipy's `label` of the whole array, not only up to a relabelling.
 */
import { exportedFunctions } from "../graph/function-travel.js";
import { cStrides } from "../ndarray/ndarray.js";
import { LabelForest } from "../ndimage/label.js";

/** What the merge needs of a block (small: counts, first cells, faces). */
export interface LabelSummary {
  count: number;
  /** first[k]: flat index in the whole array (C order) of local label k+1's first cell. */
  first: Float64Array;
  /**
   * faces[2a] / faces[2a + 1]: the block's first / last layer along axis a (local labels, C
   * order over the other axes), empty where the merge does not need it.
   */
  faces: Int32Array[];
}

/** Which faces of block `index` the merge reads: [low, high] along each axis. */
export function facesNeeded(chunks: number[][], offsets: number[][], index: readonly number[]): boolean[][] {
  return chunks.map((sizes, axis) => {
    if (!offsets.some((o) => o[axis] === 1) || sizes[index[axis]] === 0) return [false, false];
    return [sizes.slice(0, index[axis]).some((n) => n > 0), sizes.slice(index[axis] + 1).some((n) => n > 0)];
  });
}

export interface MergeLayout {
  /** The array's chunk sizes along each axis. */
  chunks: number[][];
  /** Every offset of the structure (both directions, centre excluded). */
  offsets: number[][];
}

export interface MergedLabels {
  /** The global label of block b's local label k is k + offsets[b] (blocks in C order). */
  offsets: number[];
  /** table[global label] = final label (table[0] = 0). */
  table: Int32Array;
  count: number;
}

export function mergeBlockLabels(summaries: LabelSummary[], layout: MergeLayout): MergedLabels {
  const offsets: number[] = [];
  let total = 0;
  for (const s of summaries) {
    offsets.push(total);
    total += s.count;
  }
  if (total > 2 ** 31 - 2) throw new RangeError(`chunked label found ${total} block labels, more than int32 holds`);
  const forest = new LabelForest(total + 1);
  for (let g = 0; g < total; g++) forest.add();
  for (let axis = 0; axis < layout.chunks.length; axis++) {
    const crossing = layout.offsets.filter((o) => o[axis] === 1).map((o) => o.filter((_, b) => b !== axis));
    if (crossing.length === 0 || total === 0) continue;
    // Empty chunks hold no layer: the boundaries are between consecutive non-empty ones.
    const rows = layout.chunks[axis].flatMap((size, i) => (size > 0 ? [i] : []));
    for (let k = 1; k < rows.length; k++) {
      const before = assemblePlane(summaries, offsets, layout.chunks, axis, rows[k - 1], 2 * axis + 1);
      const after = assemblePlane(summaries, offsets, layout.chunks, axis, rows[k], 2 * axis);
      const planeShape = layout.chunks.filter((_, b) => b !== axis).map((sizes) => sizes.reduce((s, n) => s + n, 0));
      for (const shift of crossing) unitePlanes(forest, before, after, planeShape, shift);
    }
  }
  const first = new Float64Array(total + 1);
  summaries.forEach((s, b) => first.set(s.first, offsets[b] + 1));
  return { offsets, ...numberComponents(forest, total, first) };
}

/**
 * The layer of the whole array along `axis` in block row `row` (its first layer for face 2·axis,
 * its last for 2·axis + 1), in global labels, C order over the other axes.
 */
function assemblePlane(summaries: LabelSummary[], offsets: number[], chunks: number[][], axis: number, row: number, face: number): Int32Array {
  const ndim = chunks.length;
  const grid = chunks.map((sizes) => sizes.length);
  const blockStrides = cStrides(grid);
  const others = chunks.filter((_, b) => b !== axis);
  const planeShape = others.map((sizes) => sizes.reduce((s, n) => s + n, 0));
  const planeStrides = cStrides(planeShape);
  const plane = new Int32Array(planeShape.reduce((p, n) => p * n, 1));
  const starts = others.map((sizes) => sizes.map((_, i) => sizes.slice(0, i).reduce((s, n) => s + n, 0)));
  const m = ndim - 1;
  // Every block of the row: its index along the other axes, counted in C order.
  const otherGrid = grid.filter((_, b) => b !== axis);
  const rowBlocks = otherGrid.reduce((p, n) => p * n, 1);
  const index = new Array<number>(m).fill(0);
  for (let k = 0; k < rowBlocks; k++) {
    let block = row * blockStrides[axis];
    for (let b = 0, o = 0; b < ndim; b++) if (b !== axis) block += index[o++] * blockStrides[b];
    const values = summaries[block].faces[face];
    const shift = offsets[block];
    const faceShape = index.map((i, o) => others[o][i]);
    const rowLength = m === 0 ? 1 : faceShape[m - 1];
    const rows = rowLength === 0 ? 0 : values.length / rowLength;
    const position = new Array<number>(Math.max(m - 1, 0)).fill(0);
    for (let r = 0; r < rows; r++) {
      let at = m === 0 ? 0 : starts[m - 1][index[m - 1]];
      for (let o = 0; o < m - 1; o++) at += (starts[o][index[o]] + position[o]) * planeStrides[o];
      for (let x = 0, v = r * rowLength; x < rowLength; x++, v++) {
        const local = values[v];
        plane[at + x] = local === 0 ? 0 : local + shift;
      }
      for (let o = m - 2; o >= 0; o--) {
        if (++position[o] < faceShape[o]) break;
        position[o] = 0;
      }
    }
    for (let o = m - 1; o >= 0; o--) {
      if (++index[o] < otherGrid[o]) break;
      index[o] = 0;
    }
  }
  return plane;
}

/** Unites before[p] with after[p + shift] for every cell p of the plane where both are foreground. */
function unitePlanes(forest: LabelForest, before: Int32Array, after: Int32Array, planeShape: number[], shift: number[]): void {
  const m = planeShape.length;
  if (m === 0) {
    if (before[0] !== 0 && after[0] !== 0) forest.union(before[0], after[0]);
    return;
  }
  const n = planeShape[m - 1];
  const dx = shift[m - 1];
  const lineStrides = cStrides(planeShape.slice(0, m - 1));
  const lines = n === 0 ? 0 : before.length / n;
  const from = Math.max(0, -dx);
  const to = Math.min(n, n - dx);
  const position = new Array<number>(m - 1).fill(0);
  let lastA = 0;
  let lastB = 0;
  for (let line = 0; line < lines; line++) {
    let inside = true;
    let otherLine = 0;
    for (let o = 0; o < m - 1; o++) {
      const c = position[o] + shift[o];
      if (c < 0 || c >= planeShape[o]) inside = false;
      otherLine += c * lineStrides[o];
    }
    if (inside) {
      const base = line * n;
      const otherBase = otherLine * n + dx;
      for (let x = from; x < to; x++) {
        const a = before[base + x];
        const b = after[otherBase + x];
        if (a === 0 || b === 0 || (a === lastA && b === lastB)) continue;
        forest.union(a, b);
        lastA = a;
        lastB = b;
      }
    }
    for (let o = m - 2; o >= 0; o--) {
      if (++position[o] < planeShape[o]) break;
      position[o] = 0;
    }
  }
}

/**
 * Final labels 1…count for the components, in the order of their first cells (scipy's): each
 * root's earliest cell and the root packed into one float64 key (exact while both fit in 53
 * bits), sorted natively.
 */
function numberComponents(forest: LabelForest, total: number, first: Float64Array): { table: Int32Array; count: number } {
  const parent = forest.parent;
  const earliest = new Float64Array(total + 1).fill(Infinity);
  let largest = 0;
  for (let g = 1; g <= total; g++) {
    const root = forest.find(g);
    if (first[g] < earliest[root]) earliest[root] = first[g];
    if (first[g] > largest) largest = first[g];
  }
  const finalOf = new Int32Array(total + 1);
  const scale = 2 ** Math.ceil(Math.log2(total + 1));
  const count = (largest + 1) * scale <= 2 ** 53 ? orderByKeys(parent, total, earliest, scale, finalOf) : orderByComparison(parent, total, earliest, finalOf);
  const table = new Int32Array(total + 1);
  for (let g = 1; g <= total; g++) table[g] = finalOf[parent[g] === g ? g : forest.find(g)];
  return { table, count };
}

/** Numbers the roots (finalOf[root] = 1…) by sorting (earliest cell, root) packed in one float64; returns the count. */
function orderByKeys(parent: Int32Array, total: number, earliest: Float64Array, scale: number, finalOf: Int32Array): number {
  const keys = new Float64Array(total);
  let count = 0;
  for (let g = 1; g <= total; g++) if (parent[g] === g) keys[count++] = earliest[g] * scale + g;
  const sorted = keys.subarray(0, count).sort();
  for (let i = 0; i < count; i++) {
    const key = sorted[i];
    finalOf[key - Math.floor(key / scale) * scale] = i + 1;
  }
  return count;
}

/** The same order when the packed keys would not be exact (huge arrays): a comparison sort of the roots. */
function orderByComparison(parent: Int32Array, total: number, earliest: Float64Array, finalOf: Int32Array): number {
  const roots: number[] = [];
  for (let g = 1; g <= total; g++) if (parent[g] === g) roots.push(g);
  roots.sort((a, b) => earliest[a] - earliest[b]).forEach((root, i) => (finalOf[root] = i + 1));
  return roots.length;
}

exportedFunctions(import.meta.url, { mergeBlockLabels });
