/**
 * Unknown chunk sizes (Dask's NaN chunks): a boolean mask, nonzero, unique or bincount gives
 * arrays whose sizes depend on the values. Their unknown sizes are NaN in `chunks` and
 * `shape`, as in Dask; the block grid (how many blocks along each axis) is always known.
 *
 * Most operations place blocks by their offsets, which NaN sizes do not give, so one guard
 * (checkUnknownInputs, run by the LazyArray constructor, which every array is built through)
 * refuses every expression that has an input of unknown sizes, except the kinds made correct
 * for them: blockwise operations pairing blocks by index (elementwise, astype, mapBlocks
 * without dropped axes or block_info), reductions (arg-reductions along one axis of known
 * sizes or one block only), cumulative sums
 * and products along an axis, and the
 * operations of this folder that produce unknown sizes. They read an input of unknown sizes by
 * block index (blockInput) instead of by region. The refusal says what to do: compute the
 * sizes first (computeChunkSizes).
 */
import { InvalidOptionError } from "../core/errors.js";
import { blockKey } from "../graph/keys.js";
import { TaskRef } from "../protocol/payload.js";
import { chunkOffsets, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { UnknownChunksError, unknownChunksMessage } from "./unknown-chunks-error.js";

export { UnknownChunksError } from "./unknown-chunks-error.js";


export function hasUnknownChunks(chunks: Chunks): boolean {
  return chunks.some((sizes) => sizes.some((n) => Number.isNaN(n)));
}


/** Refuses an array of unknown sizes where `what` needs them. */
export function refuseUnknownSizes(node: ArrayNode, what: string): void {
  if (hasUnknownChunks(node.chunks)) throw new UnknownChunksError(unknownChunksMessage(what, node.name));
}

const argOps = new Set(["argmin", "argmax", "nanargmin", "nanargmax"]);

interface BlockwiseLike {
  args: ReadonlyArray<{ array?: ArrayNode; axes?: number[] }>;
  info: { blockInfo: boolean };
}

/**
 * Why an expression of this kind cannot take this input of unknown sizes (null: it can).
 * Kinds not listed cannot.
 */
const allowed: Record<string, (expr: ArrayExpr, input: ArrayNode) => string | null> = {
  blockwise: (expr, input) => {
    const { args, info } = expr as unknown as BlockwiseLike;
    if (info.blockInfo) return "block_info (blockInfo) needs each block's place";
    for (const arg of args) {
      if (arg.array !== input || !arg.axes) continue;
      // An axis read whole (dropped or broadcast) is one block only where its size is known.
      const whole = arg.axes.some((out, a) => out < 0 && (input.chunks[a].length !== 1 || Number.isNaN(input.chunks[a][0])));
      if (whole) return "an axis of unknown sizes read whole (dropAxis)";
    }
    return null;
  },
  reduction: (expr, input) => {
    const { op, axes } = (expr as unknown as { options: { op: string; axes: number[] } }).options;
    if (op === "moment") return "moment's partials of empty blocks are not left out (var and std's are)";
    // An arg-reduction along one axis needs only the offsets along it (arg-partials.ts): known
    // sizes, or one block (offset 0), as Dask's arg_reduction allows.
    const alongKnownAxis = axes.length === 1 && (input.chunks[axes[0]].length === 1 || !input.chunks[axes[0]].some((n) => Number.isNaN(n)));
    return argOps.has(op) && !alongKnownAxis ? `${op} needs each block's offset along the axes it reduces` : null;
  },
  // applyGufunc's outputs (one input) read their input as a blockwise does.
  "gufunc-output": (expr, input) => allowed.blockwise(expr, input),
  "per-block": () => null,
  // Along its axis, block by block (cumulative.ts): each carry reads the block before by index.
  cumulative: () => null,
  unique: () => null,
  bincount: () => null,
  // ta.fromDelayed with NaN in its shape (Dask allows it): one block, whose size the worker's value gives.
  "from-delayed": () => null,
};

/** Expressions the LazyArray constructor has checked: their inputs need no second look. */
const checked = new WeakSet<ArrayExpr>();

/**
 * The guard: refuses `expr` when an input has unknown sizes and its kind is not made for them.
 * Inputs that are plain nodes (built inside an operation, not through the constructor) are
 * checked in turn, so a view made on the way is not let through.
 */
export function checkUnknownInputs(expr: ArrayExpr, shape: readonly number[] = [], chunks: Chunks = []): void {
  // A second net: NaN sizes out of a kind not made for them mean an unknown size crept in
  // through a path that compared sizes (a NaN-long input dropped as empty, say).
  if ((shape.some((n) => Number.isNaN(n)) || hasUnknownChunks(chunks)) && !(expr.kind in allowed) && expr.kind !== "persisted") {
    throw new UnknownChunksError(unknownChunksMessage(expr.kind));
  }
  if (checked.has(expr)) return;
  for (const input of expr.inputs) {
    if (hasUnknownChunks(input.chunks)) {
      const rule = allowed[expr.kind];
      const reason = rule ? rule(expr, input) : "it places blocks by their offsets";
      if (reason !== null) throw new UnknownChunksError(`${unknownChunksMessage(expr.kind, input.name)}; ${expr.kind} cannot take unknown sizes: ${reason}`);
    }
    if (!checked.has(input.expr)) checkUnknownInputs(input.expr);
  }
  checked.add(expr);
}

/**
 * The block `index` of `node` as a task argument: by its key where the sizes are unknown
 * (such a node is never a view: the guard refuses views of it), else the region it covers.
 */
export function blockInput(ctx: LowerContext, node: ArrayNode, index: readonly number[]): TaskRef {
  if (hasUnknownChunks(node.chunks)) {
    ctx.ensure(node);
    return new TaskRef(blockKey(node.name, index));
  }
  const offsets = chunkOffsets(node.chunks);
  return ctx.region(node, index.map((i, a) => offsets[a][i]), index.map((i, a) => offsets[a][i + 1]));
}

/**
 * Operands of an elementwise operation when one has unknown sizes: they pair blocks by index,
 * so every array must have the same axes and the same number of blocks along each (no
 * broadcasting, no rechunking: Dask's rule for NaN chunks); the sizes are checked when the
 * blocks exist (sameShapeElementwise). Known sizes along an axis must agree.
 */
export function unifyUnknownOperands(arrays: readonly ArrayNode[], what: string): { shape: number[]; chunks: Chunks } {
  const first = arrays[0];
  const describe = () => arrays.map((a) => `[${a.chunks.map((c) => `${c.length} blocks`).join(", ")}]`).join(" and ");
  for (const array of arrays) {
    if (array.shape.length !== first.shape.length || array.chunks.some((sizes, a) => sizes.length !== first.chunks[a].length)) {
      throw new UnknownChunksError(
        `${what}: arrays of unknown chunk sizes pair their blocks by index and must have the same block grid (got ${describe()}); call x.computeChunkSizes() first to broadcast or rechunk`,
      );
    }
  }
  const chunks = first.chunks.map((sizes, axis) => sizes.map((_, i) => {
    const known = arrays.map((a) => a.chunks[axis][i]).filter((n) => !Number.isNaN(n));
    if (known.some((n) => n !== known[0])) throw new UnknownChunksError(`${what}: block ${i} along axis ${axis} has sizes ${known.join(" and ")}; the operands do not line up`);
    return known.length === arrays.length ? known[0] : NaN;
  }));
  return { shape: chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0)), chunks };
}

/** Chunks of a grid of `numblocks` blocks read from each block's shape (C order of blocks). */
export function chunksFromShapes(numblocks: readonly number[], shapes: ReadonlyArray<readonly number[]>): Chunks {
  const chunks: Chunks = numblocks.map((count) => new Array<number>(count).fill(NaN));
  const index = numblocks.map(() => 0);
  for (const shape of shapes) {
    index.forEach((i, axis) => {
      const seen = chunks[axis][i];
      // Blocks of one slab must agree (an elementwise mismatch is refused before; this is the last net).
      if (!Number.isNaN(seen) && seen !== shape[axis]) {
        throw new InvalidOptionError(`computeChunkSizes: blocks at ${i} along axis ${axis} have different sizes (${seen} and ${shape[axis]})`);
      }
      chunks[axis][i] = shape[axis];
    });
    for (let axis = numblocks.length - 1; axis >= 0; axis--) {
      if (++index[axis] < numblocks[axis]) break;
      index[axis] = 0;
    }
  }
  return chunks;
}
