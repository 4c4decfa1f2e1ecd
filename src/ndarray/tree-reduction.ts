/**
 * The three steps of a chunked (tree) reduction, each on one block so the lazy layer can
 * ship them to workers: reduce a block to a partial (keeping the reduced axes with length
 * 1), combine partials from neighbouring blocks elementwise, and finish. Sums, products and
 * extrema combine with themselves; mean and nanmean carry Dask's (count, total) partials
 * (mean-partials.ts), so their results equal Dask's bit for bit; var and std carry (count,
 * mean, M2) and merge them with Chan et al.'s parallel formula, which stays accurate where
 * sum-of-squares does not.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, shapeSize } from "./ndarray.js";
import { add, binaryOperations, maximum, minimum, multiply } from "./arithmetic.js";
import { astype, copy } from "./copy.js";
import { broadcastShapes } from "./broadcast.js";
import { prepareOperands, runOperation } from "./elementwise.js";
import type { Operand } from "./promotion.js";
import { inScratch, scratchArray } from "./scratch-buffer.js";
import { full } from "./creation.js";
import { max, min, prod, sum } from "./reductions.js";
import { squeeze } from "./views.js";
import { type DType, isBigIntDType } from "./dtype.js";
import { type Moments, isMoments, mergeMoments } from "./moments.js";
import { type MeanPartial, combineMeanPartials, finishMean, isMeanPartial, meanDType, meanPartialOf } from "./mean-partials.js";
import { type BlockOrigin, type ExtendedTreeOp, combineExtendedPartials, finishExtendedReduction, isExtendedTreeOp, reduceExtendedPartial } from "./tree-ops.js";

/** Reductions beyond these (any/all, nan-reductions, arg reductions) are tree-ops.ts's. */
export type TreeOp = "sum" | "prod" | "min" | "max" | "mean" | "var" | "std" | ExtendedTreeOp;

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
}

/**
 * The element runs of `a` along its innermost axis, in C order: where each run starts in
 * `a.data` (strides and offset honoured, so views need no copy) and in the output (kept axes
 * in C order), with the steps both take along the run.
 */
interface Runs {
  dataStart: Float64Array;
  outStart: Float64Array;
  length: number;
  dataStep: number;
  outStep: number;
}

function innermostRuns(a: NDArray, reduced: ReadonlySet<number>): Runs {
  const ndim = a.shape.length;
  const outStrides = new Array<number>(ndim).fill(0);
  for (let axis = ndim - 1, stride = 1; axis >= 0; axis--) {
    if (reduced.has(axis)) continue;
    outStrides[axis] = stride;
    stride *= a.shape[axis];
  }
  if (ndim === 0) return { dataStart: Float64Array.of(a.offset), outStart: Float64Array.of(0), length: 1, dataStep: 0, outStep: 0 };
  const last = ndim - 1;
  const count = a.shape.slice(0, last).reduce((p, n) => p * n, 1) * (a.shape[last] === 0 ? 0 : 1);
  const runs: Runs = { dataStart: new Float64Array(count), outStart: new Float64Array(count), length: a.shape[last], dataStep: a.strides[last], outStep: outStrides[last] };
  const index = new Array<number>(last).fill(0);
  let dataBase = a.offset;
  let outBase = 0;
  for (let r = 0; r < count; r++) {
    runs.dataStart[r] = dataBase;
    runs.outStart[r] = outBase;
    for (let axis = last - 1; axis >= 0; axis--) {
      index[axis]++;
      dataBase += a.strides[axis];
      outBase += outStrides[axis];
      if (index[axis] < a.shape[axis]) break;
      dataBase -= a.strides[axis] * a.shape[axis];
      outBase -= outStrides[axis] * a.shape[axis];
      index[axis] = 0;
    }
  }
  return runs;
}

/**
 * Count, mean and M2 = Σ (x − mean)² of each output element, in two passes over the block
 * (no copy of it; int64 blocks are converted to float64 first) with compensated (Neumaier)
 * sums, so the moments stay accurate where a plain running sum or sum-of-squares would not.
 * (The mean has partials of its own, Dask's: mean-partials.ts.)
 */
function momentsOf(block: NDArray, axes: number[]): Moments {
  const a = isBigIntDType(block.dtype) ? astype(block, "float64") : block;
  const reduced = new Set(axes);
  const keptShape = a.shape.map((n, axis) => (reduced.has(axis) ? 1 : n));
  const outputs = shapeSize(keptShape);
  const n = axes.reduce((p, axis) => p * a.shape[axis], 1);
  const data = a.data as Float64Array;
  const { dataStart, outStart, length, dataStep, outStep } = innermostRuns(a, reduced);
  const sum = new Float64Array(outputs);
  const compensation = new Float64Array(outputs);
  for (let r = 0; r < dataStart.length; r++) {
    if (outStep === 0) {
      // The whole run reduces into one output: accumulate in locals.
      const o = outStart[r];
      let s = sum[o];
      let c = compensation[o];
      for (let i = 0, d = dataStart[r]; i < length; i++, d += dataStep) {
        const x = data[d];
        const t = s + x;
        c += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
        s = t;
      }
      sum[o] = s;
      compensation[o] = c;
      continue;
    }
    for (let i = 0, d = dataStart[r], o = outStart[r]; i < length; i++, d += dataStep, o += outStep) {
      const x = data[d];
      const s = sum[o];
      const t = s + x;
      compensation[o] += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
      sum[o] = t;
    }
  }
  const mean = new Float64Array(outputs);
  for (let o = 0; o < outputs; o++) mean[o] = n > 0 ? (sum[o] + compensation[o]) / n : 0;
  const wrap = (values: Float64Array) => new NDArray(values, keptShape, { dtype: "float64" });
  sum.fill(0);
  compensation.fill(0);
  for (let r = 0; r < dataStart.length; r++) {
    if (outStep === 0) {
      const o = outStart[r];
      const m = mean[o];
      let s = sum[o];
      let c = compensation[o];
      for (let i = 0, d = dataStart[r]; i < length; i++, d += dataStep) {
        const deviation = data[d] - m;
        const x = deviation * deviation;
        const t = s + x;
        c += s >= x ? (s - t) + x : (x - t) + s;
        s = t;
      }
      sum[o] = s;
      compensation[o] = c;
      continue;
    }
    for (let i = 0, d = dataStart[r], o = outStart[r]; i < length; i++, d += dataStep, o += outStep) {
      const deviation = data[d] - mean[o];
      const x = deviation * deviation;
      const s = sum[o];
      const t = s + x;
      compensation[o] += s >= x ? (s - t) + x : (x - t) + s;
      sum[o] = t;
    }
  }
  for (let o = 0; o < outputs; o++) sum[o] += compensation[o];
  return { count: full(keptShape, n, "float64"), mean: wrap(mean), m2: wrap(sum) };
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
    case "var": case "std": return momentsOf(block, axes);
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
  const choice = elementwise.resolve(common);
  const values = runOperation(elementwise, arrays, choice, scratchArray(broadcastShapes(...arrays.map((a) => a.shape)), choice.result));
  return outOfScratch(reducePartial(values, options, origin));
});

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
export const combinePartials = defineBuiltin("ndarray.combinePartials", function combinePartials(partials: Array<NDArray | Moments | MeanPartial>, options: TreeOptions, grid?: number[]): unknown {
  if (partials.every(isMeanPartial)) return combineMeanPartials(partials, grid, options.axes);
  if (isExtendedTreeOp(options.op)) return combineExtendedPartials(partials, { ...options, op: options.op });
  let result = partials[0];
  for (let i = 1; i < partials.length; i++) {
    const next = partials[i];
    if (isMoments(result) && isMoments(next)) result = mergeMoments(result, next);
    else if (options.op === "sum") result = add(result as NDArray, next as NDArray);
    else if (options.op === "prod") result = multiply(result as NDArray, next as NDArray);
    else if (options.op === "min") result = minimum(result as NDArray, next as NDArray);
    else result = maximum(result as NDArray, next as NDArray);
  }
  return result;
});

export const finishReduction = defineBuiltin("ndarray.finishReduction", function finishReduction(partial: NDArray | Moments | MeanPartial, options: TreeOptions): NDArray {
  if (isMeanPartial(partial)) return finishMean(partial, options.axes, options.keepdims ?? false);
  if (isExtendedTreeOp(options.op)) return finishExtendedReduction(partial, { ...options, op: options.op });
  let result: NDArray;
  if (isMoments(partial)) {
    const size = partial.count.data.length;
    const out = new Float64Array(size);
    const ddof = options.ddof ?? 0;
    for (let i = 0; i < size; i++) {
      const n = partial.count.data[i] as number;
      if (options.op === "mean") out[i] = n > 0 ? (partial.mean.data[i] as number) : NaN;
      else {
        const variance = (partial.m2.data[i] as number) / Math.max(n - ddof, 0);
        out[i] = options.op === "std" ? Math.sqrt(variance) : variance;
      }
    }
    result = new NDArray(out, partial.count.shape, { dtype: "float64" });
    if (options.dtype && options.dtype !== "float64") result = astype(result, options.dtype);
  } else {
    result = partial;
  }
  return options.keepdims ? result : squeeze(result, options.axes);
});
