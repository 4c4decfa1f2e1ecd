/**
 * binary_fill_holes as one flood fill instead of scipy's repeated dilation: the background
 * reachable from outside the array through background cells (a cell reads its neighbours at
 * the structure's offsets, as the iterated erosion does) stays background, everything else is
 * foreground. The iteration's fixed point is exactly that reachable set, so the result is the
 * same as the iterated one (and scipy's), in one pass over the cells.
 *
 * The volume is padded by the neighbourhood's reach with cells that count as outside; those
 * seed the fill. A flat neighbour index that wraps past a row end lands in padding (the
 * padding is as wide as the reach on every axis), so no bounds test is needed but the ends.
 */
import { fillHolesByRuns } from "./fill-holes-runs.js";
import type { Neighborhood } from "./neighborhood.js";

/** Writes into `filled` 1 where the result is foreground, 0 for background reachable from outside. */
export function fillHolesByFlood(background: Uint8Array, shape: readonly number[], hood: Neighborhood, filled: Uint8Array = new Uint8Array(background.length)): Uint8Array {
  if (fillHolesByRuns(background, shape, hood, filled)) return filled;
  const ndim = shape.length;
  const before = hood.low.map((low) => Math.max(0, -low));
  const after = hood.high.map((high) => Math.max(0, high));
  const padded = shape.map((n, a) => n + before[a] + after[a]);
  const strides = new Array<number>(ndim);
  let total = 1;
  for (let a = ndim - 1; a >= 0; a--) {
    strides[a] = total;
    total *= padded[a];
  }
  // 0: foreground (blocked), 1: background not reached yet, 2: outside, 3: reached.
  // Past each end, a margin of blocked cells as wide as the longest step: no bounds test.
  const margin = hood.offsets.reduce((widest, _, i) => Math.max(widest, Math.abs(hood.offsets[i]) * strides[i % ndim]), 0) * ndim;
  const state = new Uint8Array(total + 2 * margin);
  state.fill(2, margin, margin + total);
  const width = shape[ndim - 1];
  const rows = background.length / Math.max(width, 1);
  const position = new Array<number>(ndim).fill(0);
  for (let row = 0; row < rows; row++) {
    let start = margin + before[ndim - 1];
    for (let a = 0; a < ndim - 1; a++) start += (position[a] + before[a]) * strides[a];
    const source = row * width;
    for (let i = 0; i < width; i++) state[start + i] = background[source + i];
    for (let a = ndim - 2; a >= 0; a--) {
      if (++position[a] < shape[a]) break;
      position[a] = 0;
    }
  }
  // Cell p reads p + offset: a zero (outside) at q spreads to every background p = q − offset
  // (the centre, offset 0, spreads nowhere).
  const stepList: number[] = [];
  for (let k = 0; k < hood.count; k++) {
    let flat = 0;
    for (let a = 0; a < ndim; a++) flat += hood.offsets[k * ndim + a] * strides[a];
    if (flat !== 0) stepList.push(-flat);
  }
  const steps = Int32Array.from(stepList);
  // A stack (depth first) keeps the fill near the cells it just visited. The outside cells
  // are walked in order and each fill runs to its end before the next, so the stack stays far
  // smaller than the volume; it grows when it must.
  let stack = new Int32Array(1 << 16);
  const stepCount = steps.length;
  for (let seed = margin; seed < margin + total; seed++) {
    if (state[seed] !== 2) continue;
    let top = 0;
    stack[top++] = seed;
    while (top > 0) {
      const q = stack[--top];
      for (let k = 0; k < stepCount; k++) {
        const p = q + steps[k];
        if (state[p] === 1) {
          state[p] = 3;
          if (top === stack.length) {
            const grown = new Int32Array(stack.length * 2);
            grown.set(stack);
            stack = grown;
          }
          stack[top++] = p;
        }
      }
    }
  }
  position.fill(0);
  for (let row = 0; row < rows; row++) {
    let start = margin + before[ndim - 1];
    for (let a = 0; a < ndim - 1; a++) start += (position[a] + before[a]) * strides[a];
    const target = row * width;
    for (let i = 0; i < width; i++) filled[target + i] = state[start + i] === 3 ? 0 : 1;
    for (let a = ndim - 2; a >= 0; a--) {
      if (++position[a] < shape[a]) break;
      position[a] = 0;
    }
  }
  return filled;
}
