/**
 * diff (dask.array.diff, np.diff): the n-th discrete difference along an axis, built as Dask
 * builds it: prepend and append are joined to the array along the axis (a scalar broadcast to
 * one slice, with NumPy 1.24's dtype of a Python scalar: an integral number is int64, any other
 * float64), then `r[1:] - r[:-1]` is taken n times, so the chunks are Dask's. bool arrays take
 * `r[1:] != r[:-1]` as NumPy does (Dask 2022.12 raises there, subtracting bools).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { normalizeAxis } from "../ndarray/axes.js";
import type { DType } from "../ndarray/dtype.js";
import { isNDArray, type NDArray } from "../ndarray/ndarray.js";
import { LazyArray } from "./array.js";
import { concatenateNodes } from "./concatenate.js";
import type { ArrayNode } from "./expr.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { FillExpr, FromArrayExpr } from "./sources.js";

export type DiffEdge = LazyArray | NDArray | number | boolean;

export interface DiffOptions {
  /** How many times to difference (default 1; 0 returns the array). */
  n?: number;
  /** The axis (default -1, the last). */
  axis?: number;
  /** Values joined before the array along the axis: a scalar (one slice of it) or an array. */
  prepend?: DiffEdge;
  /** Values joined after the array along the axis. */
  append?: DiffEdge;
}

function isLazy(value: unknown): value is LazyArray {
  return value instanceof LazyArray;
}

/** The edge as an array beside `x` along `axis`: a scalar (or 0-d NDArray) is one slice of it, chunked as x. */
function edgeNode(edge: DiffEdge, which: string, x: LazyArray, axis: number): ArrayNode {
  if (isLazy(edge)) return edge;
  if (isNDArray(edge) && edge.ndim > 0) {
    return new LazyArray(`array-${tokenize(edge, edge.shape)}`, edge.shape, edge.shape.map((n) => [n]), edge.dtype, new FromArrayExpr(edge));
  }
  let value: number;
  let dtype: DType;
  if (isNDArray(edge)) {
    value = Number(edge.item());
    dtype = edge.dtype;
  } else if (typeof edge === "boolean") {
    [value, dtype] = [edge ? 1 : 0, "bool"];
  } else if (typeof edge === "number") {
    [value, dtype] = [edge, Number.isInteger(edge) ? "int64" : "float64"];
  } else {
    throw new InvalidOptionError(`diff: ${which} must be a number, a boolean, an NDArray or a tessera array, got ${typeof edge}`);
  }
  const shape = x.shape.map((n, a) => (a === axis ? 1 : n));
  const chunks = x.chunks.map((sizes, a) => (a === axis ? [1] : [...sizes]));
  return new LazyArray(`full-${tokenize(shape, chunks, dtype, value)}`, shape, chunks, dtype, new FillExpr({ value }));
}

/** `diff(x, { n, axis, prepend, append })` or `diff(x, n)`: NumPy's values and dtype, Dask's chunks. */
export function diff(x: LazyArray, options: DiffOptions | number = {}): LazyArray {
  const given: DiffOptions = typeof options === "number" ? { n: options } : options;
  refuseUnknownOptions("diff", given, ["n", "axis", "prepend", "append"]);
  const n = given.n ?? 1;
  if (!Number.isInteger(n) || n < 0) throw new InvalidOptionError(`diff: order n must be a non-negative integer, got ${JSON.stringify(n)}`);
  if (x.ndim === 0) throw new InvalidOptionError("diff: requires an array of at least one dimension");
  const axis = normalizeAxis(given.axis ?? -1, x.ndim, "diff");
  if (n === 0) return x;
  const parts: ArrayNode[] = [];
  if (given.prepend !== undefined && given.prepend !== null) parts.push(edgeNode(given.prepend, "prepend", x, axis));
  parts.push(x);
  if (given.append !== undefined && given.append !== null) parts.push(edgeNode(given.append, "append", x, axis));
  let r = parts.length > 1 ? LazyArray.of(concatenateNodes(parts, axis, "diff")) : x;
  const along = (spec: { start?: number; stop?: number }) => r.shape.map((_, a) => (a === axis ? spec : ":"));
  for (let i = 0; i < n; i++) {
    const later = r.get(...along({ start: 1 }));
    const earlier = r.get(...along({ stop: -1 }));
    r = r.dtype === "bool" ? later.ne(earlier) : later.sub(earlier);
  }
  return r;
}
