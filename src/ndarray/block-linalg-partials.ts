/**
 * The block steps of the chunked LU, Cholesky and triangular solves (src/array/block-lu.ts and
 * block-cholesky.ts hold the graphs, after dask.array.linalg's lu, _cholesky and
 * solve_triangular): a block update t − a·b (or a·bᵀ), the LU of a diagonal block with
 * pivoting inside it (scipy.linalg.lu's t = P·L·U, as Dask), the triangular solves that give
 * the off-diagonal blocks, and the Cholesky factor of a diagonal block. Each step reads at
 * most three blocks. Results keep the linalg dtype of their first operand (float32 stays).
 * A zero on a triangular factor's diagonal refuses as scipy's solve_triangular does
 * (LinAlgError "singular matrix"), so a singular system fails at compute time, as in Dask.
 */
import { defineBuiltin } from "../core/builtin.js";
import { cholesky } from "./cholesky.js";
import { fromTypedArray } from "./creation.js";
import { singularValues } from "./qr-svd.js";
import { LinAlgError, type Matrix, readMatrix, toNDArray } from "./matrix-data.js";
import type { NDArray } from "./ndarray.js";

function outOf(m: Matrix, data: Float64Array, rows: number, cols: number, like: NDArray, dropColumns: boolean): NDArray {
  return toNDArray(data, dropColumns ? [rows] : [rows, cols], like.dtype === "float32" ? "float32" : m.dtype === "float32" ? "float32" : "float64");
}

/** X with T·X = B (T triangular n × n, B n × k), by substitution; lower or upper; T given row-major. */
function substitute(t: Float64Array, n: number, b: Float64Array, k: number, lower: boolean): Float64Array {
  const x = Float64Array.from(b);
  const order = Array.from({ length: n }, (_, i) => (lower ? i : n - 1 - i));
  for (const i of order) {
    const diagonal = t[i * n + i];
    if (diagonal === 0) throw new LinAlgError(`singular matrix: resolution failed at diagonal ${i}`);
    const [from, to] = lower ? [0, i] : [i + 1, n];
    for (let p = from; p < to; p++) {
      const f = t[i * n + p];
      if (f !== 0) for (let c = 0; c < k; c++) x[i * k + c] -= f * x[p * k + c];
    }
    for (let c = 0; c < k; c++) x[i * k + c] /= diagonal;
  }
  return x;
}

function transposed(data: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = data[i * cols + j];
  return t;
}

/** t − a·b (transposeB: t − a·bᵀ); t may be a vector (a column). */
export const blockSubtractProduct = defineBuiltin("ndarray.blockSubtractProduct", function blockSubtractProduct(t: NDArray, a: NDArray, b: NDArray, transposeB: boolean): NDArray {
  const tm = readMatrix(t, "blockSubtractProduct", true);
  const am = readMatrix(a, "blockSubtractProduct", true);
  const bm = readMatrix(b, "blockSubtractProduct", true);
  const inner = am.cols;
  const out = Float64Array.from(tm.data);
  for (let i = 0; i < tm.rows; i++) for (let c = 0; c < tm.cols; c++) {
    let sum = 0;
    for (let p = 0; p < inner; p++) sum += am.data[i * inner + p] * (transposeB ? bm.data[c * bm.cols + p] : bm.data[p * bm.cols + c]);
    out[i * tm.cols + c] -= sum;
  }
  return outOf(tm, out, tm.rows, tm.cols, t, t.ndim === 1);
});

/** [P, L, U] with t = P·L·U, L unit lower, partial pivoting inside the block (scipy.linalg.lu). */
export const blockLuDiagonal = defineBuiltin("ndarray.blockLuDiagonal", function blockLuDiagonal(t: NDArray): [NDArray, NDArray, NDArray] {
  const m = readMatrix(t, "blockLuDiagonal");
  const n = m.rows;
  const lu = Float64Array.from(m.data);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(lu[i * n + j]) > Math.abs(lu[p * n + j])) p = i;
    if (p !== j) {
      for (let c = 0; c < n; c++) [lu[j * n + c], lu[p * n + c]] = [lu[p * n + c], lu[j * n + c]];
      [perm[j], perm[p]] = [perm[p], perm[j]];
    }
    const pivot = lu[j * n + j];
    if (pivot === 0) continue;
    for (let i = j + 1; i < n; i++) {
      const factor = (lu[i * n + j] /= pivot);
      for (let c = j + 1; c < n; c++) lu[i * n + c] -= factor * lu[j * n + c];
    }
  }
  const p = new Float64Array(n * n);
  const l = new Float64Array(n * n);
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    p[perm[i] * n + i] = 1; // row i of L·U is row perm[i] of t
    for (let c = 0; c < n; c++) {
      if (c < i) l[i * n + c] = lu[i * n + c];
      else u[i * n + c] = lu[i * n + c];
    }
    l[i * n + i] = 1;
  }
  return [outOf(m, p, n, n, t, false), outOf(m, l, n, n, t, false), outOf(m, u, n, n, t, false)];
});

/** L⁻¹·Pᵀ·t with [P, L, U] of a diagonal block: an U block right of it, or a forward-substitution step. */
export const blockPermutedLowerSolve = defineBuiltin("ndarray.blockPermutedLowerSolve", function blockPermutedLowerSolve(diagonal: [NDArray, NDArray, NDArray], t: NDArray): NDArray {
  const p = readMatrix(diagonal[0], "blockPermutedLowerSolve");
  const l = readMatrix(diagonal[1], "blockPermutedLowerSolve");
  const tm = readMatrix(t, "blockPermutedLowerSolve", true);
  const n = p.rows;
  const k = tm.cols;
  const permuted = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let r = 0; r < n; r++) if (p.data[r * n + i] === 1) for (let c = 0; c < k; c++) permuted[i * k + c] = tm.data[r * k + c];
  return outOf(tm, substitute(l.data, n, permuted, k, true), n, k, t, t.ndim === 1);
});

/** Pᵀ·t with P of a diagonal block's [P, L, U]: a block of L from one of L' = P·L (Dask's lu-p-inv dot). */
export const blockUnpermuteRows = defineBuiltin("ndarray.blockUnpermuteRows", function blockUnpermuteRows(diagonal: [NDArray, NDArray, NDArray], t: NDArray): NDArray {
  const p = readMatrix(diagonal[0], "blockUnpermuteRows");
  const tm = readMatrix(t, "blockUnpermuteRows");
  const n = p.rows;
  const k = tm.cols;
  const out = new Float64Array(n * k);
  // (Pᵀ·t)[i] = t[r] where P[r, i] = 1.
  for (let i = 0; i < n; i++) for (let r = 0; r < n; r++) if (p.data[r * n + i] === 1) out.set(tm.data.subarray(r * k, (r + 1) * k), i * k);
  return outOf(tm, out, n, k, t, false);
});

/** t·U⁻¹ with U of a diagonal block's [P, L, U]: a (permuted) L block below it. */
export const blockRightUpperSolve = defineBuiltin("ndarray.blockRightUpperSolve", function blockRightUpperSolve(diagonal: [NDArray, NDArray, NDArray], t: NDArray): NDArray {
  const u = readMatrix(diagonal[2], "blockRightUpperSolve");
  const tm = readMatrix(t, "blockRightUpperSolve");
  const n = u.rows;
  // X·U = T  ⇔  Uᵀ·Xᵀ = Tᵀ, Uᵀ lower.
  const xt = substitute(transposed(u.data, n, n), n, transposed(tm.data, tm.rows, n), tm.rows, true);
  return outOf(tm, transposed(xt, n, tm.rows), tm.rows, n, t, false);
});

/** T⁻¹·t for a triangular block T (lower or upper), or for the U of a diagonal block's [P, L, U]. */
export const blockTriangularSolve = defineBuiltin("ndarray.blockTriangularSolve", function blockTriangularSolve(triangle: NDArray | [NDArray, NDArray, NDArray], t: NDArray, lower: boolean): NDArray {
  const tri = readMatrix(Array.isArray(triangle) ? triangle[2] : triangle, "blockTriangularSolve");
  const tm = readMatrix(t, "blockTriangularSolve", true);
  return outOf(tm, substitute(tri.data, tri.rows, tm.data, tm.cols, lower), tri.rows, tm.cols, t, t.ndim === 1);
});

/** The lower Cholesky factor of a diagonal block (LinAlgError where it is not positive definite). */
export const blockCholeskyDiagonal = defineBuiltin("ndarray.blockCholeskyDiagonal", function blockCholeskyDiagonal(t: NDArray): NDArray {
  return cholesky(t);
});

/** A block's transpose, as a new contiguous block. */
export const blockTranspose = defineBuiltin("ndarray.blockTranspose", function blockTranspose(t: NDArray): NDArray {
  const m = readMatrix(t, "blockTranspose");
  return outOf(m, transposed(m.data, m.rows, m.cols), m.cols, m.rows, t, false);
});

/** The rank of a triangular factor as np.linalg.matrix_rank: singular values above s_max·max(shape)·ε, int64, 0-d. */
export const factorRank = defineBuiltin("ndarray.factorRank", function factorRank(r: NDArray): NDArray {
  const m = readMatrix(r, "factorRank");
  const s = singularValues(m.data, m.rows, m.cols);
  const eps = m.dtype === "float32" ? 2 ** -23 : 2 ** -52;
  const tol = (s.length > 0 ? s[0] : 0) * Math.max(m.rows, m.cols) * eps;
  return fromTypedArray(BigInt64Array.of(BigInt(s.filter((v) => v > tol).length)), [], { dtype: "int64" });
});

/** The singular values of a triangular factor, descending, in its linalg dtype. */
export const factorSingularValues = defineBuiltin("ndarray.factorSingularValues", function factorSingularValues(r: NDArray): NDArray {
  const m = readMatrix(r, "factorSingularValues");
  const s = singularValues(m.data, m.rows, m.cols);
  return toNDArray(s, [s.length], m.dtype);
});
