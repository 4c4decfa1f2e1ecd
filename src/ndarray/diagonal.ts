/**
 * np.diagonal, np.diag and np.trace on in-memory arrays. diagonal removes axis1 and axis2 and
 * appends the diagonal as the last axis, as NumPy does; it is read as a strided view (the
 * diagonal's stride is the sum of the two axes' strides) and copied, so the result owns its
 * memory (NumPy hands out a read-only view instead). The lazy layer calls it per block.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxis } from "./axes.js";
import { copy, requireArray } from "./copy.js";
import { zeros } from "./creation.js";
import type { DType } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { integerOption, readOptions } from "./matrix-options.js";
import { sum } from "./reductions.js";

export interface DiagonalOptions {
  /** Which diagonal: element [i, i + offset] of (axis1, axis2). Default 0. */
  offset?: number;
  /** Default 0. */
  axis1?: number;
  /** Default 1. */
  axis2?: number;
}

export interface TraceOptions extends DiagonalOptions {
  /** Accumulator and result dtype (NumPy's sum rules by default: integers sum to int64/uint64). */
  dtype?: DType | string;
}

export interface DiagOptions {
  /** The diagonal (default 0). */
  k?: number;
}

/** The diagonal's axes, both counted from 0, refused as NumPy refuses them. */
export function diagonalAxes(what: string, ndim: number, options: DiagonalOptions): { offset: number; axis1: number; axis2: number } {
  if (ndim < 2) throw new InvalidOptionError(`${what}: diag requires an array of at least two dimensions, got ${ndim}`);
  const offset = integerOption(what, "offset", options.offset, 0);
  const axis1 = normalizeAxis(integerOption(what, "axis1", options.axis1, 0), ndim, `${what} axis1`);
  const axis2 = normalizeAxis(integerOption(what, "axis2", options.axis2, 1), ndim, `${what} axis2`);
  if (axis1 === axis2) throw new InvalidOptionError(`${what}: axis1 and axis2 cannot be the same (both are axis ${axis1})`);
  return { offset, axis1, axis2 };
}

/** How many elements diagonal `offset` of an n1 × n2 matrix has. */
export function diagonalLength(n1: number, n2: number, offset: number): number {
  return Math.max(0, Math.min(n1, n2 - offset) - Math.max(0, -offset));
}

/** The diagonal of axes (axis1, axis2), appended as the last axis (np.diagonal). */
export const diagonal = definePublicBuiltin("diagonal", function diagonal(a: NDArray, options?: DiagonalOptions): NDArray {
  requireArray(a, "diagonal");
  const { offset, axis1, axis2 } = diagonalAxes("diagonal", a.ndim, readOptions("diagonal", options, ["offset", "axis1", "axis2"]));
  const free = a.shape.map((_, axis) => axis).filter((axis) => axis !== axis1 && axis !== axis2);
  const length = diagonalLength(a.shape[axis1], a.shape[axis2], offset);
  const start = length === 0 ? a.offset : a.offset + (offset >= 0 ? offset * a.strides[axis2] : -offset * a.strides[axis1]);
  const view = new NDArray(a.data, [...free.map((axis) => a.shape[axis]), length], {
    strides: [...free.map((axis) => a.strides[axis]), a.strides[axis1] + a.strides[axis2]], offset: start, dtype: a.dtype,
  });
  return copy(view);
});

/** A 1-d array's square matrix with it on diagonal k, or a 2-d array's diagonal k (np.diag). */
export const diag = definePublicBuiltin("diag", function diag(v: NDArray, options?: DiagOptions | number): NDArray {
  requireArray(v, "diag");
  const k = integerOption("diag", "k", typeof options === "number" ? options : readOptions("diag", options, ["k"]).k, 0);
  if (v.ndim === 2) return diagonal(v, { offset: k });
  if (v.ndim !== 1) throw new InvalidOptionError(`diag: input must be 1- or 2-d, got ${v.ndim} axes`);
  const n = v.shape[0] + Math.abs(k);
  const out = zeros([n, n], v.dtype);
  const target = out.data as unknown as { [i: number]: unknown };
  const values = copy(v).data as unknown as { [i: number]: unknown };
  const first = k >= 0 ? k : -k * n;
  for (let i = 0; i < v.shape[0]; i++) target[first + i * (n + 1)] = values[i];
  return out;
});

/** The sum of diagonal `offset` of (axis1, axis2), over the other axes (np.trace). */
export const trace = definePublicBuiltin("trace", function trace(a: NDArray, options?: TraceOptions): NDArray {
  const given = readOptions("trace", options, ["offset", "axis1", "axis2", "dtype"]);
  const { dtype, ...placement } = given;
  return sum(diagonal(a, placement), dtype === undefined ? { axis: -1 } : { axis: -1, dtype });
});
