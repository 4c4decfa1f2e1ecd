/**
 * The lowering of ta.reduction, as Dask's reduction / _tree_reduce / partial_reduce build it:
 * `chunk` on every block (keepdims true), then depth − 1 levels of `combine` (keepdims true)
 * and one of `aggregate` (the caller's keepdims), each level grouping up to splitEvery[axis]
 * neighbouring partials along every reduced axis into one task. A group reaches its function
 * as nested lists over the reduced axes in axis order (Dask's lol_tuples), or, with
 * concatenate, joined into one array by a task of its own before the call (Dask composes
 * _concatenate2 into the function; here the join is a built-in task, since a user's function
 * cannot be composed with one inside a task).
 */
import { functionRefOf } from "../graph/function-travel.js";
import { blockKey } from "../graph/keys.js";
import { concatenateNested } from "../ndarray/nested-concatenate.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import { TaskRef } from "../protocol/payload.js";
import { blockCounts, blockIndices } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { blockInput } from "./unknown-chunks.js";

const concatenateNestedRef = functionRefOf(concatenateNested);

export interface UserReductionSteps {
  chunk: FunctionRef;
  combine: FunctionRef;
  aggregate: FunctionRef;
  /** Reduced axes, sorted. */
  axes: readonly number[];
  keepdims: boolean;
  /** Partials per group along each reduced axis. */
  splitEvery: Readonly<Record<number, number>>;
  concatenate: boolean;
  outputSize: number;
}

/** Levels after the chunk step: Dask's depth, the smallest d with splitEvery^d ≥ blocks on every reduced axis (at least 1). */
export function treeDepth(counts: readonly number[], axes: readonly number[], splitEvery: Readonly<Record<number, number>>): number {
  let depth = 1;
  for (const axis of axes) {
    let d = 0;
    for (let reach = 1; reach < counts[axis]; reach *= splitEvery[axis]) d++;
    depth = Math.max(depth, d);
  }
  return depth;
}

export class UserReductionExpr implements ArrayExpr {
  readonly kind = "user-reduction";
  constructor(readonly input: ArrayNode, readonly steps: UserReductionSteps) {}

  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, steps } = this;
    const reduced = input.shape.map((_, axis) => steps.axes.includes(axis));
    const itemsize = dtypeInfo(self.dtype).itemsize;
    // A partial: outputSize along reduced axes, the block's extent along the others (an estimate:
    // the functions are the user's).
    const partialBytes = (index: readonly number[]) => index.reduce((bytes, i, axis) => bytes * (reduced[axis] ? steps.outputSize : input.chunks[axis][i]), itemsize);
    const keyAt = (level: number) => (index: readonly number[]) => `${self.name}-${level === 0 ? "chunk" : `partial-${level}`}-${index.join(".")}`;
    let grid = blockCounts(input.chunks);
    let keyOf = keyAt(0);
    for (const index of blockIndices(grid)) {
      ctx.addTask(keyOf(index), { fn: steps.chunk, args: [blockInput(ctx, input, index), { axis: [...steps.axes], keepdims: true }] }, { array: input, outputBytes: partialBytes(index), blockwise: true });
    }
    const depth = treeDepth(grid, steps.axes, steps.splitEvery);
    for (let level = 1; level <= depth; level++) {
      const last = level === depth;
      const previousKey = keyOf;
      const previousGrid = grid;
      grid = grid.map((n, axis) => (reduced[axis] ? Math.ceil(n / steps.splitEvery[axis]) : n));
      keyOf = keyAt(level);
      for (const index of blockIndices(grid)) {
        // Nested lists over the reduced axes, in axis order; the kept axes fixed at the group's block.
        const nest = (axis: number, at: number[]): unknown => {
          if (axis === index.length) return new TaskRef(previousKey(at));
          if (!reduced[axis]) return nest(axis + 1, [...at, index[axis]]);
          const from = index[axis] * steps.splitEvery[axis];
          const to = Math.min(from + steps.splitEvery[axis], previousGrid[axis]);
          return Array.from({ length: to - from }, (_, i) => nest(axis + 1, [...at, from + i]));
        };
        let operand = nest(0, []);
        const bytes = partialBytes(index.map((i, axis) => (reduced[axis] ? 0 : i)));
        if (steps.concatenate && steps.axes.length > 0) {
          const joinKey = `${keyOf(index)}-concatenate`;
          ctx.addTask(joinKey, { fn: concatenateNestedRef, args: [operand, [...steps.axes], "reduction"] }, { array: input, outputBytes: bytes * 2, scratchBytes: 0 });
          operand = new TaskRef(joinKey);
        }
        const options = { axis: [...steps.axes], keepdims: last ? steps.keepdims : true };
        if (!last) {
          ctx.addTask(keyOf(index), { fn: steps.combine, args: [operand, options] }, { array: input, outputBytes: bytes, scratchBytes: bytes });
          continue;
        }
        const outIndex = steps.keepdims ? index : index.filter((_, axis) => !reduced[axis]);
        // Not a block task: it gathers a group's partials (with concatenate false, straight from
        // the chunk tasks), and a blockwise mark would let fusion pull every chunk into it (fuse.ts).
        ctx.addTask(blockKey(self.name, outIndex), { fn: steps.aggregate, args: [operand, options] }, { array: self, outputBytes: bytes, scratchBytes: bytes });
      }
    }
  }
}
