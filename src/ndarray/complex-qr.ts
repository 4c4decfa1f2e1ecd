/**
 * np.linalg.qr of a complex matrix (complex-householder-qr.ts: LAPACK's zgeqrf / zungqr
 * conventions, R's diagonal real): the modes of qr-svd.ts, Q and R in the input's complex dtype.
 */
import { complexFormQ, complexHouseholderFactor, complexUpperR } from "./complex-householder-qr.js";
import { readComplexMatrix, toComplexNDArray } from "./complex-matrix-data.js";
import type { NDArray } from "./ndarray.js";

export function complexQr(a: NDArray, mode: "reduced" | "complete" | "r"): { q: NDArray; r: NDArray } | NDArray {
  const m = readComplexMatrix(a, "qr");
  const k = Math.min(m.rows, m.cols);
  const factors = complexHouseholderFactor(m.re, m.im, m.rows, m.cols);
  const rRows = mode === "complete" ? m.rows : k;
  const upper = complexUpperR(factors, rRows);
  const r = toComplexNDArray(upper.re, upper.im, [rRows, m.cols], m.dtype);
  if (mode === "r") return r;
  const qCols = mode === "complete" ? m.rows : k;
  const q = complexFormQ(factors, qCols);
  return { q: toComplexNDArray(q.re, q.im, [m.rows, qCols], m.dtype), r };
}
