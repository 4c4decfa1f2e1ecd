/**
 * NumPy's in-place `+=`, `*` and `sqrt(casting="unsafe")` on arrays of one dtype, as
 * scipy's generic_laplace and generic_gradient_magnitude use them: TypedArray stores give
 * float32 rounding and integer wrap-around. 32-bit integer squares need Math.imul (their exact
 * value can exceed 2^53); for smaller types and floats the float64 product is exact (float32
 * then rounds once). The sqrt of an integer truncates, which equals NumPy's float16/float32/float64
 * loop followed by the cast for every integer input (no square root of an integer lies within
 * half an ulp of the next integer); NaN (negative inputs) stores as 0, or INT32_MIN for int32
 * as x86 converts it.
 */
import type { DType } from "../ndarray/dtype.js";
import type { NumericArray } from "./options.js";

export function addInPlace(target: NumericArray, source: NumericArray): void {
  for (let i = 0; i < target.length; i++) target[i] = target[i] + source[i];
}

export function squareInPlace(values: NumericArray, dtype: DType): void {
  if (dtype === "int32" || dtype === "uint32") {
    for (let i = 0; i < values.length; i++) values[i] = Math.imul(values[i], values[i]);
    return;
  }
  for (let i = 0; i < values.length; i++) values[i] = values[i] * values[i];
}

export function sqrtInPlace(values: NumericArray, dtype: DType): void {
  const nanValue = dtype === "int32" ? -(2 ** 31) : Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const root = Math.sqrt(values[i]);
    values[i] = Number.isNaN(root) ? nanValue : root;
  }
}
