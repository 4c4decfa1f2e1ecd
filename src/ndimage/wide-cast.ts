/**
 * int64, uint64 and bool arrays in the linear filters and the interpolation, as scipy 1.10's C
 * loops treat them (checked against scipy on x86-64, test/ndimage/wide-linear-differential.test.ts):
 *
 * - Reading: every value becomes a double (`(double)x`: int64/uint64 round to nearest, ties to
 *   even, as `Number(bigint)` does; npy_bool is a byte, read as 0…255). So an int64/uint64 input is
 *   filtered as float64 and a bool input as uint8.
 * - Filter stores (`(npy_int64)x`): truncation; NaN, ±inf and values outside [-2^63, 2^63) give
 *   INT64_MIN (cvttsd2si). `(npy_uint64)x`: below 2^63 (NaN included) the int64 conversion's bits
 *   (so -1 gives 2^64 − 1), from 2^63 the conversion of x − 2^63 with the top bit flipped (2^64 and
 *   beyond give 0). The n-d correlation (NI_Correlate) stores uint64 by another sequence from the
 *   same C cast: a negative x as the negation of -x's conversion (so -2^63 − 4096 wraps to
 *   2^63 − 4096 there, and -2^64, -inf and below give 0), measured against scipy. `(npy_bool)x` is a cast to unsigned char: the low byte of the 32-bit
 *   conversion, as for uint8 (255.9 → 255, 256 → 0, -1 → 255, 1e10 → 0).
 * - Interpolation stores round half away from zero and clip before the cast (CASE_INTERP_OUT):
 *   int64 above 2^63 gives INT64_MAX, below -2^63 INT64_MIN, 2^63 itself and NaN go through the
 *   cast (INT64_MIN); uint64 clips t ≤ 0 and NaN to 0, above 2^64 to UINT64_MAX, 2^64 itself casts
 *   to 0. bool is not rounded there: a plain cast, as for filters.
 */
import { NDArray } from "../ndarray/ndarray.js";
import type { DType, TypedArray } from "../ndarray/dtype.js";
import { doubleCast } from "./c-cast.js";

const two63 = 9223372036854775808;
const two64 = 18446744073709551616;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const uint64Max = 2n ** 64n - 1n;

export function isWideDtype(dtype: unknown): dtype is "int64" | "uint64" | "bool" {
  return dtype === "int64" || dtype === "uint64" || dtype === "bool";
}

/** `(npy_int64)x` on x86-64. */
export function castInt64(x: number): bigint {
  return x >= -two63 && x < two63 ? BigInt(Math.trunc(x)) : int64Min;
}

/** `(npy_uint64)x` on x86-64 (gcc's two-branch conversion). */
export function castUint64(x: number): bigint {
  if (!(x >= two63)) return BigInt.asUintN(64, castInt64(x));
  return x < two64 ? BigInt(x) : 0n;
}

/** `(npy_uint64)x` as NI_Correlate's compiled store gives it: negatives through the conversion of -x. */
export function castUint64Correlate(x: number): bigint {
  return x < 0 ? BigInt.asUintN(64, -castUint64(-x)) : castUint64(x);
}

/** What the interpolation stores into int64 (round half away, clip, cast). */
export function interpolatedInt64(t: number): bigint {
  const r = t > 0 ? t + 0.5 : t - 0.5;
  return r > two63 ? int64Max : r < -two63 ? int64Min : castInt64(r);
}

/** What the interpolation stores into uint64. */
export function interpolatedUint64(t: number): bigint {
  const r = t > 0 ? t + 0.5 : 0;
  return r > two64 ? uint64Max : castUint64(r);
}

/** The array scipy's loops read: int64/uint64 as float64 (`(double)x`), bool as its bytes (uint8). */
export function readAsLoopsDo(input: NDArray): NDArray {
  if (input.dtype === "bool") return new NDArray(input.data, input.shape, { dtype: "uint8", strides: input.strides, offset: input.offset });
  if (input.dtype !== "int64" && input.dtype !== "uint64") return input;
  const source = input.toTypedArray() as BigInt64Array | BigUint64Array;
  const values = new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) values[i] = Number(source[i]);
  return new NDArray(values, input.shape, { dtype: "float64" });
}

/** Which of scipy's loops stores: the line-buffer filters, NI_Correlate or the interpolation. */
export type StoreKind = "filter" | "correlate" | "interpolation";

/** Stores doubles into an int64, uint64 or bool array (bytes) as scipy's filter or interpolation loops do. */
export function storeWide(values: Float64Array | Float32Array, dtype: "int64" | "uint64" | "bool", kind: StoreKind): TypedArray {
  const n = values.length;
  if (dtype === "bool") {
    const toByte = doubleCast("uint8");
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = toByte(values[i]);
    return out;
  }
  const cast = dtype === "int64" ? (kind === "interpolation" ? interpolatedInt64 : castInt64)
    : kind === "interpolation" ? interpolatedUint64 : kind === "correlate" ? castUint64Correlate : castUint64;
  const out = dtype === "int64" ? new BigInt64Array(n) : new BigUint64Array(n);
  for (let i = 0; i < n; i++) out[i] = cast(values[i]);
  return out;
}

/** values[i] = (double)(dtype)values[i]: what the next pass of a chain reads back from an int64/uint64 output. */
export function readBackInPlace(values: Float64Array, dtype: "int64" | "uint64"): void {
  const cast = dtype === "int64" ? castInt64 : castUint64;
  for (let i = 0; i < values.length; i++) values[i] = Number(cast(values[i]));
}

/**
 * Runs a one-pass computation `run` (which takes the filters' own dtypes) on an input or output
 * of a wide dtype: the input read as scipy reads it, a wide output computed in float64 (uint8 for
 * a bool filter store, which is the same cast) and stored with scipy's cast.
 */
export function withWideDtypes(input: NDArray, outputDtype: DType, kind: StoreKind, run: (input: NDArray, outputDtype: DType) => NDArray): NDArray {
  const source = readAsLoopsDo(input);
  if (outputDtype === "bool" && kind !== "interpolation") return relabel(run(source, "uint8"), "bool");
  if (!isWideDtype(outputDtype)) return run(source, outputDtype);
  const result = run(source, "float64");
  const values = result.toTypedArray() as Float64Array;
  return new NDArray(storeWide(values, outputDtype, kind), result.shape, { dtype: outputDtype });
}

function relabel(result: NDArray, dtype: DType): NDArray {
  const data = result.toTypedArray();
  return new NDArray(data, result.shape, { dtype });
}
