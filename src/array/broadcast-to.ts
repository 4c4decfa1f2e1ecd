/**
 * dask.array's broadcast_to, broadcast_arrays, meshgrid and indices on lazy arrays. A block of
 * a broadcast array is np.broadcast_to of one input block (a view with zero strides, no copy);
 * new leading axes, and axes of length 1 that grow, are one chunk each unless chunks are given —
 * Dask's rules, so the chunks are Dask's. broadcast_arrays unifies the inputs' chunks as the
 * elementwise operations do (common refinement); Dask refuses some such mixes, tessera joins them.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownSizes } from "./unknown-chunks.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { dtypeInfo, toDType, type DType } from "../ndarray/dtype.js";
import * as nd from "../ndarray/index.js";
import { LazyArray } from "./array.js";
import { unifyOperands } from "./broadcasting.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, normalizeChunks, sameChunks, type ChunkSpec, type Chunks } from "./chunks.js";
import { stackNodes } from "./concatenate.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { arangeNode } from "./ranges.js";
import { FillExpr } from "./sources.js";

class BroadcastToExpr implements ArrayExpr {
  readonly kind = "broadcast-to";
  constructor(readonly input: ArrayNode) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const added = self.shape.length - this.input.shape.length;
    const offsets = chunkOffsets(self.chunks);
    const inputOffsets = chunkOffsets(this.input.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      // An input axis of one chunk (its length 1, or unchanged and unsplit) is read at block 0.
      const inputIndex = this.input.chunks.map((sizes, axis) => (sizes.length === 1 ? 0 : index[axis + added]));
      const source = blockRegion(inputOffsets, inputIndex);
      const block = ctx.region(this.input, source.start, source.stop);
      ctx.addBlock(self, index, { fn: functionRefOf(nd.broadcastTo), args: [block, stop.map((s, a) => s - start[a])] });
    }
  }
}

function checkArray(x: unknown, what: string): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a lazy array (ta.fromArray wraps an NDArray)`);
  return x;
}

/** np.broadcast_to / da.broadcast_to: `x` seen with `shape`; `chunks` only for new axes and axes of length 1. */
export function broadcastTo(x: LazyArray, shape: readonly number[], options: { chunks?: ChunkSpec } = {}): LazyArray {
  checkArray(x, "broadcastTo");
  refuseUnknownSizes(x, "broadcastTo");
  refuseUnknownOptions("broadcastTo", options, ["chunks"]);
  if (!Array.isArray(shape) || shape.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    throw new InvalidOptionError(`broadcastTo: shape ${JSON.stringify(shape)} must be a list of non-negative integers`);
  }
  const added = shape.length - x.ndim;
  if (added < 0 || x.shape.some((old, axis) => old !== 1 && old !== shape[axis + added])) {
    throw new InvalidOptionError(`broadcastTo: cannot broadcast shape [${x.shape.join(", ")}] to shape [${shape.join(", ")}]`);
  }
  if (added === 0 && x.shape.every((n, a) => n === shape[a]) && options.chunks === undefined) return x;
  let chunks: Chunks;
  if (options.chunks === undefined) {
    chunks = shape.map((n, axis) => (axis < added ? [n] : x.shape[axis - added] > 1 ? [...x.chunks[axis - added]] : [n]));
  } else {
    chunks = normalizeChunks(options.chunks, shape, dtypeInfo(x.dtype).itemsize, [...shape.slice(0, added).map((n) => [n]), ...x.chunks], "broadcastTo chunks");
    x.chunks.forEach((sizes, axis) => {
      if (!(sizes.length === 1 && sizes[0] === 1) && !sameChunks([sizes], [chunks[axis + added]])) {
        throw new InvalidOptionError(
          `broadcastTo: cannot broadcast chunks ${JSON.stringify(x.chunks)} to chunks ${JSON.stringify(chunks)}: new chunks must be along a new axis or an axis of length 1`,
        );
      }
    });
  }
  if (sameChunks(chunks, x.chunks) && added === 0 && x.shape.every((n, a) => n === shape[a])) return x;
  return new LazyArray(`broadcast_to-${tokenize(x.name, shape, chunks)}`, [...shape], chunks, x.dtype, new BroadcastToExpr(x));
}

/** np.broadcast_arrays: every array seen with the common shape and the same chunks. */
export function broadcastArrays(...arrays: LazyArray[]): LazyArray[] {
  arrays.forEach((x, i) => checkArray(x, `broadcastArrays: argument ${i}`));
  if (arrays.length === 0) return [];
  const unified = unifyOperands(arrays, "broadcastArrays");
  return (unified.operands as ArrayNode[]).map((node) => broadcastTo(LazyArray.of(node), unified.shape, { chunks: unified.chunks }));
}

export interface MeshgridOptions {
  /** "xy" (default, Cartesian: the first two outputs' axes swapped) or "ij" (matrix). */
  indexing?: "xy" | "ij";
  /** Return the broadcastable 1-per-axis arrays instead of full grids. */
  sparse?: boolean;
}

/** np.meshgrid / da.meshgrid of 1-d (or flattened) coordinate arrays. */
export function meshgrid(...args: Array<LazyArray | MeshgridOptions>): LazyArray[] {
  const last = args[args.length - 1];
  const options = (args.length > 0 && !(last instanceof LazyArray) ? args.pop() : {}) as MeshgridOptions;
  refuseUnknownOptions("meshgrid", options, ["indexing", "sparse"]);
  const indexing = options.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") throw new InvalidOptionError(`meshgrid: indexing must be "xy" or "ij", got ${JSON.stringify(indexing)}`);
  const xi = (args as LazyArray[]).map((x, i) => checkArray(x, `meshgrid: argument ${i}`).reshape([-1]));
  const swap = indexing === "xy" && xi.length > 1;
  if (swap) [xi[0], xi[1]] = [xi[1], xi[0]];
  let grid = xi.map((x, i) => x.get(...xi.map((_, a) => (a === i ? ":" : null))));
  if (!options.sparse) grid = broadcastArrays(...grid);
  if (swap) [grid[0], grid[1]] = [grid[1], grid[0]];
  return grid;
}

/** np.indices / da.indices: an array of shape [ndim, ...dimensions] whose slice k holds the index along axis k. */
export function indices(dimensions: readonly number[], options: { dtype?: DType | string; chunks?: ChunkSpec } = {}): LazyArray {
  refuseUnknownOptions("indices", options, ["dtype", "chunks"]);
  if (!Array.isArray(dimensions) || dimensions.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    throw new InvalidOptionError(`indices: dimensions ${JSON.stringify(dimensions)} must be a list of non-negative integers`);
  }
  const dtype = toDType(options.dtype ?? "int64", "indices dtype");
  const chunks = normalizeChunks(options.chunks ?? "auto", dimensions, dtypeInfo(dtype).itemsize, undefined, "indices chunks");
  if (dimensions.some((n) => n === 0)) {
    // Nothing to index: Dask's empty array, one chunk per grid along the first axis.
    const shape = [dimensions.length, ...dimensions];
    const fill = { value: 0 };
    return new LazyArray(`indices-${tokenize(shape, chunks, dtype)}`, shape, [[1], ...chunks], dtype, new FillExpr(fill));
  }
  const axes = dimensions.map((n, axis) => LazyArray.of(arangeNode([n, { dtype, chunks: [chunks[axis]] }])));
  return LazyArray.of(stackNodes(meshgrid(...axes, { indexing: "ij" }), 0));
}
