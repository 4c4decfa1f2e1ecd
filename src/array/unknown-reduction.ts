/**
 * Reductions over arrays of unknown sizes: blocks are read by index (unknown-chunks.ts), and
 * for the reductions without identity (min, max, nanmin, nanmax) an empty block, which a
 * boolean mask often leaves, gives no partial instead of NumPy's error, as Dask's chunk_min
 * skips empty blocks; only when every block is empty is the reduction refused, as NumPy
 * refuses min of an empty array; the moments of var and std leave empty blocks out as well
 * (NumPy's variance, where Dask 2022.12 gives NaN). Such reductions never fuse their first step with the
 * arithmetic before them nor gather partials where they live (both expect a partial per block).
 */
import { functionRefOf } from "../graph/function-travel.js";
import { combinePartials, finishReduction, reducePartial } from "../ndarray/tree-reduction.js";
import { combinePartialsSkippingEmpty, finishReductionSkippingEmpty, reducePartialSkippingEmpty } from "../ndarray/unknown-size-blocks.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import type { ArrayNode } from "./expr.js";
import { hasUnknownChunks } from "./unknown-chunks.js";

const noIdentity = new Set(["min", "max", "nanmin", "nanmax"]);
const moments = new Set(["var", "std", "nanvar", "nanstd"]);

export interface ReductionSteps {
  /** The input's sizes are unknown: read blocks by index, no fusing, no gathering in place. */
  unknown: boolean;
  partial: FunctionRef;
  combine: FunctionRef;
  finish: FunctionRef;
}

export function reductionSteps(input: ArrayNode, op: string): ReductionSteps {
  const unknown = hasUnknownChunks(input.chunks);
  const skip = unknown && noIdentity.has(op);
  // Moments of an empty block are NaN-meaned: left out when combined (combinePartialsSkippingEmpty says why).
  const filter = skip || (unknown && moments.has(op));
  return {
    unknown,
    partial: functionRefOf(skip ? reducePartialSkippingEmpty : reducePartial),
    combine: functionRefOf(filter ? combinePartialsSkippingEmpty : combinePartials),
    finish: functionRefOf(skip ? finishReductionSkippingEmpty : finishReduction),
  };
}
