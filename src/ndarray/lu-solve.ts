/**
 * solve, inv and det (np.linalg's) through LU with partial pivoting as LAPACK's dgetrf: at
 * step j the pivot is the first row of largest |value| in column j at or below the diagonal.
 * An exactly zero pivot makes solve and inv refuse (NumPy's LinAlgError "Singular matrix")
 * and det 0. Backward stable in practice: ‖A·x − b‖ ≲ c·n·ε·‖A‖·‖x‖ (Higham, Thm 9.5, with
 * the usual small growth factor). Complex input: complex-lu-solve.ts.
 */
import { InvalidOptionError } from "../core/errors.js";
import { LinAlgError, isNDArrayLike, readMatrix, requireSquare, toNDArray } from "./matrix-data.js";
import { complexDet, complexInv, complexSolve } from "./complex-lu-solve.js";
import { isComplexDType } from "./dtype.js";
import type { NDArray } from "./ndarray.js";

interface LuFactors {
  n: number;
  /** L (unit, below the diagonal) and U (on and above), row-major. */
  lu: Float64Array;
  /** Row i of the factored matrix is row perm[i] of A. */
  perm: Int32Array;
  /** Row swaps made (the determinant's sign). */
  swaps: number;
  /** Whether some pivot was exactly zero. */
  singular: boolean;
}

function luFactor(a: Float64Array, n: number): LuFactors {
  const lu = Float64Array.from(a);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let swaps = 0;
  let singular = false;
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(lu[i * n + j]) > Math.abs(lu[p * n + j])) p = i;
    if (p !== j) {
      for (let c = 0; c < n; c++) [lu[j * n + c], lu[p * n + c]] = [lu[p * n + c], lu[j * n + c]];
      [perm[j], perm[p]] = [perm[p], perm[j]];
      swaps++;
    }
    const pivot = lu[j * n + j];
    if (pivot === 0) {
      singular = true;
      continue; // dgetrf goes on; the column below stays as it is
    }
    for (let i = j + 1; i < n; i++) {
      const factor = (lu[i * n + j] /= pivot);
      if (factor !== 0) for (let c = j + 1; c < n; c++) lu[i * n + c] -= factor * lu[j * n + c];
    }
  }
  return { n, lu, perm, swaps, singular };
}

/** X with A·X = B for B (n × k, row-major), by the factors. */
function luSolve(f: LuFactors, b: Float64Array, k: number): Float64Array {
  const { n, lu, perm } = f;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) x[i * k + c] = b[perm[i] * k + c];
  for (let i = 0; i < n; i++) for (let r = 0; r < i; r++) {
    const l = lu[i * n + r];
    if (l !== 0) for (let c = 0; c < k; c++) x[i * k + c] -= l * x[r * k + c];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) {
      const u = lu[i * n + r];
      if (u !== 0) for (let c = 0; c < k; c++) x[i * k + c] -= u * x[r * k + c];
    }
    for (let c = 0; c < k; c++) x[i * k + c] /= lu[i * n + i];
  }
  return x;
}

function factorSquare(a: NDArray, what: string): { f: LuFactors; dtype: "float32" | "float64" } {
  const m = readMatrix(a, what);
  requireSquare(m, what);
  return { f: luFactor(m.data, m.rows), dtype: m.dtype };
}

/** x with a·x = b (np.linalg.solve): a square, b of shape (M,) or (M, K). */
export function solve(a: NDArray, b: NDArray): NDArray {
  if (isNDArrayLike(a) && isNDArrayLike(b) && (isComplexDType(a.dtype) || isComplexDType(b.dtype))) return complexSolve(a, b);
  const { f } = factorSquare(a, "solve");
  const rhs = readMatrix(b, "solve (b)", true);
  if (rhs.rows !== f.n) throw new InvalidOptionError(`solve: b has ${rhs.rows} rows, a is ${f.n} × ${f.n}: they must match`);
  if (f.singular) throw new LinAlgError("solve: Singular matrix");
  const dtype = a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
  return toNDArray(luSolve(f, rhs.data, rhs.cols), b.shape, dtype);
}

/** The inverse of a square matrix (np.linalg.inv). */
export function inv(a: NDArray): NDArray {
  if (isNDArrayLike(a) && isComplexDType(a.dtype)) return complexInv(a);
  const { f, dtype } = factorSquare(a, "inv");
  if (f.singular) throw new LinAlgError("inv: Singular matrix");
  const identity = new Float64Array(f.n * f.n);
  for (let i = 0; i < f.n; i++) identity[i * f.n + i] = 1;
  return toNDArray(luSolve(f, identity, f.n), [f.n, f.n], dtype);
}

/**
 * The determinant of a square matrix (np.linalg.det), as NumPy's umath_linalg forms it: the
 * sign of the permutation and of U's diagonal times exp(Σ log|u_ii|), so a singular matrix
 * gives +0 (sign 0) and the product cannot overflow midway.
 */
export function det(a: NDArray): NDArray {
  if (isNDArrayLike(a) && isComplexDType(a.dtype)) return complexDet(a);
  const { f, dtype } = factorSquare(a, "det");
  let sign = f.swaps % 2 === 0 ? 1 : -1;
  let logdet = 0;
  for (let i = 0; i < f.n; i++) {
    const d = f.lu[i * f.n + i];
    sign *= Math.sign(d);
    logdet += Math.log(Math.abs(d));
  }
  return toNDArray(Float64Array.of(sign === 0 ? 0 : sign * Math.exp(logdet)), [], dtype);
}
