/**
 * The lower Cholesky factor L (A = L·Lᵀ) of a symmetric positive-definite matrix, as
 * np.linalg.cholesky (LAPACK dpotrf with 'L'): only the lower triangle of A is read, and a
 * non-positive (or NaN) pivot refuses the matrix as NumPy's LinAlgError "Matrix is not positive
 * definite". Backward stable: L·Lᵀ = A + E, ‖E‖ ≲ c·n·ε·‖A‖ (Higham, Thm 10.3). Complex
 * (Hermitian) input: complex-cholesky.ts.
 */
import { LinAlgError, isNDArrayLike, readMatrix, requireSquare, toNDArray } from "./matrix-data.js";
import { complexCholesky } from "./complex-cholesky.js";
import { isComplexDType } from "./dtype.js";
import type { NDArray } from "./ndarray.js";

/** L of a (n × n, row-major) in float64, or null where a pivot is not positive. */
export function choleskyLower(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let c = 0; c < j; c++) d -= l[j * n + c] * l[j * n + c];
    if (!(d > 0)) return null;
    const pivot = Math.sqrt(d);
    l[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let v = a[i * n + j];
      for (let c = 0; c < j; c++) v -= l[i * n + c] * l[j * n + c];
      l[i * n + j] = v / pivot;
    }
  }
  return l;
}

export function cholesky(a: NDArray): NDArray {
  if (isNDArrayLike(a) && isComplexDType(a.dtype)) return complexCholesky(a);
  const m = readMatrix(a, "cholesky");
  requireSquare(m, "cholesky");
  const l = choleskyLower(m.data, m.rows);
  if (l === null) throw new LinAlgError("cholesky: Matrix is not positive definite");
  return toNDArray(l, [m.rows, m.rows], m.dtype);
}
