/**
 * diagonal, diag and trace on lazy arrays, with dask.array's graph and chunks. diagonal follows
 * the diagonal through the blocks of (axis1, axis2) as Dask does: each step takes np.diagonal of
 * one block (with the offset the block's position gives) and ends where the diagonal leaves the
 * block's last row or column, so each step is one chunk of the result's last axis; the other
 * axes keep their chunks. diag of a 1-d array is block-diagonal (zeros off the diagonal blocks),
 * padded by |k| for another diagonal; trace sums the diagonal along its axis.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { zeros } from "../ndarray/creation.js";
import { diag as diagBlock, diagonal as diagonalBlock, diagonalAxes, diagonalLength, type DiagOptions, type DiagonalOptions, type TraceOptions } from "../ndarray/diagonal.js";
import { integerOption, readOptions } from "../ndarray/matrix-options.js";
import { isNDArray, type NDArray } from "../ndarray/ndarray.js";
import { LazyArray } from "./array.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { FromArrayExpr } from "./sources.js";
import { pad } from "./pad.js";

/** One step of the diagonal: block row I, block column J, the offset there and how many elements. */
interface Step {
  row: number;
  col: number;
  offset: number;
  length: number;
}

/** Dask's walk along diagonal k of axes (axis1 < axis2) through the blocks. */
function diagonalSteps(rowChunks: readonly number[], colChunks: readonly number[], k: number): Step[] {
  const [rowStarts, colStarts] = chunkOffsets([[...rowChunks], [...colChunks]]);
  const [rows, cols] = [rowStarts[rowStarts.length - 1], colStarts[colStarts.length - 1]];
  if (diagonalLength(rows, cols, k) === 0) return [];
  let rowStart = Math.max(0, -k);
  let colStart = Math.max(0, k);
  let row = rowStarts.findIndex((s, i) => s <= rowStart && rowStart < rowStarts[i + 1]);
  let col = colStarts.findIndex((s, j) => s <= colStart && colStart < colStarts[j + 1]);
  const steps: Step[] = [];
  while (rowStart < rows && colStart < cols) {
    const [nrows, ncols] = [rowChunks[row], colChunks[col]];
    rowStart -= rowStarts[row];
    colStart -= colStarts[col];
    const offset = rowStart > 0 ? -rowStart : colStart;
    const rowEnd = Math.min(nrows, ncols - offset);
    steps.push({ row, col, offset, length: rowEnd - rowStart });
    rowStart = rowEnd + rowStarts[row];
    colStart = Math.min(ncols, nrows + offset) + colStarts[col];
    if (rowStart === rowStarts[row + 1]) row++;
    if (colStart === colStarts[col + 1]) col++;
  }
  return steps;
}

class DiagonalExpr implements ArrayExpr {
  readonly kind = "diagonal";
  readonly inputs: readonly ArrayNode[];
  constructor(readonly input: ArrayNode, readonly axis1: number, readonly axis2: number, readonly steps: readonly Step[]) {
    this.inputs = [input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const inputOffsets = chunkOffsets(this.input.chunks);
    const outOffsets = chunkOffsets(self.chunks);
    const free = self.shape.length - 1;
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const step = this.steps[index[free]];
      if (step === undefined) {
        // No diagonal at all: Dask's empty blocks, of the array's dtype.
        const { start, stop } = blockRegion(outOffsets, index);
        ctx.addBlock(self, index, { fn: functionRefOf(zeros), args: [stop.map((s, a) => s - start[a]), self.dtype] });
        continue;
      }
      const inputIndex = [...index.slice(0, free)];
      inputIndex.splice(this.axis1, 0, step.row);
      inputIndex.splice(this.axis2, 0, step.col);
      const { start, stop } = blockRegion(inputOffsets, inputIndex);
      const options = { offset: step.offset, axis1: this.axis1, axis2: this.axis2 };
      ctx.addBlock(self, index, { fn: functionRefOf(diagonalBlock), args: [ctx.region(this.input, start, stop), options] });
    }
  }
}

function checkLazy(x: unknown, what: string): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a lazy array (ta.fromArray wraps an NDArray), got ${typeof x}`);
  return x;
}

/** The diagonal of (axis1, axis2) as the last axis (np.diagonal), with Dask's graph and chunks. */
export function diagonal(x: LazyArray, options?: DiagonalOptions): LazyArray {
  checkLazy(x, "diagonal");
  const given = readOptions("diagonal", options, ["offset", "axis1", "axis2"]);
  const placed = diagonalAxes("diagonal", x.ndim, given);
  // Dask orders the axes, negating the offset: the same elements in the same order.
  const [axis1, axis2, k] = placed.axis1 < placed.axis2 ? [placed.axis1, placed.axis2, placed.offset] : [placed.axis2, placed.axis1, -placed.offset];
  const freeAxes = x.shape.map((_, a) => a).filter((a) => a !== axis1 && a !== axis2);
  const steps = diagonalSteps(x.chunks[axis1], x.chunks[axis2], k);
  const length = diagonalLength(x.shape[axis1], x.shape[axis2], k);
  const shape = [...freeAxes.map((a) => x.shape[a]), length];
  const chunks = [...freeAxes.map((a) => [...x.chunks[a]]), steps.length === 0 ? [0] : steps.map((s) => s.length)];
  return new LazyArray(`diagonal-${tokenize(x.name, k, axis1, axis2)}`, shape, chunks, x.dtype, new DiagonalExpr(x, axis1, axis2, steps));
}

class BlockDiagonalExpr implements ArrayExpr {
  readonly kind = "block-diagonal";
  readonly inputs: readonly ArrayNode[];
  constructor(readonly input: ArrayNode) {
    this.inputs = [input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const inputOffsets = chunkOffsets(this.input.chunks);
    for (const [i, j] of blockIndices(blockCounts(self.chunks))) {
      const [rows, cols] = [this.input.chunks[0][i], this.input.chunks[0][j]];
      if (i !== j) ctx.addBlock(self, [i, j], { fn: functionRefOf(zeros), args: [[rows, cols], self.dtype] });
      else ctx.addBlock(self, [i, j], { fn: functionRefOf(diagBlock), args: [ctx.region(this.input, [inputOffsets[0][i]], [inputOffsets[0][i + 1]])] });
    }
  }
}

/**
 * np.diag with Dask's chunks: a 1-d array's square matrix with it on diagonal k (block-diagonal
 * on its chunks, then padded by |k|), or a 2-d array's diagonal k. An NDArray is one block, as in Dask.
 */
export function diag(v: LazyArray | NDArray, options?: DiagOptions | number): LazyArray {
  const k = integerOption("diag", "k", typeof options === "number" ? options : readOptions("diag", options, ["k"]).k, 0);
  if (isNDArray(v)) {
    const data = diagBlock(v, { k });
    const chunks = data.shape.map((n) => [n]);
    return new LazyArray(`array-${tokenize(data, chunks)}`, data.shape, chunks, data.dtype, new FromArrayExpr(data));
  }
  const x = checkLazy(v, "diag");
  if (x.ndim === 2) return diagonal(x, { offset: k });
  if (x.ndim !== 1) throw new InvalidOptionError(`diag: input must be 1- or 2-d, got ${x.ndim} axes`);
  const square = new LazyArray(`diag-${tokenize(x.name)}`, [x.shape[0], x.shape[0]], [x.chunks[0], x.chunks[0]], x.dtype, new BlockDiagonalExpr(x));
  if (k === 0) return square;
  return pad(square, k > 0 ? [[0, k], [k, 0]] : [[-k, 0], [0, -k]]);
}

/** The sum along diagonal `offset` of (axis1, axis2) (np.trace), as Dask: diagonal(...).sum(-1, dtype). */
export function trace(x: LazyArray, options?: TraceOptions): LazyArray {
  checkLazy(x, "trace");
  const { dtype, ...placement } = readOptions("trace", options, ["offset", "axis1", "axis2", "dtype"]);
  return diagonal(x, placement).sum(dtype === undefined ? { axis: -1 } : { axis: -1, dtype: String(dtype) });
}
