/**
 * `label`: scipy.ndimage.label, connected components of the nonzero cells.
 *
 * One raster pass gives every foreground cell a provisional label: the label of its earlier
 * neighbours (the structure's cells before the centre in C order), merging their sets in a
 * union-find whose roots are always the smallest label, or a new one. scipy numbers the final
 * labels by the order of each component's smallest provisional label, which is the label its
 * first cell in C order received — so renumbering the roots in increasing order gives scipy's
 * labels exactly, whatever the merge order.
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { bitsOf } from "./binary-erosion.js";
import { generateBinaryStructure } from "./binary-structure.js";
import { type Grid, readGrid } from "./footprint.js";

export interface LabelOptions {
  /** A symmetric 3×…×3 connectivity structure; default: faces only (generateBinaryStructure(ndim, 1)). */
  structure?: Grid;
}

/** Offsets (per axis) of the structure's cells before the centre in C order. */
export function earlierNeighbours(structure: Grid | undefined, ndim: number): number[][] {
  const grid = readGrid(structure ?? generateBinaryStructure(ndim, 1), "structure");
  if (grid.shape.length !== ndim) {
    throw new InvalidOptionError(`structure has ${grid.shape.length} dimensions, the input ${ndim}: they must be equal`);
  }
  if (grid.shape.some((n) => n !== 3)) {
    throw new InvalidOptionError(`structure shape [${grid.shape.join(", ")}] must be 3 along every axis`);
  }
  const size = grid.values.length;
  for (let i = 0; i < size; i++) {
    if ((grid.values[i] !== 0) !== (grid.values[size - 1 - i] !== 0)) {
      throw new InvalidOptionError("structure must be symmetric (equal to itself reversed along every axis)");
    }
  }
  const neighbours: number[][] = [];
  for (let i = 0; i < (size - 1) / 2; i++) {
    if (grid.values[i] === 0) continue;
    const offset: number[] = [];
    for (let rest = i, a = ndim - 1; a >= 0; a--, rest = Math.floor(rest / 3)) offset[a] = (rest % 3) - 1;
    neighbours.push(offset);
  }
  return neighbours;
}

/** A growable union-find over labels 1…; `find` halves paths, unions keep the smaller root. */
export class LabelForest {
  parent = new Int32Array(1024);
  count = 0;

  add(): number {
    const label = ++this.count;
    if (label >= this.parent.length) {
      const grown = new Int32Array(this.parent.length * 2);
      grown.set(this.parent);
      this.parent = grown;
    }
    this.parent[label] = label;
    return label;
  }

  find(label: number): number {
    const parent = this.parent;
    let root = label;
    while (parent[root] !== root) {
      parent[root] = parent[parent[root]];
      root = parent[root];
    }
    return root;
  }

  union(a: number, b: number): number {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      this.parent[rb] = ra;
      return ra;
    }
    this.parent[ra] = rb;
    return rb;
  }

  /** Final labels 1…n for the roots in increasing order; table[provisional] = final. */
  compact(): { table: Int32Array; labels: number } {
    const table = new Int32Array(this.count + 1);
    let next = 0;
    for (let label = 1; label <= this.count; label++) {
      const root = this.find(label);
      table[label] = root === label ? ++next : table[root];
    }
    return { table, labels: next };
  }
}

/**
 * Provisional labels of the foreground cells (0 elsewhere) in a C-ordered int32 array, and the
 * forest that merges them. Used by `label` and by the chunked labelling, which numbers blocks.
 */
export function provisionalLabels(bits: Uint8Array, shape: readonly number[], neighbours: readonly number[][]): { labels: Int32Array; forest: LabelForest } {
  const ndim = shape.length;
  const size = bits.length;
  const labels = new Int32Array(size);
  const forest = new LabelForest();
  const strides = cStrides(shape);
  const last = ndim - 1;
  const n = shape[last];
  const flat = neighbours.map((offset) => offset.reduce((sum, o, a) => sum + o * strides[a], 0));
  const dx = neighbours.map((offset) => offset[last]);
  const valid = new Uint8Array(neighbours.length);
  const position = new Array<number>(ndim).fill(0);
  for (let base = 0; base < size; base += n) {
    // Which neighbours exist for this line (their other coordinates inside the array).
    for (let k = 0; k < neighbours.length; k++) {
      let inside = 1;
      for (let a = 0; a < last; a++) {
        const c = position[a] + neighbours[k][a];
        if (c < 0 || c >= shape[a]) inside = 0;
      }
      valid[k] = inside;
    }
    for (let x = 0; x < n; x++) {
      const p = base + x;
      if (bits[p] === 0) continue;
      let label = 0;
      for (let k = 0; k < flat.length; k++) {
        if (valid[k] === 0) continue;
        const nx = x + dx[k];
        if (nx < 0 || nx >= n) continue;
        const other = labels[p + flat[k]];
        if (other === 0) continue;
        label = label === 0 ? forest.find(other) : forest.union(label, other);
      }
      labels[p] = label === 0 ? forest.add() : label;
    }
    for (let a = last - 1; a >= 0; a--) {
      if (++position[a] < shape[a]) break;
      position[a] = 0;
    }
  }
  return { labels, forest };
}

/** Connected components of the nonzero cells: [labels (int32, 0 = background), number of components]. */
export function label(input: NDArray, options: LabelOptions = {}): [NDArray, number] {
  if (input.ndim === 0) {
    const on = bitsOf(input, false)[0];
    return [new NDArray(Int32Array.of(on), [], { dtype: "int32" }), on];
  }
  const neighbours = earlierNeighbours(options.structure, input.ndim);
  const shape = input.shape;
  const out = allocate("int32", shapeSize(shape)) as Int32Array;
  if (out.length === 0) return [new NDArray(out, shape, { dtype: "int32" }), 0];
  const { labels, forest } = provisionalLabels(bitsOf(input, false), shape, neighbours);
  const { table, labels: count } = forest.compact();
  for (let i = 0; i < labels.length; i++) out[i] = table[labels[i]];
  return [new NDArray(out, shape, { dtype: "int32" }), count];
}
