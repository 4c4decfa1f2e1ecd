/**
 * Lazy np.piecewise and np.fromfunction with user functions (dask.array's forms).
 *
 * piecewise: as Dask 2022.12, map_blocks of NumPy's piecewise over x and the conditions'
 * matching blocks, dtype x's. Each function sees the selected values of one block, so a
 * function that is not elementwise (one that reads a mean, say) gives per-block answers, as
 * in Dask.
 *
 * fromfunction: as Dask, the function on the index grids of each block (float64 unless
 * `dtype`), blocks as normalize_chunks gives them for the shape and dtype; the result's dtype
 * is the function's on the grids of the first element (refused there if it does not return an
 * array of its grids' shape).
 *
 * The user's functions travel by their source (user-function-source.ts, refused as mapBlocks
 * refuses them): each call builds a block function whose text holds them and reads only `nd`,
 * which workers bind to tessera/ndarray.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { dtypeInfo, toDType, type DType } from "../ndarray/dtype.js";
import { readOptions } from "../ndarray/matrix-options.js";
import { LazyArray, mapBlocksOf } from "./array.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, normalizeChunks, type ChunkSpec } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { userFunctionSource } from "./user-function-source.js";

type AnyFunction = (...args: never[]) => unknown;

/** `text`, a function expression reading `nd`, made with the Function constructor so its source is exactly `text`. */
function withNd(text: string): AnyFunction {
  return new Function("nd", "__name", `"use strict"; return (${text});`)(nd, (f: unknown) => f) as AnyFunction;
}

/** x where each condition holds replaced by its function's value or constant (da.piecewise). */
export function piecewise(x: LazyArray, condlist: LazyArray | readonly LazyArray[], funclist: readonly nd.Piece[], ...extra: unknown[]): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`piecewise: x must be a tessera array, got ${String(x)} (wrap an NDArray with ta.fromArray)`);
  if (extra.length > 0) throw new InvalidOptionError(`piecewise takes x, condlist and funclist only (NumPy's extra *args and **kw are not supported); got ${extra.length} more`);
  const conditions = condlist instanceof LazyArray ? [condlist] : condlist;
  if (!Array.isArray(conditions) || !Array.isArray(funclist)) throw new InvalidOptionError("piecewise: condlist and funclist must be lists (arrays)");
  conditions.forEach((condition, k) => {
    if (!(condition instanceof LazyArray)) throw new InvalidOptionError(`piecewise: condlist[${k}] must be a tessera array, got ${String(condition)}`);
    if (condition.shape.join() !== x.shape.join()) {
      throw new InvalidOptionError(`piecewise: condlist[${k}] has shape [${condition.shape.join(", ")}], x [${x.shape.join(", ")}]; they must be equal (NumPy's boolean index)`);
    }
  });
  const n = conditions.length;
  if (funclist.length !== n && funclist.length !== n + 1) {
    throw new InvalidOptionError(`piecewise: with ${n} condition(s), either ${n} or ${n + 1} functions are expected, got ${funclist.length}`);
  }
  const values: unknown[] = [];
  const items = funclist.map((piece, k) => {
    if (typeof piece === "function") {
      values.push(null);
      return `(${userFunctionSource(piece, "piecewise", `funclist[${k}]`)})`;
    }
    if (!["number", "bigint", "boolean"].includes(typeof piece)) throw new InvalidOptionError(`piecewise: funclist[${k}] must be a function or a number, got ${String(piece)}`);
    values.push(piece);
    return "null";
  });
  const block = withNd(
    `function piecewise(x, ...rest) {\n  const options = rest.pop();\n  const pieces = [${items.join(", ")}];\n` +
      "  return nd.piecewise(x, rest, pieces.map((piece, k) => piece ?? options.values[k]));\n}",
  );
  return mapBlocksOf(block, [x, ...conditions], { dtype: x.dtype, name: "piecewise" }, { values });
}

class FromfunctionExpr implements ArrayExpr {
  readonly kind = "fromfunction";
  readonly inputs = [];
  constructor(readonly block: AnyFunction, readonly gridDtype: DType) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      ctx.addBlock(self, index, { fn: functionRefOf(this.block), args: [{ start, stop, dtype: this.gridDtype }] });
    }
  }
}

export interface LazyFromfunctionOptions extends nd.FromfunctionOptions {
  chunks?: ChunkSpec;
}

/** fn(...indices(shape)) block by block (da.fromfunction; Dask's chunks). */
export function fromfunction(fn: (...grids: nd.NDArray[]) => nd.NDArray, shape: readonly number[], options: LazyFromfunctionOptions = {}): LazyArray {
  const given = readOptions("fromfunction", options, ["chunks", "dtype"]);
  if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0)) throw new InvalidOptionError(`fromfunction: shape ${JSON.stringify(shape)} must be a list of non-negative integers`);
  const source = userFunctionSource(fn, "fromfunction", "the function");
  const gridDtype = toDType(given.dtype ?? "float64", "fromfunction dtype");
  const chunks = normalizeChunks(given.chunks ?? "auto", [...shape], dtypeInfo(gridDtype).itemsize, undefined, "fromfunction");
  const block = withNd(`function fromfunction(box) {\n  return nd.fromfunctionBlock((${source}), box);\n}`);
  // The result dtype: the function on the grids of one element (none where an axis is empty).
  const probe = block({ start: shape.map(() => 0), stop: shape.map((s) => Math.min(s, 1)), dtype: gridDtype } as never) as nd.NDArray;
  return LazyArray.of({ name: `fromfunction-${tokenize(source, shape, chunks, gridDtype)}`, shape: [...shape], chunks, dtype: probe.dtype, expr: new FromfunctionExpr(block, gridDtype) });
}
