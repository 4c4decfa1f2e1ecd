/**
 * The block steps of the chunked QR and SVD (src/array/tsqr.ts and qr.ts hold the graphs,
 * after dask.array.linalg's tsqr and sfqr): each row block's QR, the QR of the stacked R
 * factors, a row block of Q (the block's Q times its rows of the stack's Q), the SVD of the
 * small R, a row block of U (that Q block times the SVD's u), the short-and-fat QR's R blocks
 * beyond the first (Qᵀ·A_j) and svd_flip's signs. Values as the eager functions compute them,
 * in the input's linalg dtype (float32 stays float32, complex stays complex).
 */
import { defineBuiltin } from "../core/builtin.js";
import { ascontiguousarray } from "./copy.js";
import { fromTypedArray } from "./creation.js";
import { matmul } from "./matmul.js";
import { type NDArray, empty } from "./ndarray.js";
import { qr, svd } from "./qr-svd.js";
import { transpose } from "./views.js";
import { conjugate } from "./complex.js";
import { isComplexDType } from "./dtype.js";
import { concatenate } from "./join.js";
import { slice } from "./slice.js";

/** Rows [start, stop) of a matrix. */
function rowsOf(a: NDArray, start: number, stop: number): NDArray {
  if (isComplexDType(a.dtype)) return ascontiguousarray(slice(a, { start, stop }));
  const cols = a.shape[1];
  const data = ascontiguousarray(a).toTypedArray();
  return fromTypedArray(data.slice(start * cols, stop * cols), [stop - start, cols], { dtype: a.dtype });
}

/** [Q_i, R_i]: the reduced QR of one row block. */
export const tsqrBlock = defineBuiltin("ndarray.tsqrBlock", function tsqrBlock(block: NDArray): [NDArray, NDArray] {
  const { q, r } = qr(block);
  return [q, r];
});

/** [Q_s, R]: the reduced QR of the row blocks' R factors stacked in block order. */
export const tsqrStack = defineBuiltin("ndarray.tsqrStack", function tsqrStack(...rs: NDArray[]): [NDArray, NDArray] {
  if (isComplexDType(rs[0].dtype)) {
    const { q, r } = qr(concatenate(rs, 0));
    return [q, r];
  }
  const cols = rs[0].shape[1];
  const rows = rs.reduce((n, r) => n + r.shape[0], 0);
  const stacked = new Float64Array(rows * cols);
  let at = 0;
  for (const r of rs) {
    const values = ascontiguousarray(r).toTypedArray();
    for (let i = 0; i < values.length; i++) stacked[at + i] = Number(values[i]);
    at += values.length;
  }
  const typed = rs[0].dtype === "float32" ? Float32Array.from(stacked) : stacked;
  const { q, r } = qr(fromTypedArray(typed, [rows, cols], { dtype: rs[0].dtype }));
  return [q, r];
});

/** Row block i of Q: Q_i · (rows [start, stop) of Q_s). */
export const tsqrQ = defineBuiltin("ndarray.tsqrQ", function tsqrQ(pair: [NDArray, NDArray], stack: [NDArray, NDArray], start: number, stop: number): NDArray {
  return matmul(pair[0], rowsOf(stack[0], start, stop));
});

/** [u, s, vh] of the stack's R (reduced; k = min(M, N) of the whole matrix). */
export const tsqrSvd = defineBuiltin("ndarray.tsqrSvd", function tsqrSvd(stack: [NDArray, NDArray]): [NDArray, NDArray, NDArray] {
  const { u, s, vh } = svd(stack[1], { fullMatrices: false });
  return [u, s, vh];
});

/** Row block i of U: Q_i · (rows [start, stop) of Q_s) · u. */
export const tsqrU = defineBuiltin("ndarray.tsqrU", function tsqrU(pair: [NDArray, NDArray], stack: [NDArray, NDArray], factors: [NDArray, NDArray, NDArray], start: number, stop: number): NDArray {
  return matmul(matmul(pair[0], rowsOf(stack[0], start, stop)), factors[0]);
});

/** NumPy's complex z ≥ 0 (lexicographic: the real parts, then the imaginary ones) as ±1 + 0i in the sums' dtype, as Dask's svd_flip gives. */
function complexFlipSigns(sums: NDArray): NDArray {
  const values = ascontiguousarray(sums).toStorage();
  const out = empty([...sums.shape], sums.dtype);
  const storage = out.storage as Float64Array | Float32Array;
  for (let i = 0; i < sums.size; i++) {
    const re = Number(values[2 * i]);
    const im = Number(values[2 * i + 1]);
    storage[2 * i] = re > 0 || (re === 0 && im >= 0) ? 1 : -1;
  }
  return out;
}

/** Dask's svd_flip signs: +1 where a singular vector's sum is ≥ 0, else −1, in `like`'s dtype. */
export const svdFlipSigns = defineBuiltin("ndarray.svdFlipSigns", function svdFlipSigns(sums: NDArray): NDArray {
  if (isComplexDType(sums.dtype)) return complexFlipSigns(sums);
  const values = ascontiguousarray(sums).toTypedArray();
  const signs = Float64Array.from(values as Float64Array, (v) => (Number(v) >= 0 ? 1 : -1));
  return fromTypedArray(sums.dtype === "float32" ? Float32Array.from(signs) : signs, [...sums.shape], { dtype: sums.dtype });
});

/** Block j ≥ 1 of R in the short-and-fat QR: Qᵀ · A_j (Qᴴ · A_j for complex), Q from the first column block's pair. */
export const sfqrRest = defineBuiltin("ndarray.sfqrRest", function sfqrRest(pair: [NDArray, NDArray], block: NDArray): NDArray {
  return matmul(isComplexDType(pair[0].dtype) ? conjugate(transpose(pair[0])) : transpose(pair[0]), block);
});
