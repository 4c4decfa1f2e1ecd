/**
 * How scipy stores a float64 result into the output dtype, in the two ways ndimage's C code does.
 *
 * Interpolated values (`CASE_INTERP_OUT_*` in ni_interpolation.c) are rounded half away from
 * zero and clipped to the integer type's range: t > 0 ? t + 0.5 : 0 for unsigned types, t ± 0.5
 * for signed ones, then clamped and truncated. NaN stores as 0 in unsigned types; in signed
 * ones it reaches the C cast, which on x86-64 gives INT32_MIN (0 in int8/int16).
 *
 * Filter passes (the spline prefilter's line buffers) store with a plain C cast: truncation
 * toward zero, wrapping where the 32-bit conversion (cvttsd2si) still represents the value,
 * INT32_MIN beyond it; uint32 converts through 64 bits.
 */
import type { DType } from "../ndarray/dtype.js";

const ranges: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/** The value an interpolation result takes before the TypedArray store (which then stores it exactly). */
export function interpolationRounder(dtype: DType): ((t: number) => number) | null {
  const range = ranges[dtype];
  if (range === undefined) return null; // floats: the store rounds (float32) or keeps the double
  const [low, high] = range;
  if (low === 0) {
    return (t: number): number => {
      t = t > 0 ? t + 0.5 : 0;
      t = t > high ? high : t;
      return Math.trunc(t < 0 ? 0 : t);
    };
  }
  return (t: number): number => {
    t = t > 0 ? t + 0.5 : t - 0.5;
    t = t > high ? high : t;
    t = t < low ? low : t;
    // NaN passes both clamps; C's cast of NaN to a signed type is INT32_MIN on x86-64.
    return Number.isNaN(t) ? -2147483648 : Math.trunc(t);
  };
}

/** The value a filter pass's C cast gives before the TypedArray store truncates and wraps it. */
export function cCastValue(value: number, dtype: DType): number {
  if (dtype === "float32" || dtype === "float64") return value;
  if (dtype === "uint32") return value > -9223372036854775809 && value < 9223372036854775808 ? value : 0;
  return value > -2147483649 && value < 2147483648 ? value : -2147483648;
}
