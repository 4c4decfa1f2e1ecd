/**
 * da.linalg.svd of a matrix chunked along one dimension only, as Dask 2022.12: a tall-and-
 * skinny matrix (one column block) through tsqr's SVD; a short-and-fat one (one row block)
 * through the SVD of its transpose, U and Vᵀ swapped back; then Dask's svd_flip — each
 * singular pair's signs chosen so that the row of vh sums to ≥ 0 (a tree sum over vh's
 * blocks, as Dask's lazy sum) — so U, s and vh equal Dask's, not only up to sign. Chunks:
 * U (A's row chunks, (K,)), s ((K,),), vh ((K,), A's column chunks), K = min(M, N).
 * Arrays chunked along both axes are refused, as Dask, pointing (as Dask does) at the
 * approximate svdCompressed (svd-compressed.ts). Complex input: the same graph with the
 * complex QR and SVD in its tasks, and svd_flip's ±1 chosen by NumPy's (lexicographic)
 * complex ≥ 0 as Dask 2022.12 does; singular vectors are unique up to a phase, so they are
 * Dask's only up to one.
 */
import { InvalidOptionError } from "../core/errors.js";
import * as nd from "../ndarray/index.js";
import { svdFlipSigns } from "../ndarray/tsqr-partials.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";
import { tsqrSvdParts } from "./tsqr.js";

export function svd(a: LazyArray, options?: { coerceSigns?: boolean }): [LazyArray, LazyArray, LazyArray] {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError("ta.linalg.svd needs a tessera array; for an NDArray use nd.linalg.svd");
  for (const key of Object.keys(options ?? {})) if (key !== "coerceSigns") throw new InvalidOptionError(`svd: unknown option "${key}"; svd takes coerceSigns`);
  const coerceSigns = options?.coerceSigns ?? true;
  if (typeof coerceSigns !== "boolean") throw new InvalidOptionError(`svd: coerceSigns must be true or false, got ${JSON.stringify(coerceSigns)}`);
  if (a.ndim !== 2) throw new InvalidOptionError(`svd: the array must be 2-d, got shape ${JSON.stringify(a.shape)}`);
  const [rowBlocks, colBlocks] = a.numblocks;
  if (rowBlocks > 1 && colBlocks > 1) {
    throw new InvalidOptionError(`svd: the array must be chunked in one dimension only (tall-and-skinny or short-and-fat), got ${rowBlocks} × ${colBlocks} blocks; rechunk it: x.rechunk({ 1: -1 }) or x.rechunk({ 0: -1 }), or use ta.linalg.svdCompressed(x, k) for an approximate rank-k SVD`);
  }
  let u: LazyArray;
  let s: LazyArray;
  let vh: LazyArray;
  if (colBlocks === 1) [u, s, vh] = tsqrSvdParts(a);
  else {
    const [vt, sT, ut] = tsqrSvdParts(a.T);
    [u, s, vh] = [ut.T, sT, vt.T];
  }
  if (!coerceSigns) return [u, s, vh];
  const signs = LazyArray.of(elementwiseNode(svdFlipSigns, [vh.sum({ axis: 1, keepdims: true })]));
  return [LazyArray.of(elementwiseNode(nd.multiply, [u, signs.T])), s, LazyArray.of(elementwiseNode(nd.multiply, [vh, signs]))];
}
