/**
 * The QR and SVD of a tall-and-skinny chunked matrix (one block along the columns), as
 * dask.array.linalg.tsqr 2022.12 builds them (its non-recursive form):
 *   1. each row block A_i (r_i × N) is factored, A_i = Q_i·R_i (K_i = min(r_i, N));
 *   2. one task stacks the R_i in block order and factors the stack, [R_0; …] = Q_s·R;
 *   3. row block i of Q is Q_i · (its K_i rows of Q_s); R is the stack's R, one block.
 * With the SVD, one task decomposes the small R = u·diag(s)·vh and row block i of U is
 * (row block i of Q)·u; s and vh are single blocks (Dask's svd_flip then fixes the signs).
 * Memory: a task holds at most one row block (r_i × N) and its Q_i, plus the small factors,
 * the stack of Σ K_i ≤ (row blocks)·N rows by N columns and its Q_s — so the bound is
 * max r_i·N + 2·(row blocks)·N² values; the whole matrix never sits in one task.
 * Chunks are Dask's: Q (A's row chunks, (N,)), R ((N,), (N,)); U (A's row chunks, (K,)),
 * s ((K,),), vh ((K,), (N,)) with K = min(M, N). For M < N Dask's tsqr Q graph fails (a
 * KeyError on blocks it announces but never builds): tsqr refuses it, naming the one-row-block
 * chunking its short-and-fat QR takes. Complex input: the same graph with the complex QR
 * (zgeqrf / zungqr's conventions) and SVD (one-sided Jacobi) in its tasks.
 */
import { tokenize } from "../core/ids.js";
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import { tsqrBlock, tsqrQ, tsqrStack, tsqrSvd, tsqrU } from "../ndarray/tsqr-partials.js";
import { pick } from "../graph/graph-ops.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import { complexPartDType } from "../ndarray/dtype.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { blockInput, refuseUnknownSizes } from "./unknown-chunks.js";

type Part = "q" | "r" | "u" | "s" | "vh";

interface TsqrPlan {
  input: ArrayNode;
  /** Prefix of the shared tasks' keys. */
  name: string;
  /** Start row of block i's rows in the stack (K_0 + … + K_{i−1}), then the total. */
  stackOffsets: number[];
  /** Q's and R's dtype: the input's complex dtype, float32, or float64 for the rest. */
  dtype: "float32" | "float64" | "complex64" | "complex128";
}

const refs = {
  block: functionRefOf(tsqrBlock), stack: functionRefOf(tsqrStack), q: functionRefOf(tsqrQ),
  svd: functionRefOf(tsqrSvd), u: functionRefOf(tsqrU), pick: functionRefOf(pick),
};

/** The shared tasks (block QRs, the stack's QR, the small SVD), added once whichever part asks first. */
function ensureShared(plan: TsqrPlan, ctx: LowerContext, self: ArrayNode, withSvd: boolean): void {
  const { input, name, stackOffsets } = plan;
  const n = input.shape[1];
  const itemsize = plan.dtype === "float32" ? 4 : plan.dtype === "complex128" ? 16 : 8;
  const blocks = input.chunks[0].length;
  if (!ctx.graph.tasks.has(`${name}-stack`)) {
    for (let i = 0; i < blocks; i++) {
      const rows = input.chunks[0][i];
      ctx.addTask(`${name}-block-${i}`, { fn: refs.block, args: [blockInput(ctx, input, [i, 0])] }, { array: self, outputBytes: (rows * Math.min(rows, n) + Math.min(rows, n) * n) * itemsize, blockwise: true });
      // R_i alone, picked where its pair lives: the stack task reads the R factors, never the Q_i.
      ctx.addTask(`${name}-r-${i}`, { fn: refs.pick, args: [new TaskRef(`${name}-block-${i}`), [1]] }, { array: self, outputBytes: Math.min(rows, n) * n * itemsize });
    }
    const stackRows = stackOffsets[blocks];
    ctx.addTask(`${name}-stack`, { fn: refs.stack, args: Array.from({ length: blocks }, (_, i) => new TaskRef(`${name}-r-${i}`)) }, { array: self, outputBytes: (stackRows * n + n * n) * itemsize, scratchBytes: stackRows * n * 8 * 2 });
  }
  if (withSvd && !ctx.graph.tasks.has(`${name}-svd`)) {
    ctx.addTask(`${name}-svd`, { fn: refs.svd, args: [new TaskRef(`${name}-stack`)] }, { array: self, outputBytes: 3 * n * n * itemsize, scratchBytes: 4 * n * n * 8 });
  }
}

class TsqrPartExpr implements ArrayExpr {
  readonly kind = "tsqr-part";
  constructor(readonly plan: TsqrPlan, readonly part: Part) {}
  get inputs(): ArrayNode[] {
    return [this.plan.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { name, stackOffsets } = this.plan;
    ensureShared(this.plan, ctx, self, this.part === "u" || this.part === "s" || this.part === "vh");
    const stack = new TaskRef(`${name}-stack`);
    const svd = new TaskRef(`${name}-svd`);
    if (this.part === "r") return ctx.addBlock(self, [0, 0], { fn: refs.pick, args: [stack, [1]] });
    if (this.part === "s") return ctx.addBlock(self, [0], { fn: refs.pick, args: [svd, [1]] });
    if (this.part === "vh") return ctx.addBlock(self, [0, 0], { fn: refs.pick, args: [svd, [2]] });
    for (let i = 0; i < this.plan.input.chunks[0].length; i++) {
      const pair = new TaskRef(`${name}-block-${i}`);
      const rows = [stackOffsets[i], stackOffsets[i + 1]];
      ctx.addBlock(self, [i, 0], this.part === "q" ? { fn: refs.q, args: [pair, stack, ...rows] } : { fn: refs.u, args: [pair, stack, svd, ...rows] });
    }
  }
}

function planOf(a: LazyArray, what: string): TsqrPlan {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError(`${what} needs a tessera array; for an NDArray use nd.linalg`);
  if (a.ndim !== 2) throw new InvalidOptionError(`${what}: the array must have two dimensions, got shape ${JSON.stringify(a.shape)}`);
  refuseUnknownSizes(a, what);
  if (a.chunks[1].length !== 1) {
    throw new InvalidOptionError(`${what} takes a tall-and-skinny matrix of one block along the columns, got ${a.chunks[1].length} column blocks; rechunk it: x.rechunk({ 1: -1 })`);
  }
  const n = a.shape[1];
  const stackOffsets = [0];
  for (const rows of a.chunks[0]) stackOffsets.push(stackOffsets[stackOffsets.length - 1] + Math.min(rows, n));
  const dtype = a.dtype === "float32" || a.dtype === "complex64" || a.dtype === "complex128" ? a.dtype : "float64";
  return { input: a, name: `tsqr-${tokenize(a.name)}`, stackOffsets, dtype };
}

/** [Q, R] of a tall-and-skinny matrix (da.linalg.tsqr). */
export function tsqr(a: LazyArray): [LazyArray, LazyArray] {
  const plan = planOf(a, "tsqr");
  const [m, n] = a.shape;
  if (m < n) throw new InvalidOptionError(`tsqr needs at least as many rows as columns (got ${m} × ${n}); a short-and-fat matrix takes one block along the rows: x.rechunk({ 0: -1 })`);
  const token = tokenize(plan.name, "qr");
  const q = LazyArray.of({ name: `tsqr-q-${token}`, shape: [m, n], chunks: [[...a.chunks[0]], [n]], dtype: plan.dtype, expr: new TsqrPartExpr(plan, "q") });
  const r = LazyArray.of({ name: `tsqr-r-${token}`, shape: [n, n], chunks: [[n], [n]], dtype: plan.dtype, expr: new TsqrPartExpr(plan, "r") });
  return [q, r];
}

/** [U, s, vh] of a matrix of one column block, through tsqr (Dask's tsqr(compute_svd=True)), before svd_flip. */
export function tsqrSvdParts(a: LazyArray): [LazyArray, LazyArray, LazyArray] {
  const plan = planOf(a, "svd");
  const [m, n] = a.shape;
  const k = Math.min(m, n);
  const token = tokenize(plan.name, "svd");
  // s is real: the dtype of the complex halves.
  const node = (part: Part, shape: number[], chunks: number[][]) => LazyArray.of({ name: `tsqr-svd-${part}-${token}`, shape, chunks, dtype: part === "s" ? complexPartDType(plan.dtype) : plan.dtype, expr: new TsqrPartExpr(plan, part) });
  return [node("u", [m, k], [[...a.chunks[0]], [k]]), node("s", [k], [[k]]), node("vh", [k, n], [[k], [n]])];
}
