/**
 * np.eye, np.tril and np.triu on in-memory arrays. tril/triu keep the dtype and act on the last
 * two axes of an array of two or more (the lazy layer calls them per block with the block's
 * offset folded into k). A 1-d array is refused: NumPy 1.24 would broadcast it against its
 * N × N mask into a matrix, which Dask 2022.12 refuses, and a vector that turns into a matrix
 * is more likely a mistake than a wish.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { copy, requireArray } from "./copy.js";
import { zeros } from "./creation.js";
import { type DType, toDType } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { integerOption, readOptions } from "./matrix-options.js";

export interface TriangleOptions {
  /** The diagonal bounding the triangle: 0 the main one, > 0 above it, < 0 below it. */
  k?: number;
}

export interface EyeOptions {
  /** Columns (default N). */
  M?: number;
  /** The diagonal of ones (default 0). */
  k?: number;
  /** Default float64. */
  dtype?: DType | string;
}

const isBigint = (dtype: DType): boolean => dtype === "int64" || dtype === "uint64";

/** Zeros the elements of the last two axes whose column − row lies outside [low, high]. */
function keepBand(what: string, a: NDArray, low: number, high: number): NDArray {
  requireArray(a, what);
  if (a.ndim < 2) throw new InvalidOptionError(`${what}: the array must have at least two axes, it has ${a.ndim} (NumPy 1.24 would broadcast a 1-d array into a matrix; reshape it first if that is meant)`);
  const out = copy(a);
  const [rows, cols] = a.shape.slice(-2);
  const data = out.data as unknown as { fill(value: number | bigint, start: number, end: number): unknown };
  const zero = isBigint(a.dtype) ? 0n : 0;
  const matrices = rows * cols === 0 ? 0 : out.size / (rows * cols);
  const clamp = (j: number): number => Math.min(cols, Math.max(0, j));
  for (let m = 0; m < matrices; m++) {
    for (let i = 0, row = m * rows * cols; i < rows; i++, row += cols) {
      // Row i keeps columns [i + low, i + high]; the rest of the row is zeroed in two runs.
      data.fill(zero, row, row + clamp(i + low));
      data.fill(zero, row + clamp(i + high + 1), row + cols);
    }
  }
  return out;
}

/** The lower triangle (column − row ≤ k) of the last two axes, the rest zero (np.tril). */
export const tril = definePublicBuiltin("tril", function tril(a: NDArray, options?: TriangleOptions): NDArray {
  const k = integerOption("tril", "k", readOptions("tril", options, ["k"]).k, 0);
  return keepBand("tril", a, -Infinity, k);
});

/** The upper triangle (column − row ≥ k) of the last two axes, the rest zero (np.triu). */
export const triu = definePublicBuiltin("triu", function triu(a: NDArray, options?: TriangleOptions): NDArray {
  const k = integerOption("triu", "k", readOptions("triu", options, ["k"]).k, 0);
  return keepBand("triu", a, k, Infinity);
});

/** An N × M array with ones on diagonal k, zeros elsewhere (np.eye). */
export const eye = definePublicBuiltin("eye", function eye(N: number, options?: EyeOptions): NDArray {
  const given = readOptions("eye", options, ["M", "k", "dtype"]);
  const rows = integerOption("eye", "N", N, 0);
  const cols = integerOption("eye", "M", given.M ?? undefined, rows);
  if (rows < 0 || cols < 0) throw new InvalidOptionError(`eye: negative dimensions are not allowed (N ${rows}, M ${cols})`);
  const k = integerOption("eye", "k", given.k, 0);
  const dtype = toDType(given.dtype ?? "float64", "eye dtype");
  const out = zeros([rows, cols], dtype);
  const data = out.data as unknown as { [i: number]: number | bigint };
  const one = isBigint(dtype) ? 1n : 1;
  for (let i = Math.max(0, -k); i < rows && i + k < cols; i++) data[i * cols + i + k] = one;
  return out;
});
