/**
 * The lower Cholesky factor L (A = L·Lᴴ) of a Hermitian positive-definite complex matrix, as
 * np.linalg.cholesky (LAPACK zpotrf with 'L'): only the lower triangle of A is read (and the
 * real part of its diagonal), L's diagonal is real and positive, and a non-positive (or NaN)
 * pivot refuses the matrix as NumPy's LinAlgError "Matrix is not positive definite". Backward
 * stable as the real one (cholesky.ts).
 */
import { readComplexMatrix, toComplexNDArray } from "./complex-matrix-data.js";
import { LinAlgError } from "./matrix-data.js";
import type { NDArray } from "./ndarray.js";

export function complexCholesky(a: NDArray): NDArray {
  const m = readComplexMatrix(a, "cholesky");
  if (m.rows !== m.cols) throw new LinAlgError(`cholesky: last 2 dimensions of the array must be square, got ${m.rows} × ${m.cols}`);
  const n = m.rows;
  // A's element (i, j) in the column-major parts.
  const aRe = (i: number, j: number) => m.re[j * n + i];
  const aIm = (i: number, j: number) => m.im[j * n + i];
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = aRe(j, j);
    for (let c = 0; c < j; c++) d -= re[j * n + c] * re[j * n + c] + im[j * n + c] * im[j * n + c];
    if (!(d > 0)) throw new LinAlgError("cholesky: Matrix is not positive definite");
    const pivot = Math.sqrt(d);
    re[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      // a_ij − Σ l_ic·conj(l_jc)
      let vr = aRe(i, j);
      let vi = aIm(i, j);
      for (let c = 0; c < j; c++) {
        const xr = re[i * n + c];
        const xi = im[i * n + c];
        const yr = re[j * n + c];
        const yi = im[j * n + c];
        vr -= xr * yr + xi * yi;
        vi -= xi * yr - xr * yi;
      }
      re[i * n + j] = vr / pivot;
      im[i * n + j] = vi / pivot;
    }
  }
  return toComplexNDArray(re, im, [n, n], m.dtype);
}
