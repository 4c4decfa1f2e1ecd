/**
 * What the interpolation reads: the input itself (orders 0 and 1, or prefilter off), or its
 * B-spline coefficients, as scipy 1.10 prepares them in `_interpolation.py`: for nearest and
 * grid-constant the input is first padded by 12 cells of edge values or cval
 * (`_prepad_for_spline_filter`, in the input's dtype), then every axis is prefiltered in float64,
 * and coordinates are shifted by the padding.
 *
 * The data may be a window of a larger array (see InputWindow). Indices are then "virtual":
 * positions in the whole (padded) array, which is what boundary modes and coordinates refer to.
 * A window is padded only on the sides where it reaches the array's edge, and prefiltered on its
 * own: exact when it is the whole array, an approximation near inner window edges otherwise
 * (the recursions start from the window's edge instead of the array's).
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { cCastValue } from "./interpolation-cast.js";
import { type ExtendMode, type InputWindow, prefilterInit, prepadWidth } from "./interpolation-options.js";
import type { NumericArray } from "./options.js";
import { filterAxis } from "./spline-prefilter.js";
import { castInt64, castUint64, readAsLoopsDo } from "./wide-cast.js";

export interface SplineSource {
  /** C-ordered values: the input's, or float64 coefficients. */
  readonly data: NumericArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  /** Virtual index of data's first cell, per axis. */
  readonly origin: readonly number[];
  /** Shape of the whole virtual array (input plus scipy's padding). */
  readonly arrayShape: readonly number[];
  /** Added to every coordinate (scipy's `nprepad`). */
  readonly shift: number;
  /** The data is a stretch of the array's periodic extension (grid-wrap; see InputWindow). */
  readonly periodic: boolean;
}

export function splineSource(original: NDArray, window: InputWindow, order: number, mode: ExtendMode, cval: number, prefilter: boolean): SplineSource {
  // int64/uint64 read as doubles and bool as bytes, as scipy's loops read them (wide-cast.ts).
  const input = readAsLoopsDo(original);
  if (!prefilter || order <= 1) {
    return {
      data: input.toTypedArray() as NumericArray, shape: input.shape, strides: cStrides(input.shape),
      origin: window.origin, arrayShape: window.arrayShape, shift: 0, periodic: window.periodic ?? false,
    };
  }
  const pad = prepadWidth(mode);
  const before = input.shape.map((_, axis) => (window.origin[axis] === 0 ? pad : 0));
  const after = input.shape.map((n, axis) => (window.origin[axis] + n === window.arrayShape[axis] ? pad : 0));
  const shape = input.shape.map((n, axis) => n + before[axis] + after[axis]);
  const coefficients = padded(input, shape, before, mode === "grid-constant" ? { value: storedAs(cval, original.dtype) } : "edge");
  for (let axis = 0; axis < shape.length; axis++) {
    // grid-wrap's initialisation joins the line's two ends: right only for a whole axis. On a
    // stretch of the axis both ends are inner edges, where any initialisation is approximate.
    const whole = window.origin[axis] === 0 && input.shape[axis] === window.arrayShape[axis];
    const init = mode === "grid-wrap" && !whole ? "mirror" : prefilterInit(mode);
    filterAxis(coefficients, shape, axis, order, init);
  }
  return {
    data: coefficients, shape, strides: cStrides(shape),
    origin: window.origin.map((o, axis) => o + pad - before[axis]),
    arrayShape: window.arrayShape.map((n) => n + 2 * pad),
    shift: pad, periodic: window.periodic ?? false,
  };
}

/** cval as NumPy's pad stores it in an array of the input's dtype. */
function storedAs(value: number, dtype: DType): number {
  // np.pad's constant: bool(cval) in a bool array, C's cast in int64/uint64.
  if (dtype === "bool") return value !== 0 ? 1 : 0;
  // NumPy 1.24's pad cannot store NaN or ±inf in a signed integer array ("cannot convert float
  // NaN to integer"; an unsigned one takes C's cast, with a warning): scipy raises there, so
  // grid-constant with a prefilter (order > 1) refuses them too.
  if (dtype.startsWith("int") && !Number.isFinite(value)) {
    throw new InvalidOptionError(`cval ${value} cannot pad an input of dtype ${dtype} (mode grid-constant with order > 1 pads the input with cval before prefiltering, as scipy does, which raises): use a finite cval, or cast the input to float`);
  }
  if (dtype === "int64") return Number(castInt64(value));
  if (dtype === "uint64") return Number(castUint64(value));
  const cell = allocate(dtype, 1, false) as NumericArray;
  cell[0] = cCastValue(value, dtype);
  return cell[0];
}

/** The input as float64, placed at `before` inside `shape`, the rest filled with edge values or a constant. */
function padded(input: NDArray, shape: readonly number[], before: readonly number[], fill: "edge" | { value: number }): Float64Array {
  const out = new Float64Array(shapeSize(shape));
  const ndim = shape.length;
  if (out.length === 0) return out;
  const source = input.data as NumericArray;
  const last = ndim - 1;
  const rowLength = shape[last];
  const inputLength = input.shape[last];
  const lastStride = input.strides[last];
  const lead = before[last];
  const index = new Array<number>(last).fill(0);
  for (let row = 0; row * rowLength < out.length; row++) {
    // The source row: clamped onto the edge for "edge", or none (all fill) for a constant.
    let at = input.offset;
    let outside = false;
    for (let axis = 0; axis < last; axis++) {
      let i = index[axis] - before[axis];
      if (i < 0 || i >= input.shape[axis]) {
        outside = true;
        i = i < 0 ? 0 : input.shape[axis] - 1;
      }
      at += i * input.strides[axis];
    }
    const base = row * rowLength;
    if (outside && fill !== "edge") {
      out.fill(fill.value, base, base + rowLength);
    } else {
      for (let k = 0; k < rowLength; k++) {
        const i = k - lead;
        if (i >= 0 && i < inputLength) out[base + k] = source[at + i * lastStride];
        else if (fill === "edge") out[base + k] = source[at + (i < 0 ? 0 : inputLength - 1) * lastStride];
        else out[base + k] = fill.value;
      }
    }
    for (let axis = last - 1; axis >= 0; axis--) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
  }
  return out;
}
