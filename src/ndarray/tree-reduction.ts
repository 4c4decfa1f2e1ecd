/**
 * The three steps of a chunked (tree) reduction, each on one block so the lazy layer can
 * ship them to workers: reduce a block to a partial (keeping the reduced axes with length
 * 1), combine partials from neighbouring blocks elementwise, and finish. Sums, products and
 * extrema combine with themselves; mean and nanmean carry Dask's (count, total) partials
 * (mean-partials.ts), var and std Dask's (n, total, M) partials (moment-partials.ts), so
 * their results equal Dask's bit for bit; the last group of moment partials is aggregated by
 * the finishing step itself, as Dask's moment_agg.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, empty } from "./ndarray.js";
import { add, binaryOperations, maximum, minimum, multiply } from "./arithmetic.js";
import { copy } from "./copy.js";
import { broadcastShapes } from "./broadcast.js";
import { applyElementwise, prepareOperands, runOperation } from "./elementwise.js";
import type { Operand } from "./promotion.js";
import { inScratch, scratchArray, scratchKeepCap } from "./scratch-buffer.js";
import { sumWasmScratch, wasmScratch, wasmScratchBytes, wasmScratchBytesFor } from "./pairwise-sum-wasm.js";
import { max, min, prod, sum } from "./reductions.js";
import { squeeze } from "./views.js";
import { type DType, dtypeInfo, isComplexDType } from "./dtype.js";
import { combineOrderMomentPartials, finishOrderMomentPartials, isOrderMomentPartial, orderMomentDType, orderMomentPartialOf } from "./moment-order-partials.js";
import { type MomentPartial, combineMomentPartials, finishMomentPartials, isMomentPartial, momentDType, momentPartialOf } from "./moment-partials.js";
import { type MeanPartial, combineMeanPartials, finishMean, isMeanPartial, layOut, meanDType, meanPartialOf } from "./mean-partials.js";
import { nanmax, nanmin, nansum } from "./nan-reductions.js";
import { type BlockOrigin, type ExtendedTreeOp, combineExtendedPartials, finishExtendedReduction, isExtendedTreeOp, reduceExtendedPartial } from "./tree-ops.js";

/** Reductions beyond these (any/all, nan-reductions, arg reductions) are tree-ops.ts's. */
export type TreeOp = "sum" | "prod" | "min" | "max" | "mean" | "var" | "std" | "moment" | ExtendedTreeOp;

export interface TreeOptions {
  op: TreeOp;
  axes: number[];
  keepdims?: boolean;
  ddof?: number;
  /**
   * The result dtype: the accumulator of sum and prod (NumPy's default, or the one asked
   * for), what mean/var/std are cast to at the end (their moments are float64).
   */
  dtype?: DType;
  /** The order of a moment (op "moment", ≥ 2). */
  order?: number;
}

export const reducePartial = defineBuiltin("ndarray.reducePartial", function reducePartial(block: NDArray, options: TreeOptions, origin?: BlockOrigin): unknown {
  const { op, axes } = options;
  if (isExtendedTreeOp(op)) return reduceExtendedPartial(block, { ...options, op }, origin);
  switch (op) {
    // The dtype is the result's (NumPy's default accumulator, or the one asked for).
    case "sum": return sum(block, { axis: axes, keepdims: true, ...(options.dtype ? { dtype: options.dtype } : {}) });
    case "prod": return prod(block, { axis: axes, keepdims: true, ...(options.dtype ? { dtype: options.dtype } : {}) });
    case "min": return min(block, { axis: axes, keepdims: true });
    case "max": return max(block, { axis: axes, keepdims: true });
    case "mean": return meanPartialOf(block, axes, meanDType(block, options), false);
    case "var": case "std": return momentPartialOf(block, axes, momentDType(block, options), false);
    case "moment": return orderMomentPartialOf(block, axes, options.order ?? 2, orderMomentDType(block.dtype, options.dtype));
    default: throw new InvalidOptionError(`unknown reduction "${String(op)}"`);
  }
});

/**
 * The partial of a reduction of `operation(...operands)` (a binary builtin of arithmetic.ts,
 * by name, e.g. "ndarray.add"): exactly reducePartial(operation(...operands), ...), the same
 * elementwise loop and the same reduction on the same C-ordered values, but the elementwise
 * result is written to this thread's scratch buffer instead of a new block (scratch-buffer.ts
 * says why that is worth it). The lazy layer uses it when a reduction's input is such an
 * operation that nothing else reads.
 */
export const reduceElementwisePartial = defineBuiltin("ndarray.reduceElementwisePartial", function reduceElementwisePartial(operation: string, operands: Operand[], options: TreeOptions, origin?: BlockOrigin): unknown {
  const elementwise = binaryOperations[operation];
  if (!elementwise) throw new InvalidOptionError(`reduceElementwisePartial: operation ${JSON.stringify(operation)} is not one of ${Object.keys(binaryOperations).join(", ")}`);
  if (!Array.isArray(operands) || operands.length !== 2) throw new InvalidOptionError(`reduceElementwisePartial: ${elementwise.name} takes 2 operands, got ${Array.isArray(operands) ? operands.length : String(operands)}`);
  const { arrays, common } = prepareOperands(elementwise.name, operands);
  // Complex operands: the complex loops into a new block, then the same reduction (no scratch path).
  if (isComplexDType(common)) return reducePartial(applyElementwise(elementwise, arrays), options, origin);
  const choice = elementwise.resolve(common);
  const shape = broadcastShapes(...arrays.map((a) => a.shape));
  const whole = wholeFloat64Sum(shape, choice.result, options);
  if (whole) {
    runOperation(elementwise, arrays, choice, new NDArray(whole, shape, { dtype: "float64" }));
    const partial = empty(shape.map(() => 1), "float64");
    partial.data[0] = sumWasmScratch(whole.length);
    return partial;
  }
  const values = runOperation(elementwise, arrays, choice, scratchArray(shape, choice.result));
  return outOfScratch(reducePartial(values, options, origin));
});

/**
 * For a float64 sum over every axis, the WebAssembly scratch the elementwise result goes to
 * (pairwise-sum-wasm.ts sums it there with NumPy's additions in NumPy's order, ~4× faster than
 * the JS loop); null when that path does not apply (another reduction or dtype, an empty block,
 * a block over this thread's scratch cap, no WebAssembly SIMD) and the general path runs.
 */
function wholeFloat64Sum(shape: readonly number[], result: DType, options: TreeOptions): Float64Array | null {
  if (options.op !== "sum" || result !== "float64" || (options.dtype !== undefined && options.dtype !== "float64")) return null;
  const axes = new Set(options.axes.map((axis) => (axis < 0 ? axis + shape.length : axis)));
  if (axes.size !== shape.length || !shape.every((_, axis) => axes.has(axis))) return null;
  const size = shape.reduce((product, length) => product * length, 1);
  if (size === 0 || Math.max(wasmScratchBytes(), wasmScratchBytesFor(size)) > scratchKeepCap()) return null;
  return wasmScratch(size);
}

/** `partial` with every array that still lives in the scratch buffer copied out of it. */
function outOfScratch(partial: unknown): unknown {
  if (partial instanceof NDArray) return inScratch(partial) ? copy(partial) : partial;
  if (Array.isArray(partial)) return partial.map(outOfScratch);
  if (partial && typeof partial === "object" && Object.getPrototypeOf(partial) === Object.prototype) {
    return Object.fromEntries(Object.entries(partial).map(([key, value]) => [key, outOfScratch(value)]));
  }
  return partial;
}

/**
 * `grid`: how the partials lie (C order) along each axis, 1 on axes not reduced; a mean's
 * partials are laid out in it and summed as Dask's mean_combine does (mean-partials.ts).
 */
export const combinePartials = defineBuiltin("ndarray.combinePartials", function combinePartials(partials: Array<NDArray | MomentPartial | MeanPartial>, options: TreeOptions, grid?: number[], aggregate = false): unknown {
  if (partials.every(isOrderMomentPartial)) {
    if (aggregate) return finishOrderMomentPartials(partials, grid, options.axes, { keepdims: true, ddof: options.ddof ?? 0, dtype: options.dtype ?? "float64" });
    return combineOrderMomentPartials(partials, grid, options.axes);
  }
  if (partials.every(isMomentPartial)) {
    // The last combine of moments aggregates (Dask's moment_agg): the result, reduced axes kept.
    if (aggregate) return finishMoments(partials, options, grid, true);
    return combineMomentPartials(partials, grid, options.axes, options.op.startsWith("nan"));
  }
  if (partials.every(isMeanPartial)) return combineMeanPartials(partials, grid, options.axes);
  // Dask combines a group of sums with one np.sum / np.nansum over the partials laid out in their
  // grid. From 8 values on, NumPy's pairwise sum adds them in eight interleaved runs, not left to
  // right, so a float group that large is summed the same way (smaller ones and integer sums
  // come out the same either way, and the fold below skips the copy).
  if ((options.op === "sum" || options.op === "nansum") && grid && partials.length >= 8 && dtypeInfo((partials[0] as NDArray).dtype).kind === "f") {
    const laid = layOut(partials as NDArray[], grid);
    return (options.op === "sum" ? sum : nansum)(laid, { axis: [...options.axes], keepdims: true });
  }
  // np.nanmax / np.nanmin over the laid-out partials as well: which of two equal zeros NumPy keeps
  // depends on the layout (fmax.reduce of [0., -0.] is 0., fmax of the rows [0.] and [-0.] is -0.).
  if ((options.op === "nanmax" || options.op === "nanmin") && grid && partials.length > 1 && dtypeInfo((partials[0] as NDArray).dtype).kind === "f") {
    return (options.op === "nanmax" ? nanmax : nanmin)(layOut(partials as NDArray[], grid), { axis: [...options.axes], keepdims: true });
  }
  if (isExtendedTreeOp(options.op)) return combineExtendedPartials(partials, { ...options, op: options.op });
  let result = partials[0];
  for (let i = 1; i < partials.length; i++) {
    const next = partials[i];
    if (options.op === "sum") result = add(result as NDArray, next as NDArray);
    else if (options.op === "prod") result = multiply(result as NDArray, next as NDArray);
    else if (options.op === "min") result = minimum(result as NDArray, next as NDArray);
    else result = maximum(result as NDArray, next as NDArray);
  }
  return result;
});

/**
 * The partials of the blocks one worker holds of a first-level group that is split over
 * workers, as one list: computed by one task there (array/reduction.ts), they travel together.
 */
export const partialList = defineBuiltin("ndarray.partialList", function partialList(partials: unknown[]): unknown[] {
  return partials;
});

/**
 * combinePartials of a group whose partials come from several places: `picks` holds, per
 * member in the group's order, the index of its source and its position in that source's
 * partialList (-1: the source is the partial itself). The members reach combinePartials in
 * the same order with the same values as when each was a task of its own: the same result.
 */
export const combinePickedPartials = defineBuiltin("ndarray.combinePickedPartials", function combinePickedPartials(sources: unknown[], picks: number[], options: TreeOptions, grid?: number[], aggregate = false): unknown {
  const members: Array<NDArray | MomentPartial | MeanPartial> = [];
  for (let m = 0; m < picks.length; m += 2) {
    const source = sources[picks[m]];
    members.push((picks[m + 1] < 0 ? source : (source as unknown[])[picks[m + 1]]) as NDArray | MomentPartial | MeanPartial);
  }
  return combinePartials(members, options, grid, aggregate);
});

/** var / std (and nan forms) of a group of moment partials laid out in `grid`. */
function finishMoments(group: MomentPartial[], options: TreeOptions, grid: number[] | undefined, keepdims: boolean): NDArray {
  const skipNaN = options.op.startsWith("nan");
  return finishMomentPartials(group, grid, options.axes, { keepdims, ddof: options.ddof ?? 0, dtype: options.dtype ?? "float64", skipNaN, root: options.op.endsWith("std") });
}

/**
 * The last step: one partial finished — a lone moment partial aggregated (no combine level);
 * a moment result the last combine already aggregated is only squeezed.
 */
export const finishReduction = defineBuiltin("ndarray.finishReduction", function finishReduction(partial: NDArray | MeanPartial | MomentPartial, options: TreeOptions): NDArray {
  if (isMomentPartial(partial)) return finishMoments([partial], options, undefined, options.keepdims ?? false);
  if (isOrderMomentPartial(partial)) return finishOrderMomentPartials([partial], undefined, options.axes, { keepdims: options.keepdims ?? false, ddof: options.ddof ?? 0, dtype: options.dtype ?? "float64" });
  if (isMeanPartial(partial)) return finishMean(partial, options.axes, options.keepdims ?? false);
  if (isExtendedTreeOp(options.op)) return finishExtendedReduction(partial, { ...options, op: options.op });
  const result = partial as NDArray;
  return options.keepdims ? result : squeeze(result, options.axes);
});
