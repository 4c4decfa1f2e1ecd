/**
 * eye, tril and triu on lazy arrays (dask.array's). tril/triu keep the array's chunks and mask
 * each block on its own: the block's position folds into k (a block starting at row r0 and
 * column c0 keeps column − row ≤ k globally where its own column − row ≤ k + r0 − c0), so no
 * mask array is built; a block the triangle covers whole is passed on untouched. eye takes
 * Dask's chunks: one block size (the first of the rows' chunks) on both axes.
 */
import { refuseComplex } from "../ndarray/complex-refusal.js";
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { type DType, dtypeInfo, toDType } from "../ndarray/dtype.js";
import { integerOption, readOptions } from "../ndarray/matrix-options.js";
import { eye as eyeBlock, tril as trilBlock, triu as triuBlock, type EyeOptions, type TriangleOptions } from "../ndarray/triangles.js";
import { LazyArray } from "./array.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, normalizeChunks, type ChunkSpec } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";

type Triangle = "tril" | "triu";

class TriangleExpr implements ArrayExpr {
  readonly kind = "triangle";
  readonly inputs: readonly ArrayNode[];
  constructor(readonly input: ArrayNode, readonly which: Triangle, readonly k: number) {
    this.inputs = [input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks);
    const [rowAxis, colAxis] = [self.shape.length - 2, self.shape.length - 1];
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const block = ctx.region(this.input, start, stop);
      const k = this.k + start[rowAxis] - start[colAxis];
      // column − row over the block runs from (1 − rows) to (cols − 1).
      const [least, most] = [1 - (stop[rowAxis] - start[rowAxis]), stop[colAxis] - start[colAxis] - 1];
      const whole = this.which === "tril" ? most <= k : least >= k;
      if (whole) ctx.addBlock(self, index, block);
      else ctx.addBlock(self, index, { fn: functionRefOf(this.which === "tril" ? trilBlock : triuBlock), args: [block, { k }] });
    }
  }
}

function triangle(which: Triangle, x: LazyArray, options?: TriangleOptions): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${which}: expected a lazy array (ta.fromArray wraps an NDArray), got ${typeof x}`);
  const k = integerOption(which, "k", readOptions(which, options, ["k"]).k, 0);
  if (x.ndim < 2) throw new InvalidOptionError(`${which}: the array must have at least two axes, it has ${x.ndim} (NumPy 1.24 would broadcast a 1-d array into a matrix, Dask refuses; reshape it first if that is meant)`);
  return new LazyArray(`${which}-${tokenize(x.name, k)}`, x.shape, x.chunks, x.dtype, new TriangleExpr(x, which, k));
}

/** The lower triangle (column − row ≤ k) of the last two axes, the rest zero; x's chunks and dtype. */
export const tril = (x: LazyArray, options?: TriangleOptions): LazyArray => triangle("tril", x, options);
/** The upper triangle (column − row ≥ k) of the last two axes, the rest zero; x's chunks and dtype. */
export const triu = (x: LazyArray, options?: TriangleOptions): LazyArray => triangle("triu", x, options);

export interface LazyEyeOptions extends EyeOptions {
  /** One block size for both axes: a number, or a string ("auto", "1 MiB") as Dask takes it. Default "auto". */
  chunks?: number | string;
}

/**
 * A 2-d array whose block (r0, c0) is `fn(rows, { M: columns, k: k + r0 − c0, dtype })`: the block
 * of a matrix defined by its diagonal offset k is the same matrix of the block's shape with the
 * offset moved by the block's place (eye here, tri in tri-indices.ts).
 */
export class ShiftedDiagonalExpr implements ArrayExpr {
  readonly inputs = [];
  constructor(readonly kind: string, readonly fn: (...args: never[]) => unknown, readonly k: number) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const options = { M: stop[1] - start[1], k: this.k + start[0] - start[1], dtype: self.dtype };
      ctx.addBlock(self, index, { fn: functionRefOf(this.fn), args: [stop[0] - start[0], options] });
    }
  }
}

/** An N × M array with ones on diagonal k (np.eye), chunked as Dask chunks it. */
export function eye(N: number, options?: LazyEyeOptions): LazyArray {
  const given = readOptions("eye", options, ["M", "k", "dtype", "chunks"]);
  const rows = integerOption("eye", "N", N, 0);
  const cols = integerOption("eye", "M", given.M ?? undefined, rows);
  if (rows < 0 || cols < 0) throw new InvalidOptionError(`eye: negative dimensions are not allowed (N ${rows}, M ${cols})`);
  const k = integerOption("eye", "k", given.k, 0);
  const dtype: DType = toDType(given.dtype ?? "float64", "eye dtype");
  refuseComplex("eye", dtype);
  const spec = given.chunks ?? "auto";
  if (typeof spec !== "number" && typeof spec !== "string") throw new InvalidOptionError(`eye: chunks must be a number or a string (one block size for both axes, as Dask takes it), got ${JSON.stringify(spec)}`);
  const shape = [rows, cols];
  const first = normalizeChunks(spec as ChunkSpec, shape, dtypeInfo(dtype).itemsize, undefined, "eye chunks");
  // Dask uses the rows' first chunk for both axes; with no rows there is none (Dask fails), so the normalized chunks stand.
  const chunks = rows === 0 ? first : normalizeChunks(first[0][0], shape, dtypeInfo(dtype).itemsize, undefined, "eye chunks");
  return new LazyArray(`eye-${tokenize(shape, chunks, k, dtype)}`, shape, chunks, dtype, new ShiftedDiagonalExpr("eye", eyeBlock, k));
}
