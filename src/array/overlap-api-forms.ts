/**
 * Reading ta.overlap's `depth` and `boundary` arguments as Dask's coerce_depth /
 * coerce_boundary read them, and Dask's ensure_minimum_chunksize.
 *
 * depth: a number (every axis), a list (one entry per axis) or `{ axis: entry }` (missing axes
 * 0); an entry is a number or a `[before, after]` pair (asymmetric, boundary "none" only).
 * boundary: "none", "reflect", "periodic", "nearest" or a number (constant), for every axis,
 * per axis (list) or `{ axis: kind }` (missing axes "none").
 *
 * Unlike Dask, a list of the wrong length is refused instead of zipped short (a missing axis
 * silently took depth 0 / boundary "none"), and a negative or fractional depth is refused
 * instead of producing negative chunks or being truncated.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { AxisBoundary } from "../ndarray/region-assembly.js";
import type { BoundarySpec } from "./map-overlap.js";

export type AxisDepth = number | readonly [number, number];
export type DepthSpec = number | readonly AxisDepth[] | Readonly<Record<number, AxisDepth>>;
export type BoundariesSpec = BoundarySpec | readonly BoundarySpec[] | Readonly<Record<number, BoundarySpec>>;

/** One axis's depth: cells taken before (towards index 0) and after each block. */
export interface SideDepth {
  before: number;
  after: number;
  /** Given as a [before, after] pair (Dask refuses pairs with a padding boundary). */
  pair: boolean;
}

function perAxis<T>(label: string, what: string, value: T | readonly T[] | Readonly<Record<number, T>>, ndim: number, fallback: T): T[] {
  if (Array.isArray(value)) {
    if (value.length !== ndim) {
      throw new InvalidOptionError(
        `${label}: ${what} ${JSON.stringify(value)} has ${value.length} entries; the array has ${ndim} axes ` +
          `(one entry per axis; a [before, after] pair for one axis is written inside the list, e.g. [[1, 2]] for a 1-d array)`,
      );
    }
    return [...(value as readonly T[])];
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const out = new Array<T>(ndim).fill(fallback);
    for (const [key, item] of Object.entries(value as Record<string, T>)) {
      const axis = Number(key);
      if (!Number.isInteger(axis) || axis < 0 || axis >= ndim) throw new InvalidOptionError(`${label}: ${what} names axis ${key}, which the array (${ndim} axes) does not have`);
      out[axis] = item;
    }
    return out;
  }
  return new Array<T>(ndim).fill(value as T);
}

function checkDepth(label: string, d: unknown, axis: number): number {
  if (typeof d !== "number" || !Number.isInteger(d) || d < 0) throw new InvalidOptionError(`${label}: depth ${JSON.stringify(d)} for axis ${axis} must be a non-negative integer`);
  return d;
}

/** Dask's coerce_depth: the depth of every axis, as (before, after). */
export function depthPerAxis(label: string, depth: DepthSpec, ndim: number): SideDepth[] {
  if (depth === undefined || depth === null) throw new InvalidOptionError(`${label} needs a depth: a number, one per axis, or { axis: depth }`);
  // A list is always one entry per axis (Dask's tuple): [1, 2] on a 2-d array is depth 1 on
  // axis 0 and 2 on axis 1, never a pair for every axis.
  const entries = perAxis<AxisDepth>(label, "depth", depth, ndim, 0);
  return entries.map((entry, axis) => {
    if (Array.isArray(entry)) {
      if (entry.length !== 2) throw new InvalidOptionError(`${label}: depth ${JSON.stringify(entry)} for axis ${axis} must be a number or a [before, after] pair`);
      return { before: checkDepth(label, entry[0], axis), after: checkDepth(label, entry[1], axis), pair: true };
    }
    const d = checkDepth(label, entry, axis);
    return { before: d, after: d, pair: false };
  });
}

/** One axis's boundary as the region assembly reads it. */
export function axisBoundary(label: string, spec: BoundarySpec, axis: number): AxisBoundary {
  if (typeof spec === "number") return { kind: "constant", value: spec };
  if (spec === "none" || spec === "reflect" || spec === "periodic" || spec === "nearest") return { kind: spec };
  throw new InvalidOptionError(`${label}: boundary ${JSON.stringify(spec)} for axis ${axis} is not one of "none", "reflect", "periodic", "nearest" or a number (a constant)`);
}

/** Dask's coerce_boundary: the boundary of every axis ("none" when not given). */
export function boundaryPerAxis(label: string, boundary: BoundariesSpec | undefined, ndim: number): AxisBoundary[] {
  return perAxis<BoundarySpec>(label, "boundary", boundary ?? "none", ndim, "none").map((spec, axis) => axisBoundary(label, spec, axis));
}

/**
 * Dask's ensure_minimum_chunksize: chunks along one axis, too-small chunks merged into their
 * neighbours until every chunk holds at least `size` (a depth) cells; the same chunks when
 * they already do.
 */
export function ensureMinimumChunksize(size: number, chunks: readonly number[]): number[] {
  if (!Number.isInteger(size) || size < 0) throw new InvalidOptionError(`ensureMinimumChunksize: size ${JSON.stringify(size)} must be a non-negative integer`);
  if (!Array.isArray(chunks) || chunks.length === 0 || chunks.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new InvalidOptionError(`ensureMinimumChunksize: chunks ${JSON.stringify(chunks)} must be a non-empty list of chunk lengths along one axis`);
  }
  if (chunks.every((c) => size <= c)) return [...chunks];
  const output: number[] = [];
  let pending = 0;
  for (const c of chunks) {
    if (c < size) {
      // A run already past the size gives its surplus to this chunk instead of growing further.
      if (pending > size + (size - c)) {
        output.push(pending - (size - c));
        pending = size;
      } else {
        pending += c;
      }
    }
    if (pending >= size) {
      output.push(pending);
      pending = 0;
    }
    if (c >= size) pending += c;
  }
  if (pending >= size) output.push(pending);
  else if (output.length >= 1) output[output.length - 1] += pending;
  else throw new InvalidOptionError(`The overlapping depth ${size} is larger than your array ${chunks.reduce((a, b) => a + b, 0)}.`);
  return output;
}
