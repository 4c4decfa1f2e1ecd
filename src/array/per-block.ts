/**
 * An array each of whose blocks is one call on blocks of its inputs named by index: the shape
 * of the operations whose output sizes depend on the values (a lazy mask's selection, nonzero,
 * the block shapes of computeChunkSizes). Inputs of unknown sizes are read by block index
 * (unknown-chunks.ts); the output's grid is the caller's, usually with NaN sizes.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { blockShape } from "../ndarray/unknown-size-blocks.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import { blockCounts, blockIndices, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { blockInput, chunksFromShapes } from "./unknown-chunks.js";
import type { NDArray } from "../ndarray/ndarray.js";

export interface BlockCall {
  /** The input blocks the call takes first, in order. */
  blocks: Array<{ node: ArrayNode; index: number[] }>;
  /** Values passed after the blocks. */
  args: unknown[];
}

export class PerBlockExpr implements ArrayExpr {
  readonly kind = "per-block";
  constructor(readonly fn: FunctionRef, readonly inputs: readonly ArrayNode[], readonly callOf: (index: readonly number[]) => BlockCall) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { blocks, args } = this.callOf(index);
      ctx.addBlock(self, index, { fn: this.fn, args: [...blocks.map(({ node, index: at }) => blockInput(ctx, node, at)), ...args] });
    }
  }
}

/** The block index of flat block `i` (C order) in a grid of `counts`. */
export function unravelBlock(i: number, counts: readonly number[]): number[] {
  const index = counts.map(() => 0);
  for (let axis = counts.length - 1; axis >= 0; axis--) {
    index[axis] = i % counts[axis];
    i = Math.floor(i / counts[axis]);
  }
  return index;
}

/** A 1-d array of NaN-sized blocks, block i = fn(block i (C order) of each input…, ...args(i)). */
export function flatBlocksNode(prefix: string, fn: (...args: never[]) => unknown, inputs: readonly ArrayNode[], dtype: ArrayNode["dtype"], args: (i: number) => unknown[] = () => [], token: unknown = null): ArrayNode {
  const counts = blockCounts(inputs[0].chunks);
  const total = counts.reduce((a, b) => a * b, 1);
  const chunks: Chunks = [new Array<number>(total).fill(NaN)];
  const expr = new PerBlockExpr(functionRefOf(fn), inputs, ([i]) => ({ blocks: inputs.map((node) => ({ node, index: unravelBlock(i, counts) })), args: args(i) }));
  return { name: `${prefix}-${tokenize(inputs.map((a) => a.name), token)}`, shape: [NaN], chunks, dtype, expr };
}

/** Each block's shape, ndim int64 values per block in C order of blocks (computeChunkSizes). */
export function blockShapesNode(input: ArrayNode): ArrayNode {
  const counts = blockCounts(input.chunks);
  const total = counts.reduce((a, b) => a * b, 1);
  const ndim = input.shape.length;
  const chunks: Chunks = [new Array<number>(total).fill(ndim)];
  const expr = new PerBlockExpr(functionRefOf(blockShape), [input], ([i]) => ({ blocks: [{ node: input, index: unravelBlock(i, counts) }], args: [] }));
  return { name: `block-shapes-${tokenize(input.name)}`, shape: [total * ndim], chunks, dtype: "int64", expr };
}

/** The chunks that blockShapesNode's computed values give, for `input`'s grid. */
export function chunksFromBlockShapes(input: ArrayNode, shapes: NDArray): Chunks {
  const ndim = input.shape.length;
  const flat = Array.from(shapes.toTypedArray() as BigInt64Array, Number);
  return chunksFromShapes(blockCounts(input.chunks), Array.from({ length: flat.length / ndim }, (_, b) => flat.slice(b * ndim, (b + 1) * ndim)));
}
