/**
 * NumPy's in-place `+=`, `*` and `sqrt(casting="unsafe")` on arrays of one dtype, as
 * scipy's generic_laplace and generic_gradient_magnitude use them: TypedArray stores give
 * float32 rounding and integer wrap-around. 32-bit integer squares need Math.imul (their exact
 * value can exceed 2^53); for smaller types and floats the float64 product is exact (float32
 * then rounds once). The sqrt of an integer truncates, which equals NumPy's float16/float32/float64
 * loop followed by the cast for every integer input (no square root of an integer lies within
 * half an ulp of the next integer); NaN (negative inputs) stores as 0, or INT32_MIN for int32
 * as x86 converts it.
 *
 * bool (npy_bool bytes, which a filter store may leave at any value 0…255): `+` is logical or and
 * `*` logical and, both giving 0 or 1; the square root of 0/1 is itself. int64/uint64 products and
 * sums wrap (the BigInt typed-array store keeps the low 64 bits); their square root is NumPy's
 * float64 loop: `(double)x`, sqrt, and the C cast back (NaN → INT64_MIN, wide-cast.ts).
 */
import type { DType } from "../ndarray/dtype.js";
import type { NumericArray } from "./options.js";
import { castInt64, castUint64 } from "./wide-cast.js";

type Wide = BigInt64Array | BigUint64Array;

export function addInPlace(target: NumericArray, source: NumericArray, dtype: DType): void {
  if (dtype === "bool") {
    for (let i = 0; i < target.length; i++) target[i] = target[i] !== 0 || source[i] !== 0 ? 1 : 0;
    return;
  }
  if (dtype === "int64" || dtype === "uint64") {
    const [t, s] = [target as unknown as Wide, source as unknown as Wide];
    for (let i = 0; i < t.length; i++) t[i] = t[i] + s[i];
    return;
  }
  for (let i = 0; i < target.length; i++) target[i] = target[i] + source[i];
}

export function squareInPlace(values: NumericArray, dtype: DType): void {
  if (dtype === "bool") {
    for (let i = 0; i < values.length; i++) values[i] = values[i] !== 0 ? 1 : 0;
    return;
  }
  if (dtype === "int64" || dtype === "uint64") {
    const v = values as unknown as Wide;
    for (let i = 0; i < v.length; i++) v[i] = v[i] * v[i];
    return;
  }
  if (dtype === "int32" || dtype === "uint32") {
    for (let i = 0; i < values.length; i++) values[i] = Math.imul(values[i], values[i]);
    return;
  }
  for (let i = 0; i < values.length; i++) values[i] = values[i] * values[i];
}

export function sqrtInPlace(values: NumericArray, dtype: DType): void {
  if (dtype === "bool") return;
  if (dtype === "int64" || dtype === "uint64") {
    const v = values as unknown as Wide;
    const cast = dtype === "int64" ? castInt64 : castUint64;
    for (let i = 0; i < v.length; i++) v[i] = cast(Math.sqrt(Number(v[i])));
    return;
  }
  const nanValue = dtype === "int32" ? -(2 ** 31) : Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const root = Math.sqrt(values[i]);
    values[i] = Number.isNaN(root) ? nanValue : root;
  }
}
