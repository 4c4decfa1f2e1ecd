/**
 * dask.array's top-level forms of what tessera has as methods or takes from NumPy: asarray,
 * asanyarray, array, rechunk, transpose, shape, ndim, rollaxis and toZarr, with Dask
 * 2022.12's meaning.
 *
 * asarray / asanyarray: a lazy array is returned as it is; a list holding lazy arrays is
 * stacked (da.stack); an NDArray, a nested list of numbers or a number becomes one source
 * (asarray: `chunks`, default "auto" as from_array; asanyarray: one block, as Dask's). Where
 * Dask ignores `dtype` for a dask array, the array is cast here (NumPy's asarray meaning);
 * anything else (a string, an object, a function) is refused by name.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import * as nd from "../ndarray/index.js";
import { toDType, type DType } from "../ndarray/dtype.js";
import { NDArray } from "../ndarray/ndarray.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { LazyArray, type ExecuteOptions } from "./array.js";
import { normalizeChunks, type ChunkSpec } from "./chunks.js";
import { stackNodes } from "./concatenate.js";
import { FromArrayExpr } from "./sources.js";
import type { ToZarrOptions } from "./store.js";

export interface AsarrayOptions {
  dtype?: DType | string;
  chunks?: ChunkSpec;
}

function inMemory(value: unknown, dtype: DType | undefined, what: string): NDArray {
  if (value instanceof NDArray) return dtype === undefined || value.dtype === dtype ? value : nd.astype(value, dtype);
  const plain = typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" || Array.isArray(value);
  if (!plain) {
    const kind = value === null ? "null" : typeof value === "object" ? `an object (${(value as object).constructor?.name ?? "no prototype"})` : typeof value;
    throw new InvalidOptionError(`${what}: cannot make an array of ${kind}; pass a tessera array, an NDArray, a number or a nested list of numbers`);
  }
  return nd.array(value as never, dtype === undefined ? {} : { dtype });
}

function convert(value: unknown, options: AsarrayOptions, what: string, oneBlock: boolean): LazyArray {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownKeys(options, oneBlock ? ["dtype"] : ["dtype", "chunks"], what);
  const dtype = options.dtype === undefined ? undefined : toDType(options.dtype, `${what} dtype`);
  if (value instanceof LazyArray) return dtype === undefined || value.dtype === dtype ? value : value.astype(dtype);
  if (Array.isArray(value) && value.some((item) => item instanceof LazyArray)) {
    if (!value.every((item) => item instanceof LazyArray)) throw new InvalidOptionError(`${what}: a list mixing tessera arrays with other values; wrap each with ta.asarray first`);
    const stacked = LazyArray.of(stackNodes(value as LazyArray[], 0));
    return dtype === undefined || stacked.dtype === dtype ? stacked : stacked.astype(dtype);
  }
  const data = inMemory(value, dtype, what);
  const chunks = oneBlock ? data.shape.map((n) => [n]) : normalizeChunks(options.chunks ?? "auto", data.shape, data.itemsize);
  return new LazyArray(`array-${tokenize(data, chunks)}`, data.shape, chunks, data.dtype, new FromArrayExpr(data));
}

/** da.asarray: a tessera array from an array-like (see the file's comment). */
export function asarray(value: unknown, options: AsarrayOptions = {}): LazyArray {
  return convert(value, options, "asarray", false);
}

/** da.asanyarray: as asarray, an in-memory value kept in one block (Dask's chunks=a.shape). */
export function asanyarray(value: unknown, options: Omit<AsarrayOptions, "chunks"> = {}): LazyArray {
  return convert(value, options, "asanyarray", true);
}

/** da.array: asarray, then length-1 axes in front up to `ndmin`, then cast to `dtype`. */
export function array(value: unknown, options: { dtype?: DType | string; ndmin?: number } = {}): LazyArray {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`array: options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownKeys(options, ["dtype", "ndmin"], "array");
  const ndmin = options.ndmin ?? 0;
  if (!Number.isInteger(ndmin) || ndmin < 0) throw new InvalidOptionError(`array: ndmin must be a non-negative integer, got ${JSON.stringify(options.ndmin)}`);
  let x = asarray(value);
  if (x.ndim < ndmin) x = x.reshape([...new Array<number>(ndmin - x.ndim).fill(1), ...x.shape]);
  const dtype = options.dtype === undefined ? undefined : toDType(options.dtype, "array dtype");
  return dtype === undefined || x.dtype === dtype ? x : x.astype(dtype);
}

function lazy(x: unknown, what: string): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a tessera array (ta.asarray wraps an NDArray)`);
  return x;
}

/** da.rechunk(x, chunks): Dask's threshold, block_size_limit, balance and method are not taken. */
export function rechunk(x: LazyArray, chunks: ChunkSpec = "auto", options: Record<string, unknown> = {}): LazyArray {
  const given = Object.keys(options ?? {}).filter((key) => options[key] !== undefined);
  if (given.length > 0) throw new InvalidOptionError(`rechunk: option ${JSON.stringify(given[0])} is not supported (tessera's rechunk plans its own steps); pass only chunks`);
  return lazy(x, "rechunk").rechunk(chunks);
}

/** da.transpose(x, axes): axes reversed by default; `axes` must name every axis once (Dask's "axes don't match array"). */
export function transpose(x: LazyArray, axes?: number[] | null): LazyArray {
  const a = lazy(x, "transpose");
  if (axes === undefined || axes === null || (Array.isArray(axes) && axes.length === 0)) return a.transpose();
  if (!Array.isArray(axes) || axes.length !== a.ndim) throw new InvalidOptionError(`transpose: axes don't match array (${JSON.stringify(axes)} for ${a.ndim} axes)`);
  return a.transpose(axes);
}

/** da.shape / np.shape: the array's shape. */
export function shape(x: LazyArray): number[] {
  return [...lazy(x, "shape").shape];
}

/** da.ndim / np.ndim: the number of axes. */
export function ndim(x: LazyArray): number {
  return lazy(x, "ndim").ndim;
}

/**
 * np.rollaxis (as Dask's numpy_compat): `axis` moved to lie before `start`; with start ≤ axis
 * it lands at `start`, with start > axis just before it. start may be −ndim ≤ start ≤ ndim.
 */
export function rollaxis(x: LazyArray, axis: number, start = 0): LazyArray {
  const a = lazy(x, "rollaxis");
  const n = a.ndim;
  const from = normalizeAxis(axis, n, "rollaxis");
  if (!Number.isInteger(start)) throw new InvalidOptionError(`rollaxis: start must be an integer, got ${JSON.stringify(start)}`);
  let to = start < 0 ? start + n : start;
  if (!(to >= 0 && to < n + 1)) throw new InvalidOptionError(`rollaxis: 'start' arg requires ${-n} <= start < ${n + 1}, but ${start} was passed in`);
  if (from < to) to -= 1;
  if (from === to) return a;
  const axes = Array.from({ length: n }, (_, i) => i).filter((i) => i !== from);
  axes.splice(to, 0, from);
  return a.transpose(axes);
}

/** da.to_zarr(x, url, ...): x.toZarr(url, options), the same options. */
export async function toZarr(x: LazyArray, url: string, options: ToZarrOptions & ExecuteOptions = {}): Promise<void> {
  await lazy(x, "toZarr").toZarr(url, options);
}
