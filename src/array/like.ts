/**
 * zerosLike, onesLike, fullLike, emptyLike (Dask's *_like): an array filled with one value,
 * with the shape of `a`, its chunks (for a tessera array; "auto" for an NDArray) and its dtype
 * unless given. The value is stored as NumPy 2 stores it (fractions truncate for integer
 * dtypes, out-of-range integers are refused). emptyLike gives zeros: tessera never hands out
 * uninitialised memory.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { type DType, dtypeInfo, toDType } from "../ndarray/dtype.js";
import { NDArray } from "../ndarray/ndarray.js";
import { full } from "../ndarray/creation.js";
import { isArrayNode } from "./broadcasting.js";
import { normalizeChunks, type ChunkSpec } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { FillExpr } from "./sources.js";
import { refuseUnknownOptions } from "./option-checks.js";

export interface LikeOptions {
  dtype?: DType | string;
  chunks?: ChunkSpec;
}

/**
 * The fill a FillExpr carries for `value` stored in `dtype`, refused now, not in every task,
 * when it is not a number, bigint or boolean, or the dtype cannot store it.
 */
export function fillOf(kind: string, value: unknown, dtype: DType): { value: number } {
  if (!["number", "bigint", "boolean"].includes(typeof value)) throw new InvalidOptionError(`${kind}: the fill value must be a number, bigint or boolean, got ${JSON.stringify(value) ?? String(value)}`);
  full([], value as number | bigint | boolean, dtype);
  const fill = { value: Number(value) };
  if (typeof value === "bigint" && !Number.isSafeInteger(fill.value)) {
    throw new InvalidOptionError(`${kind}: ${value} cannot be carried exactly as a fill value; values beyond 2^53 are not supported here`);
  }
  return fill;
}

export function filledLike(kind: string, a: unknown, value: number | bigint | boolean, options: LikeOptions = {}): ArrayNode {
  if (!isArrayNode(a) && !(a instanceof NDArray)) throw new InvalidOptionError(`${kind}: expected a tessera array or an NDArray, got ${String(a)}`);
  refuseUnknownOptions(kind, options, ["dtype", "chunks"]);
  const dtype = options.dtype !== undefined ? toDType(options.dtype, `${kind} dtype`) : a.dtype;
  const fill = fillOf(kind, value, dtype);
  const shape = [...a.shape];
  const previous = isArrayNode(a) ? a.chunks : undefined;
  const chunks = options.chunks !== undefined ? normalizeChunks(options.chunks, shape, dtypeInfo(dtype).itemsize, previous, kind)
    : previous ? previous.map((sizes) => [...sizes]) : normalizeChunks("auto", shape, dtypeInfo(dtype).itemsize, undefined, kind);
  return { name: `${kind}-${tokenize(shape, chunks, dtype, fill)}`, shape, chunks, dtype, expr: new FillExpr(fill) };
}
