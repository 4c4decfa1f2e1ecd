/**
 * Blockwise operations: output block i is `fn(block i of each input…, options)`. Elementwise
 * arithmetic, comparisons, astype and mapBlocks are all this one expression. Inputs are
 * matched by block index after their chunks are unified (inputs with a single block along an
 * axis broadcast); an input's block is read through ctx.region, so a view (a rechunked array,
 * say) costs no task of its own, and a dropped axis reads the whole axis at once (Dask
 * concatenates along dropped axes the same way).
 */
import type { FunctionRef } from "../protocol/function-ref.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { blockInput, hasUnknownChunks } from "./unknown-chunks.js";

export type BlockwiseArg =
  | { array: ArrayNode; /** Output axis of each input axis; -1 for an axis the function drops. */ axes: number[] }
  | { value: unknown };

export interface BlockInfoRequest {
  /** Pass `blockInfo` (Dask's block_info) inside the options object. */
  blockInfo: boolean;
}

export class BlockwiseExpr implements ArrayExpr {
  readonly kind = "blockwise";
  constructor(
    readonly fn: FunctionRef,
    readonly args: readonly BlockwiseArg[],
    readonly options: Record<string, unknown> | undefined,
    readonly info: BlockInfoRequest = { blockInfo: false },
    /**
     * `fn` computes each cell from the same cell of its operands (a ufunc, astype): the
     * result does not depend on the chunking, so the blocks may be regrouped (overlap-groups.ts).
     */
    readonly elementwise = false,
  ) {}

  get inputs(): ArrayNode[] {
    return this.args.flatMap((arg) => ("array" in arg ? [arg.array] : []));
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const outOffsets = chunkOffsets(self.chunks);
    const argOffsets = this.argOffsets();
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const infos: Record<number, unknown> = {};
      const callArgs = this.blockOperands(index, argOffsets, ctx, infos);
      let options = this.options;
      if (this.info.blockInfo) {
        const { start, stop } = blockRegion(outOffsets, index);
        const output = {
          shape: [...self.shape], "num-chunks": blockCounts(self.chunks), "chunk-location": [...index],
          "array-location": start.map((s, a) => [s, stop[a]]), "chunk-shape": stop.map((s, a) => s - start[a]), dtype: self.dtype,
        };
        options = { ...options, blockInfo: { ...infos, output } };
      }
      if (options !== undefined) callArgs.push(options);
      ctx.addBlock(self, index, { fn: this.fn, args: callArgs });
    }
  }

  /** chunkOffsets of each array argument (none for values), for blockOperands. */
  argOffsets(): number[][][] {
    return this.args.map((arg) => ("array" in arg ? chunkOffsets(arg.array.chunks) : []));
  }

  /**
   * The operands of output block `index`, in argument order: values as they are, arrays as
   * the region of each input that the block reads (`infos` gets Dask's block_info per array).
   */
  blockOperands(index: readonly number[], argOffsets: readonly number[][][], ctx: LowerContext, infos: Record<number, unknown> = {}): unknown[] {
    const callArgs: unknown[] = [];
    this.args.forEach((arg, position) => {
      if (!("array" in arg)) {
        callArgs.push(arg.value);
        return;
      }
      const input = arg.array;
      // Unknown sizes: paired by index (the guard allows only axes that map to the output's).
      if (hasUnknownChunks(input.chunks)) return void callArgs.push(blockInput(ctx, input, arg.axes.map((out) => (out < 0 ? 0 : index[out]))));
      const inOffsets = argOffsets[position];
      const start: number[] = [];
      const stop: number[] = [];
      const location: number[] = [];
      arg.axes.forEach((outAxis, inAxis) => {
        const single = input.chunks[inAxis].length === 1;
        if (outAxis < 0 || single) {
          start.push(0);
          stop.push(input.shape[inAxis]);
          location.push(0);
        } else {
          const i = index[outAxis];
          start.push(inOffsets[inAxis][i]);
          stop.push(inOffsets[inAxis][i + 1]);
          location.push(i);
        }
      });
      callArgs.push(ctx.region(input, start, stop));
      infos[position] = { shape: [...input.shape], "num-chunks": blockCounts(input.chunks), "chunk-location": location, "array-location": start.map((s, a) => [s, stop[a]]) };
    });
    return callArgs;
  }
}
