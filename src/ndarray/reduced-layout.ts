/**
 * Where the elements of each output of a reduction lie in a block's storage, for kernels
 * whose result does not depend on the visiting order beyond "C order of the reduced axes"
 * (arg reductions count positions in that order; NaN-aware moments and extrema are
 * order-free). Each output element (C order over the kept axes) has a base offset; its
 * elements lie at base + offset_k for k in C order of the reduced axes. When the reduced
 * axes form one strided run (a whole contiguous block, one axis) the offsets are k·stride
 * and no offset table is built.
 */
import type { NDArray } from "./ndarray.js";

export interface ReducedLayout {
  /** The output shape with the reduced axes kept as length 1. */
  keptShape: number[];
  /** Storage offset of the first reduced element of each output element. */
  bases: Float64Array;
  /** Elements reduced into each output element. */
  count: number;
  /** Offsets of the reduced elements relative to a base, in C order; null when `stride` gives them. */
  offsets: Float64Array | null;
  stride: number;
}

/** The offsets of an odometer over `shape` with `strides`, in C order. */
function odometer(shape: readonly number[], strides: readonly number[], start: number, count: number): Float64Array {
  const out = new Float64Array(count);
  const index = new Array<number>(shape.length).fill(0);
  let at = start;
  for (let k = 0; k < count; k++) {
    out[k] = at;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      at += strides[axis];
      if (++index[axis] < shape[axis]) break;
      at -= strides[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return out;
}

export function reducedLayout(a: NDArray, axes: readonly number[]): ReducedLayout {
  const reduced = new Set(axes);
  const keptAxes = a.shape.map((_, axis) => axis).filter((axis) => !reduced.has(axis));
  const reducedAxes = a.shape.map((_, axis) => axis).filter((axis) => reduced.has(axis));
  const keptShape = a.shape.map((n, axis) => (reduced.has(axis) ? 1 : n));
  const outputs = keptAxes.reduce((p, axis) => p * a.shape[axis], 1);
  const count = reducedAxes.reduce((p, axis) => p * a.shape[axis], 1);
  const bases = odometer(keptAxes.map((axis) => a.shape[axis]), keptAxes.map((axis) => a.strides[axis]), a.offset, outputs);
  // Reduced axes of length > 1 that chain into one run (each stride = the next one × its length).
  const long = reducedAxes.filter((axis) => a.shape[axis] > 1);
  let single = true;
  for (let i = 0; i + 1 < long.length; i++) {
    if (a.strides[long[i]] !== a.strides[long[i + 1]] * a.shape[long[i + 1]]) single = false;
  }
  if (single) return { keptShape, bases, count, offsets: null, stride: long.length === 0 ? 0 : a.strides[long[long.length - 1]] };
  const offsets = odometer(reducedAxes.map((axis) => a.shape[axis]), reducedAxes.map((axis) => a.strides[axis]), 0, count);
  return { keptShape, bases, count, offsets, stride: 0 };
}
