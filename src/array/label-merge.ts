/**
 * The merge step of chunked labelling (label.ts): one task that takes every block's summary
 * (label count, first cells; label-tasks.ts) and, from every contact between two blocks (a
 * face, edge or corner; label-boundary.ts), the pairs of their labels that touch, and returns
 * the table from block labels to final labels. Only counts, first cells and label pairs travel
 * here — never a face, never a block.
 *
 * Components are numbered by their first cell in C order — scipy's numbering, so the result
 * equals scipy's `label` of the whole array, not only up to a relabelling.
 */
import { exportedFunctions } from "../graph/function-travel.js";
import { allocate } from "../ndarray/ndarray.js";
import { LabelForest } from "../ndimage/label.js";

/** What the merge needs of a block itself (small: its count and first cells). */
export interface LabelSummary {
  count: number;
  /** first[k]: flat index in the whole array (C order) of local label k+1's first cell. */
  first: Float64Array;
}

/** Which faces of block `index` the boundary tasks read: [low, high] along each axis. */
export function facesNeeded(chunks: number[][], offsets: number[][], index: readonly number[]): boolean[][] {
  return chunks.map((sizes, axis) => {
    if (!offsets.some((o) => o[axis] === 1) || sizes[index[axis]] === 0) return [false, false];
    return [sizes.slice(0, index[axis]).some((n) => n > 0), sizes.slice(index[axis] + 1).some((n) => n > 0)];
  });
}

export interface MergeLayout {
  /** contacts[2k], contacts[2k + 1]: the blocks (C order) whose labels the k-th pair list joins, earlier first. */
  contacts: number[];
}

export interface MergedLabels {
  /** The global label of block b's local label k is k + offsets[b] (blocks in C order). */
  offsets: number[];
  /** table[global label] = final label (table[0] = 0). */
  table: Int32Array;
  count: number;
}

export function mergeBlockLabels(summaries: LabelSummary[], pairLists: Array<Int32Array | Int32Array[]>, layout: MergeLayout): MergedLabels {
  // A face's boundary task sends one pair list, a block's diagonal task one per contact.
  const pairs = pairLists.flatMap((list) => (Array.isArray(list) ? list : [list]));
  const offsets: number[] = [];
  let total = 0;
  for (const s of summaries) {
    offsets.push(total);
    total += s.count;
  }
  if (total > 2 ** 31 - 2) throw new RangeError(`chunked label found ${total} block labels, more than int32 holds`);
  if (pairs.length * 2 !== layout.contacts.length) throw new RangeError(`chunked label merge: ${pairs.length} pair lists for ${layout.contacts.length / 2} contacts`);
  const forest = new LabelForest(total + 1);
  for (let g = 0; g < total; g++) forest.add();
  pairs.forEach((joined, k) => {
    const a = offsets[layout.contacts[2 * k]];
    const b = offsets[layout.contacts[2 * k + 1]];
    for (let i = 0; i < joined.length; i += 2) forest.union(joined[i] + a, joined[i + 1] + b);
  });
  const first = new Float64Array(total + 1);
  summaries.forEach((s, b) => first.set(s.first, offsets[b] + 1));
  return { offsets, ...numberComponents(forest, total, first) };
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
  // Shared memory: every relabel task on this worker reads the table on a compute thread, and
  // postMessage would copy a plain buffer to each of them (4 bytes a label, once per block).
  const table = allocate("int32", total + 1) as Int32Array;
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
