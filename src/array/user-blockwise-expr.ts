/**
 * The lowering of ta.blockwise (Dask's make_blockwise_graph): one task per output block, whose
 * arguments are, per array argument, the blocks its index letters select. A letter of the
 * output takes the output block's coordinate (0 where the array has a single block along it:
 * broadcast); a letter missing from the output is contracted: the call gets every block along
 * it, as nested lists in the order of the array's own letters (Dask's lol_product), or with
 * `concatenate` one array joined along those axes, which here is the region of the input
 * spanning them (assembled by the engine, no task of its own). An array with a single block
 * along a contracted letter is repeated once per block of that letter in the lists, and given
 * once when concatenated, as Dask's zero_pos coordinates do.
 */
import type { FunctionRef } from "../protocol/function-ref.js";
import { blockCounts, blockIndices, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { blockInput } from "./unknown-chunks.js";

export type IndexToken = string | number;

export type UserBlockwiseArg =
  | { array: ArrayNode; index: readonly IndexToken[] }
  /** A lazy array given with no index: every call gets all of it (Dask computes it whole as a dependency). */
  | { whole: ArrayNode }
  | { value: unknown };

export class UserBlockwiseExpr implements ArrayExpr {
  readonly kind = "user-blockwise";
  constructor(
    readonly fn: FunctionRef,
    readonly outIndex: readonly IndexToken[],
    readonly args: readonly UserBlockwiseArg[],
    /** Blocks along each letter (output and contracted), after broadcasting. */
    readonly blocksOf: ReadonlyMap<IndexToken, number>,
    readonly concatenate: boolean,
    readonly fnOptions: Record<string, unknown> | undefined,
  ) {}

  get inputs(): ArrayNode[] {
    return this.args.flatMap((arg) => ("array" in arg ? [arg.array] : "whole" in arg ? [arg.whole] : []));
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = this.args.map((arg) => ("array" in arg ? chunkOffsets(arg.array.chunks) : []));
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const coordinate = new Map<IndexToken, number>(this.outIndex.map((letter, axis) => [letter, index[axis]]));
      const callArgs = this.args.map((arg, position) => {
        if ("array" in arg) return this.operand(arg.array, arg.index, coordinate, offsets[position], ctx);
        return "whole" in arg ? ctx.region(arg.whole, arg.whole.shape.map(() => 0), arg.whole.shape) : arg.value;
      });
      if (this.fnOptions !== undefined) callArgs.push(this.fnOptions);
      ctx.addBlock(self, index, { fn: this.fn, args: callArgs });
    }
  }

  /** What the call gets for one array argument at the output block `coordinate`. */
  private operand(array: ArrayNode, index: readonly IndexToken[], coordinate: ReadonlyMap<IndexToken, number>, offsets: number[][], ctx: LowerContext): unknown {
    const counts = blockCounts(array.chunks);
    const contracted = index.map((letter) => !coordinate.has(letter));
    if (this.concatenate && contracted.some(Boolean)) {
      // One region: the block's extent on output letters, the whole axis on contracted ones.
      const start = index.map((letter, axis) => (contracted[axis] || counts[axis] === 1 ? 0 : offsets[axis][coordinate.get(letter) as number]));
      const stop = index.map((letter, axis) => (contracted[axis] || counts[axis] === 1 ? array.shape[axis] : offsets[axis][(coordinate.get(letter) as number) + 1]));
      return ctx.region(array, start, stop);
    }
    // Nested lists over the contracted axes, in the array's axis order.
    const build = (axis: number, at: number[]): unknown => {
      if (axis === index.length) return blockInput(ctx, array, at);
      const letter = index[axis];
      if (!contracted[axis]) return build(axis + 1, [...at, counts[axis] === 1 ? 0 : (coordinate.get(letter) as number)]);
      const n = this.blocksOf.get(letter) as number;
      return Array.from({ length: n }, (_, i) => build(axis + 1, [...at, counts[axis] === 1 ? 0 : i]));
    };
    return build(0, []);
  }
}
