/**
 * Tree reductions (Dask's `reduction`): each block is reduced to a partial, partials of up to
 * `splitEvery` neighbouring blocks per reduced axis are combined, level after level, until one
 * remains per output block, which is finished. The graph has O(blocks) tasks and no task
 * holds more than `splitEvery` partials, whatever the array's size.
 */
import { functionRefOf } from "../graph/function-travel.js";
import { TaskRef } from "../protocol/payload.js";
import { combinePartials, finishReduction, reducePartial, type TreeOptions } from "../ndarray/tree-reduction.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { callTask } from "./lower.js";

export class ReductionExpr implements ArrayExpr {
  readonly kind = "reduction";
  constructor(readonly input: ArrayNode, readonly options: TreeOptions, readonly splitEvery = 8) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, options } = this;
    const axes = options.axes;
    const counts = blockCounts(input.chunks);
    const offsets = chunkOffsets(input.chunks);
    // Level 0: one partial per input block.
    let level = 0;
    let grid = counts.slice();
    const partialKey = (at: number) => (index: number[]) => `${self.name}-partial-${at}-${index.join(".")}`;
    let keyOf = partialKey(level);
    for (const index of blockIndices(counts)) {
      const { start, stop } = blockRegion(offsets, index);
      ctx.graph.add(callTask(keyOf(index), { fn: functionRefOf(reducePartial), args: [ctx.region(input, start, stop), options] }));
    }
    // Combine groups along the reduced axes until one partial per output block is left.
    while (axes.some((axis) => grid[axis] > 1)) {
      const previousKey = keyOf;
      const nextGrid = grid.map((n, axis) => (axes.includes(axis) ? Math.ceil(n / this.splitEvery) : n));
      keyOf = partialKey(++level);
      for (const index of blockIndices(nextGrid)) {
        const members: TaskRef[] = [];
        const ranges = index.map((i, axis) => (axes.includes(axis) ? [i * this.splitEvery, Math.min((i + 1) * this.splitEvery, grid[axis])] : [i, i + 1]));
        for (const member of blockIndices(ranges.map(([lo, hi]) => hi - lo))) {
          members.push(new TaskRef(previousKey(member.map((m, axis) => ranges[axis][0] + m))));
        }
        ctx.graph.add(callTask(keyOf(index), { fn: functionRefOf(combinePartials), args: [members, options] }));
      }
      grid = nextGrid;
    }
    for (const index of blockIndices(grid)) {
      const outIndex = options.keepdims ? index : index.filter((_, axis) => !axes.includes(axis));
      ctx.addBlock(self, outIndex, { fn: functionRefOf(finishReduction), args: [new TaskRef(keyOf(index)), options] });
    }
  }
}
