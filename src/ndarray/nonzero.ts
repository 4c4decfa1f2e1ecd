/**
 * np.nonzero, np.argwhere, np.flatnonzero and np.extract (NumPy 1.24): the positions of the
 * non-zero elements in C order (NaN counts as non-zero), as int64. nonzeroCoordinates is the
 * per-block task of the lazy twins: the coordinates, along one axis of a whole array of shape
 * `shape`, of the non-zero elements of a block of its flattening that starts at flat `offset`.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { requireArray } from "./copy.js";
import { NDArray, empty } from "./ndarray.js";

function flatPositions(a: NDArray): number[] {
  const values = a.toTypedArray();
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // NaN is non-zero, -0 is zero.
    if (typeof v === "bigint" ? v !== 0n : v !== 0) out.push(i);
  }
  return out;
}

function int64(values: readonly number[], shape: number[]): NDArray {
  const out = empty(shape, "int64");
  const data = out.data as BigInt64Array;
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
  return out;
}

/** Coordinate along `axis` of flat position `p` in an array of `shape` (C order). */
function coordinate(p: number, shape: readonly number[], axis: number): number {
  let inner = 1;
  for (let a = shape.length - 1; a > axis; a--) inner *= shape[a];
  return Math.floor(p / inner) % shape[axis];
}

/** np.nonzero: one int64 array of coordinates per axis. */
export const nonzero = definePublicBuiltin("nonzero", function nonzero(a: NDArray): NDArray[] {
  requireArray(a, "nonzero");
  if (a.ndim === 0) throw new InvalidOptionError("nonzero: a 0-d array has no axes to give coordinates along (NumPy deprecates it); use atleast1d first");
  const positions = flatPositions(a);
  return a.shape.map((_, axis) => int64(positions.map((p) => coordinate(p, a.shape, axis)), [positions.length]));
});

/** np.argwhere: the coordinates of the non-zero elements, one row each (shape [k, ndim]). */
export const argwhere = definePublicBuiltin("argwhere", function argwhere(a: NDArray): NDArray {
  requireArray(a, "argwhere");
  const positions = flatPositions(a);
  const coords: number[] = [];
  for (const p of positions) for (let axis = 0; axis < a.ndim; axis++) coords.push(coordinate(p, a.shape, axis));
  return int64(coords, [positions.length, a.ndim]);
});

/** np.flatnonzero: the flat (C-order) indices of the non-zero elements. */
export const flatnonzero = definePublicBuiltin("flatnonzero", function flatnonzero(a: NDArray): NDArray {
  requireArray(a, "flatnonzero");
  const positions = flatPositions(a);
  return int64(positions, [positions.length]);
});

/** np.extract: the elements of `arr` (flattened) where `condition` (flattened) is non-zero. */
export const extract = definePublicBuiltin("extract", function extract(condition: NDArray, arr: NDArray): NDArray {
  requireArray(condition, "extract: condition");
  requireArray(arr, "extract");
  const positions = flatPositions(condition);
  const values = arr.toTypedArray();
  const out = empty([positions.length], arr.dtype);
  positions.forEach((p, k) => {
    if (p >= values.length) throw new InvalidOptionError(`extract: index ${p} is out of bounds for axis 0 with size ${values.length}`);
    (out.data as unknown as unknown[])[k] = values[p];
  });
  return out;
});

export interface CoordinatesOptions {
  /** Flat (C-order) position of the block's first element in the whole array. */
  offset: number;
  /** The whole array's shape. */
  shape: number[];
  /** The axis whose coordinates to give. */
  axis: number;
  /** Give a column (shape [k, 1], argwhere's block) instead of a vector (shape [k]). */
  column: boolean;
}

export const nonzeroCoordinates = defineBuiltin("ndarray.nonzeroCoordinates", function nonzeroCoordinates(block: NDArray, options: CoordinatesOptions): NDArray {
  const positions = flatPositions(block);
  const coords = positions.map((p) => coordinate(p + options.offset, options.shape, options.axis));
  return int64(coords, options.column ? [coords.length, 1] : [coords.length]);
});
