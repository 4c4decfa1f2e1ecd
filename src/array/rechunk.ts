/**
 * Rechunking a node to given chunks: the plan's intermediate chunkings (rechunk-plan.ts) become
 * materialised steps, and the last step is a view, so a consumer reads its regions straight
 * from the blocks under it. Used by rechunk() and by operations that need aligned chunks
 * (reshape, coarsen).
 */
import { tokenize } from "../core/ids.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { autoChunkBytes, sameChunks, type Chunks } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { planRechunk } from "./rechunk-plan.js";
import { MaterializedRechunkExpr, RechunkExpr } from "./views.js";

export function rechunkNode(input: ArrayNode, next: Chunks): ArrayNode {
  if (sameChunks(next, input.chunks)) return input;
  const itemsize = dtypeInfo(input.dtype).itemsize;
  const source = planRechunk(input.chunks, next, itemsize, autoChunkBytes()).reduce<ArrayNode>(
    (step, middle) => ({ name: `rechunk-merge-${tokenize(step.name, middle)}`, shape: input.shape, chunks: middle, dtype: input.dtype, expr: new MaterializedRechunkExpr(step) }),
    input,
  );
  return { name: `rechunk-${tokenize(source.name, next)}`, shape: input.shape, chunks: next, dtype: input.dtype, expr: new RechunkExpr(source) };
}
