/**
 * np.average as NumPy 1.24 computes it (and dask.array.average, which copies it):
 * - without weights, the mean, and as the weight sum (returned) the count of averaged elements
 *   in the mean's dtype;
 * - with weights, Σ a·w / Σ w, both sums in the result dtype: float64 for bool and integer `a`
 *   (promoted with the weights' dtype), else the promotion of the two dtypes. Weights either
 *   have a's shape or are 1-d along the one `axis` given; the latter keep unit axes elsewhere,
 *   so their sum broadcasts against the average (NumPy's broadcast_to + swapaxes).
 * - a weight sum of zero is NumPy's ZeroDivisionError, refused here by message. Dask divides
 *   and gives NaN without a word; the lazy average refuses it when it computes (averageQuotient).
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { divide, multiply } from "./arithmetic.js";
import { normalizeAxes, normalizeAxis } from "./axes.js";
import { equal } from "./comparison.js";
import { astype, copy } from "./copy.js";
import { fromTypedArray } from "./creation.js";
import { dtypeInfo, type DType } from "./dtype.js";
import { NDArray, type Shape } from "./ndarray.js";
import { promoteTypes } from "./promotion.js";
import { any, sum } from "./reductions.js";
import { mean } from "./statistics.js";
import { broadcastTo, reshape } from "./views.js";

export interface AverageOptions {
  axis?: number | readonly number[] | null;
  /** Same shape as the array, or 1-d along `axis`; absent for the plain mean. */
  weights?: NDArray;
  /** Also return the sum of the weights, broadcast to the average's shape (NumPy's returned=True). */
  returned?: boolean;
  keepdims?: boolean;
}

const averageKeys = ["axis", "weights", "returned", "keepdims"];

/** NumPy's result dtype of a weighted average. */
export function averageDtype(a: DType, weights: DType): DType {
  const kind = dtypeInfo(a).kind;
  return kind === "f" ? promoteTypes(a, weights) : promoteTypes(promoteTypes(a, weights), "float64");
}

/**
 * The weights' shape as they enter the sums: the same as a's, or, for 1-d weights, their
 * length on `axis` and 1 elsewhere. NumPy's TypeError / ValueError messages, prefixed.
 */
export function averageWeightShape(aShape: Shape, weightShape: Shape, axis: AverageOptions["axis"]): number[] {
  if (aShape.length === weightShape.length && aShape.every((n, i) => n === weightShape[i])) return [...aShape];
  if (axis === undefined || axis === null) throw new InvalidOptionError(`average: axis must be specified when shapes of a [${aShape.join(", ")}] and weights [${weightShape.join(", ")}] differ`);
  if (weightShape.length !== 1) throw new InvalidOptionError(`average: 1-d weights expected when shapes of a [${aShape.join(", ")}] and weights [${weightShape.join(", ")}] differ`);
  if (typeof axis !== "number") throw new InvalidOptionError(`average: 1-d weights need one axis, got axis ${JSON.stringify(axis)}`);
  const at = normalizeAxis(axis, aShape.length, "average");
  if (weightShape[0] !== aShape[at]) throw new InvalidOptionError(`average: length of weights (${weightShape[0]}) not compatible with specified axis ${axis} (length ${aShape[at]})`);
  return aShape.map((n, i) => (i === at ? n : 1));
}

/** The option checks both averages share (names, axis range, flags). */
export function readAverageOptions(options: object, ndim: number): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new InvalidOptionError(`average: options must be an object such as { axis: 0 }, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) if (!averageKeys.includes(key)) throw new InvalidOptionError(`average: unknown option "${key}"; average takes ${averageKeys.join(", ")}`);
  const { axis, returned, keepdims } = options as AverageOptions;
  normalizeAxes(axis, ndim, "average");
  if (returned !== undefined && typeof returned !== "boolean") throw new InvalidOptionError(`average: returned must be true or false, got ${JSON.stringify(returned)}`);
  if (keepdims !== undefined && typeof keepdims !== "boolean") throw new InvalidOptionError(`average: keepdims must be true or false, got ${JSON.stringify(keepdims)}`);
}

/** Σ a·w / Σ w, refusing a zero weight sum as NumPy's ZeroDivisionError (a task of the lazy average). */
export const averageQuotient = defineBuiltin("ndarray.averageQuotient", function averageQuotient(weightedSum: NDArray, weightSum: NDArray): NDArray {
  if (any(equal(weightSum, 0)).item()) throw new InvalidOptionError("average: weights sum to zero, can't be normalized (NumPy's ZeroDivisionError)");
  return divide(weightedSum, weightSum);
});

/** np.average(a, axis, weights, returned, keepdims): the average, or [average, sum of weights] with returned. */
export const average = definePublicBuiltin("average", function average(a: NDArray, options: AverageOptions = {}): NDArray | [NDArray, NDArray] {
  if (!(a instanceof NDArray)) throw new InvalidOptionError("average: expected an NDArray");
  readAverageOptions(options, a.ndim);
  const { weights, returned = false, keepdims = false } = options;
  const axis = options.axis ?? null;
  let avg: NDArray;
  let scale: NDArray;
  if (weights === undefined) {
    avg = mean(a, { axis, keepdims });
    scale = scalarOf(a.size / avg.size, avg.dtype);
  } else {
    if (!(weights instanceof NDArray)) throw new InvalidOptionError("average: weights must be an NDArray");
    const dtype = averageDtype(a.dtype, weights.dtype);
    const w = reshape(weights, averageWeightShape(a.shape, weights.shape, options.axis));
    scale = sum(w, { axis, dtype, keepdims });
    avg = averageQuotient(sum(multiply(astype(a, dtype), astype(w, dtype)), { axis, dtype, keepdims }), scale);
  }
  if (!returned) return avg;
  const sameShape = scale.ndim === avg.ndim && scale.shape.every((n, i) => n === avg.shape[i]);
  return [avg, sameShape ? scale : copy(broadcastTo(scale, avg.shape))];
});

/** A 0-d array holding `value` in `dtype` (NumPy's avg.dtype.type(a.size / avg.size)). */
export function scalarOf(value: number, dtype: DType): NDArray {
  return astype(fromTypedArray(Float64Array.of(value), []), dtype);
}
