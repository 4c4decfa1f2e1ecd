/**
 * mean, var and std, computed the way NumPy's `_methods.py` computes them so float results
 * match: the mean is the (pairwise) sum divided by the count; the variance is the sum of
 * squared deviations `(a − mean)²` divided by `max(count − ddof, 0)`; std is its square root.
 * Integer and bool inputs compute in float64, float inputs in their own dtype (or `dtype`).
 *
 * NumPy stores the deviations in the memory order of the input ("K" order) and then sums them;
 * we do the same by first viewing the input with its axes sorted by decreasing stride.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxes } from "./axes.js";
import { add, multiply, subtract } from "./arithmetic.js";
import { requireArray, copy } from "./copy.js";
import { type DType, complexPartDType, dtypeInfo, isComplexDType, toDType } from "./dtype.js";
import { real, imag } from "./complex.js";
import { complexMean } from "./complex-reductions.js";
import { NDArray } from "./ndarray.js";
import { type ReductionArgument, type ReductionOptions, readReductionOptions, sum } from "./reductions.js";
import { sqrt } from "./unary.js";
import { transpose } from "./views.js";

export interface VarianceOptions extends ReductionOptions {
  /** Delta degrees of freedom: the divisor is count − ddof (default 0). */
  ddof?: number;
}

function floatDType(a: NDArray, requested: DType | string | undefined, operation: string): DType {
  if (requested !== undefined) {
    const dtype = toDType(requested, `${operation}: dtype`);
    if (dtypeInfo(dtype).kind !== "f") throw new InvalidOptionError(`${operation}: dtype must be float32 or float64, got ${dtype}`);
    return dtype;
  }
  return dtypeInfo(a.dtype).kind === "f" ? a.dtype : "float64";
}

/** Divides every element of a fresh float array by `divisor`, rounding to its dtype. */
function divideInPlace(values: NDArray, divisor: number): NDArray {
  const data = values.data as Float64Array;
  if (values.dtype === "float32") for (let i = 0; i < data.length; i++) data[i] = Math.fround(data[i] / divisor);
  else for (let i = 0; i < data.length; i++) data[i] = data[i] / divisor;
  return values;
}

function countOf(a: NDArray, axes: readonly number[]): number {
  return axes.reduce((total, axis) => total * a.shape[axis], 1);
}

const meanKeys = ["axis", "keepdims", "dtype"];
const varianceKeys = ["axis", "keepdims", "dtype", "ddof"];

/** Arithmetic mean over the given axes (float64 for integer input). */
export const mean = definePublicBuiltin("mean", function mean(a: NDArray, options?: ReductionArgument): NDArray {
  requireArray(a, "mean");
  const o = readReductionOptions(options, "mean", meanKeys);
  const axes = normalizeAxes(o.axis, a.ndim, "mean");
  if (isComplexDType(a.dtype)) return complexMean(sum(a, { axis: axes, keepdims: o.keepdims, dtype: o.dtype }), countOf(a, axes));
  const dtype = floatDType(a, o.dtype, "mean");
  return divideInPlace(sum(a, { axis: axes, keepdims: o.keepdims, dtype }), countOf(a, axes));
});

function squaredDeviations(a: NDArray, axes: readonly number[], count: number, dtype: DType): NDArray {
  const meanKept = divideInPlace(sum(a, { axis: [...axes], keepdims: true, dtype }), count);
  const deviations = subtract(a, meanKept);
  return multiply(deviations, deviations);
}

/** NumPy's _var for complex: |x − mean|² as re² + im² of the deviations, in the real dtype of each half. */
function complexSquaredDeviations(a: NDArray, axes: readonly number[], count: number): NDArray {
  const deviations = subtract(a, complexMean(sum(a, { axis: [...axes], keepdims: true }), count));
  const re = real(deviations);
  const im = imag(deviations);
  return add(multiply(re, re), multiply(im, im));
}

/** Variance over the given axes, with `ddof` delta degrees of freedom. */
export const variance = definePublicBuiltin("var", function variance(a: NDArray, options?: VarianceOptions | ReductionArgument): NDArray {
  return varianceOf(a, options, "var");
});

/** Standard deviation: the square root of `var` with the same options. */
export const std = definePublicBuiltin("std", function std(a: NDArray, options?: VarianceOptions | ReductionArgument): NDArray {
  return sqrt(varianceOf(a, options, "std"));
});

/** var for `operation` (var or std: the name an unknown option is refused under). */
function varianceOf(a: NDArray, options: VarianceOptions | ReductionArgument, operation: string): NDArray {
  requireArray(a, "var");
  const o = readReductionOptions(options, operation, varianceKeys) as VarianceOptions;
  const complexInput = isComplexDType(a.dtype);
  // NumPy casts a complex input to a real dtype asked for (dropping the imaginary part, a ComplexWarning).
  if (complexInput && o.dtype !== undefined) throw new InvalidOptionError(`var: dtype ${String(o.dtype)} with complex input (${a.dtype}) is not supported; leave dtype out (the variance of complex is ${complexPartDType(a.dtype)})`);
  const ddof = o.ddof ?? 0;
  if (!Number.isFinite(ddof)) throw new InvalidOptionError(`var: ddof ${ddof} must be a finite number`);
  const axes = normalizeAxes(o.axis, a.ndim, "var");
  const dtype = complexInput ? complexPartDType(a.dtype) : floatDType(a, o.dtype, "var");
  const count = countOf(a, axes);

  // View the input in memory order so the deviations are laid out (and summed) as in NumPy.
  const order = a.shape.map((_, axis) => axis).sort((x, y) => Math.abs(a.strides[y]) - Math.abs(a.strides[x]));
  const inMemoryOrder = transpose(a, order);
  const reducedAxes = axes.map((axis) => order.indexOf(axis));
  const squares = complexInput ? complexSquaredDeviations(inMemoryOrder, reducedAxes, count) : squaredDeviations(inMemoryOrder, reducedAxes, count, dtype);
  const total = divideInPlace(sum(squares, { axis: reducedAxes, dtype }), Math.max(count - ddof, 0));

  // Put the kept axes back in their original order.
  const keptInOrder = order.filter((axis) => !axes.includes(axis));
  const keptOriginal = [...keptInOrder].sort((x, y) => x - y);
  const restored = copy(transpose(total, keptOriginal.map((axis) => keptInOrder.indexOf(axis))));
  if (!o.keepdims) return restored;
  return new NDArray(restored.data, a.shape.map((length, axis) => (axes.includes(axis) ? 1 : length)), { dtype: restored.dtype });
}
