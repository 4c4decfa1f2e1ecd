/**
 * np.linalg.svd of a complex matrix (complex-jacobi-svd.ts): u and vh in the input's complex
 * dtype, s real in the dtype of its halves, NumPy's shapes for fullMatrices or not. The
 * singular values match NumPy's (zgesdd) to the SVD's accuracy; u and vh are singular vectors
 * of the same matrix, each determined up to a phase (and within a repeated singular value's
 * subspace), so they are checked by u·diag(s)·vh = a, not against NumPy's bits.
 */
import { LinAlgError } from "./matrix-data.js";
import { complexSvdFactor } from "./complex-jacobi-svd.js";
import { readComplexMatrix, toComplexNDArray } from "./complex-matrix-data.js";
import { fromTypedArray } from "./creation.js";
import type { NDArray } from "./ndarray.js";

export function complexSvd(a: NDArray, full: boolean, computeUv: boolean): { u: NDArray; s: NDArray; vh: NDArray } | NDArray {
  const m = readComplexMatrix(a, "svd");
  for (let i = 0; i < m.re.length; i++) {
    if (!Number.isFinite(m.re[i]) || !Number.isFinite(m.im[i])) throw new LinAlgError("svd: array must not contain infs or NaNs");
  }
  const f = complexSvdFactor(m.re, m.im, m.rows, m.cols, full, computeUv);
  const part = m.dtype === "complex64" ? "float32" : "float64";
  const s = fromTypedArray(part === "float32" ? Float32Array.from(f.s) : f.s, [f.s.length], { dtype: part });
  if (!computeUv) return s;
  return { u: toComplexNDArray(f.uRe, f.uIm, [m.rows, f.uCols], m.dtype), s, vh: toComplexNDArray(f.vhRe, f.vhIm, [f.vRows, m.cols], m.dtype) };
}
