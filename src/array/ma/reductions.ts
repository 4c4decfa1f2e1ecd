/**
 * numpy.ma's reductions on lazy masked parts, each built from ordinary tree reductions of the
 * data (with the masked elements replaced by the operation's neutral value, as numpy.ma fills
 * before reducing) and of the mask (masked where every reduced element was masked):
 * sum = filled(0).sum, prod = filled(1).prod, min/max = filled(largest / smallest).min/max
 * with the default fill value under the result's mask, any = filled(False).any,
 * all = filled(True).all, mean = sum / count (float64 for integer and bool input),
 * var = Σ(x − mean)² / (count − ddof) masked where count − ddof ≤ 0, std = ma.sqrt(var),
 * argmin/argmax over the filled data (a plain index array, as NumPy), count = Σ ¬mask.
 * A result over every element whose elements are all masked is a 0-d masked result, NumPy's
 * `np.ma.masked`.
 */
import * as nd from "../../ndarray/index.js";
import { defaultFillValue, maximumFillValue, minimumFillValue } from "../../ndarray/masked-fill-value.js";
import type { LazyArray } from "../array.js";
import { refuseUnknownOptions } from "../option-checks.js";
import type { ReductionCallOptions } from "../reductions.js";
import { maskedBinary, maskedDivision, maskedUnary, putUnder } from "./elementwise.js";
import { type MaskedParts, ew } from "./parts.js";
import { oneTreeReduction, oneTreeVariance } from "./masked-reduction.js";

/** An extreme fill as putUnder takes it: a bigint stays one (int64's extremes), a boolean becomes 0/1. */
const extreme = (fill: number | boolean | bigint): number | bigint => (typeof fill === "bigint" ? fill : Number(fill));

type Shape = Pick<ReductionCallOptions, "axis" | "keepdims" | "splitEvery">;

function shapeOptions(options: ReductionCallOptions): Shape {
  return { axis: options.axis, keepdims: options.keepdims, splitEvery: options.splitEvery };
}

function check(what: string, options: ReductionCallOptions, extra: string[] = []): void {
  refuseUnknownOptions(`ma ${what}`, options, ["axis", "keepdims", "splitEvery", ...extra]);
}

/** Masked where every reduced element is masked. */
function allMasked(a: MaskedParts, options: ReductionCallOptions): LazyArray {
  return a.mask.all(shapeOptions(options));
}

export function maskedCount(a: MaskedParts, options: ReductionCallOptions = {}): LazyArray {
  check("count", options);
  return ew(nd.logicalNot, a.mask).sum({ ...shapeOptions(options), dtype: "int64" });
}

export function maskedSumProd(kind: "sum" | "prod", a: MaskedParts, options: ReductionCallOptions = {}): MaskedParts {
  check(kind, options, ["dtype"]);
  const filled = putUnder(a.mask, kind === "sum" ? 0 : 1, a.data);
  const twoTrees: MaskedParts = { data: filled[kind](options), mask: allMasked(a, options), fill: null };
  return oneTreeReduction(kind, a, options, twoTrees.data.dtype) ?? twoTrees;
}

export function maskedExtreme(kind: "min" | "max", a: MaskedParts, options: ReductionCallOptions = {}): MaskedParts {
  check(kind, options);
  const fill = kind === "min" ? minimumFillValue(a.data.dtype) : maximumFillValue(a.data.dtype);
  const result = putUnder(a.mask, extreme(fill), a.data)[kind](options);
  const mask = allMasked(a, options);
  return oneTreeReduction(kind, a, options, result.dtype) ?? { data: putUnder(mask, Number(defaultFillValue(result.dtype)), result), mask, fill: null };
}

export function maskedAnyAll(kind: "any" | "all", a: MaskedParts, options: ReductionCallOptions = {}): MaskedParts {
  check(kind, options);
  const filled = putUnder(a.mask, kind === "any" ? 0 : 1, a.data);
  const twoTrees: MaskedParts = { data: filled[kind](options), mask: allMasked(a, options), fill: null };
  return oneTreeReduction(kind, a, options, twoTrees.data.dtype) ?? twoTrees;
}

export function maskedArgExtreme(kind: "argmin" | "argmax", a: MaskedParts, options: ReductionCallOptions = {}): LazyArray {
  check(kind, options);
  const fill = kind === "argmin" ? minimumFillValue(a.data.dtype) : maximumFillValue(a.data.dtype);
  return putUnder(a.mask, extreme(fill), a.data)[kind](options);
}

/** numpy.ma's mean: the masked sum (float64 for integer and bool data) over the count, a masked division. */
export function maskedMean(a: MaskedParts, options: ReductionCallOptions = {}): MaskedParts {
  check("mean", options, ["dtype"]);
  const kind = nd.dtypeInfo(a.data.dtype).kind;
  const dtype = options.dtype ?? (kind === "b" || kind === "i" || kind === "u" ? "float64" : undefined);
  const sum = maskedSumProd("sum", a, { ...shapeOptions(options), dtype });
  const count = maskedCount(a, shapeOptions(options));
  // The sum's own mask (every element masked) is count == 0: one reduction tree fewer than all(mask).
  const quotient = maskedDivision("divide", { data: ew(nd.multiply, sum.data, 1), mask: ew(nd.equal, count, 0), fill: null }, count, "mean");
  return oneTreeReduction("mean", a, options, quotient.data.dtype) ?? { ...quotient, fill: null };
}

/** numpy.ma's var: Σ(x − mean)² / (count − ddof), masked where every element is or count − ddof ≤ 0. */
export function maskedVar(a: MaskedParts, options: ReductionCallOptions = {}): MaskedParts {
  check("var", options, ["ddof", "dtype"]);
  const ddof = options.ddof ?? 0;
  const mean = maskedMean(a, { axis: options.axis, keepdims: true, splitEvery: options.splitEvery, dtype: options.dtype });
  const anomaly = maskedBinary(nd.subtract, a, mean, "var");
  const squares = maskedBinary(nd.multiply, anomaly, anomaly, "var");
  const sum = maskedSumProd("sum", squares, shapeOptions(options));
  const count = ew(nd.subtract, maskedCount(a, shapeOptions(options)), ddof);
  const quotient = maskedDivision("divide", sum, count, "var");
  const oneTree = oneTreeVariance(a, options, ddof, quotient.data.dtype);
  if (oneTree !== null) return oneTree;
  if (quotient.data.ndim === 0) return { ...quotient, fill: a.fill };
  // all(mask) | count − ddof ≤ 0, with all(mask) as count == 0 (the count is reduced once).
  const all = ew(nd.equal, ew(nd.add, count, ddof), 0);
  return { data: quotient.data, mask: ew(nd.logicalOr, all, ew(nd.lessEqual, count, 0)), fill: a.fill };
}

export function maskedStd(a: MaskedParts, options: ReductionCallOptions = {}): MaskedParts {
  check("std", options, ["ddof", "dtype"]);
  return maskedUnary(nd.sqrt, maskedVar(a, options), "sqrt", "sqrt");
}
