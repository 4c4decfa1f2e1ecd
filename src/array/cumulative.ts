/**
 * Cumulative sums and products on lazy arrays (dask.array.cumsum, cumprod, nancumsum,
 * nancumprod), built as Dask 2022.12's cumreduction with method "sequential" so that float
 * results equal Dask's bit for bit:
 *
 * - each block is accumulated on its own along the axis (ndarray cumsum…, block m_i);
 * - the carry before block i is carry_{i-1} op (last slice of m_{i-1}), carry_0 the identity
 *   (0 or 1) of the result dtype, one carry task per block, chained along the axis;
 * - block 0 of the result is m_0, block i is carry_i op m_i (broadcast along the axis).
 *
 * For floats this differs from NumPy's single running fold in the last bits (each block starts
 * again from its own first element), as Dask's does; integers are exact modulo 2^bits either
 * way. Without an axis the array is flattened and rechunked into blocks of as many elements as
 * it had blocks, as Dask does (x.flatten().rechunk(chunks=x.npartitions)).
 *
 * Along an axis, arrays of unknown chunk sizes (after a boolean mask) are accumulated as Dask
 * does, block by block: blocks are read by index, and a block empty along the axis (a mask left
 * nothing there) hands the carry on unchanged. Without an axis they are refused: flattening
 * needs the sizes (Dask's rechunk refuses them too).
 *
 * With a dtype, tessera casts each block to it before accumulating, as NumPy does; Dask 2022.12
 * passes the dtype only as metadata and accumulates in the default dtype (its int8 cumsum with
 * dtype int8 does not wrap, its values are int64), so there tessera follows NumPy, not Dask.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { defaultCumulativeDType, readCumulativeOptions, refuseComplexAccumulation, type CumulativeOperation, type CumulativeOptions } from "../ndarray/cumulative.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { dtypeInfo, toDType, type DType } from "../ndarray/dtype.js";
import { TaskRef } from "../protocol/payload.js";
import { blockKey as blockKeyOf } from "../graph/keys.js";
import { LazyArray } from "./array.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { rechunkNode } from "./rechunk.js";
import { blockInput, hasUnknownChunks, refuseUnknownSizes } from "./unknown-chunks.js";

const blockFunctions: Record<CumulativeOperation, (a: nd.NDArray, options?: CumulativeOptions) => nd.NDArray> = {
  cumsum: nd.cumsum, cumprod: nd.cumprod, nancumsum: nd.nancumsum, nancumprod: nd.nancumprod,
};

class CumulativeExpr implements ArrayExpr {
  readonly kind = "cumulative";
  constructor(readonly input: ArrayNode, readonly operation: CumulativeOperation, readonly axis: number) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, axis } = this;
    const product = this.operation.endsWith("prod");
    const offsets = chunkOffsets(input.chunks);
    const unknown = hasUnknownChunks(input.chunks);
    const itemsize = dtypeInfo(self.dtype).itemsize;
    const blockOptions = { axis, dtype: self.dtype };
    const carryOptions = { axis, product, dtype: self.dtype };
    const combine = functionRefOf(product ? nd.multiply : nd.add);
    const key = (what: string, index: readonly number[]) => `${self.name}-${what}-${index.join(".")}`;
    for (const index of blockIndices(blockCounts(input.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const elements = stop.reduce((n, s, a) => n * (s - start[a]), 1);
      const blockKey = key("block", index);
      const block = unknown ? blockInput(ctx, input, index) : ctx.region(input, start, stop);
      ctx.addTask(blockKey, { fn: functionRefOf(blockFunctions[this.operation]), args: [block, blockOptions] }, { array: self, outputBytes: elements * itemsize, blockwise: true });
      if (index[axis] === 0) {
        ctx.addBlock(self, index, new TaskRef(blockKey));
        continue;
      }
      const before = index.map((i, a) => (a === axis ? i - 1 : i));
      const previousCarry = index[axis] === 1 ? null : new TaskRef(key("carry", before));
      const carryKey = key("carry", index);
      const carryBytes = (elements / (stop[axis] - start[axis])) * itemsize;
      ctx.addTask(carryKey, { fn: functionRefOf(nd.cumulativeCarry), args: [previousCarry, new TaskRef(key("block", before)), carryOptions] }, { array: self, outputBytes: carryBytes });
      // Not a blockwise step: the carry is no block of the same index, and fused into its one
      // reader (the last block along the axis) it would pull the block before it across
      // (a fan-in of 3 where Dask's graph has 2) to save moving one slice.
      ctx.addTask(blockKeyOf(self.name, index), { fn: combine, args: [new TaskRef(carryKey), new TaskRef(blockKey)] }, { array: self, outputBytes: elements * itemsize, scratchBytes: 0 });
    }
  }
}

function cumulativeNode(operation: CumulativeOperation, x: LazyArray, argument: CumulativeOptions | number | null | undefined): LazyArray {
  const options = readCumulativeOptions(operation, argument);
  const dtype: DType = options.dtype !== undefined ? toDType(options.dtype, `${operation} dtype`) : defaultCumulativeDType(x.dtype);
  refuseComplexAccumulation(operation, x.dtype, dtype);
  let input: ArrayNode = x;
  let axis: number;
  if (options.axis === undefined || options.axis === null) {
    refuseUnknownSizes(x, `${operation} without an axis (it flattens the array)`);
    const blocks = blockCounts(x.chunks).reduce((a, b) => a * b, 1);
    const flat = x.ndim === 1 ? x : x.reshape([-1]);
    const size = flat.shape[0];
    // Dask's rechunk(chunks=npartitions), 1-d arrays too: blocks of npartitions elements (a
    // length-0 array keeps one empty block).
    input = rechunkNode(flat, [size === 0 ? [0] : Array.from({ length: Math.ceil(size / blocks) }, (_, i) => Math.min(blocks, size - i * blocks))]);
    axis = 0;
  } else {
    axis = normalizeAxis(options.axis, x.ndim, operation);
  }
  const name = `${operation}-${tokenize(input.name, axis, dtype)}`;
  return LazyArray.of({ name, shape: input.shape, chunks: input.chunks, dtype, expr: new CumulativeExpr(input, operation, axis) });
}

/** Running sums along `axis` (dask.array.cumsum); no axis flattens first. `{ axis, dtype }` or an axis. */
export const cumsum = (x: LazyArray, options?: CumulativeOptions | number | null): LazyArray => cumulativeNode("cumsum", x, options);
/** Running products along `axis` (dask.array.cumprod). */
export const cumprod = (x: LazyArray, options?: CumulativeOptions | number | null): LazyArray => cumulativeNode("cumprod", x, options);
/** cumsum with NaN counted as 0 (dask.array.nancumsum). */
export const nancumsum = (x: LazyArray, options?: CumulativeOptions | number | null): LazyArray => cumulativeNode("nancumsum", x, options);
/** cumprod with NaN counted as 1 (dask.array.nancumprod). */
export const nancumprod = (x: LazyArray, options?: CumulativeOptions | number | null): LazyArray => cumulativeNode("nancumprod", x, options);
