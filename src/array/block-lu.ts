/**
 * da.linalg.solve and inv through Dask 2022.12's block LU (its lu and solve_triangular
 * graphs, with assume_a="gen"): a square matrix of square blocks of one size c is factored
 * A = P·L·U with P block-diagonal — each diagonal block pivots only inside itself (scipy's
 * lu), as Dask does — block row by block row:
 *   target(r, c) = A_rc − Σ_{p < min(r, c)} L'_rp·U_pc   (L' = P·L, Dask's "l-permute")
 *   diagonal: target = P_ii·L_ii·U_ii;  right of it: U_ij = L_ii⁻¹·P_iiᵀ·target;
 *   below it: L'_ki = target·U_ii⁻¹.
 * Then x = U⁻¹·L⁻¹·Pᵀ·b by block forward and back substitution per column block of b.
 * Unlike Dask, whose sums read all i partial products at once, each subtraction is its own
 * task (the running target minus one product): every task reads at most three blocks of
 * c × c (or c × (b's column chunk)) — the bound per task is 4 blocks with its result.
 * Chunks are Dask's: x has a's row chunks and b's column chunks; inv solves against
 * eye(N, chunks=c). A singular block fails at compute time with LinAlgError, as in Dask
 * (scipy's solve_triangular). Values differ from NumPy's only by rounding, but this pivoting is
 * weaker than NumPy's partial pivoting over whole columns (Dask's choice, kept).
 */
import { tokenize } from "../core/ids.js";
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import { blockLuDiagonal, blockPermutedLowerSolve, blockRightUpperSolve, blockSubtractProduct, blockTriangularSolve } from "../ndarray/block-linalg-partials.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import type { ArrayNode, LowerContext } from "./expr.js";
import { addOnce, LinalgGraphExpr, requireSquareChunks } from "./linalg-graph.js";
import { eye } from "./triangles.js";
import { blockInput, refuseUnknownSizes } from "./unknown-chunks.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";

const refs = {
  update: functionRefOf(blockSubtractProduct), diagonal: functionRefOf(blockLuDiagonal),
  lowerSolve: functionRefOf(blockPermutedLowerSolve), rightSolve: functionRefOf(blockRightUpperSolve), triangular: functionRefOf(blockTriangularSolve),
};

/** The keys of the LU's factor blocks: L' below the diagonal, [P, L, U] on it, U right of it. */
export const luKeys = (name: string) => ({
  factor: (r: number, c: number) => (r === c ? `${name}-d-${r}` : r > c ? `${name}-l-${r}-${c}` : `${name}-u-${r}-${c}`),
  target: (r: number, c: number, p: number) => `${name}-t-${r}-${c}-${p}`,
});

/** The LU's task-name stem: lu, solve and inv of one array share its factor tasks in a graph. */
export const luNameOf = (a: ArrayNode): string => `lu-${tokenize(a.name)}`;

/** Adds the block LU of `a` (blocks c × c, nb per axis) to the graph, once. */
export function addLu(ctx: LowerContext, self: ArrayNode, a: ArrayNode, name: string): void {
  const nb = a.chunks[0].length;
  const c = a.chunks[0][0];
  const bytes = c * c * 8;
  const k = luKeys(name);
  if (ctx.graph.tasks.has(k.factor(nb - 1, nb - 1))) return;
  for (let i = 0; i < nb; i++) {
    // Row block i right of the diagonal and column block i below it need the diagonal first.
    const cells: Array<[number, number]> = [[i, i]];
    for (let j = i + 1; j < nb; j++) cells.push([i, j], [j, i]);
    for (const [r, col] of cells) {
      let target: TaskRef = blockInput(ctx, a, [r, col]);
      for (let p = 0; p < Math.min(r, col); p++) {
        addOnce(ctx, self, k.target(r, col, p), { fn: refs.update, args: [target, new TaskRef(k.factor(r, p)), new TaskRef(k.factor(p, col)), false] }, bytes);
        target = new TaskRef(k.target(r, col, p));
      }
      const diagonal = new TaskRef(k.factor(i, i));
      if (r === col) addOnce(ctx, self, k.factor(i, i), { fn: refs.diagonal, args: [target] }, 3 * bytes);
      else if (r === i) addOnce(ctx, self, k.factor(r, col), { fn: refs.lowerSolve, args: [diagonal, target] }, bytes);
      else addOnce(ctx, self, k.factor(r, col), { fn: refs.rightSolve, args: [diagonal, target] }, bytes);
    }
  }
}

/** x with a·x = b (da.linalg.solve): a square of square chunks, b (N,) or (N, K). */
export function solve(a: LazyArray, b: LazyArray): LazyArray {
  for (const [x, which] of [[a, "a"], [b, "b"]] as const) if (!(x instanceof LazyArray)) throw new InvalidOptionError(`ta.linalg.solve needs tessera arrays (${which} is not); for NDArrays use nd.linalg.solve`);
  refuseUnknownSizes(a, "solve");
  refuseUnknownSizes(b, "solve");
  refuseComplex("solve", a.dtype);
  refuseComplex("solve (b)", b.dtype);
  const c = requireSquareChunks(a.shape, a.chunks, "solve");
  if (b.ndim !== 1 && b.ndim !== 2) throw new InvalidOptionError(`solve: b must be 1- or 2-d, got shape ${JSON.stringify(b.shape)}`);
  if (b.shape[0] !== a.shape[0]) throw new InvalidOptionError(`solve: b has ${b.shape[0]} rows, a is ${a.shape[0]} × ${a.shape[1]}: they must match`);
  const dtype = a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
  // b's rows take a's chunks (Dask's p.T.dot(b) gives them); b in the result dtype so each step keeps it.
  const rhs = (b.dtype === dtype ? b : b.astype(dtype)).rechunk(b.ndim === 1 ? [a.chunks[0]] : [a.chunks[0], b.chunks[1]]);
  const nb = a.chunks[0].length;
  const columnBlocks = b.ndim === 1 ? 1 : rhs.chunks[1].length;
  const luName = luNameOf(a);
  const name = `solve-${tokenize(luName, rhs.name)}`;
  const k = luKeys(luName);
  const at = (i: number, j: number) => (b.ndim === 1 ? [i] : [i, j]);
  const build = (self: ArrayNode, ctx: LowerContext) => {
    addLu(ctx, self, a, luName);
    for (let j = 0; j < columnBlocks; j++) {
      const bytes = c * (b.ndim === 1 ? 1 : rhs.chunks[1][j]) * 8;
      const y = (i: number) => `${name}-y-${i}-${j}`;
      for (let i = 0; i < nb; i++) {
        let target: TaskRef = blockInput(ctx, rhs, at(i, j));
        for (let p = 0; p < i; p++) {
          addOnce(ctx, self, `${name}-yt-${i}-${j}-${p}`, { fn: refs.update, args: [target, new TaskRef(k.factor(i, p)), new TaskRef(y(p)), false] }, bytes);
          target = new TaskRef(`${name}-yt-${i}-${j}-${p}`);
        }
        addOnce(ctx, self, y(i), { fn: refs.lowerSolve, args: [new TaskRef(k.factor(i, i)), target] }, bytes);
      }
      const x = (i: number) => `${name}-x-${i}-${j}`;
      for (let i = nb - 1; i >= 0; i--) {
        let target = new TaskRef(y(i));
        for (let p = nb - 1; p > i; p--) {
          addOnce(ctx, self, `${name}-xt-${i}-${j}-${p}`, { fn: refs.update, args: [target, new TaskRef(k.factor(i, p)), new TaskRef(x(p)), false] }, bytes);
          target = new TaskRef(`${name}-xt-${i}-${j}-${p}`);
        }
        addOnce(ctx, self, x(i), { fn: refs.triangular, args: [new TaskRef(k.factor(i, i)), target, false] }, bytes);
        ctx.addBlock(self, at(i, j), new TaskRef(x(i)));
      }
    }
  };
  return LazyArray.of({ name, shape: [...b.shape], chunks: [[...a.chunks[0]], ...(b.ndim === 1 ? [] : [[...rhs.chunks[1]]])], dtype, expr: new LinalgGraphExpr([a, rhs], build) });
}

/** The inverse of a square matrix of square chunks (da.linalg.inv): solve(a, eye(N, chunks=c)). */
export function inv(a: LazyArray): LazyArray {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError("ta.linalg.inv needs a tessera array; for an NDArray use nd.linalg.inv");
  refuseUnknownSizes(a, "inv");
  refuseComplex("inv", a.dtype);
  const c = requireSquareChunks(a.shape, a.chunks, "inv");
  return solve(a, eye(a.shape[0], { chunks: c }));
}
