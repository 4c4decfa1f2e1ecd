/**
 * da.linalg.qr of a chunked matrix, as Dask 2022.12 picks its algorithm: more than one row
 * block and one column block → tsqr (tsqr.ts); one row block → sfqr, the short-and-fat QR:
 * the first column block A_1 (M × c_1) is factored in one task, Q·R_1 = A_1, and every
 * further R block is Qᵀ·A_j, a task holding one column block and Q (M × K); it needs
 * c_1 ≥ M (or a single column block) so that Q spans the columns of every A_j — Dask refuses
 * the rest, and so does this. Chunks: Q ((M,), (K,)), R ((K,), A's column chunks), K = min(M, N).
 * Arrays chunked along both axes are refused, naming the rechunks that would work. Complex
 * input takes the complex QR in each task (Qᴴ·A_j for sfqr's further blocks, so Q·R = A as
 * NumPy's R; Dask 2022.12 forms Qᵀ·A_j there, whose product with Q is not A).
 */
import { tokenize } from "../core/ids.js";
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import { pick } from "../graph/graph-ops.js";
import { sfqrRest, tsqrBlock } from "../ndarray/tsqr-partials.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { tsqr } from "./tsqr.js";
import { blockInput, refuseUnknownSizes } from "./unknown-chunks.js";
import { dtypeInfo } from "../ndarray/dtype.js";

const refs = { block: functionRefOf(tsqrBlock), rest: functionRefOf(sfqrRest), pick: functionRefOf(pick) };

class SfqrPartExpr implements ArrayExpr {
  readonly kind = "sfqr-part";
  constructor(readonly input: ArrayNode, readonly pairKey: string, readonly part: "q" | "r") {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const [m, n] = this.input.shape;
    const k = Math.min(m, n);
    if (!ctx.graph.tasks.has(this.pairKey)) {
      const c1 = this.input.chunks[1][0];
      const itemsize = Math.max(8, dtypeInfo(this.input.dtype).itemsize);
      ctx.addTask(this.pairKey, { fn: refs.block, args: [blockInput(ctx, this.input, [0, 0])] }, { array: self, outputBytes: (m * k + k * c1) * itemsize, blockwise: true });
    }
    const pair = new TaskRef(this.pairKey);
    if (this.part === "q") return ctx.addBlock(self, [0, 0], { fn: refs.pick, args: [pair, [0]] });
    ctx.addBlock(self, [0, 0], { fn: refs.pick, args: [pair, [1]] });
    for (let j = 1; j < this.input.chunks[1].length; j++) ctx.addBlock(self, [0, j], { fn: refs.rest, args: [pair, blockInput(ctx, this.input, [0, j])] });
  }
}

function sfqr(a: LazyArray): [LazyArray, LazyArray] {
  const [m, n] = a.shape;
  const k = Math.min(m, n);
  if (a.chunks[1].length > 1 && a.chunks[1][0] < m) {
    throw new InvalidOptionError(`qr of a matrix of one row block (short-and-fat) needs its first column block at least as wide as the ${m} rows, got ${a.chunks[1][0]}; rechunk it: x.rechunk({ 1: ${m} })`);
  }
  const dtype = a.dtype === "float32" || a.dtype === "complex64" || a.dtype === "complex128" ? a.dtype : "float64";
  const pairKey = `sfqr-qr1-${tokenize(a.name)}`;
  const q = LazyArray.of({ name: `sfqr-q-${tokenize(pairKey)}`, shape: [m, k], chunks: [[m], [k]], dtype, expr: new SfqrPartExpr(a, pairKey, "q") });
  const r = LazyArray.of({ name: `sfqr-r-${tokenize(pairKey)}`, shape: [k, n], chunks: [[k], [...a.chunks[1]]], dtype, expr: new SfqrPartExpr(a, pairKey, "r") });
  return [q, r];
}

/** [Q, R] of a chunked matrix (da.linalg.qr): tall-and-skinny through tsqr, short-and-fat through sfqr. */
export function qr(a: LazyArray): [LazyArray, LazyArray] {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError("ta.linalg.qr needs a tessera array; for an NDArray use nd.linalg.qr");
  if (a.ndim !== 2) throw new InvalidOptionError(`qr: the array must have two dimensions, got shape ${JSON.stringify(a.shape)}`);
  refuseUnknownSizes(a, "qr");
  const [rowBlocks, colBlocks] = a.numblocks;
  if (colBlocks === 1 && rowBlocks > 1) return tsqr(a);
  if (rowBlocks === 1) return sfqr(a);
  throw new InvalidOptionError(`qr takes a tall-and-skinny matrix (one column block) or a short-and-fat one (one row block), got ${rowBlocks} × ${colBlocks} blocks; rechunk one axis to a single block: x.rechunk({ 0: -1 }) or x.rechunk({ 1: -1 })`);
}
