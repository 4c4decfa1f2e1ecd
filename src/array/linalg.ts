/**
 * `ta.linalg`: dask.array.linalg's functions tessera has (norm, tsqr, qr, svd, svdCompressed,
 * compressionLevel, compressionMatrix, solve, solveTriangular, inv, lu, cholesky, lstsq; each file states its graph and memory bound); the norm is built from lazy
 * elementwise steps and tree reductions (ndarray/norm.ts holds the steps' order, shared with
 * the eager norm). As Dask, the norm is computed in float64 whatever the input's float dtype
 * (NumPy's eager norm keeps float32), except the SVD orders 2, −2 and "nuc" (Dask's svd keeps it). Beyond Dask: ord None with no axis is the Frobenius norm of
 * an array of any rank, as in NumPy (Dask refuses more than two dimensions). Complex input is
 * computed in complex128 as Dask's, with a real float64 result (also for ord 0, where Dask
 * 2022.12 counts in complex128).
 */
import * as nd from "../ndarray/index.js";
import { type NormOptions, type NormSteps, normWith } from "../ndarray/norm.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";
import { InvalidOptionError } from "../core/errors.js";
import { complexPartDType } from "../ndarray/dtype.js";
import { svd } from "./svd.js";
import { complexRealEmbeddingOf } from "./linalg-complex-embedding.js";
import { withArgumentCount } from "./argument-count.js";
import { tsqr as tsqrOf } from "./tsqr.js";
import { qr as qrOf } from "./qr.js";
import { inv as invOf, solve as solveOf } from "./block-lu.js";
import { lu as luOf } from "./block-lu-factors.js";
import { lstsq as lstsqOf } from "./lstsq.js";

export type { NormOptions, NormOrder } from "../ndarray/norm.js";
export { svd } from "./svd.js";
export { svdCompressed, compressionLevel, compressionMatrix, type SvdCompressedOptions } from "./svd-compressed.js";
export { solveTriangular } from "./block-triangular.js";
export { cholesky } from "./block-cholesky.js";
// Those without options refuse any more arguments: NumPy's qr(a, mode) or Dask's
// tsqr(data, compute_svd) written as `qr(a, { mode: "complete" })` must not pass unseen.
export const tsqr = withArgumentCount("ta.linalg.tsqr", ["a"], tsqrOf);
export const qr = withArgumentCount("ta.linalg.qr", ["a"], qrOf);
export const solve = withArgumentCount("ta.linalg.solve", ["a", "b"], solveOf);
export const inv = withArgumentCount("ta.linalg.inv", ["a"], invOf);
export const lu = withArgumentCount("ta.linalg.lu", ["a"], luOf);
export const lstsq = withArgumentCount("ta.linalg.lstsq", ["a", "b"], lstsqOf);
export type { LazyLstsqResult } from "./lstsq.js";

const lazySteps: NormSteps<LazyArray> = {
  ndim: (x) => x.ndim,
  // Dask's astype(promote_types(dtype, float)): complex64 becomes complex128.
  toFloat: (x) => (x.dtype === "float64" || x.dtype === "complex128" ? x : x.astype(nd.isComplexDType(x.dtype) ? "complex128" : "float64")),
  abs: (x) => x.abs(),
  square: (x) => (nd.isComplexDType(x.dtype) ? squaredMagnitude(x) : LazyArray.of(elementwiseNode(nd.multiply, [x, x]))),
  power: (x, p) => LazyArray.of(elementwiseNode(nd.power, [x, p])),
  sqrt: (x) => LazyArray.of(elementwiseNode(nd.sqrt, [x])),
  // Real for complex x (Dask's astype(r.dtype) would give a complex count).
  nonzero: (x) => LazyArray.of(elementwiseNode(nd.notEqual, [x, 0])).astype(complexPartDType(x.dtype)),
  sum: (x, axis, keepdims) => x.sum({ axis, keepdims }),
  max: (x, axis, keepdims) => x.max({ axis, keepdims }),
  min: (x, axis, keepdims) => x.min({ axis, keepdims }),
  singularValueNorm,
};

/** |x|² = re² + im² of a complex array, real (Dask's abs(r) ** 2 up to the rounding of |x|). */
function squaredMagnitude(x: LazyArray): LazyArray {
  const re = LazyArray.of(elementwiseNode(nd.real, [x]));
  const im = LazyArray.of(elementwiseNode(nd.imag, [x]));
  return LazyArray.of(elementwiseNode(nd.add, [LazyArray.of(elementwiseNode(nd.multiply, [re, re])), LazyArray.of(elementwiseNode(nd.multiply, [im, im]))]));
}

/**
 * Dask's SVD-based matrix norms: the singular values of the 2-d input through da.linalg.svd
 * (so its chunking rules and refusals), as a (1, K) row, then their max (2), min (−2) or sum
 * ("nuc") over both axes; in the SVD's dtype (float32 stays, as Dask). Dask refuses more than
 * two dimensions, and so does this. A complex matrix takes the real SVD of its block-by-block
 * real embedding (linalg-complex-embedding.ts), whose singular values are its own, each twice:
 * the same largest and smallest, half the sum.
 */
function singularValueNorm(x: LazyArray, _row: number, _col: number, ord: 2 | -2 | "nuc", keepdims: boolean): LazyArray {
  if (x.ndim > 2) throw new InvalidOptionError(`norm: ord ${JSON.stringify(ord)} of matrices in a ${x.ndim}-d array is not implemented for chunked arrays (Dask's limit: its SVD takes one matrix); use nd.linalg.norm on the computed array`);
  const complex = nd.isComplexDType(x.dtype);
  const s = svd(complex ? complexRealEmbeddingOf(x) : x)[1];
  const row = s.reshape([1, s.shape[0]]);
  const options = { axis: [0, 1], keepdims };
  if (ord !== "nuc") return ord === 2 ? row.max(options) : row.min(options);
  const total = row.sum(options);
  return complex ? LazyArray.of(elementwiseNode(nd.multiply, [total, 0.5])) : total;
}

/** Vector or matrix norm of a chunked array (da.linalg.norm): ord, axis (one or two), keepdims. */
export function norm(x: LazyArray, options?: NormOptions): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError("ta.linalg.norm needs a tessera array; for an NDArray use nd.linalg.norm");
  return normWith(lazySteps, x, options);
}
