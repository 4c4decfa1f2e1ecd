/**
 * The boundary of the complex decompositions: a complex matrix NDArray read into column-major
 * float64 real and imaginary parts, and results written back in NumPy's dtype (complex64 stays
 * complex64: NumPy's c-routines; tessera computes in float64 and rounds once at the end, as
 * matrix-data.ts does for float32).
 */
import { InvalidOptionError } from "../core/errors.js";
import { ascontiguousarray } from "./copy.js";
import { isComplexDType } from "./dtype.js";
import { type NDArray, empty } from "./ndarray.js";

export interface ComplexMatrix {
  rows: number;
  cols: number;
  /** Column-major parts, column j at j·rows. */
  re: Float64Array;
  im: Float64Array;
  dtype: "complex64" | "complex128";
}

/**
 * A 2-d NDArray (or a vector, as one column, with `allowVector`) as a ComplexMatrix; a real
 * one (the other operand of a complex solve) has a zero imaginary part, and its dtype is the
 * complex one of its precision (float32 → complex64).
 */
export function readComplexMatrix(a: NDArray, what: string, allowVector = false): ComplexMatrix {
  if (a.ndim !== 2 && !(allowVector && a.ndim === 1)) {
    throw new InvalidOptionError(`${what}: ${a.ndim}-dimensional array given, ${allowVector ? "a vector or matrix" : "a matrix (2 dimensions)"} is needed; stacks of matrices (…, M, N) are not supported`);
  }
  const rows = a.shape[0];
  const cols = a.ndim === 2 ? a.shape[1] : 1;
  const complex = isComplexDType(a.dtype);
  const storage = complex ? ascontiguousarray(a).toStorage() : ascontiguousarray(a).toTypedArray();
  const re = new Float64Array(rows * cols);
  const im = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      re[j * rows + i] = Number(complex ? storage[2 * (i * cols + j)] : storage[i * cols + j]);
      if (complex) im[j * rows + i] = Number(storage[2 * (i * cols + j) + 1]);
    }
  }
  const single = a.dtype === "complex64" || a.dtype === "float32";
  return { rows, cols, re, im, dtype: single ? "complex64" : "complex128" };
}

/** A complex NDArray of `shape` from row-major re / im parts, in `dtype`. */
export function toComplexNDArray(re: Float64Array, im: Float64Array, shape: readonly number[], dtype: "complex64" | "complex128"): NDArray {
  const out = empty([...shape], dtype);
  const storage = out.storage as Float64Array | Float32Array;
  for (let i = 0; i < re.length; i++) {
    storage[2 * i] = re[i];
    storage[2 * i + 1] = im[i];
  }
  return out;
}
