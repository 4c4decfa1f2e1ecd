/**
 * scipy.linalg.lu (scipy 1.10) of one M × N matrix: a = p·l·u with p an M × M permutation,
 * l M × K unit lower triangular (trapezoidal), u K × N upper, K = min(M, N); with permuteL,
 * [p·l, u]. The pivoting is LAPACK dgetrf's partial pivoting: at step j the pivot is the
 * first row of largest |value| in column j at or below the diagonal, so p, l and u equal
 * scipy's up to rounding. A zero pivot leaves its column (l's entries below it zero), as dgetrf
 * does; a singular matrix factors without error, as in scipy. Float32 stays float32, every
 * other dtype gives float64 (scipy's); NaN or ±inf and empty matrices are refused.
 * Backward stable in practice: p·l·u = a + E, ‖E‖ ≲ c·n·ε·‖l‖·‖u‖ (Higham, Thm 9.3).
 */
import { InvalidOptionError } from "../core/errors.js";
import { checkOptionKeys, readMatrix, requireFinite, toNDArray } from "./matrix-data.js";
import type { NDArray } from "./ndarray.js";

export interface PartialPivotLu {
  /** l below the diagonal, u on and above it (row-major M × N, rows in pivoted order). */
  lu: Float64Array;
  /** Row i of l·u is row perm[i] of a. */
  perm: Int32Array;
}

/** Partial-pivoting LU of a row-major M × N matrix (not modified). */
export function partialPivotLu(a: Float64Array, rows: number, cols: number): PartialPivotLu {
  const lu = Float64Array.from(a);
  const perm = Int32Array.from({ length: rows }, (_, i) => i);
  for (let j = 0; j < Math.min(rows, cols); j++) {
    let p = j;
    for (let i = j + 1; i < rows; i++) if (Math.abs(lu[i * cols + j]) > Math.abs(lu[p * cols + j])) p = i;
    if (p !== j) {
      const rowJ = lu.slice(j * cols, (j + 1) * cols);
      lu.copyWithin(j * cols, p * cols, (p + 1) * cols);
      lu.set(rowJ, p * cols);
      [perm[j], perm[p]] = [perm[p], perm[j]];
    }
    const pivot = lu[j * cols + j];
    if (pivot === 0) continue;
    for (let i = j + 1; i < rows; i++) {
      const factor = (lu[i * cols + j] /= pivot);
      if (factor === 0) continue;
      for (let c = j + 1; c < cols; c++) lu[i * cols + c] -= factor * lu[j * cols + c];
    }
  }
  return { lu, perm };
}

export function lu(a: NDArray, options: { permuteL: true }): [NDArray, NDArray];
export function lu(a: NDArray, options?: { permuteL?: false }): [NDArray, NDArray, NDArray];
export function lu(a: NDArray, options?: { permuteL?: boolean }): [NDArray, NDArray] | [NDArray, NDArray, NDArray];
/** [p, l, u] with a = p·l·u, or [p·l, u] with permuteL (scipy.linalg.lu). */
export function lu(a: NDArray, options?: { permuteL?: boolean }): [NDArray, NDArray] | [NDArray, NDArray, NDArray] {
  checkOptionKeys(options, ["permuteL"], "lu");
  const permuteL = options?.permuteL ?? false;
  if (typeof permuteL !== "boolean") throw new InvalidOptionError(`lu: permuteL must be true or false, got ${JSON.stringify(permuteL)}`);
  const m = readMatrix(a, "lu");
  if (m.rows === 0 || m.cols === 0) throw new InvalidOptionError(`lu: an empty matrix (shape ${JSON.stringify(a.shape)}) has no LU decomposition here`);
  requireFinite(m, "lu");
  const { rows, cols } = m;
  const k = Math.min(rows, cols);
  const f = partialPivotLu(m.data, rows, cols);
  const l = new Float64Array(rows * k);
  const u = new Float64Array(k * cols);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < Math.min(i, k); c++) l[i * k + c] = f.lu[i * cols + c];
    if (i < k) {
      l[i * k + i] = 1;
      for (let c = i; c < cols; c++) u[i * cols + c] = f.lu[i * cols + c];
    }
  }
  const uOut = toNDArray(u, [k, cols], m.dtype);
  if (permuteL) {
    // p·l: row perm[i] of the result is row i of l.
    const pl = new Float64Array(rows * k);
    for (let i = 0; i < rows; i++) pl.set(l.subarray(i * k, (i + 1) * k), f.perm[i] * k);
    return [toNDArray(pl, [rows, k], m.dtype), uOut];
  }
  const p = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) p[f.perm[i] * rows + i] = 1;
  return [toNDArray(p, [rows, rows], m.dtype), toNDArray(l, [rows, k], m.dtype), uOut];
}
