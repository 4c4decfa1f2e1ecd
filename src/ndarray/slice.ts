/**
 * Basic indexing as a view (no copy): NumPy's `a[i, start:stop:step, :]`.
 *
 * Per axis an index is an integer (the axis is dropped; negative counts from the end; out of
 * range is an error), `null` or `":"` (the whole axis), or `{ start, stop, step }` clamped as
 * Python clamps slices (`PySlice_AdjustIndices`): out-of-range bounds are cut to the axis,
 * negative steps walk backwards, step 0 is an error. Axes not indexed are kept whole.
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

export type IndexItem = number | null | ":" | SliceSpec;

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

export const slice = defineBuiltin("ndarray.slice", function slice(a: NDArray, ...index: IndexItem[]): NDArray {
  requireArray(a, "slice");
  if (index.length > a.ndim) {
    throw new InvalidOptionError(`slice: too many indices: ${index.length} given for an array of ${a.ndim} axes`);
  }
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = a.offset;
  for (let axis = 0; axis < a.ndim; axis++) {
    const item = axis < index.length ? index[axis] : null;
    const length = a.shape[axis];
    const stride = a.strides[axis];
    if (typeof item === "number") {
      if (!Number.isInteger(item)) throw new InvalidOptionError(`slice: index ${item} for axis ${axis} must be an integer`);
      const position = item < 0 ? item + length : item;
      if (position < 0 || position >= length) {
        throw new InvalidOptionError(`slice: index ${item} is out of bounds for axis ${axis} with size ${length}`);
      }
      offset += position * stride;
    } else if (item === null || item === ":") {
      shape.push(length);
      strides.push(stride);
    } else if (typeof item === "object") {
      const { start, step, count } = resolveSlice(item, length, axis);
      // An empty result never reads its offset; keep it inside the data anyway.
      if (count > 0) offset += start * stride;
      shape.push(count);
      strides.push(stride * step);
    } else {
      throw new InvalidOptionError(`slice: index ${JSON.stringify(item)} for axis ${axis} is not an integer, null, ":" or {start, stop, step}`);
    }
  }
  return new NDArray(a.data, shape, { strides, offset, dtype: a.dtype });
});
