/**
 * Chunked argmin / argmax (and their NaN-ignoring forms), as Dask's arg reductions: each block
 * gives, per output element, its winning value and that value's index in the whole array
 * (the block's offset added; with every axis reduced, the flat C-order index into the whole
 * array's shape), and partials combine by keeping the better value.
 *
 * Ties go to the smaller index, which is NumPy's "first occurrence" whatever order the blocks
 * are combined in (Dask keeps the partial that comes first in block order, which for a
 * flattened index over several axes is not always the smaller index). NaN wins for argmin and
 * argmax, the first NaN staying, as in NumPy. The NaN-ignoring forms read NaN as +inf
 * (nanargmin) or -inf (nanargmax), as NumPy's replacement does, and carry whether a slice held
 * anything else: a slice of only NaN is NumPy's ValueError when the reduction finishes.
 */
import { InvalidOptionError } from "../core/errors.js";
import { dtypeInfo } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";
import { reducedLayout } from "./reduced-layout.js";

export type ArgOp = "argmin" | "argmax" | "nanargmin" | "nanargmax";

/** Where a block lies: its first element in the whole array, and the whole array's shape. */
export interface BlockOrigin {
  start: readonly number[];
  shape: readonly number[];
}

export interface ArgPartial {
  /** The winning values (the block's dtype; NaN replaced by ±inf for the NaN-ignoring forms). */
  value: NDArray;
  /** Their indices in the whole array, float64 (exact below 2^53). */
  index: NDArray;
  /** NaN-ignoring forms: 1 where the slice held something other than NaN. */
  valid: NDArray | null;
}

export function isArgPartial(value: unknown): value is ArgPartial {
  return typeof value === "object" && value !== null && "index" in value && "value" in value;
}

export function argPartial(block: NDArray, op: ArgOp, axes: readonly number[], origin: BlockOrigin): ArgPartial {
  const lower = op.endsWith("min");
  const skipNaN = op.startsWith("nan") && dtypeInfo(block.dtype).kind === "f";
  const { keptShape, bases, count, offsets, stride } = reducedLayout(block, axes);
  if (count === 0) throw new InvalidOptionError(`${op}: attempt to get ${op.replace("nanarg", "arg")} of an empty sequence`);
  const value = empty(keptShape, block.dtype);
  const values = value.data as Float64Array;
  const index = new Float64Array(bases.length);
  const valid = skipNaN ? new Uint8Array(bases.length) : null;
  const data = block.data as Float64Array;
  const nanAs = lower ? Infinity : -Infinity;
  for (let j = 0; j < bases.length; j++) {
    const base = bases[j];
    let best = data[base];
    let position = 0;
    let anyValid = false;
    if (skipNaN) {
      if (best !== best) best = nanAs;
      else anyValid = true;
    }
    for (let k = 1; k < count; k++) {
      let x = data[offsets === null ? base + k * stride : base + offsets[k]];
      if (skipNaN) {
        if (x !== x) x = nanAs;
        else anyValid = true;
        if (lower ? x < best : x > best) {
          best = x;
          position = k;
        }
      } else if ((lower ? x < best : x > best) || (x !== x && best === best)) {
        best = x;
        position = k;
      }
    }
    values[j] = best;
    index[j] = position;
    if (valid) valid[j] = anyValid ? 1 : 0;
  }
  globalIndices(index, block.shape, axes, origin);
  const shape = keptShape;
  return {
    value,
    index: new NDArray(index, shape, { dtype: "float64" }),
    valid: valid ? new NDArray(valid, shape, { dtype: "bool" }) : null,
  };
}

/** Turns positions within the block's reduced elements into indices in the whole array, in place. */
function globalIndices(index: Float64Array, blockShape: readonly number[], axes: readonly number[], origin: BlockOrigin): void {
  if (axes.length === 1 && blockShape.length > 1) {
    const offset = origin.start[axes[0]];
    for (let j = 0; j < index.length; j++) index[j] += offset;
    return;
  }
  // Every axis reduced: unravel in the block, shift by its start, ravel in the whole array.
  const ndim = blockShape.length;
  for (let j = 0; j < index.length; j++) {
    let rest = index[j];
    let flat = 0;
    let scale = 1;
    for (let axis = ndim - 1; axis >= 0; axis--) {
      const i = rest % blockShape[axis];
      rest = (rest - i) / blockShape[axis];
      flat += (i + origin.start[axis]) * scale;
      scale *= origin.shape[axis];
    }
    index[j] = flat;
  }
}

export function combineArgPartials(partials: readonly ArgPartial[], op: ArgOp): ArgPartial {
  const lower = op.endsWith("min");
  const first = partials[0];
  const size = first.index.data.length;
  const value = empty(first.value.shape, first.value.dtype);
  const values = value.data as Float64Array;
  values.set(first.value.data as Float64Array);
  const index = Float64Array.from(first.index.data as Float64Array);
  const valid = first.valid ? Uint8Array.from(first.valid.data as Uint8Array) : null;
  for (let p = 1; p < partials.length; p++) {
    const other = partials[p];
    const otherValues = other.value.data as Float64Array;
    const otherIndex = other.index.data as Float64Array;
    for (let i = 0; i < size; i++) {
      const a = values[i];
      const b = otherValues[i];
      const aNaN = a !== a;
      const bNaN = b !== b;
      const beats = bNaN ? !aNaN : !aNaN && (lower ? b < a : b > a);
      const ties = aNaN ? bNaN : a === b;
      if (beats || (ties && otherIndex[i] < index[i])) {
        values[i] = b;
        index[i] = otherIndex[i];
      }
    }
    if (valid && other.valid) {
      const otherValid = other.valid.data as Uint8Array;
      for (let i = 0; i < size; i++) valid[i] |= otherValid[i];
    }
  }
  const shape = first.index.shape;
  return { value, index: new NDArray(index, shape, { dtype: "float64" }), valid: valid ? new NDArray(valid, shape, { dtype: "bool" }) : null };
}

/** The int64 indices; NumPy's ValueError for a slice of only NaN. */
export function finishArgPartial(partial: ArgPartial, op: ArgOp, axes: readonly number[], keepdims: boolean): NDArray {
  if (partial.valid && (partial.valid.data as Uint8Array).includes(0)) {
    throw new InvalidOptionError(`${op}: All-NaN slice encountered (NumPy raises ValueError)`);
  }
  const index = partial.index.data as Float64Array;
  const result = new BigInt64Array(index.length);
  for (let i = 0; i < index.length; i++) result[i] = BigInt(index[i]);
  const shape = keepdims ? partial.index.shape : partial.index.shape.filter((_, axis) => !axes.includes(axis));
  return new NDArray(result, shape, { dtype: "int64" });
}
