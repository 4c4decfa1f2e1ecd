/**
 * nansum, nanprod, nanmean, nanvar and nanstd of complex arrays, as NumPy 1.24's
 * nanfunctions.py computes them: _replace_nan marks an element NaN when np.isnan says so (its
 * real or its imaginary part is NaN) and replaces the whole element (by 0, or 1 for nanprod);
 * the mean divides the complex sum by the count of the others; the variance sums
 * |x − mean|² = re² + im² of the deviations (0 where NaN was) in the dtype of the halves and
 * divides by count − ddof, NaN where that is ≤ 0. Sums are tessera's complex sums (each half
 * pairwise, NumPy blocks its pairs differently: the last bits may differ).
 */
import { InvalidOptionError } from "../core/errors.js";
import { add, divide, multiply, subtract } from "./arithmetic.js";
import { isnan } from "./classification.js";
import { lessEqual } from "./comparison.js";
import { imag, real } from "./complex.js";
import { astype } from "./copy.js";
import { complexPartDType } from "./dtype.js";
import type { NDArray } from "./ndarray.js";
import { type ReductionOptions, prod, sum } from "./reductions.js";
import { where } from "./selection.js";
import { logicalNot, sqrt } from "./unary.js";
import { reshape } from "./views.js";

/** NumPy's _replace_nan of a complex array: a copy with `value` where re or im is NaN, and that mask. */
function replaceComplexNaN(a: NDArray, value: number): { array: NDArray; mask: NDArray } {
  const mask = isnan(a);
  const replaced = where(mask, value, a);
  return { array: replaced.dtype === a.dtype ? replaced : astype(replaced, a.dtype), mask };
}

function keptShape(a: NDArray, axis: ReductionOptions["axis"]): number[] {
  const axes = axis === undefined || axis === null ? a.shape.map((_, i) => i) : (typeof axis === "number" ? [axis] : [...axis]).map((i) => (i < 0 ? i + a.ndim : i));
  return a.shape.filter((_, i) => !axes.includes(i));
}

export function complexNansum(a: NDArray, options: ReductionOptions): NDArray {
  return sum(replaceComplexNaN(a, 0).array, options);
}

export function complexNanprod(a: NDArray, options: ReductionOptions): NDArray {
  return prod(replaceComplexNaN(a, 1).array, options);
}

/** The complex sum (kept axes, keepdims) over the count of non-NaN elements: NumPy's _divide_by_count, in the sum's dtype. */
function nanMeanKept(array: NDArray, mask: NDArray, axis: ReductionOptions["axis"], dtype: ReductionOptions["dtype"]): { mean: NDArray; counts: NDArray } {
  const counts = sum(logicalNot(mask), { axis, keepdims: true });
  const total = sum(array, { axis, keepdims: true, ...(dtype === undefined ? {} : { dtype }) });
  const quotient = divide(total, counts);
  return { mean: quotient.dtype === total.dtype ? quotient : astype(quotient, total.dtype), counts };
}

function finish(kept: NDArray, a: NDArray, options: ReductionOptions): NDArray {
  return options.keepdims ? kept : reshape(kept, keptShape(a, options.axis));
}

export function complexNanmean(a: NDArray, options: ReductionOptions): NDArray {
  const { array, mask } = replaceComplexNaN(a, 0);
  return finish(nanMeanKept(array, mask, options.axis, options.dtype).mean, a, options);
}

export function complexNanvar(a: NDArray, options: ReductionOptions & { ddof?: number }, operation = "nanvar"): NDArray {
  if (options.dtype !== undefined) {
    throw new InvalidOptionError(`${operation}: dtype ${String(options.dtype)} with complex input (${a.dtype}) is not supported; leave dtype out (the variance of complex is ${complexPartDType(a.dtype)})`);
  }
  const ddof = options.ddof ?? 0;
  if (typeof ddof !== "number" || !Number.isFinite(ddof)) throw new InvalidOptionError(`${operation}: ddof must be a finite number, got ${JSON.stringify(options.ddof)}`);
  const { array, mask } = replaceComplexNaN(a, 0);
  const { mean, counts } = nanMeanKept(array, mask, options.axis, undefined);
  // (x − mean), then 0 where x was NaN, as NumPy's _copyto(arr, 0, mask).
  const deviations = where(mask, 0, subtract(array, mean));
  const re = real(deviations);
  const im = imag(deviations);
  const squares = add(multiply(re, re), multiply(im, im));
  const total = sum(squares, { axis: options.axis, keepdims: true });
  const dof = subtract(counts, ddof);
  const quotient = divide(total, dof);
  const variance = where(lessEqual(dof, 0), NaN, quotient.dtype === total.dtype ? quotient : astype(quotient, total.dtype));
  return finish(variance.dtype === total.dtype ? variance : astype(variance, total.dtype), a, options);
}

export function complexNanstd(a: NDArray, options: ReductionOptions & { ddof?: number }): NDArray {
  return sqrt(complexNanvar(a, options, "nanstd"));
}
