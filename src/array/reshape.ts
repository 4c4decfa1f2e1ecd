/**
 * reshape of a lazy array, as Dask does it: the input is rechunked to the chunks
 * reshape_rechunk asks for (merging or splitting chunks so block k of the input holds exactly
 * the elements of block k of the output, in C order), then each block is reshaped on its own.
 * A single-block array reshapes in one task. Dask refuses reshapes that do not merge or split
 * whole axes ((6, 5) → (10, 3)); here they go through one flat axis, which both steps allow.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, sameChunks, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { checkArrayShape } from "./limits.js";
import { refuseUnknownSizes } from "./unknown-chunks.js";
import { rechunkNode } from "./rechunk.js";
import { reshapeRechunk } from "./reshape-chunks.js";

/** The shape with its one -1 resolved, checked against the array's size. */
export function resolveReshape(requested: readonly number[] | number, shape: readonly number[]): number[] {
  const list = typeof requested === "number" ? [requested] : requested;
  if (!Array.isArray(list) || list.some((n) => typeof n !== "number" || !Number.isSafeInteger(n) || n < -1)) {
    throw new InvalidOptionError(`reshape: shape ${JSON.stringify(requested)} must be a list of non-negative integers (and at most one -1)`);
  }
  const unknown = list.filter((n) => n === -1).length;
  if (unknown > 1) throw new InvalidOptionError(`reshape: shape [${list.join(", ")}] can only have one -1`);
  const size = shape.reduce((a, b) => a * b, 1);
  const known = list.filter((n) => n !== -1).reduce((a, b) => a * b, 1);
  const resolved = list.map((n) => (n === -1 ? (known === 0 ? -1 : size / known) : n));
  if (resolved.some((n) => !Number.isInteger(n) || n < 0) || resolved.reduce((a, b) => a * b, 1) !== size) {
    throw new InvalidOptionError(`reshape: cannot reshape an array of shape [${shape.join(", ")}] (size ${size}) into shape [${list.join(", ")}]`);
  }
  checkArrayShape(resolved, "reshape");
  return resolved;
}

class ReshapeExpr implements ArrayExpr {
  readonly kind = "reshape";
  constructor(readonly input: ArrayNode) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const inputOffsets = chunkOffsets(this.input.chunks);
    const outputOffsets = chunkOffsets(self.chunks);
    const inputBlocks = blockIndices(blockCounts(this.input.chunks));
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const source = inputBlocks.next().value as number[];
      const { start, stop } = blockRegion(inputOffsets, source);
      const out = blockRegion(outputOffsets, index);
      const blockShape = out.stop.map((s, a) => s - out.start[a]);
      ctx.addBlock(self, index, { fn: functionRefOf(nd.reshape), args: [ctx.region(this.input, start, stop), blockShape] });
    }
  }
}

function node(input: ArrayNode, shape: number[], chunks: Chunks): ArrayNode {
  return { name: `reshape-${tokenize(input.name, shape, chunks)}`, shape, chunks, dtype: input.dtype, expr: new ReshapeExpr(input) };
}

export function reshapeNode(input: ArrayNode, requested: readonly number[] | number): ArrayNode {
  refuseUnknownSizes(input, "reshape");
  const shape = resolveReshape(requested, input.shape);
  if (shape.length === input.shape.length && shape.every((n, a) => n === input.shape[a])) return input;
  const size = shape.reduce((a, b) => a * b, 1);
  const blocks = blockCounts(input.chunks).reduce((a, b) => a * b, 1);
  if (blocks === 1 || size === 0) {
    return node(rechunkNode(input, input.shape.map((n) => [n])), shape, shape.map((n) => [n]));
  }
  // Empty chunks (Dask allows [1, 0, 2]) go first: the plan's output blocks are paired with the input blocks one by one.
  const nonEmpty = input.chunks.map((sizes) => sizes.filter((n) => n > 0));
  if (!sameChunks(nonEmpty, input.chunks)) return reshapeNode(rechunkNode(input, nonEmpty), shape);
  const plan = reshapeRechunk(input.shape, shape, input.chunks);
  if (!plan) return reshapeNode(reshapeNode(input, [size]), shape);
  return node(rechunkNode(input, plan.inchunks), shape, plan.outchunks);
}
