/**
 * da.linalg.lu (Dask 2022.12): [P, L, U] with A = P·L·U for a square matrix of square blocks
 * of one size c, from the block LU that solve and inv use (block-lu.ts: each diagonal block
 * pivots only inside itself, so P is block-diagonal — Dask's factorization, not scipy's
 * partial pivoting over whole columns). Blocks, as Dask assembles them: P_ii, L_ii, U_ii the
 * diagonal block's scipy LU; below the diagonal L_ij = P_iiᵀ·L'_ij (L' = P·L, the factor the
 * LU's updates use), above it U_ij; zero blocks elsewhere. Chunks are a's; the dtype float32
 * for float32 input, else float64 (scipy's lu). lu, solve and inv of one array share the
 * factor tasks in a graph. Each task reads at most three c × c blocks.
 */
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import { pick } from "../graph/graph-ops.js";
import { blockUnpermuteRows } from "../ndarray/block-linalg-partials.js";
import { zeros } from "../ndarray/creation.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import { addLu, luKeys, luNameOf } from "./block-lu.js";
import type { ArrayNode, LowerContext } from "./expr.js";
import { LinalgGraphExpr, requireSquareChunks } from "./linalg-graph.js";
import { refuseUnknownSizes } from "./unknown-chunks.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";

const refs = { pick: functionRefOf(pick), unpermute: functionRefOf(blockUnpermuteRows), zeros: functionRefOf(zeros) };

/** [P, L, U] of a square matrix of square chunks (da.linalg.lu). */
export function lu(a: LazyArray): [LazyArray, LazyArray, LazyArray] {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError("ta.linalg.lu needs a tessera array; for an NDArray use nd.linalg.lu");
  if (a.ndim !== 2) throw new InvalidOptionError(`lu: dimension must be 2 to perform lu decomposition, got shape ${JSON.stringify(a.shape)}`);
  refuseUnknownSizes(a, "lu");
  refuseComplex("lu", a.dtype);
  const c = requireSquareChunks(a.shape, a.chunks, "lu");
  const nb = a.chunks[0].length;
  const dtype = a.dtype === "float32" ? "float32" : "float64";
  const luName = luNameOf(a);
  const k = luKeys(luName);
  const diagonal = (i: number) => new TaskRef(k.factor(i, i));
  const output = (part: "p" | "l" | "u", blockOf: (i: number, j: number) => TaskRef | { fn: typeof refs.pick; args: unknown[] } | null) => {
    const build = (self: ArrayNode, ctx: LowerContext) => {
      addLu(ctx, self, a, luName);
      for (let i = 0; i < nb; i++) for (let j = 0; j < nb; j++) ctx.addBlock(self, [i, j], blockOf(i, j) ?? { fn: refs.zeros, args: [[c, c], dtype] });
    };
    return LazyArray.of({ name: `${luName}-${part}`, shape: [...a.shape], chunks: a.chunks.map((axis) => [...axis]), dtype, expr: new LinalgGraphExpr([a], build) });
  };
  const p = output("p", (i, j) => (i === j ? { fn: refs.pick, args: [diagonal(i), [0]] } : null));
  const l = output("l", (i, j) => (i === j ? { fn: refs.pick, args: [diagonal(i), [1]] } : i > j ? { fn: refs.unpermute, args: [diagonal(i), new TaskRef(k.factor(i, j))] } : null));
  const u = output("u", (i, j) => (i === j ? { fn: refs.pick, args: [diagonal(i), [2]] } : i < j ? new TaskRef(k.factor(i, j)) : null));
  return [p, l, u];
}
