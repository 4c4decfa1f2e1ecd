/**
 * numpy.ma's elementwise operations on lazy masked parts, with NumPy 1.24's masks and data:
 *
 * - plain binary (add, subtract, multiply, ...): mask = union of the operands' masks;
 *   under the mask the data is the first operand's (np.copyto(result, da, where=m)).
 * - domained binary (true/floor divide, np.ma.remainder; _DomainedBinaryOperation): also masked
 *   where the divisor is ~0 (_DomainSafeDivide: |a|·tiny ≥ |b|) or the result is not finite;
 *   under the mask the first operand's data where it casts safely to the result, else 0.
 * - np.ma.maximum / minimum: np.ma.where of the masked comparison, the default fill value.
 * - power (np.ma.power): masked where an operand is masked or the result is not finite; the
 *   first operand's data under an operand's mask, the fill value where the result is invalid.
 * - unary (_MaskedUnaryOperation): mask kept; domained ones (sqrt, log*, tan, arcsin, arccos,
 *   arccosh, arctanh) also mask outside their domain and non-finite results; the input's data
 *   under the mask where it casts to the result.
 * - Python's x % y, -x, abs(x) take the ufunc path (MaskedArray has no __mod__, __neg__,
 *   __abs__): the raw result under the mask (% also masks and puts 1 where the divisor is ~0).
 * - comparisons: mask = union; == and != put compare(mask_a, mask_b) under the mask
 *   (MaskedArray._comparison), <, <=, >, >= keep the raw comparison (__array_wrap__).
 * The result takes the first masked operand's fill value (numpy.ma's _update_from), as bool
 * for comparisons.
 */
import { InvalidOptionError } from "../../core/errors.js";
import * as nd from "../../ndarray/index.js";
import { defaultFillValue, fillValueIn } from "../../ndarray/masked-fill-value.js";
import { promoteTypes } from "../../ndarray/promotion.js";
import { dtypeInfo } from "../../ndarray/dtype.js";
import {
  type MaskedDivisionOp, type MaskedUnaryOp, maskedBroadcastMask, maskedDivisionData, maskedDivisionMask, maskedUnaryData, maskedUnaryMask,
} from "../../ndarray/masked-kernels.js";
import { LazyArray } from "../array.js";
import { filledLike } from "../like.js";
import { type MaskedOperand, type MaskedParts, dataOf, ew, ewWith, fillOf, maskOf, maskUnion } from "./parts.js";

type Kernel = (...args: never[]) => nd.NDArray;
type Data = LazyArray | number;

/** A mask that matches `result` element for element: broadcast if it came from a smaller operand, all-false if none. */
export function fitMask(mask: LazyArray | null, result: LazyArray): LazyArray {
  if (mask === null) return LazyArray.of(filledLike("zerosLike", result, false, { dtype: "bool" }));
  const same = mask.shape.length === result.shape.length && mask.chunks.every((sizes, axis) => sizes.length === result.chunks[axis].length && sizes.every((n, i) => Object.is(n, result.chunks[axis][i])));
  return same ? mask : ew(maskedBroadcastMask, mask, result);
}

/** `value` written into `result` where `mask` (np.copyto with unsafe casting: the result keeps its dtype). */
export function putUnder(mask: LazyArray, value: Data | bigint, result: LazyArray): LazyArray {
  if (typeof value === "bigint") return ew(nd.where, mask, value, result);
  if (typeof value === "number") {
    const stored = fillValueIn(value, result.dtype, "masked operation");
    return ew(nd.where, mask, result.dtype === "bool" ? stored !== 0 : stored, result);
  }
  const merged = ew(nd.where, mask, value, result);
  return merged.dtype === result.dtype ? merged : merged.astype(result.dtype);
}

const kindOrder = ["b", "u", "i", "f"];

/** np.can_cast: "safe" when promotion keeps `to`; "same_kind" also within or down the kind order b < u < i < f. */
function canCast(from: nd.DType, to: nd.DType, casting: "safe" | "same_kind"): boolean {
  if (promoteTypes(from, to) === to) return true;
  return casting === "same_kind" && kindOrder.indexOf(dtypeInfo(from).kind) <= kindOrder.indexOf(dtypeInfo(to).kind);
}

const dtypeOfData = (value: Data): nd.DType | null => (typeof value === "number" ? null : value.dtype);

export function maskedBinary(kernel: Kernel, a: MaskedOperand, b: MaskedOperand, what: string): MaskedParts {
  const da = dataOf(a, what);
  const db = dataOf(b, what);
  const raw = ew(kernel, da, db);
  const m = maskUnion(maskOf(a), maskOf(b));
  const mask = fitMask(m, raw);
  const data = m === null ? raw : putUnder(mask, da, raw);
  return { data, mask, fill: fillOf(a, b) };
}

/**
 * A domained division: one mask task and one data task per block (masked-kernels.ts computes
 * the raw quotient inside each, so no task is shared by the two chains).
 */
export function maskedDivision(op: MaskedDivisionOp, a: MaskedOperand, b: MaskedOperand, what: string): MaskedParts {
  const da = dataOf(a, what);
  const db = dataOf(b, what);
  const m = ewWith(maskedDivisionMask, [da, db, maskOf(a) ?? false, maskOf(b) ?? false], { op });
  const raw = ew(nd[op], da, db);
  const daType = dtypeOfData(da);
  const safe = daType === null || canCast(daType, raw.dtype, "safe");
  const data = ewWith(maskedDivisionData, [da, db, m], { op, safe });
  return { data, mask: fitMask(m, data), fill: fillOf(a, b) };
}

/** _DomainSafeDivide: |a|·tiny ≥ |b| (the divisor is zero or too small for the quotient to be finite). */
function unsafeDivisor(da: Data, db: Data): LazyArray {
  const tiny = 2.2250738585072014e-308;
  if (typeof da === "number") return ew(nd.lessEqual, ew(nd.abs, db), Math.abs(da) * tiny);
  if (typeof db === "number") return ew(nd.greaterEqual, ew(nd.multiply, ew(nd.abs, da).astype("float64"), tiny), Math.abs(db));
  return ew(nd.greaterEqual, ew(nd.multiply, ew(nd.abs, da).astype("float64"), tiny), ew(nd.abs, db));
}

/**
 * The ufunc path (__array_wrap__), which Python's % takes on a MaskedArray (MaskedArray has no
 * __mod__): the raw result, masked also where the divisor is ~0, and there the data is 1
 * (numpy.ma's ufunc_fills for remainder); non-finite results are not masked.
 */
export function maskedWrappedDivision(kernel: Kernel, a: MaskedOperand, b: MaskedOperand, what: string): MaskedParts {
  const da = dataOf(a, what);
  const db = dataOf(b, what);
  const raw = ew(kernel, da, db);
  const domain = fitMask(unsafeDivisor(da, db), raw);
  return { data: putUnder(domain, 1, raw), mask: fitMask(maskUnion(maskOf(a), maskOf(b), domain), raw), fill: fillOf(a, b) };
}

/** The ufunc path of Python's -x and abs(x) on a MaskedArray: the raw result, the mask kept. */
export function maskedWrappedUnary(kernel: Kernel, a: MaskedParts): MaskedParts {
  return { data: ew(kernel, a.data), mask: a.mask, fill: a.fill };
}

/**
 * np.ma.maximum / np.ma.minimum (_extrema_operation through np.ma.where): the data where the
 * masked comparison holds (a masked comparison picks b), the union of the masks, and the
 * default fill value (np.ma.where makes a new masked_array).
 */
export function maskedExtremum(kind: "maximum" | "minimum", a: MaskedOperand, b: MaskedOperand): MaskedParts {
  const da = dataOf(a, kind);
  const db = dataOf(b, kind);
  const raw = ew(kind === "maximum" ? nd.maximum : nd.minimum, da, db);
  const m = maskUnion(maskOf(a), maskOf(b));
  const compare = ew(kind === "maximum" ? nd.greater : nd.less, da, db);
  const pick = m === null ? compare : ew(nd.logicalAnd, compare, ew(nd.logicalNot, fitMask(m, raw)));
  const data = ew(nd.where, pick, da, db);
  return { data: data.dtype === raw.dtype ? data : data.astype(raw.dtype), mask: fitMask(m, data), fill: null };
}

export function maskedPower(a: MaskedOperand, b: MaskedOperand): MaskedParts {
  const da = dataOf(a, "power");
  const db = dataOf(b, "power");
  const raw = ew(nd.power, da, db);
  const m = maskUnion(maskOf(a), maskOf(b));
  const kept = m === null ? raw : ew(nd.where, fitMask(m, raw), da, raw);
  const invalid = ew(nd.logicalNot, ew(nd.isfinite, kept));
  const fill = fillOf(a, b);
  const under = fillValueIn(fill ?? defaultFillValue(kept.dtype), kept.dtype, "power");
  return { data: ew(nd.where, invalid, under, kept), mask: fitMask(maskUnion(m, invalid), kept), fill };
}

/**
 * numpy.ma's unary functions (_MaskedUnaryOperation): the mask kept, and for the domained ones
 * (`op`: sqrt, log, …; masked-kernels.ts) also masked outside the domain and where the result
 * is not finite; under the mask the input's data where it casts to the result (same kind).
 */
export function maskedUnary(kernel: Kernel, a: MaskedOperand, what: string, op?: MaskedUnaryOp): MaskedParts {
  const d = dataOf(a, what);
  if (typeof d === "number") throw new InvalidOptionError(`ma.${what}: give a masked or tessera array (for a scalar use Math or nd.${what})`);
  const raw = ew(kernel, d);
  const copy = canCast(d.dtype, raw.dtype, "same_kind");
  if (op !== undefined) {
    const mask = ewWith(maskedUnaryMask, [d, fitMask(maskOf(a), d)], { op });
    return { data: ewWith(maskedUnaryData, [d, mask], { op, copy }), mask, fill: fillOf(a) };
  }
  const m = maskOf(a);
  const mask = fitMask(m, raw);
  // np.copyto(result, d, where=m) with same-kind casting: skipped (TypeError) where d cannot go into the result.
  const data = m !== null && copy ? putUnder(mask, d, raw) : raw;
  return { data, mask, fill: fillOf(a) };
}

export function maskedComparison(kernel: Kernel, a: MaskedOperand, b: MaskedOperand, what: string, equality: boolean): MaskedParts {
  const da = dataOf(a, what);
  const db = dataOf(b, what);
  const raw = ew(kernel, da, db);
  const m = maskUnion(maskOf(a), maskOf(b));
  const mask = fitMask(m, raw);
  // A carried fill value is stored as bool (NumPy 1.24 reports True for x < 3 where x's fill is 5).
  const carried = fillOf(a, b);
  const fill = carried === null ? null : Boolean(carried);
  if (m === null || !equality) return { data: raw, mask, fill };
  const ma = maskOf(a) ?? false;
  const mb = maskOf(b) ?? false;
  return { data: ew(nd.where, mask, ew(kernel, ma, mb), raw), mask, fill };
}
