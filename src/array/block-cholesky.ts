/**
 * da.linalg.cholesky through Dask 2022.12's block Cholesky (_cholesky): for a symmetric
 * positive-definite matrix of square blocks of one size c,
 *   L_ii = chol(A_ii − Σ_{p<i} L_ip·L_ipᵀ),   U_ji = L_jj⁻¹·(A_ji − Σ_{p<j} L_jp·L_ipᵀ)  (j < i),
 * L_ij = U_jiᵀ, and zero blocks on the other side. As Dask, the blocks above the diagonal of A
 * are the ones read (A_ji, j < i) and, inside a diagonal block, its lower triangle; as Dask,
 * the default is the upper factor U = Lᵀ (NumPy's cholesky returns L: lower: true gives it).
 * Each subtraction is its own task (Dask sums all products in one): every task reads at most
 * three c × c blocks. A block that is not positive definite fails at compute time with
 * LinAlgError, as in Dask. Chunks are a's.
 */
import { tokenize } from "../core/ids.js";
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import { blockCholeskyDiagonal, blockSubtractProduct, blockTranspose, blockTriangularSolve } from "../ndarray/block-linalg-partials.js";
import { zeros } from "../ndarray/creation.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import type { ArrayNode, LowerContext } from "./expr.js";
import { addOnce, LinalgGraphExpr, requireSquareChunks } from "./linalg-graph.js";
import { blockInput, refuseUnknownSizes } from "./unknown-chunks.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";

const refs = {
  update: functionRefOf(blockSubtractProduct), diagonal: functionRefOf(blockCholeskyDiagonal), triangular: functionRefOf(blockTriangularSolve),
  transpose: functionRefOf(blockTranspose), zeros: functionRefOf(zeros),
};

export function cholesky(a: LazyArray, options?: { lower?: boolean }): LazyArray {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError("ta.linalg.cholesky needs a tessera array; for an NDArray use nd.linalg.cholesky");
  for (const key of Object.keys(options ?? {})) if (key !== "lower") throw new InvalidOptionError(`cholesky: unknown option "${key}"; cholesky takes lower`);
  refuseComplex("cholesky", a.dtype);
  const lower = options?.lower ?? false;
  if (typeof lower !== "boolean") throw new InvalidOptionError(`cholesky: lower must be true or false, got ${JSON.stringify(lower)}`);
  refuseUnknownSizes(a, "cholesky");
  const c = requireSquareChunks(a.shape, a.chunks, "cholesky");
  const nb = a.chunks[0].length;
  const dtype = a.dtype === "float32" ? "float32" : "float64";
  const name = `cholesky-${tokenize(a.name)}`;
  const bytes = c * c * 8;
  // L_ii on the diagonal, U_ji = L_ijᵀ above it (j < i): the factor's own blocks.
  const factor = (r: number, col: number) => (r === col ? `${name}-l-${r}` : `${name}-u-${r}-${col}`);
  const build = (self: ArrayNode, ctx: LowerContext) => {
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j <= i; j++) {
        // Diagonal: A_ii − Σ L_ip·L_ipᵀ; above it: A_ji − Σ L_jp·L_ipᵀ.
        let target: TaskRef = blockInput(ctx, a, [j, i]);
        for (let p = 0; p < j; p++) {
          const lRow = (row: number) => (row === p ? factor(p, p) : `${name}-lt-${row}-${p}`);
          for (const row of new Set([i, j])) if (row !== p) addOnce(ctx, self, lRow(row), { fn: refs.transpose, args: [new TaskRef(factor(p, row))] }, bytes);
          addOnce(ctx, self, `${name}-t-${j}-${i}-${p}`, { fn: refs.update, args: [target, new TaskRef(lRow(j)), new TaskRef(lRow(i)), true] }, bytes);
          target = new TaskRef(`${name}-t-${j}-${i}-${p}`);
        }
        if (i === j) addOnce(ctx, self, factor(i, i), { fn: refs.diagonal, args: [target] }, bytes);
        else addOnce(ctx, self, factor(j, i), { fn: refs.triangular, args: [new TaskRef(factor(j, j)), target, true] }, bytes);
      }
    }
    for (let r = 0; r < nb; r++) for (let col = 0; col < nb; col++) {
      const [from, to] = lower ? [col, r] : [r, col]; // the block of U (from ≤ to) this block is, or its transpose
      if (from > to) ctx.addBlock(self, [r, col], { fn: refs.zeros, args: [[c, c], dtype] });
      else if (from === to) ctx.addBlock(self, [r, col], lower ? new TaskRef(factor(r, r)) : { fn: refs.transpose, args: [new TaskRef(factor(r, r))] });
      else ctx.addBlock(self, [r, col], lower ? { fn: refs.transpose, args: [new TaskRef(factor(from, to))] } : new TaskRef(factor(from, to)));
    }
  };
  return LazyArray.of({ name: `${name}-${lower ? "lower" : "upper"}`, shape: [...a.shape], chunks: a.chunks.map((axis) => [...axis]), dtype, expr: new LinalgGraphExpr([a], build) });
}
