/**
 * gradient's spacings read as NumPy 1.24 reads them, and the dtype NumPy 1.24 computes each step
 * of the gradient in. The order and dtype of every operation decide the last bit of a float32
 * result, so the arithmetic here follows numpy/lib/function_base.py `gradient` step by step:
 *
 * - a spacing is a scalar (a JS number: integral ones are Python ints, others Python floats; or a
 *   0-d NDArray, a NumPy scalar of its dtype) or a 1-d coordinate array, whose differences
 *   (integers as float64, float32 stays float32) become the spacing, collapsed to the first
 *   difference when all are equal, as NumPy does for speed;
 * - an array op an array computes in the promoted dtype; an array op a scalar keeps the array's
 *   float dtype unless the scalar is of a higher kind, or a float64 scalar beyond float32's range
 *   (NumPy 1.24's value-based casting: min_scalar_type is float64 from ±3.4e38 on);
 * - a scalar op a scalar (the end values of a 1-d array are NumPy scalars) promotes their dtypes.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "./dtype.js";
import { dtypeInfo } from "./dtype.js";
import { isNDArray, type NDArray } from "./ndarray.js";

/** The dtypes a gradient computes in: f itself is bool, float32 or float64 (integers become float64). */
export type ComputeType = "bool" | "float32" | "float64";

/** A scalar as NumPy sees it: a Python int/float, or a NumPy scalar of a dtype. */
export interface TypedScalar {
  value: number;
  dtype: DType | "pyint" | "pyfloat";
}

/** One axis's spacing: uniform (a scalar) or the differences of its coordinates. */
export type AxisSpacing =
  | { kind: "uniform"; step: TypedScalar }
  | { kind: "coordinates"; differences: Float64Array; dtype: "float32" | "float64" };

/** What the user may give per axis: a number, a 0-d or 1-d NDArray, or a list of numbers. */
export type Spacing = number | NDArray | readonly number[];

export const roundTo = (type: ComputeType): ((x: number) => number) => (type === "float32" ? Math.fround : (x: number) => x);

const rank: Record<ComputeType, number> = { bool: 0, float32: 1, float64: 2 };

/** array op array: NumPy's promote_types among bool, float32 and float64. */
export function arrayWithArray(a: ComputeType, b: ComputeType): ComputeType {
  return rank[a] >= rank[b] ? a : b;
}

/** array op scalar under NumPy 1.24's value-based casting. */
export function arrayWithScalar(array: ComputeType, scalar: TypedScalar): ComputeType {
  const kind = scalar.dtype === "pyint" ? "i" : scalar.dtype === "pyfloat" ? "f" : dtypeInfo(scalar.dtype).kind;
  if (kind !== "f") return array === "bool" ? "float64" : array;
  const scalarType: ComputeType = scalar.dtype === "float32" ? "float32" : "float64";
  if (array === "bool") return scalarType;
  if (array === "float64" || scalarType === "float32") return array;
  const beyondFloat32 = Number.isFinite(scalar.value) && Math.abs(scalar.value) >= 3.4e38;
  return beyondFloat32 ? "float64" : "float32";
}

/**
 * scalar op scalar: NumPy 1.24's promote_types, a Python int as int64 and a Python float as
 * float64. The ends of a 1-d array are NumPy scalars (f[0]), so they take this rule.
 */
export function scalarWithScalar(value: ComputeType, scalar: TypedScalar): ComputeType {
  if (value === "float64") return "float64";
  if (scalar.dtype === "pyint" || scalar.dtype === "pyfloat") return "float64";
  const info = dtypeInfo(scalar.dtype);
  if (info.kind === "f") return value === "bool" ? (info.name as ComputeType) : arrayWithArray(value, info.name as ComputeType);
  // float32 with an integer: float32 holds int8/int16/uint8/uint16 (and bool) exactly, not wider ones.
  return info.itemsize <= 2 ? arrayWithArray(value, "float32") : "float64";
}

function isSpacing(value: unknown): value is Spacing {
  return typeof value === "number" || isNDArray(value) || Array.isArray(value);
}

/** A 1-d coordinate array's differences, computed as np.diff does in its (float) dtype. */
function coordinateSpacing(values: readonly number[], dtype: "float32" | "float64"): AxisSpacing {
  const round = roundTo(dtype);
  const differences = new Float64Array(Math.max(values.length - 1, 0));
  for (let i = 0; i < differences.length; i++) differences[i] = round(values[i + 1] - values[i]);
  // NumPy reads differences[0] here, which fails for one coordinate: the shape check refuses that axis.
  if (differences.length > 0 && differences.every((d) => d === differences[0])) {
    return { kind: "uniform", step: { value: differences[0], dtype } };
  }
  return { kind: "coordinates", differences, dtype };
}

/** One axis's spacing from what the user gave, checked against the axis's length. */
export function axisSpacing(given: Spacing, length: number, what: string): AxisSpacing {
  if (typeof given === "number") return { kind: "uniform", step: { value: given, dtype: Number.isInteger(given) ? "pyint" : "pyfloat" } };
  if (isNDArray(given) && given.ndim === 0) {
    return { kind: "uniform", step: { value: Number(given.item()), dtype: given.dtype } };
  }
  let values: number[];
  let dtype: "float32" | "float64";
  if (isNDArray(given)) {
    if (given.ndim !== 1) throw new InvalidOptionError(`${what}: distances must be either scalars or 1d (got a ${given.ndim}-d array)`);
    if (given.dtype === "bool") throw new InvalidOptionError(`${what}: coordinates must be numbers, not bool`);
    values = Array.from(given.toTypedArray() as ArrayLike<number | bigint>, Number);
    dtype = given.dtype === "float32" ? "float32" : "float64";
  } else {
    if (!given.every((v) => typeof v === "number")) throw new InvalidOptionError(`${what}: coordinates must be a list of numbers`);
    values = [...given];
    dtype = "float64";
  }
  if (values.length !== length) {
    throw new InvalidOptionError(`${what}: when 1d, distances must match the length of the corresponding dimension (${values.length} coordinates for an axis of ${length})`);
  }
  return coordinateSpacing(values, dtype);
}

/**
 * The spacing per gradient axis, as NumPy pairs varargs with axes: none means 1.0 everywhere,
 * one scalar is every axis's, otherwise one per axis. `oneForAll` lets a single coordinate
 * array serve every axis, as dask.array.gradient does (NumPy refuses it).
 */
export function spacingsFor(varargs: readonly unknown[], axes: readonly number[], shape: readonly number[], what: string, oneForAll = false): AxisSpacing[] {
  varargs.forEach((value, i) => {
    if (!isSpacing(value)) throw new InvalidOptionError(`${what}: spacing ${i} must be a number, an NDArray or a list of numbers, got ${typeof value}`);
  });
  const given = varargs as readonly Spacing[];
  let perAxis: readonly Spacing[];
  if (given.length === 0) perAxis = axes.map(() => 1.0);
  else if (given.length === 1 && (oneForAll || typeof given[0] === "number" || (isNDArray(given[0]) && given[0].ndim === 0))) perAxis = axes.map(() => given[0]);
  else if (given.length === axes.length) perAxis = given;
  else throw new InvalidOptionError(`${what}: invalid number of arguments: ${given.length} spacings for ${axes.length} axes (give none, one scalar, or one per axis)`);
  return perAxis.map((spacing, i) => axisSpacing(spacing, shape[axes[i]], `${what} (axis ${axes[i]})`));
}
