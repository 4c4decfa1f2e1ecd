/**
 * nanmean, nanvar and nanstd computed the way NumPy 1.24's nanfunctions.py computes them, so
 * float results match bit for bit: NaN is replaced by 0 in a copy laid out as the input; the
 * count of the other elements divides the (pairwise) sum; for the variance the deviations
 * from that mean are formed and squared in place in the input's dtype (0 where NaN was),
 * summed, and divided by count − ddof, which gives NaN where it is ≤ 0. A slice of only NaN
 * gives NaN (NumPy also warns; tessera/ndarray does not). Integer and bool inputs hold no NaN
 * and are mean / var / std. Complex input: complex-nan-statistics.ts (NumPy's, to the last bits
 * of the sums).
 */
import { InvalidOptionError } from "../core/errors.js";
import { complexNanmean, complexNanstd, complexNanvar } from "./complex-nan-statistics.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxes } from "./axes.js";
import { requireArray } from "./copy.js";
import { type DType, dtypeInfo, isComplexDType, toDType } from "./dtype.js";
import type { NDArray } from "./ndarray.js";
import { isFloatArray, replaceNaN } from "./nan-reductions.js";
import { type ReducedLayout, reducedLayout } from "./reduced-layout.js";
import { type ReductionArgument, readReductionOptions, sum } from "./reductions.js";
import { type VarianceOptions, mean, std, variance } from "./statistics.js";
import { sqrt } from "./unary.js";

function inexactDType(requested: DType | string | undefined, fallback: DType, operation: string): DType {
  if (requested === undefined) return fallback;
  const dtype = toDType(requested, `${operation}: dtype`);
  if (dtypeInfo(dtype).kind !== "f") throw new InvalidOptionError(`${operation}: the input is a float array, so dtype must be float32 or float64 (NumPy: "If a is inexact, then dtype must be inexact"), got ${dtype}`);
  return dtype;
}

/** Elements that were not NaN, per output element (C order over the kept axes). */
function countValid(layout: ReducedLayout, mask: Uint8Array, storageOf: (offset: number) => number): Float64Array {
  const { bases, count, offsets, stride } = layout;
  const counts = new Float64Array(bases.length);
  for (let j = 0; j < bases.length; j++) {
    let n = 0;
    for (let k = 0; k < count; k++) {
      if (mask[storageOf(offsets === null ? bases[j] + k * stride : bases[j] + offsets[k])] === 0) n++;
    }
    counts[j] = n;
  }
  return counts;
}

/** Divides a fresh float array by per-element counts in place (NumPy's _divide_by_count: float64 division, then the array's dtype). */
function divideByCount(values: NDArray, counts: Float64Array): NDArray {
  const data = values.data as Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = data[i] / counts[i];
  return values;
}

interface NanPrepared {
  /** The copy with NaN replaced by 0, laid out as the input. */
  arr: NDArray;
  mask: Uint8Array;
  axes: number[];
  layout: ReducedLayout;
  counts: Float64Array;
}

function prepare(a: NDArray, axisOption: number | readonly number[] | null | undefined, operation: string): NanPrepared {
  const { array: arr, mask } = replaceNaN(a, 0, true);
  const axes = normalizeAxes(axisOption, a.ndim, operation);
  const layout = reducedLayout(arr, axes);
  // The copy is dense from offset 0, so a storage offset is its index in the mask.
  const counts = countValid(layout, mask as Uint8Array, (offset) => offset);
  return { arr, mask: mask as Uint8Array, axes, layout, counts };
}

/** Mean ignoring NaN (NumPy's nanmean): NaN where a slice holds only NaN. */
export const nanmean = definePublicBuiltin("nanmean", function nanmean(a: NDArray, options?: ReductionArgument): NDArray {
  requireArray(a, "nanmean");
  const o = readReductionOptions(options, "nanmean", ["axis", "keepdims", "dtype"]);
  if (isComplexDType(a.dtype)) return complexNanmean(a, o);
  if (!isFloatArray(a)) return mean(a, o);
  const dtype = inexactDType(o.dtype, a.dtype, "nanmean");
  const { arr, axes, counts } = prepare(a, o.axis, "nanmean");
  return divideByCount(sum(arr, { axis: axes, keepdims: o.keepdims, dtype }), counts);
});

/** Variance ignoring NaN (NumPy's nanvar), with `ddof`; NaN where count − ddof ≤ 0. */
export const nanvar = definePublicBuiltin("nanvar", function nanvar(a: NDArray, options?: VarianceOptions | ReductionArgument): NDArray {
  requireArray(a, "nanvar");
  const o = readReductionOptions(options, "nanvar", ["axis", "keepdims", "dtype", "ddof"]) as VarianceOptions;
  if (isComplexDType(a.dtype)) return complexNanvar(a, o);
  if (!isFloatArray(a)) return variance(a, o);
  const ddof = o.ddof ?? 0;
  if (typeof ddof !== "number" || !Number.isFinite(ddof)) throw new InvalidOptionError(`nanvar: ddof must be a finite number, got ${JSON.stringify(o.ddof)}`);
  const dtype = inexactDType(o.dtype, a.dtype, "nanvar");
  const { arr, mask, axes, layout, counts } = prepare(a, o.axis, "nanvar");
  const average = divideByCount(sum(arr, { axis: axes, keepdims: true, dtype }), counts).data as Float64Array;
  // In place, in the copy's dtype: (x − mean)², 0 where x was NaN.
  const data = arr.data as Float64Array;
  const { bases, count, offsets, stride } = layout;
  for (let j = 0; j < bases.length; j++) {
    const m = average[j];
    for (let k = 0; k < count; k++) {
      const at = offsets === null ? bases[j] + k * stride : bases[j] + offsets[k];
      data[at] = mask[at] === 1 ? 0 : data[at] - m;
      data[at] = data[at] * data[at];
    }
  }
  const result = sum(arr, { axis: axes, keepdims: o.keepdims, dtype });
  const values = result.data as Float64Array;
  for (let j = 0; j < values.length; j++) {
    const dof = counts[j] - ddof;
    values[j] = dof <= 0 ? NaN : values[j] / dof;
  }
  return result;
});

/** Standard deviation ignoring NaN: the square root of nanvar with the same options. */
export const nanstd = definePublicBuiltin("nanstd", function nanstd(a: NDArray, options?: VarianceOptions | ReductionArgument): NDArray {
  requireArray(a, "nanstd");
  if (isComplexDType(a.dtype)) return complexNanstd(a, readReductionOptions(options, "nanstd", ["axis", "keepdims", "dtype", "ddof"]));
  if (!isFloatArray(a)) return std(a, readReductionOptions(options, "nanstd", ["axis", "keepdims", "dtype", "ddof"]));
  return sqrt(nanvar(a, readReductionOptions(options, "nanstd", ["axis", "keepdims", "dtype", "ddof"])));
});

