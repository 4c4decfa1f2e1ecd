/**
 * `zoom` and `shift`: scipy.ndimage's separable resampling (NI_ZoomShift), bit for bit. Along
 * each axis, output index k reads input coordinate
 *
 *   shift:  k + (−shift)
 *   zoom:   k · z                      z = (n_in − 1) / (n_out − 1)
 *   zoom, gridMode:  (k + 0.5) · z − 0.5   z = n_in / n_out
 *
 * with n_out = round(n_in · zoom) (half to even, as Python's round) and z = 1 where the
 * divisor is 0. A diagonal affineTransform is the same machinery with both a shift and a zoom.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import {
  type InputWindow, type InterpolationOptions, type ResolvedInterpolation, checkBoolean, finitePerAxis, resolveInterpolation,
} from "./interpolation-options.js";
import { type OutputRegion, resolveOutputRegion } from "./options.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { planAxis, sampleSeparable } from "./separable-sampler.js";
import { splineSource } from "./spline-source.js";
import { tapAxes } from "./spline-taps.js";

export interface ZoomOptions extends InterpolationOptions {
  /** Zoom factor, one for all axes or one per axis; > 0. */
  zoom: number | readonly number[];
  /** false (default): the distance between the first and last pixel centres is zoomed; true: the full pixel extent. */
  gridMode?: boolean;
  inputWindow?: InputWindow;
}

export interface ShiftOptions extends InterpolationOptions {
  /** Shift along the axes, one for all axes or one per axis. */
  shift: number | readonly number[];
  inputWindow?: InputWindow;
}

/** One axis of a zoom/shift: which of the two steps apply, with their values. */
export interface ZoomShiftAxis {
  readonly shift?: number;
  readonly zoom?: number;
  readonly gridMode: boolean;
}

/** Python's round(x) for a non-negative product: nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The output shape of a zoom: round(n · factor) per axis. */
export function zoomOutputShape(arrayShape: readonly number[], factors: readonly number[]): number[] {
  return arrayShape.map((n, axis) => roundHalfEven(n * factors[axis]));
}

/** The factor that maps output indices to input coordinates (scipy's `zoom` array passed to C). */
export function zoomCoordinateFactors(arrayShape: readonly number[], outputShape: readonly number[], gridMode: boolean): number[] {
  return arrayShape.map((n, axis) => {
    const numerator = gridMode ? n : n - 1;
    const divisor = gridMode ? outputShape[axis] : outputShape[axis] - 1;
    return divisor !== 0 ? numerator / divisor : 1;
  });
}

export function checkZoomFactors(value: unknown, ndim: number): number[] {
  const factors = finitePerAxis(value, ndim, "zoom");
  if (factors.some((factor) => !(factor > 0))) {
    throw new InvalidOptionError(`zoom ${JSON.stringify(value)} must be > 0 on every axis`);
  }
  return factors;
}

/** The zoom/shift coordinate of output index k along one axis (NI_ZoomShift's order of operations). */
export function zoomShiftCoordinate(k: number, axis: ZoomShiftAxis): number {
  let cc = k;
  if (axis.shift !== undefined) cc += axis.shift;
  if (axis.zoom !== undefined) {
    if (axis.gridMode) {
      cc += 0.5;
      cc *= axis.zoom;
      cc -= 0.5;
    } else {
      cc *= axis.zoom;
    }
  }
  return cc;
}

export function isEmpty(region: OutputRegion): boolean {
  return region.start.some((s, axis) => region.stop[axis] <= s);
}

/** The result for an empty output box: nothing is read or prefiltered. */
export function emptyResult(region: OutputRegion, dtype: DType): NDArray {
  const shape = region.stop.map((stop, axis) => stop - region.start[axis]);
  return new NDArray(allocate(dtype, 0), shape, { dtype });
}

/** Runs NI_ZoomShift on (a window of) the input for the output box `region` of `outputShape`. */
export function runZoomShift(
  input: NDArray, axes: readonly ZoomShiftAxis[], outputShape: readonly number[], settings: ResolvedInterpolation,
  outputRegion: InterpolationOptions["outputRegion"],
): NDArray {
  const region = resolveOutputRegion(outputRegion, outputShape);
  const { order, mode, cval, prefilter, outputDtype, window } = settings;
  if (isEmpty(region)) return emptyResult(region, outputDtype);
  const source = splineSource(input, window, order, mode, cval, prefilter);
  const tapping = tapAxes(source, mode, order);
  const plans = axes.map((axis, a) => planAxis(region.stop[a] - region.start[a], (k) => zoomShiftCoordinate(region.start[a] + k, axis), tapping[a]));
  return sampleSeparable(source, plans, order + 1, outputDtype, cval);
}

function zoomImpl(input: NDArray, options: ZoomOptions): NDArray {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`zoom needs an options object with zoom, got ${JSON.stringify(options)}`);
  const settings = resolveInterpolation(input, options, "zoom", ["zoom", "gridMode"]);
  const factors = checkZoomFactors(options.zoom, input.ndim);
  const gridMode = checkBoolean(options.gridMode ?? false, "gridMode");
  const arrayShape = settings.window.arrayShape;
  const outputShape = zoomOutputShape(arrayShape, factors);
  const zooms = zoomCoordinateFactors(arrayShape, outputShape, gridMode);
  return runZoomShift(input, zooms.map((zoom) => ({ zoom, gridMode })), outputShape, settings, options.outputRegion);
}

function shiftImpl(input: NDArray, options: ShiftOptions): NDArray {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`shift needs an options object with shift, got ${JSON.stringify(options)}`);
  const settings = resolveInterpolation(input, options, "shift", ["shift"]);
  const shifts = finitePerAxis(options.shift, input.ndim, "shift");
  return runZoomShift(input, shifts.map((s) => ({ shift: -s, gridMode: false })), settings.window.arrayShape, settings, options.outputRegion);
}

/** Zooms an array by spline interpolation (scipy.ndimage.zoom). */
export const zoom = definePublicBuiltin("zoom", zoomImpl);

/** Shifts an array by spline interpolation (scipy.ndimage.shift). */
export const shift = definePublicBuiltin("shift", shiftImpl);
