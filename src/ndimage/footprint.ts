/**
 * The neighbourhood options shared by the rank filters and morphology, read as scipy reads them:
 * `size` (a box, one length for all axes or one per axis), `footprint` (a boolean grid: which
 * cells of the box take part), `structure` (grey morphology: a float grid added to the values)
 * and `origin` (shift of the centre, per axis; scipy's rule −⌊n/2⌋ ≤ origin ≤ ⌊(n−1)/2⌋).
 * Grids are NDArrays or nested lists of numbers/booleans; a nonzero entry is true.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type NDArray, cStrides, isNDArray, shapeSize } from "../ndarray/ndarray.js";

/** A footprint, structure or label structure: an NDArray or nested lists. */
export type Grid = NDArray | NestedNumbers;
export type NestedNumbers = ReadonlyArray<number | boolean | NestedNumbers>;

/** A grid read into C order as float64 values. */
export interface GridValues {
  readonly shape: number[];
  readonly values: Float64Array;
}

/** Reads an NDArray or nested lists into C-ordered float64 values; `what` names the option. */
export function readGrid(grid: unknown, what: string): GridValues {
  if (isNDArray(grid)) {
    if (typeof grid.data[0] === "bigint") {
      return readNested(grid.toArray() as unknown as NestedNumbers, what);
    }
    const values = new Float64Array(grid.size);
    const flat = grid.toTypedArray() as Float64Array;
    for (let i = 0; i < values.length; i++) values[i] = Number(flat[i]);
    return { shape: [...grid.shape], values };
  }
  if (!Array.isArray(grid)) {
    throw new InvalidOptionError(`${what} must be an NDArray or nested lists of numbers, got ${describe(grid)}`);
  }
  return readNested(grid as NestedNumbers, what);
}

function readNested(grid: NestedNumbers, what: string): GridValues {
  const shape: number[] = [];
  let level: unknown = grid;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const values = new Float64Array(shapeSize(shape));
  let position = 0;
  const visit = (item: unknown, axis: number): void => {
    if (axis === shape.length) {
      if (typeof item === "boolean") values[position++] = item ? 1 : 0;
      else if (typeof item === "number") values[position++] = item;
      else throw new InvalidOptionError(`${what} holds ${describe(item)}: use numbers or booleans`);
      return;
    }
    if (!Array.isArray(item) || item.length !== shape[axis]) {
      throw new InvalidOptionError(`${what} is ragged: every list at depth ${axis} must have ${shape[axis]} entries`);
    }
    for (const entry of item) visit(entry, axis + 1);
  };
  visit(grid, 0);
  return { shape, values };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return Array.isArray(value) ? "a list" : "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** A footprint: the box shape, which cells are on (C order) and how many. */
export interface Footprint {
  readonly shape: number[];
  readonly mask: Uint8Array;
  readonly count: number;
  /** Every cell is on: scipy then filters axis by axis (min/max) or as a box (rank). */
  readonly full: boolean;
}

export function checkSize(value: unknown, what = "size"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(`${what} ${JSON.stringify(value)} must be a positive integer`);
  }
  return value;
}

/** `size` as one positive length per axis. */
export function readSizes(size: unknown, ndim: number): number[] {
  if (Array.isArray(size)) {
    if (size.length !== ndim) {
      throw new InvalidOptionError(`size ${JSON.stringify(size)} has ${size.length} entries, expected ${ndim} (one per axis)`);
    }
    return size.map((s) => checkSize(s, "size"));
  }
  return new Array<number>(ndim).fill(checkSize(size));
}

/** A boolean footprint from a grid, checked against the input's rank (scipy ignores zero-length axes of it). */
export function footprintOf(grid: unknown, ndim: number, what = "footprint"): Footprint {
  const { shape, values } = readGrid(grid, what);
  const kept = shape.filter((n) => n > 0);
  if (kept.length !== ndim || shapeSize(shape) === 0) {
    throw new InvalidOptionError(
      `${what} has shape [${shape.join(", ")}] but the input has ${ndim} dimension${ndim === 1 ? "" : "s"}: give one axis per input axis, each of length ≥ 1`,
    );
  }
  const mask = new Uint8Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 0) {
      mask[i] = 1;
      count++;
    }
  }
  return { shape: kept, mask, count, full: count === mask.length };
}

export function boxFootprint(sizes: readonly number[]): Footprint {
  const mask = new Uint8Array(shapeSize(sizes)).fill(1);
  return { shape: [...sizes], mask, count: mask.length, full: true };
}

/** scipy's `_normalize_sequence` for origins, checked with scipy's rule against each length. */
export function readOrigins(origin: unknown, shape: readonly number[]): number[] {
  const ndim = shape.length;
  let origins: unknown[];
  if (Array.isArray(origin)) {
    if (origin.length !== ndim) {
      throw new InvalidOptionError(`origin ${JSON.stringify(origin)} has ${origin.length} entries, expected ${ndim} (one per axis)`);
    }
    origins = origin;
  } else {
    origins = new Array<unknown>(ndim).fill(origin ?? 0);
  }
  return origins.map((o, axis) => checkOrigin(o, shape[axis]));
}

export function checkOrigin(origin: unknown, length: number): number {
  const low = -Math.floor(length / 2);
  const high = length - 1 - Math.floor(length / 2);
  if (typeof origin !== "number" || !Number.isInteger(origin) || origin < low || origin > high) {
    throw new InvalidOptionError(
      `origin ${JSON.stringify(origin)} is invalid for a footprint of length ${length}: use an integer from ${low} to ${high}`,
    );
  }
  return origin;
}

/** The grid reversed along every axis (scipy's `x[::-1, ::-1, …]`). */
export function reversedGrid<T extends Float64Array | Uint8Array>(values: T, shape: readonly number[]): T {
  const out = values.slice() as T;
  const strides = cStrides(shape);
  for (let i = 0; i < values.length; i++) {
    let j = 0;
    let rest = i;
    for (let axis = 0; axis < shape.length; axis++) {
      const k = Math.floor(rest / strides[axis]);
      rest -= k * strides[axis];
      j += (shape[axis] - 1 - k) * strides[axis];
    }
    out[j] = values[i];
  }
  return out;
}

/** The origins grey_dilation and binary_dilation use with a reversed footprint: −o, one less on even axes. */
export function reflectedOrigins(origins: readonly number[], shape: readonly number[]): number[] {
  return origins.map((o, axis) => -o - (shape[axis] % 2 === 0 ? 1 : 0));
}
