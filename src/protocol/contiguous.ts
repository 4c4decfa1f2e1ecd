/**
 * A C-ordered copy of a strided NDArray view, for sending: the wire carries contiguous
 * bytes only. Kept here rather than in ndarray/ so the protocol does not depend on the
 * whole operations module.
 */
import { NDArray, allocate } from "../ndarray/ndarray.js";

export function copyContiguous(source: NDArray): NDArray {
  const out = allocate(source.dtype, source.size);
  const { shape, strides, offset, data } = source;
  const ndim = shape.length;
  if (ndim === 0) {
    out[0] = data[offset];
    return new NDArray(out, [], { dtype: source.dtype });
  }
  const index = new Array<number>(ndim).fill(0);
  const last = ndim - 1;
  const lastLength = shape[last];
  const lastStride = strides[last];
  let written = 0;
  const total = source.size;
  while (written < total) {
    let base = offset;
    for (let axis = 0; axis < last; axis++) base += index[axis] * strides[axis];
    for (let i = 0; i < lastLength; i++) out[written++] = data[base + i * lastStride];
    for (let axis = last - 1; axis >= 0; axis--) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
    if (last === 0) break;
  }
  return new NDArray(out, shape, { dtype: source.dtype });
}
