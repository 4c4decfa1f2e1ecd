/**
 * How kernels walk complex storage: one half (re or im) of every element of a complex array
 * is a real strided operand over the same TypedArray, at slot 2·offset + lane with strides
 * doubled. Copies, casts and the complex elementwise loops are built on these half views, so
 * the loops stay the real ones of kernel-compiler.ts.
 */
import { type DType, complexPartDType, isComplexDType } from "./dtype.js";
import { broadcastStrides } from "./broadcast.js";
import type { StridedOperand } from "./kernel-compiler.js";
import type { NDArray, Shape } from "./ndarray.js";

/** Lane 0 is the real half, lane 1 the imaginary half. */
export type Lane = 0 | 1;

/** One half of a complex array (broadcast to `shape`, or its own shape) as a real strided operand. */
export function complexHalf(array: NDArray, lane: Lane, shape: Shape = array.shape): StridedOperand {
  const strides = shape === array.shape ? array.strides : broadcastStrides(array, shape);
  return { data: array.storage, offset: 2 * array.offset + lane, strides: strides.map((stride) => 2 * stride) };
}

/** A real array as a strided operand broadcast to `shape` (the `data` of a real array, never a complex one). */
export function realOperand(array: NDArray, shape: Shape = array.shape): StridedOperand {
  const strides = shape === array.shape ? array.strides : broadcastStrides(array, shape);
  return { data: array.data, offset: array.offset, strides };
}

/** The dtype each half is computed and stored in: float32 for complex64, float64 for complex128. */
export function halfDType(dtype: DType): DType {
  return isComplexDType(dtype) ? complexPartDType(dtype) : dtype;
}
