/**
 * da.average (dask.array.average, NumPy 1.24's rules; src/ndarray/average.ts states them):
 * without weights the mean; with weights Σ a·w / Σ w, both sums tree reductions in the result
 * dtype over a's chunks. Dask's own graph divides a zero weight sum into NaN silently; here the
 * last step (averageQuotient) refuses it when computed, with NumPy's ZeroDivisionError message.
 * Weights may be lazy or in memory (then chunked as a is); 1-d weights lie along `axis`.
 */
import { InvalidOptionError } from "../core/errors.js";
import { averageDtype, averageQuotient, averageWeightShape, readAverageOptions, scalarOf, type AverageOptions } from "../ndarray/average.js";
import { NDArray } from "../ndarray/ndarray.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";
import { broadcastTo } from "./broadcast-to.js";
import { tokenize } from "../core/ids.js";
import { FromArrayExpr } from "./sources.js";

export interface LazyAverageOptions extends Omit<AverageOptions, "weights"> {
  weights?: LazyArray | NDArray;
  /** Dask's split_every for the sums (see ReductionCallOptions). */
  splitEvery?: number | Record<number, number>;
}

/** da.average(x, { axis, weights, returned, keepdims, splitEvery }): the average, or [average, sum of weights] with returned. */
export function average(x: LazyArray, options?: LazyAverageOptions & { returned?: false }): LazyArray;
export function average(x: LazyArray, options: LazyAverageOptions & { returned: true }): [LazyArray, LazyArray];
export function average(x: LazyArray, options: LazyAverageOptions = {}): LazyArray | [LazyArray, LazyArray] {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError("average: expected a lazy array (ta.fromArray makes one)");
  const { splitEvery, ...rest } = options;
  readAverageOptions(rest, x.ndim);
  const { weights, returned = false, keepdims = false } = options;
  const axis = options.axis === undefined || options.axis === null ? null : typeof options.axis === "number" ? options.axis : [...options.axis];
  const reduce = { axis, keepdims, ...(splitEvery !== undefined ? { splitEvery } : {}) };
  let avg: LazyArray;
  let scale: LazyArray;
  if (weights === undefined) {
    avg = x.mean(reduce);
    // NumPy's avg.dtype.type(a.size / avg.size): a 0-d constant broadcast like the weight sums.
    scale = inMemory(scalarOf(x.size / avg.size, avg.dtype), []);
  } else {
    if (!(weights instanceof LazyArray) && !(weights instanceof NDArray)) throw new InvalidOptionError("average: weights must be a lazy array or an NDArray");
    const dtype = averageDtype(x.dtype, weights.dtype);
    const shape = averageWeightShape(x.shape, weights.shape, options.axis);
    const oneD = !sameShape(x.shape, weights.shape);
    const chunks = oneD ? [x.chunks[normalizeAxis(options.axis as number, x.ndim, "average")]] : x.chunks;
    const lazy = weights instanceof LazyArray ? weights : inMemory(weights, chunks);
    const w = oneD ? lazy.reshape(shape) : lazy;
    scale = w.sum({ ...reduce, dtype });
    const weightedSum = x.astype(dtype).mul(w.astype(dtype)).sum({ ...reduce, dtype });
    avg = LazyArray.of(elementwiseNode(averageQuotient, [weightedSum, scale], dtype));
  }
  if (!returned) return avg;
  return [avg, sameShape(scale.shape, avg.shape) ? scale : broadcastTo(scale, avg.shape, { chunks: avg.chunks })];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** An in-memory array as one lazy source (ta.fromArray's, which index.ts owns). */
function inMemory(data: NDArray, chunks: number[][]): LazyArray {
  return new LazyArray(`array-${tokenize(data, chunks)}`, data.shape, chunks, data.dtype, new FromArrayExpr(data));
}
