/**
 * `label`: scipy.ndimage.label, connected components of the nonzero cells.
 *
 * One raster pass over the runs of foreground along each line (`labelRuns`) gives every run a
 * provisional label and merges it with the runs of earlier lines it touches (the structure's
 * cells before the centre in C order), in a union-find whose roots are always the smallest
 * label. scipy numbers the final labels by the order of each component's first cell in C order,
 * which is its first run's — the root — so renumbering the roots in increasing order gives
 * scipy's labels exactly, whatever the merge order.
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
  parent: Int32Array;
  count = 0;

  constructor(capacity = 1024) {
    this.parent = new Int32Array(Math.max(capacity, 16));
  }

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

/** Foreground runs of every line, in C order: line, [start, stop) along the last axis, label. */
export interface LabelRuns {
  line: Int32Array;
  start: Int32Array;
  stop: Int32Array;
  count: number;
}

/**
 * Labels runs instead of cells: each run of foreground along a line (maximal when the structure
 * joins left and right neighbours, else single cells) gets its own label (runs are numbered in
 * C order, so a component's smallest label is its first run's), and runs of earlier lines that
 * touch it through the structure are merged. Two runs of one line never touch, so only the
 * structure's cells on other lines matter: for each such line offset, the last-axis offsets
 * D ⊆ {−1, 0, 1} it allows; runs [s, e) and [s′, e′) touch when [s + d, e + d) meets [s′, e′) for
 * some d in D.
 */
export function labelRuns(bits: Uint8Array, shape: readonly number[], neighbours: readonly number[][]): { runs: LabelRuns; forest: LabelForest } {
  const ndim = shape.length;
  const last = ndim - 1;
  const n = shape[last];
  const lines = n === 0 ? 0 : bits.length / n;
  // Group the structure's earlier cells by line offset. On the same line the only earlier cell
  // is the left neighbour: with it runs are maximal, without it every cell is a run of its own.
  let joinAlongLine = false;
  const groups = new Map<string, { outer: number[]; shifts: number[] }>();
  for (const offset of neighbours) {
    const outer = offset.slice(0, last);
    if (outer.every((o) => o === 0)) {
      joinAlongLine = true;
      continue;
    }
    const key = outer.join(",");
    const group = groups.get(key) ?? { outer, shifts: [] };
    group.shifts.push(offset[last]);
    groups.set(key, group);
  }
  const lineStrides = cStrides(shape.slice(0, last));
  const groupList = [...groups.values()].map((g) => ({ ...g, lineShift: g.outer.reduce((sum, o, a) => sum + o * lineStrides[a], 0) }));
  const runs = new RunList(Math.floor(bits.length / 6));
  const firstRun = new Int32Array(lines + 1);
  const forest = new LabelForest(Math.floor(bits.length / 6));
  const position = new Array<number>(last).fill(0);
  for (let line = 0; line < lines; line++) {
    firstRun[line] = runs.count;
    const base = line * n;
    let x = 0;
    while (x < n) {
      while (x < n && bits[base + x] === 0) x++;
      if (x === n) break;
      const begin = x;
      if (joinAlongLine) while (x < n && bits[base + x] !== 0) x++;
      else x++;
      runs.push(line, begin, x);
      forest.add();
    }
    const ownFirst = firstRun[line];
    const ownStop = runs.count;
    for (const group of groupList) {
      let inside = true;
      for (let a = 0; a < last; a++) {
        const c = position[a] + group.outer[a];
        if (c < 0 || c >= shape[a]) inside = false;
      }
      if (!inside || ownStop === ownFirst) continue;
      const other = line + group.lineShift;
      mergeTouching(runs, ownFirst, ownStop, firstRun[other], firstRun[other + 1], group.shifts, forest);
    }
    for (let a = last - 1; a >= 0; a--) {
      if (++position[a] < shape[a]) break;
      position[a] = 0;
    }
  }
  return { runs: runs.finish(), forest };
}

/** Unions every run of [ownFirst, ownStop) with the runs of [otherFirst, otherStop) it touches (labels = run index + 1). */
function mergeTouching(runs: RunList, ownFirst: number, ownStop: number, otherFirst: number, otherStop: number, shifts: number[], forest: LabelForest): void {
  const { start, stop } = runs;
  const parent = forest.parent;
  for (let t = 0; t < shifts.length; t++) {
    const d = shifts[t];
    let j = otherFirst;
    for (let i = ownFirst; i < ownStop && j < otherStop; i++) {
      const s = start[i] + d;
      const e = stop[i] + d;
      while (j < otherStop && stop[j] <= s) j++;
      for (let k = j; k < otherStop && start[k] < e; k++) {
        // Most touching runs already share a parent (the run above was just merged): skip the finds.
        if (parent[i + 1] !== parent[k + 1]) forest.union(i + 1, k + 1);
      }
    }
  }
}

class RunList {
  line: Int32Array;
  start: Int32Array;
  stop: Int32Array;
  count = 0;

  constructor(capacity: number) {
    this.line = new Int32Array(Math.max(capacity, 16));
    this.start = new Int32Array(Math.max(capacity, 16));
    this.stop = new Int32Array(Math.max(capacity, 16));
  }

  push(line: number, start: number, stop: number): void {
    if (this.count === this.line.length) {
      // Grow by doubling (the first guess is one run per 6 cells, about what fragmented masks give).
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.line = grow(this.line);
      this.start = grow(this.start);
      this.stop = grow(this.stop);
    }
    this.line[this.count] = line;
    this.start[this.count] = start;
    this.stop[this.count] = stop;
    this.count++;
  }

  finish(): LabelRuns {
    return { line: this.line, start: this.start, stop: this.stop, count: this.count };
  }
}

/** Writes table[run label] over every run (the output starts zeroed). */
export function paintRuns(runs: LabelRuns, table: Int32Array, lineLength: number, out: Int32Array): void {
  const { line, start, stop } = runs;
  for (let r = 0; r < runs.count; r++) {
    const base = line[r] * lineLength;
    const value = table[r + 1];
    // Runs are short in fragmented masks: a plain loop beats a fill call per run.
    for (let x = base + start[r], end = base + stop[r]; x < end; x++) out[x] = value;
  }
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
  const { runs, forest } = labelRuns(bitsOf(input, false), shape, neighbours);
  const { table, labels: count } = forest.compact();
  paintRuns(runs, table, shape[shape.length - 1], out);
  return [new NDArray(out, shape, { dtype: "int32" }), count];
}
