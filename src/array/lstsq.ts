/**
 * da.linalg.lstsq as Dask 2022.12 builds it, through the QR of a (tsqr for a tall-and-skinny
 * matrix, sfqr for one row block): x = R⁻¹·(Qᵀ·b) (a triangular solve per column block of
 * Qᵀ·b against the single block R), residuals = Σ |b − a·x|² over the rows (shape (1,) for a
 * 1-d b, as keepdims), rank = matrix_rank(R) (an int64 0-d array), s = the singular values of
 * R — which are a's. Dask takes s as √eigvalsh(RᵀR), reversed; tessera takes R's SVD: the same
 * values to rounding for full-rank a, where Dask's square root turns a rounding-negative
 * eigenvalue of a rank-deficient a into NaN and tessera gives the small singular value.
 * Unlike NumPy's lstsq (SVD, rcond), this is a QR solve: a needs M ≥ N and full column rank
 * for a meaningful x (Dask's limits). Chunks are Dask's: x ((N,), b's column chunks),
 * residuals (b's column chunks) or ((1,),), rank (), s ((N,),).
 * Memory: the QR's bound (tsqr.ts), then tasks of one row block of a and b plus x.
 */
import { tokenize } from "../core/ids.js";
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { blockTriangularSolve, factorRank, factorSingularValues } from "../ndarray/block-linalg-partials.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";
import type { ArrayNode, LowerContext } from "./expr.js";
import { LinalgGraphExpr } from "./linalg-graph.js";
import { matmulNode } from "./matmul.js";
import { qr } from "./qr.js";
import { blockInput, refuseUnknownSizes } from "./unknown-chunks.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";

const refs = { triangular: functionRefOf(blockTriangularSolve), rank: functionRefOf(factorRank), singular: functionRefOf(factorSingularValues) };

export interface LazyLstsqResult {
  x: LazyArray;
  residuals: LazyArray;
  rank: LazyArray;
  s: LazyArray;
}

/** An array of `shape`/`chunks` whose block `index` is fn(block `from` of `input`, ...args) for each listed pair. */
function perBlock(prefix: string, input: LazyArray, shape: number[], chunks: number[][], dtype: nd.DType, blocks: Array<{ index: number[]; from: number[] }>, fn: { builtin: string } | ReturnType<typeof functionRefOf>, args: unknown[], others: LazyArray[] = []): LazyArray {
  const build = (self: ArrayNode, ctx: LowerContext) => {
    for (const { index, from } of blocks) ctx.addBlock(self, index, { fn, args: [...others.map((o) => blockInput(ctx, o, [0, 0])), blockInput(ctx, input, from), ...args] });
  };
  return LazyArray.of({ name: `${prefix}-${tokenize(input.name, others.map((o) => o.name))}`, shape, chunks, dtype, expr: new LinalgGraphExpr([...others, input], build) });
}

export function lstsq(a: LazyArray, b: LazyArray): LazyLstsqResult {
  for (const [x, which] of [[a, "a"], [b, "b"]] as const) if (!(x instanceof LazyArray)) throw new InvalidOptionError(`ta.linalg.lstsq needs tessera arrays (${which} is not); for NDArrays use nd.linalg.lstsq`);
  refuseUnknownSizes(a, "lstsq");
  refuseUnknownSizes(b, "lstsq");
  refuseComplex("lstsq", a.dtype);
  refuseComplex("lstsq (b)", b.dtype);
  if (a.ndim !== 2) throw new InvalidOptionError(`lstsq: a must be 2-d, got shape ${JSON.stringify(a.shape)}`);
  if (b.ndim !== 1 && b.ndim !== 2) throw new InvalidOptionError(`lstsq: b must be 1- or 2-d, got shape ${JSON.stringify(b.shape)}`);
  const [m, n] = a.shape;
  if (b.shape[0] !== m) throw new InvalidOptionError(`lstsq: b has ${b.shape[0]} rows, a has ${m}: they must match`);
  if (m < n) throw new InvalidOptionError(`lstsq: a has fewer rows than columns (${m} × ${n}); the QR solve Dask uses needs M ≥ N (nd.linalg.lstsq on the computed arrays solves underdetermined systems)`);
  const [q, r] = qr(a);
  const qtb = LazyArray.of(matmulNode(q.T, b));
  const columnBlocks = b.ndim === 1 ? 1 : qtb.chunks[1].length;
  const xDtype = qtb.dtype === "float32" && r.dtype === "float32" ? "float32" : "float64";
  const at = (j: number) => (b.ndim === 1 ? [0] : [0, j]);
  const x = perBlock("lstsq-x", qtb, [...qtb.shape], qtb.chunks.map((axis) => [...axis]), xDtype, Array.from({ length: columnBlocks }, (_, j) => ({ index: at(j), from: at(j) })), refs.triangular, [false], [r]);
  const difference = LazyArray.of(elementwiseNode(nd.subtract, [b, LazyArray.of(matmulNode(a, x))]));
  const squared = LazyArray.of(elementwiseNode(nd.abs, [LazyArray.of(elementwiseNode(nd.multiply, [difference, difference]))]));
  const residuals = squared.sum({ axis: 0, keepdims: b.ndim === 1 });
  const token = tokenize(r.name);
  const rank = LazyArray.of({ name: `lstsq-rank-${token}`, shape: [], chunks: [], dtype: "int64", expr: new LinalgGraphExpr([r], (self, ctx) => ctx.addBlock(self, [], { fn: refs.rank, args: [blockInput(ctx, r, [0, 0])] })) });
  const s = LazyArray.of({ name: `lstsq-singular-${token}`, shape: [n], chunks: [[n]], dtype: r.dtype, expr: new LinalgGraphExpr([r], (self, ctx) => ctx.addBlock(self, [0], { fn: refs.singular, args: [blockInput(ctx, r, [0, 0])] })) });
  return { x, residuals, rank, s };
}
