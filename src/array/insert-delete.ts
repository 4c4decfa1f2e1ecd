/**
 * NumPy's insert, delete and append on lazy arrays, built as dask.array 2022.12 builds them so
 * the chunks are Dask's: the array is cut at the positions (slices, which keep its blocks), the
 * pieces are joined with one concatenate (delete drops each later piece's first element; insert
 * interleaves the values, split by position, with the pieces). The values follow NumPy: they
 * broadcast to the inserted block and are cast to the array's dtype (Dask would promote instead).
 * Dask requires monotonic positions for insert; so does tessera (refused otherwise, as Dask does).
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray } from "../ndarray/ndarray.js";
import { normalizeAxis } from "../ndarray/axes.js";
import type { SliceSpec } from "../ndarray/slice.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { LazyArray } from "./array.js";
import { concatenateNodes } from "./concatenate.js";
import { broadcastTo } from "./broadcast-to.js";
import { moveaxis } from "./manipulation.js";
import { FillExpr, FromArrayExpr } from "./sources.js";
import { tokenize } from "../core/ids.js";

export interface AxisOption {
  /** The axis; absent or null flattens the array first, as NumPy does. */
  axis?: number | null;
}

export type Positions = number | readonly number[] | readonly boolean[] | NDArray | SliceSpec;
export type InsertValues = number | boolean | LazyArray | NDArray;

function checkArray(what: string, x: unknown): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a lazy array (ta.fromArray wraps an NDArray)`);
  return x;
}

function axisOf(what: string, x: LazyArray, options: AxisOption): { array: LazyArray; axis: number } {
  refuseUnknownOptions(what, options, ["axis"]);
  const axis = options.axis;
  if (axis === undefined || axis === null) return { array: x.ndim === 1 ? x : x.reshape([-1]), axis: 0 };
  if (!Number.isInteger(axis)) throw new InvalidOptionError(`${what}: axis ${String(axis)} is not an integer`);
  return { array: x, axis: normalizeAxis(axis, x.ndim, what) };
}

const along = (x: LazyArray, axis: number, item: SliceSpec): LazyArray => x.get(...x.shape.map((_, a) => (a === axis ? item : ":")));

/** Python's slice.indices(n), then the positions it walks. */
function sliceRange(spec: SliceSpec, n: number, what: string): number[] {
  const step = spec.step ?? 1;
  if (!Number.isInteger(step) || step === 0) throw new InvalidOptionError(`${what}: slice step ${String(spec.step)} must be a non-zero integer`);
  const clamp = (v: number | null | undefined, fallback: number, lo: number, hi: number): number => {
    if (v === undefined || v === null) return fallback;
    if (!Number.isInteger(v)) throw new InvalidOptionError(`${what}: slice bound ${v} is not an integer`);
    return Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  };
  const start = step > 0 ? clamp(spec.start, 0, 0, n) : clamp(spec.start, n - 1, -1, n - 1);
  const stop = step > 0 ? clamp(spec.stop, n, 0, n) : clamp(spec.stop, -1, -1, n - 1);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** The positions obj names, as integers (not yet wrapped), and whether obj was a scalar. */
function positionsOf(what: string, obj: Positions, n: number): { values: number[]; scalar: boolean } {
  if (typeof obj === "number" || typeof obj === "bigint") return { values: [Number(obj)], scalar: true };
  if (obj instanceof NDArray) {
    if (obj.ndim > 1) throw new InvalidOptionError(`${what}: positions must be a scalar or one-dimensional, got shape [${obj.shape.join(", ")}]`);
    const raw = Array.from(obj.toTypedArray() as ArrayLike<number | bigint>, (v) => (obj.dtype === "bool" ? Boolean(v) : Number(v)));
    if (obj.ndim === 0) return positionsOf(what, raw[0] as number, n);
    return positionsOf(what, raw as number[] | boolean[], n);
  }
  if (Array.isArray(obj)) {
    if (obj.length > 0 && obj.every((v) => typeof v === "boolean")) {
      // NumPy 1.24 reads a boolean list as a mask over the axis.
      if (obj.length !== n) throw new InvalidOptionError(`${what}: boolean mask of length ${obj.length} does not match the axis length ${n}`);
      return { values: obj.flatMap((v, i) => (v ? [i] : [])), scalar: false };
    }
    obj.forEach((v) => {
      if (typeof v !== "number" || !Number.isInteger(v)) throw new InvalidOptionError(`${what}: positions hold ${String(v)}; only integers (or a boolean mask) name positions`);
    });
    return { values: obj as number[], scalar: false };
  }
  if (typeof obj === "object" && obj !== null) {
    // A misspelt { strat: 1 } would otherwise read as ":" and insert or delete along the whole axis.
    refuseUnknownOptions(`${what} slice`, obj, ["start", "stop", "step"]);
    return { values: sliceRange(obj as SliceSpec, n, what), scalar: false };
  }
  throw new InvalidOptionError(`${what}: positions must be an integer, a list, a 1-D NDArray or a slice { start, stop, step }, got ${String(obj)}`);
}

/** Dask's split_at_breaks: the array cut along the axis before each break (the first piece may be empty). */
function splitAt(x: LazyArray, breaks: readonly number[], axis: number): LazyArray[] {
  const edges = [undefined, ...breaks, undefined];
  return edges.slice(1).map((stop, i) => along(x, axis, { start: edges[i], stop }));
}

const join = (pieces: readonly LazyArray[], axis: number): LazyArray => LazyArray.of(concatenateNodes(pieces, axis));

/** NumPy's delete(arr, obj, { axis }): obj an integer, a list (or boolean mask) or a slice; out-of-range positions refused as NumPy's IndexError. */
export function deleteItems(x: LazyArray, obj: Positions, options: AxisOption = {}): LazyArray {
  checkArray("delete", x);
  const { array, axis } = axisOf("delete", x, options);
  const n = array.shape[axis];
  const { values } = positionsOf("delete", obj, n);
  const wrapped = values.map((i) => {
    if (i < -n || i >= n) throw new InvalidOptionError(`delete: index ${i} is out of bounds for axis ${axis} with size ${n}`);
    return i < 0 ? i + n : i;
  });
  const breaks = [...new Set(wrapped)].sort((a, b) => a - b);
  const pieces = splitAt(array, breaks, axis).map((piece, i) => (i === 0 ? piece : along(piece, axis, { start: 1 })));
  return join(pieces, axis);
}

/** The values as a lazy array of the inserted block's shape, in the array's dtype, chunked as Dask chunks them. */
function valuesBlock(array: LazyArray, axis: number, values: InsertValues, count: number, scalarObj: boolean): LazyArray {
  let v: LazyArray;
  if (typeof values === "number" || typeof values === "boolean") {
    const shape = array.shape.map((s, a) => (a === axis ? count : s));
    const fill = { value: Number(values) };
    v = new LazyArray(`values-${tokenize(shape, fill)}`, shape, shape.map((s) => [s]), "float64", new FillExpr(fill)).astype(array.dtype);
  } else {
    if (values instanceof NDArray) v = new LazyArray(`values-${tokenize(values)}`, values.shape, values.shape.map((s) => [s]), values.dtype, new FromArrayExpr(values));
    else v = checkArray("insert values", values);
    if (v.ndim > array.ndim) throw new InvalidOptionError(`insert: values of shape [${v.shape.join(", ")}] have more axes than the array (${array.ndim})`);
    // NumPy: values = array(values, ndmin=arr.ndim); a scalar position moves the first axis to `axis`.
    if (v.ndim < array.ndim) v = v.reshape([...Array(array.ndim - v.ndim).fill(1), ...v.shape]);
    if (scalarObj) v = moveaxis(v, 0, axis);
    const target = array.shape.map((s, a) => (a === axis ? (scalarObj ? v.shape[axis] : count) : s));
    try {
      v = broadcastTo(v, target);
    } catch {
      throw new InvalidOptionError(`insert: values of shape [${v.shape.join(", ")}] cannot broadcast to the inserted block [${target.join(", ")}]`);
    }
    v = v.astype(array.dtype);
  }
  return v.rechunk(v.shape.map((_, a) => (a === axis ? v.chunks[a] : array.chunks[a])));
}

/** NumPy's insert(arr, obj, values, { axis }): values placed before the given positions (monotonic, as Dask requires). */
export function insert(x: LazyArray, obj: Positions, values: InsertValues, options: AxisOption = {}): LazyArray {
  checkArray("insert", x);
  const { array, axis } = axisOf("insert", x, options);
  const n = array.shape[axis];
  const { values: raw, scalar } = positionsOf("insert", obj, n);
  const wrapped = raw.map((i) => {
    if (i < -n || i > n) throw new InvalidOptionError(`insert: index ${i} is out of bounds for axis ${axis} with size ${n}`);
    return i < 0 ? i + n : i;
  });
  for (let i = 1; i < wrapped.length; i++) {
    if (wrapped[i] < wrapped[i - 1]) throw new InvalidOptionError(`insert: positions [${raw.join(", ")}] are not monotonic; Dask's insert (and tessera's) needs them in order`);
  }
  const block = valuesBlock(array, axis, values, wrapped.length, scalar);
  // A scalar position with k values (or a one-element list with k rows) inserts all k there.
  const positions = block.shape[axis] !== wrapped.length && wrapped.length === 1 ? Array(block.shape[axis]).fill(wrapped[0]) as number[] : wrapped;
  const unique = [...new Set(positions)];
  const counts = unique.slice(0, -1).map((p) => positions.filter((q) => q === p).length);
  const valueBreaks = counts.map((_, i) => counts.slice(0, i + 1).reduce((a, b) => a + b, 0));
  const arrayPieces = splitAt(array, unique, axis);
  const valuePieces = splitAt(block, valueBreaks, axis);
  // Dask drops the empty pieces before joining; concatenate drops their 0-length chunks anyway.
  return join(arrayPieces.flatMap((piece, i) => (i < valuePieces.length ? [piece, valuePieces[i]] : [piece])), axis);
}

/** NumPy's append(arr, values, { axis }): one concatenate; without an axis both are flattened first. */
export function append(x: LazyArray, values: LazyArray | NDArray, options: AxisOption = {}): LazyArray {
  checkArray("append", x);
  refuseUnknownOptions("append", options, ["axis"]);
  const v = values instanceof NDArray ? new LazyArray(`values-${tokenize(values)}`, values.shape, values.shape.map((s) => [s]), values.dtype, new FromArrayExpr(values)) : checkArray("append values", values);
  if (options.axis === undefined || options.axis === null) {
    return join([x.ndim === 1 ? x : x.reshape([-1]), v.ndim === 1 ? v : v.reshape([-1])], 0);
  }
  if (!Number.isInteger(options.axis)) throw new InvalidOptionError(`append: axis ${String(options.axis)} is not an integer`);
  return join([x, v], options.axis);
}
