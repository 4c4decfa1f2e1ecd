/**
 * numpy.ma's fill values: the default per dtype (np.ma.default_fill_value: True for bool,
 * 999999 for integers, 1e20 for floats), the fills min/max reduce with (the dtype's largest /
 * smallest value, ±inf for floats), and how a fill value is stored in a dtype (NumPy 1.24's
 * _check_fill_value, which casts C-style: 999999 in int8 is 63, a fraction in an integer dtype
 * truncates, any nonzero value in bool is True).
 */
import { refuseComplex } from "./complex-refusal.js";
import { InvalidOptionError } from "../core/errors.js";
import { type DType, isFloatDType } from "./dtype.js";

/** A masked array's fill value as tessera carries it: a number or a boolean, never an array. */
export type FillValue = number | boolean;

const integerRanges: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535],
  int32: [-2147483648, 2147483647], uint32: [0, 4294967295],
  int64: [-(2 ** 63), 2 ** 63 - 1], uint64: [0, 2 ** 64 - 1],
};

/** np.ma.default_fill_value for a dtype. */
export function defaultFillValue(dtype: DType): FillValue {
  refuseComplex("defaultFillValue", dtype);
  if (dtype === "bool") return true;
  return isFloatDType(dtype) ? 1e20 : 999999;
}

const int64Extremes: Partial<Record<DType, [bigint, bigint]>> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n], uint64: [0n, 2n ** 64n - 1n],
};

/**
 * np.ma.minimum_fill_value: what masked elements become before a min (the dtype's largest
 * value; a bigint for int64 / uint64, whose extremes a number cannot hold).
 */
export function minimumFillValue(dtype: DType): FillValue | bigint {
  refuseComplex("minimumFillValue", dtype);
  if (dtype === "bool") return true;
  if (isFloatDType(dtype)) return Infinity;
  return (int64Extremes[dtype] ?? (integerRanges[dtype] as [number, number]))[1];
}

/** np.ma.maximum_fill_value: what masked elements become before a max (the dtype's smallest value). */
export function maximumFillValue(dtype: DType): FillValue | bigint {
  refuseComplex("maximumFillValue", dtype);
  if (dtype === "bool") return false;
  if (isFloatDType(dtype)) return -Infinity;
  return (int64Extremes[dtype] ?? (integerRanges[dtype] as [number, number]))[0];
}

/**
 * The fill value as an element of `dtype` (a number; 0/1 for bool), as NumPy 1.24 stores it.
 * Integer dtypes wrap (NumPy's C cast of 999999 into int8 gives 63); a non-finite value or one
 * beyond ±2^63 has no integer meaning and is refused, as NumPy refuses it with TypeError.
 */
export function fillValueIn(value: FillValue, dtype: DType, what: string): number {
  refuseComplex(what, dtype);
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new InvalidOptionError(`${what}: a fill value must be a number or a boolean, got ${String(value)}`);
  }
  const number = Number(value);
  if (dtype === "bool") return number !== 0 ? 1 : 0;
  if (dtype === "float32") return Math.fround(number);
  if (dtype === "float64") return number;
  const range = integerRanges[dtype] as [number, number];
  if (!Number.isFinite(number) || Math.abs(number) >= 2 ** 63) {
    throw new InvalidOptionError(`${what}: cannot convert fill value ${number} to dtype ${dtype} (NumPy's TypeError); give a fill value the dtype can hold`);
  }
  const whole = Math.trunc(number);
  if (whole >= range[0] && whole <= range[1]) return whole;
  const span = range[1] - range[0] + 1;
  return ((((whole - range[0]) % span) + span) % span) + range[0];
}
