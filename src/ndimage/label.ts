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
import { foregroundBits } from "./label-foreground.js";
import { generateBinaryStructure } from "./binary-structure.js";
import { refuseUnknownOptions } from "./option-names.js";
import { type Grid, readGrid } from "./footprint.js";
import { type LabelRuns, RunList, cellEdges, lineEdges, paintCells, wordsOf } from "./label-runs.js";

export type { LabelRuns } from "./label-runs.js";
export { paintCells } from "./label-runs.js";

export interface LabelOptions {
  /** A symmetric 3×…×3 connectivity structure; default: faces only (generateBinaryStructure(ndim, 1)). */
  structure?: Grid;
}

/** Refuses option keys label does not read, with advice for skimage's and scipy's names. */
export function checkLabelOptions(options: LabelOptions, ndim: number, what: string): void {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} options must be an object, got ${JSON.stringify(options)}`);
  const rank = Math.max(ndim, 1);
  const asked = (options as { connectivity?: unknown }).connectivity;
  const connectivity = Number.isInteger(asked) && (asked as number) >= 1 && (asked as number) <= rank ? (asked as number) : rank;
  refuseUnknownOptions(options, ["structure"], what, {
    connectivity: `skimage's name: pass a structure instead, e.g. { structure: generateBinaryStructure(${rank}, ${connectivity}) }; generateBinaryStructure(${rank}, 1), faces only, is the default`,
    output: "scipy's output array: label returns a new int32 array and the count; use astype for another dtype",
  });
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

  /** Room for labels up to `label`. */
  reserve(label: number): void {
    if (label < this.parent.length) return;
    const grown = new Int32Array(Math.max(this.parent.length * 2, label + 1));
    grown.set(this.parent);
    this.parent = grown;
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

  /**
   * Final labels 1…n for the roots in increasing order; table[provisional] = final (in shared
   * memory when `shared`, for a table that later tasks on other threads read).
   */
  compact(shared = false): { table: Int32Array; labels: number } {
    const table = allocate("int32", this.count + 1, shared) as Int32Array;
    const parent = this.parent;
    let next = 0;
    // Every parent is smaller than its child (unions and path halving only point downwards), so
    // the parent's final label is already known: no finds.
    for (let label = 1; label <= this.count; label++) {
      const up = parent[label];
      table[label] = up === label ? ++next : table[up];
    }
    return { table, labels: next };
  }
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
  const last = shape.length - 1;
  const n = shape[last];
  const lines = n === 0 ? 0 : bits.length / n;
  const { joinAlongLine, groups } = lineGroupsOf(shape, neighbours);
  const runs = new RunList(Math.floor(bits.length / 6));
  const forest = new LabelForest(Math.floor(bits.length / 6));
  const firstRun = new Int32Array(lines + 1);
  const position = new Array<number>(last).fill(0);
  const words = wordsOf(bits);
  // A line holds at most one run per two cells (one per cell without joining).
  const mostPerLine = joinAlongLine ? (n + 1) >> 1 : n;
  for (let line = 0; line < lines; line++) {
    const ownFirst = runs.count;
    firstRun[line] = ownFirst;
    runs.reserve(mostPerLine + 1);
    forest.reserve(ownFirst + mostPerLine);
    const e = joinAlongLine ? lineEdges(bits, words, line * n, n, runs.edges, 2 * ownFirst) : cellEdges(bits, line * n, n, runs.edges, 2 * ownFirst);
    const count = (runs.count = e >> 1);
    const parent = forest.parent;
    const lineOf = runs.line;
    for (let r = ownFirst; r < count; r++) {
      parent[r + 1] = r + 1;
      lineOf[r] = line;
    }
    forest.count = count;
    if (count > ownFirst) {
      for (const group of groups) {
        let inside = true;
        for (let a = 0; a < last; a++) {
          const c = position[a] + group.outer[a];
          if (c < 0 || c >= shape[a]) inside = false;
        }
        if (!inside) continue;
        const other = line + group.lineShift;
        const otherFirst = firstRun[other];
        const otherStop = firstRun[other + 1];
        for (let t = 0; t < group.spans.length; t += 2) {
          mergeTouching(runs.edges, parent, ownFirst, count, otherFirst, otherStop, group.spans[t], group.spans[t + 1]);
        }
      }
    }
    for (let a = last - 1; a >= 0; a--) {
      if (++position[a] < shape[a]) break;
      position[a] = 0;
    }
  }
  firstRun[lines] = runs.count;
  return { runs: runs.finish(firstRun), forest };
}

interface LineGroup {
  outer: number[];
  shifts: number[];
  lineShift: number;
  /** The shifts as intervals [low, high] (one for {-1, 0, 1}: run [s, e) touches what meets [s − 1, e + 1)). */
  spans: number[];
}

/** The last lineGroups asked for: a chunked label asks again for every block of the same shape. */
let lastGroups: { key: string; groups: { joinAlongLine: boolean; groups: LineGroup[] } } | undefined;

/** lineGroups, remembered for the last shape and structure (the groups are only read). */
function lineGroupsOf(shape: readonly number[], neighbours: readonly number[][]): { joinAlongLine: boolean; groups: LineGroup[] } {
  const key = `${shape.join(",")}|${neighbours.join(";")}`;
  if (lastGroups?.key !== key) lastGroups = { key, groups: lineGroups(shape, neighbours) };
  return lastGroups.groups;
}

/** The structure's earlier cells grouped by line offset; the same line's only earlier cell is the left neighbour. */
function lineGroups(shape: readonly number[], neighbours: readonly number[][]): { joinAlongLine: boolean; groups: LineGroup[] } {
  const last = shape.length - 1;
  const lineStrides = cStrides(shape.slice(0, last));
  let joinAlongLine = false;
  const groups = new Map<string, LineGroup>();
  for (const offset of neighbours) {
    const outer = offset.slice(0, last);
    if (outer.every((o) => o === 0)) {
      joinAlongLine = true;
      continue;
    }
    const key = outer.join(",");
    const lineShift = outer.reduce((sum, o, a) => sum + o * lineStrides[a], 0);
    const group = groups.get(key) ?? { outer, shifts: [], lineShift, spans: [] };
    group.shifts.push(offset[last]);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    // Shifts d and d + 1 of a run (length ≥ 1) cover one interval, so consecutive shifts merge into a span.
    const sorted = [...group.shifts].sort((a, b) => a - b);
    for (const d of sorted) {
      if (group.spans.length > 0 && group.spans[group.spans.length - 1] === d - 1) group.spans[group.spans.length - 1] = d;
      else group.spans.push(d, d);
    }
  }
  return { joinAlongLine, groups: [...groups.values()] };
}

/**
 * Unions every run of [ownFirst, ownStop) with the runs of [otherFirst, otherStop) it touches at
 * a shift in [low, high] (labels = run index + 1).
 */
function mergeTouching(
  edges: Int32Array, parent: Int32Array,
  ownFirst: number, ownStop: number, otherFirst: number, otherStop: number, low: number, high: number,
): void {
  let j = otherFirst;
  for (let i = ownFirst; i < ownStop && j < otherStop; i++) {
    const s = edges[2 * i] + low;
    const e = edges[2 * i + 1] + high;
    while (j < otherStop && edges[2 * j + 1] <= s) j++;
    for (let k = j; k < otherStop && edges[2 * k] < e; k++) {
      // Most touching runs already share a parent (the run above was just merged): skip the finds.
      if (parent[i + 1] !== parent[k + 1]) unite(parent, i + 1, k + 1);
    }
  }
}

/** Union keeping the smaller root (path halving in the finds). */
function unite(parent: Int32Array, a: number, b: number): void {
  let ra = a;
  while (parent[ra] !== ra) {
    parent[ra] = parent[parent[ra]];
    ra = parent[ra];
  }
  let rb = b;
  while (parent[rb] !== rb) {
    parent[rb] = parent[parent[rb]];
    rb = parent[rb];
  }
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

/** Connected components of the nonzero cells: [labels (int32, 0 = background), number of components]. */
export function label(input: NDArray, options: LabelOptions = {}): [NDArray, number] {
  checkLabelOptions(options, input.ndim, "label");
  if (input.ndim === 0) {
    const on = foregroundBits(input)[0];
    return [new NDArray(Int32Array.of(on), [], { dtype: "int32" }), on];
  }
  const neighbours = earlierNeighbours(options.structure, input.ndim);
  const shape = input.shape;
  const out = allocate("int32", shapeSize(shape)) as Int32Array;
  if (out.length === 0) return [new NDArray(out, shape, { dtype: "int32" }), 0];
  // A bool array's cells are already 0 or 1 (read-only here): no copy.
  const bits = input.dtype === "bool" ? (input.toTypedArray() as Uint8Array) : foregroundBits(input);
  const { forest } = labelRuns(bits, shape, neighbours);
  const { table, labels: count } = forest.compact();
  paintCells(bits, table, shape[shape.length - 1], joinsAlongLine(neighbours), out);
  return [new NDArray(out, shape, { dtype: "int32" }), count];
}

/** Whether the structure joins a cell to its left neighbour (runs are maximal, not single cells). */
export function joinsAlongLine(neighbours: readonly number[][]): boolean {
  return neighbours.some((offset) => offset.every((o, a) => o === 0 || a === offset.length - 1));
}
