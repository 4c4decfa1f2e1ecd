/**
 * `take`: NumPy's integer-array indexing along one axis (`np.take(a, indices, axis)`, which is
 * `a[:, :, indices]` for a 1-D list): the output has the axis replaced by one entry per index,
 * in the order given, repeats allowed; negative indices count from the end, others out of
 * range are refused (NumPy's mode="raise").
 *
 * The copy loop (`gatherRows`) is shared with boolean-mask selection: both pick "rows" of the
 * array, where a row is everything after the selected axes, by their offsets in the data.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxis } from "./axes.js";
import { requireArray } from "./copy.js";
import { refuseUnknownObjectKeys } from "./option-keys.js";
import { isIntegerDType } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";
import { reshape } from "./views.js";

/** Offsets (relative to the first element) of every element of the given axes, in C order. */
function offsetsOf(shape: readonly number[], strides: readonly number[]): Float64Array {
  let count = 1;
  for (const n of shape) count *= n;
  const out = new Float64Array(count);
  const counter = new Array<number>(shape.length).fill(0);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    out[i] = offset;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      offset += strides[axis];
      if (++counter[axis] < shape[axis]) break;
      offset -= strides[axis] * shape[axis];
      counter[axis] = 0;
    }
  }
  return out;
}

/**
 * A new C-ordered array: `a` with axes [axis, axis + consumed) replaced by one axis holding,
 * for each entry of `rowOffsets`, the sub-array starting at that offset (relative to the
 * first element of those axes).
 */
export function gatherRows(a: NDArray, axis: number, consumed: number, rowOffsets: ArrayLike<number>): NDArray {
  const outerShape = a.shape.slice(0, axis);
  const innerShape = a.shape.slice(axis + consumed);
  const out = empty([...outerShape, rowOffsets.length, ...innerShape], a.dtype);
  if (out.size === 0) return out;
  const outer = offsetsOf(outerShape, a.strides.slice(0, axis));
  const inner = offsetsOf(innerShape, a.strides.slice(axis + consumed));
  const source = a.data as Float64Array;
  const target = out.data as Float64Array;
  const rows = rowOffsets.length;
  const width = inner.length;
  // Rows laid out densely are copied as runs.
  let dense = true;
  for (let t = 0; t < width && dense; t++) dense = inner[t] === t;
  let w = 0;
  for (let o = 0; o < outer.length; o++) {
    const base = a.offset + outer[o];
    for (let r = 0; r < rows; r++) {
      const start = base + rowOffsets[r];
      if (dense) {
        target.set(source.subarray(start, start + width), w);
        w += width;
      } else {
        for (let t = 0; t < width; t++) target[w++] = source[start + inner[t]];
      }
    }
  }
  return out;
}

export interface TakeOptions {
  /** The axis to index (negative counts from the end); none (or null): the flattened array, as NumPy's. */
  axis?: number | null;
}

/** The integer positions of an index list (a JS array or an integer NDArray of at most one axis). */
function readIndices(indices: readonly number[] | NDArray): ArrayLike<number | bigint> {
  if (indices instanceof NDArray) {
    if (!isIntegerDType(indices.dtype) || indices.dtype === "bool") {
      throw new InvalidOptionError(`take: indices must be an integer array, got dtype ${indices.dtype}`);
    }
    if (indices.ndim > 1) throw new InvalidOptionError(`take: indices must have at most one axis, got shape [${indices.shape.join(", ")}]`);
    return indices.toTypedArray();
  }
  if (!Array.isArray(indices)) throw new InvalidOptionError(`take: indices must be a list of integers or an integer NDArray, got ${String(indices)}`);
  return indices;
}

/** `np.take(a, indices, axis)` for a 1-D (or 0-d) list of indices. */
const axisKey = ["axis"];

export const take = definePublicBuiltin("take", function take(a: NDArray, indices: readonly number[] | NDArray, options: TakeOptions = {}): NDArray {
  requireArray(a, "take");
  refuseUnknownObjectKeys(options, axisKey, "take");
  // NumPy's np.take(a, indices) counts through the flattened array; this took along axis 0,
  // other values from the same call without a word (ta.take flattens, as NumPy).
  if (options.axis === undefined || options.axis === null) return take(a.ndim === 1 ? a : reshape(a, [-1]), indices, { axis: 0 });
  const axis = normalizeAxis(options.axis, a.ndim, "take");
  const length = a.shape[axis];
  const positions = readIndices(indices);
  const offsets = new Float64Array(positions.length);
  for (let i = 0; i < positions.length; i++) {
    const given = Number(positions[i]);
    const position = given < 0 ? given + length : given;
    if (!Number.isInteger(given) || position < 0 || position >= length) {
      throw new InvalidOptionError(`take: index ${String(positions[i])} is out of bounds for axis ${axis} with size ${length}`);
    }
    offsets[i] = position * a.strides[axis];
  }
  const out = gatherRows(a, axis, 1, offsets);
  // A 0-d index removes the axis, as in NumPy.
  return indices instanceof NDArray && indices.ndim === 0 ? new NDArray(out.data, out.shape.filter((_, i) => i !== axis), { dtype: out.dtype }) : out;
});
