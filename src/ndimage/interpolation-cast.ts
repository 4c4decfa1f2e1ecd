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
import type { NumericArray } from "./options.js";
import { isWideDtype, storeWide } from "./wide-cast.js";

const ranges: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * Stores interpolated values[0 … count) into out[at …]: floats as they are (float32 rounds in
 * the store), integers rounded half away from zero and clipped as described above, the rounding
 * written inline for each kind of type (a call per value through a closure costs more).
 */
export function storeInterpolated(out: NumericArray, at: number, values: Float64Array, count: number, dtype: DType): void {
  if (isWideDtype(dtype)) {
    // int64/uint64 round and clip (wide-cast.ts); bool takes the plain cast, not rounded.
    const stored = storeWide(values.subarray(0, count), dtype, "interpolation");
    (out as unknown as typeof stored).set(stored as never, at);
    return;
  }
  const range = ranges[dtype];
  if (range === undefined) {
    for (let k = 0; k < count; k++) out[at + k] = values[k];
    return;
  }
  const [low, high] = range;
  if (low === 0) {
    for (let k = 0; k < count; k++) {
      const t = values[k];
      const r = t > 0 ? t + 0.5 : 0;
      out[at + k] = r > high ? high : Math.trunc(r);
    }
    return;
  }
  for (let k = 0; k < count; k++) {
    const t = values[k];
    const r = t > 0 ? t + 0.5 : t - 0.5;
    out[at + k] = r > high ? high : r < low ? low : Number.isNaN(r) ? -2147483648 : Math.trunc(r);
  }
}

/** The value a filter pass's C cast gives before the TypedArray store truncates and wraps it. */
export function cCastValue(value: number, dtype: DType): number {
  if (dtype === "float32" || dtype === "float64") return value;
  if (dtype === "uint32") return value > -9223372036854775809 && value < 9223372036854775808 ? value : 0;
  return value > -2147483649 && value < 2147483648 ? value : -2147483648;
}
