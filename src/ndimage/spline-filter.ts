/**
 * `splineFilter1d` and `splineFilter`: scipy.ndimage's B-spline prefilters as functions of their
 * own (what the transforms run first for orders > 1). Each line is converted to float64,
 * filtered (spline-prefilter.ts) and stored in the output dtype with C's cast; the
 * multidimensional filter runs the axes in order 0, 1, … and, as in scipy, each pass reads the
 * previous one stored in the output dtype. Orders 0 and 1 are the identity (splineFilter1d
 * only; scipy's spline_filter refuses them).
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { astype } from "../ndarray/copy.js";
import type { DType, TypedArray } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { cCastValue } from "./interpolation-cast.js";
import { refuseUnknownOptions } from "./option-names.js";
import { checkSplineOrder, prefilterInit, toExtendMode } from "./interpolation-options.js";
import { type Mode, type NumericArray, normalizeAxis, resolveLinearOutputDtype } from "./options.js";
import { filterAxis } from "./spline-prefilter.js";
import { isWideDtype, readAsLoopsDo, readBackInPlace, storeWide } from "./wide-cast.js";

export interface SplineFilter1dOptions {
  /** Spline order 0–5. Default 3. */
  order?: number;
  /** Default -1 (the last axis). */
  axis?: number;
  /** dtype of the result. Default "float64". */
  output?: DType;
  /** Boundary the coefficients are computed for. Default "mirror". */
  mode?: Mode;
}

export interface SplineFilterOptions {
  /** Spline order 2–5. Default 3. */
  order?: number;
  output?: DType;
  mode?: Mode;
}

function checkOptions(options: unknown, what: string, accepted: readonly string[]): void {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, accepted, what);
}

/** The input's values in C order as float64. */
function toFloat64(original: NDArray): Float64Array {
  const source = readAsLoopsDo(original).toTypedArray() as NumericArray;
  const values = allocate("float64", source.length) as Float64Array;
  values.set(source);
  return values;
}

/** Stores float64 values in `dtype` with C's cast (and, with `back`, reads them back as the next pass would). */
function store(values: Float64Array, dtype: DType, back: boolean): TypedArray {
  if (dtype === "float64" && !back) return values;
  if (dtype === "int64" || dtype === "uint64") {
    if (back) readBackInPlace(values, dtype);
    return back ? values : storeWide(values, dtype, "filter");
  }
  const out = allocate(dtype, values.length) as NumericArray;
  if (dtype === "float64") out.set(values);
  else for (let i = 0; i < values.length; i++) out[i] = cCastValue(values[i], dtype);
  if (back && dtype !== "float64") for (let i = 0; i < values.length; i++) values[i] = out[i];
  return out;
}

/** NumPy's `output[...] = input`: integers wrap, floats go through C's cast. */
function assignCast(input: NDArray, dtype: DType): TypedArray {
  if (isWideDtype(input.dtype) || isWideDtype(dtype)) return astype(input, dtype).toTypedArray();
  const source = input.toTypedArray() as NumericArray;
  const out = allocate(dtype, source.length) as NumericArray;
  const integers = !(input.dtype === "float32" || input.dtype === "float64");
  for (let i = 0; i < source.length; i++) out[i] = integers ? source[i] : cCastValue(source[i], dtype);
  return out;
}

function splineFilter1dImpl(input: NDArray, options: SplineFilter1dOptions = {}): NDArray {
  checkOptions(options, "splineFilter1d", ["order", "axis", "output", "mode"]);
  const order = checkSplineOrder(options.order ?? 3);
  const outputDtype = resolveLinearOutputDtype(input, options.output ?? "float64");
  const init = prefilterInit(toExtendMode(options.mode ?? "mirror"));
  const axis = input.ndim > 0 ? normalizeAxis(options.axis ?? -1, input.ndim) : 0;
  if (order < 2) return new NDArray(assignCast(input, outputDtype), input.shape, { dtype: outputDtype });
  const values = toFloat64(input);
  if (input.ndim > 0) filterAxis(values, input.shape, axis, order, init);
  return new NDArray(store(values, outputDtype, false), input.shape, { dtype: outputDtype });
}

function splineFilterImpl(input: NDArray, options: SplineFilterOptions = {}): NDArray {
  checkOptions(options, "splineFilter", ["order", "output", "mode"]);
  const order = checkSplineOrder(options.order ?? 3, 2);
  const outputDtype = resolveLinearOutputDtype(input, options.output ?? "float64");
  const init = prefilterInit(toExtendMode(options.mode ?? "mirror"));
  const values = toFloat64(input);
  for (let axis = 0; axis < input.ndim; axis++) {
    filterAxis(values, input.shape, axis, order, init);
    // Each pass reads the previous one as stored in the output dtype (a no-op for float64).
    if (outputDtype !== "float64" && axis < input.ndim - 1) store(values, outputDtype, true);
  }
  return new NDArray(store(values, outputDtype, false), input.shape, { dtype: outputDtype });
}

/** Spline prefilter along one axis (scipy.ndimage.spline_filter1d). */
export const splineFilter1d = definePublicBuiltin("splineFilter1d", splineFilter1dImpl);

/** Multidimensional spline prefilter (scipy.ndimage.spline_filter). */
export const splineFilter = definePublicBuiltin("splineFilter", splineFilterImpl);
