/**
 * dask.array.ma's constructors (Dask 2022.12, numpy.ma 1.24 semantics): masked_array and the
 * masked_* family, masked_values, masked_invalid and fix_invalid. Each masks the union of the
 * input's own mask and its condition (numpy.ma keeps an existing mask), keeps the input's data
 * (masked_values and fix_invalid change it, as NumPy), and keeps its fill value except where
 * NumPy sets one (masked_equal and masked_values use the value).
 */
import { InvalidOptionError } from "../../core/errors.js";
import { refuseUnknownKeys } from "../../ndarray/option-keys.js";
import * as nd from "../../ndarray/index.js";
import type { DType } from "../../ndarray/dtype.js";
import { type FillValue, fillValueIn } from "../../ndarray/masked-fill-value.js";
import { NDArray } from "../../ndarray/ndarray.js";
import { LazyArray } from "../array.js";
import { isclose } from "../ufuncs.js";
import { fitMask } from "./elementwise.js";
import { MaskedArray } from "./masked-array.js";
import { ew, maskUnion } from "./parts.js";
import { chunkedLike } from "./inputs.js";

/** What masked functions take: a masked array, a tessera array, or an NDArray (chunked "auto", as da.asanyarray). */
export type MaskedInput = MaskedArray | LazyArray | NDArray;

/** The input as masked parts (a plain array has nothing masked). */
export function toMasked(a: MaskedInput, what: string): MaskedArray {
  if (a instanceof MaskedArray) return a;
  if (a instanceof LazyArray || a instanceof NDArray) {
    const data = a instanceof NDArray ? chunkedLike(a) : a;
    return new MaskedArray(data, fitMask(null, data), null);
  }
  throw new InvalidOptionError(`ma.${what}: expected a masked array, a tessera array or an NDArray, got ${String(a)}`);
}

/** A condition or mask as a bool array lined up with `like` (non-bool values mean != 0, as make_mask). */
function conditionFor(condition: LazyArray | NDArray | boolean | number, like: LazyArray, what: string, error: string): LazyArray {
  if (typeof condition === "boolean" || typeof condition === "number") {
    return ew(nd.logicalOr, fitMask(null, like), Boolean(condition));
  }
  if (!(condition instanceof LazyArray) && !(condition instanceof NDArray)) {
    throw new InvalidOptionError(`ma.${what}: the ${what === "maskedArray" ? "mask" : "condition"} must be a boolean, a tessera array or an NDArray, got ${String(condition)}`);
  }
  const size = condition.shape.reduce((p, n) => p * n, 1);
  const sameShape = condition.shape.length === like.ndim && condition.shape.every((n, i) => n === like.shape[i]);
  if (!sameShape && !(what === "maskedArray" && size === 1)) {
    throw new InvalidOptionError(`${error}: ${what === "maskedArray" ? "mask" : "condition"} shape [${condition.shape.join(", ")}] differs from data shape [${like.shape.join(", ")}]`);
  }
  let lazy = condition instanceof NDArray ? LazyArray.of(chunkedLike(condition, sameShape ? like.chunks : undefined)) : condition;
  if (!sameShape) lazy = lazy.reshape(like.shape.map(() => 1));
  const bool = lazy.dtype === "bool" ? lazy : ew(nd.notEqual, lazy, 0);
  return fitMask(sameShape ? bool.rechunk(like.chunks.map((c) => [...c])) : bool, like);
}

export interface MaskedArrayOptions {
  /** True where masked: a tessera array, an NDArray or one boolean (non-bool values mean != 0). */
  mask?: LazyArray | NDArray | boolean | number;
  fillValue?: FillValue;
  dtype?: DType | string;
}

/** da.ma.masked_array(data, { mask, fillValue, dtype }): the union of data's own mask and `mask`. */
export function maskedArray(data: MaskedInput, options: MaskedArrayOptions = {}): MaskedArray {
  refuseUnknownKeys(options, ["mask", "fillValue", "dtype"], "ma.maskedArray");
  if (options.fillValue !== undefined && typeof options.fillValue !== "number" && typeof options.fillValue !== "boolean") {
    throw new InvalidOptionError(`ma.maskedArray: non-scalar fillValue not supported (as Dask); got ${String(options.fillValue)}`);
  }
  let a = toMasked(data, "maskedArray");
  if (options.dtype !== undefined) a = a.astype(options.dtype);
  const mask = options.mask === undefined ? a.mask : maskUnion(a.mask, conditionFor(options.mask, a.data, "maskedArray", "MaskError: Mask and data not compatible")) as LazyArray;
  return new MaskedArray(a.data, mask, options.fillValue ?? a.fill);
}

/** da.ma.masked_where(condition, a): `a` masked where the condition is true (or its own mask). */
export function maskedWhere(condition: LazyArray | NDArray | boolean | number, a: MaskedInput): MaskedArray {
  const x = toMasked(a, "maskedWhere");
  const cond = conditionFor(condition, x.data, "maskedWhere", "IndexError: Inconsistent shape between the condition and the input");
  return new MaskedArray(x.data, ew(nd.logicalOr, cond, x.mask), x.fill);
}

function scalarValue(value: unknown, what: string): number {
  if (typeof value !== "number" && typeof value !== "boolean") throw new InvalidOptionError(`ma.${what}: the value must be a number (Dask refuses array values), got ${String(value)}`);
  return Number(value);
}

function comparing(kernel: (...args: never[]) => NDArray, what: string) {
  return (a: MaskedInput, value: number): MaskedArray => {
    const x = toMasked(a, what);
    return maskedWhere(ew(kernel, x.data, scalarValue(value, what)), x);
  };
}

export const maskedGreater = comparing(nd.greater, "maskedGreater");
export const maskedGreaterEqual = comparing(nd.greaterEqual, "maskedGreaterEqual");
export const maskedLess = comparing(nd.less, "maskedLess");
export const maskedLessEqual = comparing(nd.lessEqual, "maskedLessEqual");
export const maskedNotEqual = comparing(nd.notEqual, "maskedNotEqual");

/** da.ma.masked_equal: masked where equal to `value`, which becomes the fill value. */
export function maskedEqual(a: MaskedInput, value: number): MaskedArray {
  const masked = comparing(nd.equal, "maskedEqual")(a, value);
  return new MaskedArray(masked.data, masked.mask, value);
}

/** da.ma.masked_inside: masked where v1 ≤ x ≤ v2 (the bounds in either order). */
export function maskedInside(a: MaskedInput, v1: number, v2: number): MaskedArray {
  const [low, high] = [scalarValue(v1, "maskedInside"), scalarValue(v2, "maskedInside")].sort((p, q) => p - q);
  const x = toMasked(a, "maskedInside");
  return maskedWhere(ew(nd.logicalAnd, ew(nd.greaterEqual, x.data, low), ew(nd.lessEqual, x.data, high)), x);
}

/** da.ma.masked_outside: masked where x < v1 or x > v2 (the bounds in either order). */
export function maskedOutside(a: MaskedInput, v1: number, v2: number): MaskedArray {
  const [low, high] = [scalarValue(v1, "maskedOutside"), scalarValue(v2, "maskedOutside")].sort((p, q) => p - q);
  const x = toMasked(a, "maskedOutside");
  return maskedWhere(ew(nd.logicalOr, ew(nd.less, x.data, low), ew(nd.greater, x.data, high)), x);
}

/** da.ma.masked_invalid: masked where NaN or ±inf. */
export function maskedInvalid(a: MaskedInput): MaskedArray {
  const x = toMasked(a, "maskedInvalid");
  return maskedWhere(ew(nd.logicalNot, ew(nd.isfinite, x.data)), x);
}

export interface MaskedValuesOptions {
  rtol?: number;
  atol?: number;
  /** NumPy's shrink: only whether an all-false mask is stored as nomask, which getmaskarray does not show; accepted, no effect. */
  shrink?: boolean;
}

/**
 * da.ma.masked_values: masked where isclose(x, value, rtol, atol) for floats, x == value
 * otherwise; the data is filled(x, value) and value becomes the fill value (NumPy 1.24).
 */
export function maskedValues(a: MaskedInput, value: number, options: MaskedValuesOptions = {}): MaskedArray {
  refuseUnknownKeys(options, ["rtol", "atol", "shrink"], "ma.maskedValues");
  const v = scalarValue(value, "maskedValues");
  const x = toMasked(a, "maskedValues");
  const data = x.filled(v);
  const float = nd.dtypeInfo(data.dtype).kind === "f";
  const mask = float ? isclose(data, v, { rtol: options.rtol ?? 1e-5, atol: options.atol ?? 1e-8 }) : ew(nd.equal, data, v);
  return new MaskedArray(data, fitMask(mask, data), v);
}

/** da.ma.fix_invalid: NaN and ±inf masked and replaced in the data by fillValue (default the array's fill value). */
export function fixInvalid(a: MaskedInput, fillValue?: FillValue): MaskedArray {
  const x = toMasked(a, "fixInvalid");
  const invalid = ew(nd.logicalNot, ew(nd.isfinite, x.data));
  const fill = fillValueIn(fillValue ?? x.fillValue, x.dtype, "fixInvalid");
  return new MaskedArray(ew(nd.where, invalid, fill, x.data), ew(nd.logicalOr, x.mask, invalid), x.fill);
}
