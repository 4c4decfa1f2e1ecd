/**
 * binary_fill_holes for structures whose steps are symmetric and at most one cell along every
 * axis (the usual connectivity structures), by labelling the background's runs (`labelRuns`)
 * instead of flooding cell by cell: with symmetric steps, the background reachable from outside
 * is exactly the background components that hold a cell with a step out of the array. Those
 * stay background; every other cell is foreground, as the flood (and scipy) give.
 */
import { labelRuns } from "./label.js";
import type { Neighborhood } from "./neighborhood.js";

/** Writes the filled result into `filled` (1 foreground, 0 background) and returns true, or returns false when the structure does not qualify. */
export function fillHolesByRuns(background: Uint8Array, shape: readonly number[], hood: Neighborhood, filled: Uint8Array): boolean {
  const ndim = shape.length;
  if (ndim === 0 || background.length === 0) return false;
  const steps = new Set<string>();
  const earlier: number[][] = [];
  // Axes along which some step leaves the array from a cell on the array's edge.
  const leaves = new Array<boolean>(ndim).fill(false);
  for (let k = 0; k < hood.count; k++) {
    const step = Array.from(hood.offsets.subarray(k * ndim, (k + 1) * ndim));
    if (step.some((o) => o < -1 || o > 1)) return false;
    if (step.every((o) => o === 0)) continue;
    steps.add(step.join(","));
    step.forEach((o, a) => {
      if (o !== 0) leaves[a] = true;
    });
    // Earlier in C order: the first nonzero step component is −1.
    if (step.find((o) => o !== 0) === -1) earlier.push(step);
  }
  for (const step of steps) {
    if (!steps.has(step.split(",").map((o) => String(-Number(o))).join(","))) return false;
  }
  const { runs, forest } = labelRuns(background, shape, earlier);
  const { table, labels } = forest.compact();
  const reached = new Uint8Array(labels + 1);
  const last = ndim - 1;
  const n = shape[last];
  const position = new Array<number>(last).fill(0);
  const { line, edges } = runs;
  let current = 0;
  let onEdge = outerEdge(position, shape, leaves);
  for (let r = 0; r < runs.count; r++) {
    while (current < line[r]) {
      current++;
      for (let a = last - 1; a >= 0; a--) {
        if (++position[a] < shape[a]) break;
        position[a] = 0;
      }
      onEdge = outerEdge(position, shape, leaves);
    }
    if (onEdge || (leaves[last] && (edges[2 * r] === 0 || edges[2 * r + 1] === n))) reached[table[r + 1]] = 1;
  }
  // Branch-free over the cells (short runs mispredict branches): the run counter follows
  // labelRuns' numbering — a background cell after foreground starts a run when runs join along
  // lines, every background cell is one otherwise.
  const single = earlier.some((step) => step.every((o, a) => o === 0 || a === last)) ? 0 : 1;
  const keep = new Uint8Array(runs.count + 1);
  for (let r = 1; r <= runs.count; r++) keep[r] = reached[table[r]];
  let run = 0;
  for (let base = 0; base < background.length; base += n) {
    let prev = 0;
    for (let p = base, end = base + n; p < end; p++) {
      const v = background[p];
      run += v & (prev ^ 1 | single);
      prev = v;
      filled[p] = 1 - (v & keep[run]);
    }
  }
  return true;
}

/** Whether a line at `position` (the axes before the last) lies on an edge some step leaves through. */
function outerEdge(position: readonly number[], shape: readonly number[], leaves: readonly boolean[]): boolean {
  for (let a = 0; a < position.length; a++) {
    if (leaves[a] && (position[a] === 0 || position[a] === shape[a] - 1)) return true;
  }
  return false;
}
