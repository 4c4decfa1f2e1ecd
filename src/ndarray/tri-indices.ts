/**
 * np.tri and the triangle index functions np.tril_indices, np.triu_indices and their _from
 * forms, NumPy 1.24's values and dtypes (tri: float64 unless a dtype is given; the indices
 * int64, in row-major order, as np.nonzero of the triangle gives them).
 *
 * The lower triangle of an n × m matrix holds (i, j) with j − i ≤ k: row i has
 * clamp(i + k + 1, 0, m) of them, from column 0. The upper one holds j − i ≥ k: row i has
 * m − clamp(i + k, 0, m), up to column m − 1. `triangleIndexRange` computes any run
 * [start, stop) of the row-major list from these counts alone, so the lazy form builds each
 * block on its own without the n × m mask (tessera/array's tri-indices.ts).
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { zeros } from "./creation.js";
import { type DType, toDType } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { integerOption, readOptions } from "./matrix-options.js";

export interface TriOptions {
  /** Columns (default N). */
  M?: number;
  /** The diagonal: ones at and below it (default 0). */
  k?: number;
  /** Default float64. */
  dtype?: DType | string;
}

export interface TriangleIndexOptions {
  /** The diagonal bounding the triangle (default 0). */
  k?: number;
  /** Columns (default n). */
  m?: number;
}

/** The triangle's shape and side: what a block of its index list is computed from. */
export interface TriangleSpec {
  n: number;
  m: number;
  k: number;
  lower: boolean;
}

function sizeOption(what: string, name: string, value: unknown, fallback: number): number {
  const size = integerOption(what, name, value, fallback);
  if (size < 0) throw new InvalidOptionError(`${what}: ${name} must not be negative, got ${size}`);
  return size;
}

/** How many (i, j) of row i lie in the triangle. */
function rowCount(spec: TriangleSpec, i: number): number {
  const clamp = (v: number) => Math.min(spec.m, Math.max(0, v));
  return spec.lower ? clamp(i + spec.k + 1) : spec.m - clamp(i + spec.k);
}

/** The number of indices of the triangle (the length of each index array). */
export function triangleIndexCount(spec: TriangleSpec): number {
  let total = 0;
  for (let i = 0; i < spec.n; i++) total += rowCount(spec, i);
  return total;
}

/** Entries [start, stop) of the row-major index list: the rows (part 0) or the columns (part 1), int64. */
export const triangleIndexRange = definePublicBuiltin("triangleIndexRange", function triangleIndexRange(spec: TriangleSpec, start: number, stop: number, part: 0 | 1): NDArray {
  const out = zeros([stop - start], "int64");
  const data = out.data as BigInt64Array;
  let position = 0; // the list position of the first entry of row i
  let written = 0;
  for (let i = 0; i < spec.n && position < stop; i++) {
    const count = rowCount(spec, i);
    const first = spec.lower ? 0 : spec.m - count;
    for (let c = Math.max(0, start - position); c < count && position + c < stop; c++) data[written++] = BigInt(part === 0 ? i : first + c);
    position += count;
  }
  return out;
});

/** An N × M array of ones at and below diagonal k, zeros above (np.tri). */
export const tri = definePublicBuiltin("tri", function tri(N: number, options?: TriOptions): NDArray {
  const given = readOptions("tri", options, ["M", "k", "dtype"]);
  const rows = sizeOption("tri", "N", N, 0);
  const cols = sizeOption("tri", "M", given.M ?? undefined, rows);
  const k = integerOption("tri", "k", given.k, 0);
  const dtype = toDType(given.dtype ?? "float64", "tri dtype");
  const out = zeros([rows, cols], dtype);
  const data = out.data as unknown as { fill(value: number | bigint, start: number, end: number): unknown };
  const one = dtype === "int64" || dtype === "uint64" ? 1n : 1;
  for (let i = 0; i < rows; i++) data.fill(one, i * cols, i * cols + Math.min(cols, Math.max(0, i + k + 1)));
  return out;
});

/** The triangle of `what` from its arguments, checked. */
export function triangleSpec(what: string, n: number, options: TriangleIndexOptions | undefined, lower: boolean): TriangleSpec {
  const given = readOptions(what, options, ["k", "m"]);
  const rows = sizeOption(what, "n", n, 0);
  return { n: rows, m: sizeOption(what, "m", given.m ?? undefined, rows), k: integerOption(what, "k", given.k, 0), lower };
}

/** The matrix shape of `arr` for the _from forms: NumPy requires exactly two axes. */
export function fromShape(what: string, shape: readonly number[], options: { k?: number } | undefined): TriangleIndexOptions & { n: number } {
  const given = readOptions(what, options, ["k"]);
  if (shape.length !== 2) throw new InvalidOptionError(`${what}: the input array must be 2-d, it has ${shape.length} axes (as NumPy requires)`);
  return { n: shape[0], m: shape[1], k: given.k };
}

function indices(spec: TriangleSpec): [NDArray, NDArray] {
  const total = triangleIndexCount(spec);
  return [triangleIndexRange(spec, 0, total, 0), triangleIndexRange(spec, 0, total, 1)];
}

/** [rows, columns] of the lower triangle (column − row ≤ k) of an n × m matrix (np.tril_indices). */
export const trilIndices = definePublicBuiltin("trilIndices", function trilIndices(n: number, options?: TriangleIndexOptions): [NDArray, NDArray] {
  return indices(triangleSpec("trilIndices", n, options, true));
});

/** [rows, columns] of the upper triangle (column − row ≥ k) (np.triu_indices). */
export const triuIndices = definePublicBuiltin("triuIndices", function triuIndices(n: number, options?: TriangleIndexOptions): [NDArray, NDArray] {
  return indices(triangleSpec("triuIndices", n, options, false));
});

/** trilIndices of a 2-d array's shape (np.tril_indices_from). */
export const trilIndicesFrom = definePublicBuiltin("trilIndicesFrom", function trilIndicesFrom(arr: NDArray, options?: { k?: number }): [NDArray, NDArray] {
  if (!(arr instanceof NDArray)) throw new InvalidOptionError(`trilIndicesFrom: expected an NDArray, got ${String(arr)}`);
  const { n, ...rest } = fromShape("trilIndicesFrom", arr.shape, options);
  return indices(triangleSpec("trilIndicesFrom", n, rest, true));
});

/** triuIndices of a 2-d array's shape (np.triu_indices_from). */
export const triuIndicesFrom = definePublicBuiltin("triuIndicesFrom", function triuIndicesFrom(arr: NDArray, options?: { k?: number }): [NDArray, NDArray] {
  if (!(arr instanceof NDArray)) throw new InvalidOptionError(`triuIndicesFrom: expected an NDArray, got ${String(arr)}`);
  const { n, ...rest } = fromShape("triuIndicesFrom", arr.shape, options);
  return indices(triangleSpec("triuIndicesFrom", n, rest, false));
});
