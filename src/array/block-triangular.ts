/**
 * da.linalg.solve_triangular (Dask 2022.12): x with a·x = b for a triangular a, by block
 * forward substitution (lower) or back substitution (upper, the default, as Dask):
 *   x_ij = T_ii⁻¹·(b_ij − Σ_k a_ik·x_kj),  k < i (lower) or k > i (upper),
 * one column block j of b at a time; T_ii the diagonal block, read only in its `lower`
 * triangle as scipy's solve_triangular reads it. Only the blocks of a on that side of the
 * diagonal are read. As everywhere in tessera's block linalg, each subtraction is its own task
 * (Dask sums all products in one): every task reads at most three blocks. Chunks are b's;
 * a.chunks[1] must equal b.chunks[0] (Dask's rule) and a's diagonal blocks must be square
 * (Dask would fail at compute time in scipy). The dtype is scipy's: float32 where the common
 * type of a and b is float32, else float64. A zero on T_ii's diagonal fails at compute time
 * with LinAlgError, as in Dask.
 */
import { tokenize } from "../core/ids.js";
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import { blockSubtractProduct, blockTriangularSolve } from "../ndarray/block-linalg-partials.js";
import { resultType } from "../ndarray/promotion.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import type { ArrayNode, LowerContext } from "./expr.js";
import { addOnce, LinalgGraphExpr } from "./linalg-graph.js";
import { blockInput, refuseUnknownSizes } from "./unknown-chunks.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";

const refs = { update: functionRefOf(blockSubtractProduct), triangular: functionRefOf(blockTriangularSolve) };

const sameChunks = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);

/** x with a·x = b, a triangular (da.linalg.solve_triangular): b (M,) or (M, K). */
export function solveTriangular(a: LazyArray, b: LazyArray, options?: { lower?: boolean }): LazyArray {
  for (const [x, which] of [[a, "a"], [b, "b"]] as const) if (!(x instanceof LazyArray)) throw new InvalidOptionError(`ta.linalg.solveTriangular needs tessera arrays (${which} is not); for NDArrays use nd.linalg.solveTriangular`);
  for (const key of Object.keys(options ?? {})) if (key !== "lower") throw new InvalidOptionError(`solveTriangular: unknown option "${key}"; ta.linalg.solveTriangular takes lower (Dask's solve_triangular has no trans or unit_diagonal: use nd.linalg.solveTriangular on one block)`);
  refuseComplex("solveTriangular", a.dtype);
  refuseComplex("solveTriangular (b)", b.dtype);
  const lower = options?.lower ?? false;
  if (typeof lower !== "boolean") throw new InvalidOptionError(`solveTriangular: lower must be true or false, got ${JSON.stringify(lower)}`);
  if (a.ndim !== 2) throw new InvalidOptionError(`solveTriangular: a must be 2 dimensional, got shape ${JSON.stringify(a.shape)}`);
  if (b.ndim !== 1 && b.ndim !== 2) throw new InvalidOptionError(`solveTriangular: b must be 1 or 2 dimensional, got shape ${JSON.stringify(b.shape)}`);
  refuseUnknownSizes(a, "solveTriangular");
  refuseUnknownSizes(b, "solveTriangular");
  if (a.shape[1] !== b.shape[0]) throw new InvalidOptionError(`solveTriangular: a.shape[1] and b.shape[0] must be equal, got ${a.shape[1]} and ${b.shape[0]}`);
  if (a.shape[0] !== a.shape[1]) throw new InvalidOptionError(`solveTriangular: a must be square, got ${a.shape[0]} × ${a.shape[1]}`);
  if (!sameChunks(a.chunks[1], b.chunks[0])) throw new InvalidOptionError(`solveTriangular: a.chunks[1] and b.chunks[0] must be equal, got ${JSON.stringify(a.chunks[1])} and ${JSON.stringify(b.chunks[0])}; rechunk b: b.rechunk({ 0: a.chunks[1] })`);
  if (!sameChunks(a.chunks[0], a.chunks[1])) throw new InvalidOptionError(`solveTriangular: a's diagonal blocks must be square (a.chunks[0] equal to a.chunks[1]), got ${JSON.stringify(a.chunks)}; rechunk a: a.rechunk({ 0: a.chunks[1] })`);
  const dtype = resultType(a.dtype, b.dtype) === "float32" ? "float32" : "float64";
  // b in the result dtype, so that every step keeps it (the steps follow their target's dtype).
  const rhs = b.dtype === dtype ? b : b.astype(dtype);
  const nb = a.chunks[0].length;
  const columnBlocks = b.ndim === 1 ? 1 : b.chunks[1].length;
  const name = `solve-triangular-${tokenize(a.name, rhs.name, lower)}`;
  const at = (i: number, j: number) => (b.ndim === 1 ? [i] : [i, j]);
  const build = (self: ArrayNode, ctx: LowerContext) => {
    for (let j = 0; j < columnBlocks; j++) {
      const x = (i: number) => `${name}-x-${i}-${j}`;
      for (let step = 0; step < nb; step++) {
        const i = lower ? step : nb - 1 - step;
        const bytes = a.chunks[0][i] * (b.ndim === 1 ? 1 : b.chunks[1][j]) * 8;
        let target: TaskRef = blockInput(ctx, rhs, at(i, j));
        const known = lower ? Array.from({ length: i }, (_, k) => k) : Array.from({ length: nb - 1 - i }, (_, k) => i + 1 + k);
        for (const k of known) {
          addOnce(ctx, self, `${name}-t-${i}-${j}-${k}`, { fn: refs.update, args: [target, blockInput(ctx, a, [i, k]), new TaskRef(x(k)), false] }, bytes);
          target = new TaskRef(`${name}-t-${i}-${j}-${k}`);
        }
        addOnce(ctx, self, x(i), { fn: refs.triangular, args: [blockInput(ctx, a, [i, i]), target, lower] }, bytes);
        ctx.addBlock(self, at(i, j), new TaskRef(x(i)));
      }
    }
  };
  return LazyArray.of({ name, shape: [...b.shape], chunks: b.chunks.map((axis) => [...axis]), dtype, expr: new LinalgGraphExpr([a, rhs], build) });
}
