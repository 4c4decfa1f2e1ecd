/**
 * `ta.linalg`: dask.array.linalg's functions tessera has (norm, tsqr, qr, svd, svdCompressed,
 * compressionLevel, compressionMatrix, solve, solveTriangular, inv, lu, cholesky, lstsq; each file states its graph and memory bound); the norm is built from lazy
 * elementwise steps and tree reductions (ndarray/norm.ts holds the steps' order, shared with
 * the eager norm). As Dask, the norm is computed in float64 whatever the input's float dtype
 * (NumPy's eager norm keeps float32), except the SVD orders 2, −2 and "nuc" (Dask's svd keeps it). Beyond Dask: ord None with no axis is the Frobenius norm of
 * an array of any rank, as in NumPy (Dask refuses more than two dimensions).
 */
import * as nd from "../ndarray/index.js";
import { type NormOptions, type NormSteps, normWith } from "../ndarray/norm.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";
import { InvalidOptionError } from "../core/errors.js";
import { svd } from "./svd.js";

export type { NormOptions, NormOrder } from "../ndarray/norm.js";
export { tsqr } from "./tsqr.js";
export { svd } from "./svd.js";
export { svdCompressed, compressionLevel, compressionMatrix, type SvdCompressedOptions } from "./svd-compressed.js";
export { qr } from "./qr.js";
export { solve, inv } from "./block-lu.js";
export { lu } from "./block-lu-factors.js";
export { solveTriangular } from "./block-triangular.js";
export { cholesky } from "./block-cholesky.js";
export { lstsq, type LazyLstsqResult } from "./lstsq.js";

const lazySteps: NormSteps<LazyArray> = {
  ndim: (x) => x.ndim,
  toFloat: (x) => (x.dtype === "float64" ? x : x.astype("float64")),
  abs: (x) => x.abs(),
  square: (x) => LazyArray.of(elementwiseNode(nd.multiply, [x, x])),
  power: (x, p) => LazyArray.of(elementwiseNode(nd.power, [x, p])),
  sqrt: (x) => LazyArray.of(elementwiseNode(nd.sqrt, [x])),
  nonzero: (x) => LazyArray.of(elementwiseNode(nd.notEqual, [x, 0])).astype(x.dtype),
  sum: (x, axis, keepdims) => x.sum({ axis, keepdims }),
  max: (x, axis, keepdims) => x.max({ axis, keepdims }),
  min: (x, axis, keepdims) => x.min({ axis, keepdims }),
  singularValueNorm,
};

/**
 * Dask's SVD-based matrix norms: the singular values of the 2-d input through da.linalg.svd
 * (so its chunking rules and refusals), as a (1, K) row, then their max (2), min (−2) or sum
 * ("nuc") over both axes; in the SVD's dtype (float32 stays, as Dask). Dask refuses more than
 * two dimensions, and so does this.
 */
function singularValueNorm(x: LazyArray, _row: number, _col: number, ord: 2 | -2 | "nuc", keepdims: boolean): LazyArray {
  if (x.ndim > 2) throw new InvalidOptionError(`norm: ord ${JSON.stringify(ord)} of matrices in a ${x.ndim}-d array is not implemented for chunked arrays (Dask's limit: its SVD takes one matrix); use nd.linalg.norm on the computed array`);
  const s = svd(x)[1];
  const row = s.reshape([1, s.shape[0]]);
  const options = { axis: [0, 1], keepdims };
  return ord === 2 ? row.max(options) : ord === -2 ? row.min(options) : row.sum(options);
}

/** Vector or matrix norm of a chunked array (da.linalg.norm): ord, axis (one or two), keepdims. */
export function norm(x: LazyArray, options?: NormOptions): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError("ta.linalg.norm needs a tessera array; for an NDArray use nd.linalg.norm");
  // Its steps cast to float64, which would keep only the real part of a complex array.
  refuseComplex("norm", x.dtype);
  return normWith(lazySteps, x, options);
}
