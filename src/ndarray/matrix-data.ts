/**
 * The boundary of the eager decompositions (qr, svd, solve, …): a matrix NDArray read into a
 * row-major Float64Array, and results written back in NumPy's dtype. NumPy 1.24's linalg keeps
 * float32 as float32 (LAPACK's s-routines) and turns every other dtype into float64; tessera
 * computes in float64 either way and rounds float32 results once at the end, so a float32
 * result is at least as accurate as NumPy's (the tests' tolerances are float32's ε there).
 */
import { InvalidOptionError, TesseraError } from "../core/errors.js";
import { ascontiguousarray } from "./copy.js";
import { fromTypedArray } from "./creation.js";
import { refuseComplex } from "./complex-refusal.js";
import type { NDArray } from "./ndarray.js";

/** NumPy's LinAlgError: the matrix has no such decomposition (singular, not positive definite). */
export class LinAlgError extends TesseraError {
  override name = "LinAlgError";
}

export interface Matrix {
  rows: number;
  cols: number;
  /** Row-major values, rows × cols. */
  data: Float64Array;
  /** The dtype results take: float32 for float32 input, float64 for the rest. */
  dtype: "float32" | "float64";
}

export function isNDArrayLike(value: unknown): value is NDArray {
  return value !== null && typeof value === "object" && "shape" in value && "dtype" in value && typeof (value as NDArray).toTypedArray === "function";
}

/** `a` as a matrix (or a vector with `allowVector`), refusing what `what` cannot take, by name. */
export function readMatrix(a: NDArray, what: string, allowVector = false): Matrix {
  if (!isNDArrayLike(a)) throw new InvalidOptionError(`${what} needs an NDArray, got ${typeof a}`);
  if (a.ndim !== 2 && !(allowVector && a.ndim === 1)) {
    throw new InvalidOptionError(`${what}: ${a.ndim}-dimensional array given, ${allowVector ? "a vector or matrix" : "a matrix (2 dimensions)"} is needed; stacks of matrices (…, M, N) are not supported`);
  }
  // The decompositions are real kernels: a complex matrix is refused naming the function, not read as its real part.
  refuseComplex(what, a.dtype);
  const typed = ascontiguousarray(a).toTypedArray();
  const data = new Float64Array(typed.length);
  for (let i = 0; i < typed.length; i++) data[i] = Number(typed[i]);
  const rows = a.shape[0];
  const cols = a.ndim === 2 ? a.shape[1] : 1;
  return { rows, cols, data, dtype: a.dtype === "float32" ? "float32" : "float64" };
}

/** Refuses anything but a square matrix. */
export function requireSquare(m: Matrix, what: string): void {
  if (m.rows !== m.cols) throw new LinAlgError(`${what}: last 2 dimensions of the array must be square, got ${m.rows} × ${m.cols}`);
}

/** Refuses NaN and ±inf, as NumPy's LAPACK wrappers do for the SVD-based functions. */
export function requireFinite(m: Matrix, what: string): void {
  for (const v of m.data) if (!Number.isFinite(v)) throw new LinAlgError(`${what}: array must not contain infs or NaNs`);
}

/** An NDArray of `shape` from float64 values, in `dtype`. */
export function toNDArray(data: Float64Array, shape: readonly number[], dtype: "float32" | "float64"): NDArray {
  return fromTypedArray(dtype === "float32" ? Float32Array.from(data) : data, [...shape], { dtype });
}

/** Refuses option keys other than `allowed`, naming the unknown one. */
export function checkOptionKeys(options: object | undefined, allowed: readonly string[], what: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new InvalidOptionError(`${what} takes an options object { ${allowed.join(", ")} }, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) if (!allowed.includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes ${allowed.join(", ") || "no options"}`);
}
