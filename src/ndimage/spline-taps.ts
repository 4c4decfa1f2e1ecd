/**
 * Locating the spline taps of one coordinate along one axis, as NI_ZoomShift and
 * NI_GeometricTransform do per axis: shift by scipy's padding, map the coordinate into the
 * array (except for nearest and grid-constant, whose taps handle the edge), find the first of
 * the order + 1 taps, map taps past the edges with the tap mode (or flag them as cval for
 * grid-constant), and compute the weights. The result is expressed as element offsets into the
 * source's data, so the summation loops need no boundary logic.
 */
import { InvalidOptionError } from "../core/errors.js";
import { firstTap, mapCoordinate, mapTap } from "./coordinate-mapping.js";
import { type ExtendMode, tapMode } from "./interpolation-options.js";
import type { SplineSource } from "./spline-source.js";
import { splineWeights } from "./spline-weights.js";

/** The point reads cval (constant mode, coordinate outside). */
export const TapsOutside = 0;
/** Every tap reads data. */
export const TapsInside = 1;
/** Some taps read cval (grid-constant): see the flags. */
export const TapsWithCval = 2;
/** The coordinate is NaN in nearest or grid-constant mode with order > 0: scipy's weights become NaN. */
export const TapsNaN = 3;
export type TapsStatus = typeof TapsOutside | typeof TapsInside | typeof TapsWithCval | typeof TapsNaN;

/** One axis of a source, as the tap locator needs it. */
export interface TapAxis {
  readonly length: number;
  readonly origin: number;
  readonly size: number;
  readonly stride: number;
  readonly shift: number;
  readonly mode: ExtendMode;
  readonly tapMode: ExtendMode;
  readonly order: number;
  /** The data is a stretch of the periodic extension: a cell is found at any position ≡ it mod `length`. */
  readonly periodic: boolean;
}

export function tapAxes(source: SplineSource, mode: ExtendMode, order: number): TapAxis[] {
  return source.arrayShape.map((length, axis) => ({
    length, origin: source.origin[axis], size: source.shape[axis], stride: source.strides[axis], shift: source.shift,
    mode, tapMode: tapMode(mode), order, periodic: source.periodic,
  }));
}

/**
 * Fills offsets[at … at + order], weights[…] (and cvalFlags[…] for grid-constant) for a
 * coordinate, and says what the point reads.
 */
export function locateTaps(
  coordinate: number, axis: TapAxis, offsets: Int32Array, weights: Float64Array, cvalFlags: Uint8Array | null, at: number,
): TapsStatus {
  const { length, mode, order } = axis;
  let cc = coordinate + axis.shift;
  // On a periodic window, each tap is read at the copy of its cell nearest the unwrapped tap.
  const rawStart = axis.periodic ? firstTap(cc, order) : 0;
  const edgeHandled = mode === "grid-constant" || mode === "nearest";
  if (!edgeHandled) {
    cc = mapCoordinate(cc, length, mode);
    if (!(cc > -1.0)) return TapsOutside;
  } else if (Number.isNaN(cc)) {
    if (order > 0) return TapsNaN;
    // Order 0 has no weights: scipy's cast of floor(NaN) gives the most negative integer, so
    // the one tap clamps to cell 0 (nearest) or reads cval (grid-constant).
    cc = -Infinity;
  }
  const start = firstTap(cc, order);
  let status: TapsStatus = TapsInside;
  if (start < 0 || start + order >= length) {
    for (let j = 0; j <= order; j++) {
      let index = start + j;
      if (mode === "grid-constant") {
        const outside = index < 0 || index >= length;
        (cvalFlags as Uint8Array)[at + j] = outside ? 1 : 0;
        if (outside) {
          status = TapsWithCval;
          offsets[at + j] = 0;
          continue;
        }
      } else {
        index = mapTap(index, length, axis.tapMode);
      }
      offsets[at + j] = offsetOf(index, axis, rawStart + j);
    }
  } else {
    if (cvalFlags) cvalFlags.fill(0, at, at + order + 1);
    for (let j = 0; j <= order; j++) offsets[at + j] = offsetOf(start + j, axis, rawStart + j);
  }
  if (order > 0) splineWeights(cc, order, weights, at);
  else weights[at] = 1;
  return status;
}

function offsetOf(cell: number, axis: TapAxis, rawTap: number): number {
  const index = axis.periodic ? cell + axis.length * Math.round((rawTap - cell) / axis.length) : cell;
  const local = index - axis.origin;
  if (!(local >= 0 && local < axis.size)) {
    throw new InvalidOptionError(
      `inputWindow does not hold cell ${index - axis.shift} of the input (it holds ${axis.origin - axis.shift} to ` +
        `${axis.origin + axis.size - 1 - axis.shift}): give a window covering every cell the output region reads`,
    );
  }
  return local * axis.stride;
}
