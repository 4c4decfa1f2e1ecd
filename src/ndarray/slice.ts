/**
 * Basic indexing as a view (no copy): NumPy's `a[i, start:stop:step, :]`.
 *
 * Per axis an index is an integer (the axis is dropped; negative counts from the end; out of
 * range is an error), `":"` (the whole axis), or `{ start, stop, step }` clamped as Python
 * clamps slices (`PySlice_AdjustIndices`): out-of-range bounds are cut to the axis, negative
 * steps walk backwards, step 0 is an error. As in NumPy, `null` (np.newaxis) inserts a new
 * axis of length 1 and consumes no axis, and one `"..."` (Ellipsis) stands for as many `":"`
 * as the axes not otherwise indexed. Axes not indexed are kept whole.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { NDArray } from "./ndarray.js";
import { requireArray } from "./copy.js";

export interface SliceSpec {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/** An integer, `":"`, a slice, `null` (a new axis of length 1, np.newaxis) or `"..."` (Ellipsis). */
export type IndexItem = number | null | ":" | "..." | SliceSpec;

function optionalInteger(value: number | null | undefined, name: string, axis: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value)) throw new InvalidOptionError(`slice: ${name} ${value} for axis ${axis} must be an integer or null`);
  return value;
}

/** Python's slice.indices(length): the first index, the step and how many elements. */
export function resolveSlice(spec: SliceSpec, length: number, axis = 0): { start: number; step: number; count: number } {
  const step = optionalInteger(spec.step, "step", axis) ?? 1;
  if (step === 0) throw new InvalidOptionError(`slice: step for axis ${axis} must not be 0`);
  const clamp = (value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (value < 0) {
      value += length;
      if (value < 0) return step < 0 ? -1 : 0;
      return value;
    }
    if (value >= length) return step < 0 ? length - 1 : length;
    return value;
  };
  const start = clamp(optionalInteger(spec.start, "start", axis), step < 0 ? length - 1 : 0);
  const stop = clamp(optionalInteger(spec.stop, "stop", axis), step < 0 ? -1 : length);
  let count = 0;
  if (step < 0 && stop < start) count = Math.floor((start - stop - 1) / -step) + 1;
  if (step > 0 && start < stop) count = Math.floor((stop - start - 1) / step) + 1;
  return { start, step, count };
}

function describeItem(item: unknown): string {
  if (item instanceof NDArray) return `an NDArray of shape [${item.shape.join(", ")}]`;
  return JSON.stringify(item) ?? String(item);
}

const sliceKeys = new Set(["start", "stop", "step"]);

/** A plain `{ start, stop, step }` (lists and arrays are advanced indices, which a view cannot take). */
function isSliceSpec(item: unknown): item is SliceSpec {
  return typeof item === "object" && item !== null && Object.getPrototypeOf(item) === Object.prototype && Object.keys(item).every((key) => sliceKeys.has(key));
}

/** The index with its Ellipsis replaced by the ":" it stands for (NumPy's rules: at most one). */
function expandEllipsis(index: readonly IndexItem[], ndim: number): IndexItem[] {
  const ellipses = index.filter((item) => item === "...").length;
  const consumed = index.filter((item) => item !== null && item !== "...").length;
  if (ellipses > 1) throw new InvalidOptionError(`slice: an index can only have a single ellipsis ("..."), got ${ellipses}`);
  if (consumed > ndim) {
    throw new InvalidOptionError(`slice: too many indices: ${consumed} given for an array of ${ndim} axes (null, a new axis, and "..." do not count)`);
  }
  if (ellipses === 0) return [...index];
  const at = index.indexOf("...");
  return [...index.slice(0, at), ...new Array<IndexItem>(ndim - consumed).fill(":"), ...index.slice(at + 1)];
}

export const slice = defineBuiltin("ndarray.slice", function slice(a: NDArray, ...index: IndexItem[]): NDArray {
  requireArray(a, "slice");
  const items = expandEllipsis(index, a.ndim);
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = a.offset;
  let axis = 0;
  for (const item of items) {
    if (item === null) {
      // np.newaxis: a length-1 axis, which consumes no axis of the input.
      shape.push(1);
      strides.push(0);
      continue;
    }
    const length = a.shape[axis];
    const stride = a.strides[axis];
    if (typeof item === "number") {
      if (!Number.isInteger(item)) throw new InvalidOptionError(`slice: index ${item} for axis ${axis} must be an integer`);
      const position = item < 0 ? item + length : item;
      if (position < 0 || position >= length) {
        throw new InvalidOptionError(`slice: index ${item} is out of bounds for axis ${axis} with size ${length}`);
      }
      offset += position * stride;
    } else if (item === ":") {
      shape.push(length);
      strides.push(stride);
    } else if (isSliceSpec(item)) {
      const { start, step, count } = resolveSlice(item, length, axis);
      // An empty result never reads its offset; keep it inside the data anyway.
      if (count > 0) offset += start * stride;
      shape.push(count);
      strides.push(stride * step);
    } else {
      throw new InvalidOptionError(
        `slice: index ${describeItem(item)} for axis ${axis} is not an integer, ":", {start, stop, step}, null (a new axis) or "..."` +
          (Array.isArray(item) || (item as unknown) instanceof NDArray ? "; a list or array index copies: use nd.take or the lazy Array.get" : ""),
      );
    }
    axis++;
  }
  for (; axis < a.ndim; axis++) {
    shape.push(a.shape[axis]);
    strides.push(a.strides[axis]);
  }
  return new NDArray(a.storage, shape, { strides, offset, dtype: a.dtype });
});
