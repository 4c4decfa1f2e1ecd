/**
 * numpy.ma's sum, prod, min, max, any, all, mean, var and std as ONE tree reduction over masked blocks
 * (ndarray/masked-partials.ts): the first level reads one [data, mask] block per input block
 * and makes one partial of the reduced filled data and the unmasked count, as Dask reduces
 * np.ma.MaskedArray chunks. The masked blocks are the array's own bundling task
 * (masked-blocks.ts), so the blockwise chain above fuses into each first-level task; the
 * two-tree form (reductions.ts: filled(x).sum() and mask.all() as separate reductions) kept
 * every mask block a task of its own, read by both trees.
 *
 * Taken when the masked blocks can be formed (known chunk sizes) and no dtype is asked (the
 * steps' options are fixed by ta.reduction: { axis, keepdims }); otherwise reductions.ts's
 * two-tree form, with the same values. The two-tree form is built first in every case: it
 * checks the options as before and states the result's dtype (graph nodes only, never run).
 */
import { type DType, isComplexDType } from "../../ndarray/dtype.js";
import { maskedVarAggregate, maskedVarChunk, maskedVarCombine, maskedVarFinish } from "../../ndarray/masked-moment-partials.js";
import { maskedReductionSteps, type MaskedReductionKind } from "../../ndarray/masked-partials.js";
import { LazyArray } from "../array.js";
import { elementwiseNode } from "../elementwise.js";
import { reduction } from "../user-reduction.js";
import type { ReductionCallOptions } from "../reductions.js";
import { maskedBlocksOf, partsOfMaskedBlocks } from "./masked-blocks.js";
import type { MaskedParts } from "./parts.js";

/** The masked reduction `kind` of `a` as one tree over its masked blocks; null where it cannot be (see the module comment). */
export function oneTreeReduction(kind: MaskedReductionKind, a: MaskedParts, options: ReductionCallOptions, dtype: DType): MaskedParts | null {
  if (options.dtype !== undefined) return null;
  const blocks = maskedBlocksOf(a);
  if (blocks === null) return null;
  const [chunk, combine, aggregate] = maskedReductionSteps[kind];
  const result = reduction(blocks, chunk, aggregate, {
    axis: options.axis, keepdims: options.keepdims, splitEvery: options.splitEvery, combine, concatenate: false, dtype, name: `masked-${kind}`,
  });
  return partsOfMaskedBlocks(result, null);
}

/**
 * numpy.ma's var of `a` as one tree over its masked blocks (ndarray/masked-moment-partials.ts:
 * count, sum and M partials merged by Chan's formula), then one blockwise step dividing by
 * count − ddof, which fuses into the aggregate's reader; `dtype` is the two-tree form's result
 * dtype. Null where the masked blocks cannot be formed, the data are complex, or a dtype other
 * than float64 is asked: numpy.ma takes the mean in it, and a mean rounded to float32 or float16
 * (or summed in an integer dtype) moves the variance by more than rounding; the two-tree form
 * follows numpy.ma step by step there.
 */
export function oneTreeVariance(a: MaskedParts, options: ReductionCallOptions, ddof: number, dtype: DType): MaskedParts | null {
  if ((options.dtype !== undefined && options.dtype !== "float64") || isComplexDType(a.data.dtype)) return null;
  const blocks = maskedBlocksOf(a);
  if (blocks === null) return null;
  const moments = reduction(blocks, maskedVarChunk, maskedVarAggregate, {
    axis: options.axis, keepdims: options.keepdims, splitEvery: options.splitEvery, combine: maskedVarCombine, concatenate: false, dtype: "float64", name: "masked-var",
  });
  const finished = LazyArray.of(elementwiseNode(maskedVarFinish, [moments], dtype, { ddof, scalar: moments.ndim === 0, dtype }));
  return partsOfMaskedBlocks(finished, a.fill);
}
