/**
 * dask.array.ma's accessors and helpers (filled, getdata, getmaskarray, set_fill_value, count,
 * average, the *_like creators) and the joins and numpy.ma ufuncs a masked array needs since
 * the plain ta.* functions take no masked arrays.
 */
import { InvalidOptionError } from "../../core/errors.js";
import * as nd from "../../ndarray/index.js";
import { type DType, toDType } from "../../ndarray/dtype.js";
import { type FillValue, fillValueIn } from "../../ndarray/masked-fill-value.js";
import { refuseUnknownKeys } from "../../ndarray/option-keys.js";
import { NDArray } from "../../ndarray/ndarray.js";
import { LazyArray } from "../array.js";
import { concatenateNodes, stackNodes } from "../concatenate.js";
import { filledLike } from "../like.js";
import type { ReductionCallOptions } from "../reductions.js";
import { type MaskedInput, toMasked } from "./constructors.js";
import { fitMask, maskedDivision, maskedExtremum, maskedUnary } from "./elementwise.js";
import type { MaskedUnaryOp } from "../../ndarray/masked-kernels.js";
import { MaskedArray } from "./masked-array.js";
import { maskedCount, maskedMean } from "./reductions.js";
import { ew, type MaskedOperand } from "./parts.js";
import { chunkedLike } from "./inputs.js";

/** da.ma.filled: the data with the fill value (default the array's) under the mask; a plain array as it is. */
export function filled(a: MaskedInput, fillValue?: FillValue): LazyArray {
  if (a instanceof MaskedArray) return a.filled(fillValue);
  return toMasked(a, "filled").data;
}

/** da.ma.getdata: the data (masked elements' values included). */
export function getdata(a: MaskedInput): LazyArray {
  return toMasked(a, "getdata").data;
}

/** da.ma.getmaskarray: the full boolean mask (all false for a plain array). */
export function getmaskarray(a: MaskedInput): LazyArray {
  return toMasked(a, "getmaskarray").mask;
}

/** da.ma.set_fill_value: sets the fill value in place (a plain array has none: the value is only checked, as Dask). */
export function setFillValue(a: MaskedInput, fillValue: FillValue): void {
  if (a instanceof MaskedArray) a.fillValue = fillValue;
  else fillValueIn(fillValue, toMasked(a, "setFillValue").dtype, "set_fill_value");
}

/** da.ma.count(a, { axis, keepdims, splitEvery }): the unmasked elements (int64). */
export function count(a: MaskedInput, options: ReductionCallOptions = {}): LazyArray {
  return maskedCount(toMasked(a, "count"), options);
}

export interface MaskedAverageOptions {
  axis?: number | number[] | null;
  weights?: LazyArray | NDArray;
  returned?: boolean;
  keepdims?: boolean;
}

/**
 * da.ma.average (Dask 2022.12's _average with is_masked): without weights the masked mean and,
 * with returned, Dask's scale a.size / avg.size (not NumPy's count of unmasked elements); with
 * weights Σ a·w / Σ w where the weights of masked elements count 0 (the masked division masks
 * a zero weight sum). 1-d weights lie along `axis`.
 */
export function average(a: MaskedInput, options: MaskedAverageOptions = {}): MaskedArray | [MaskedArray, LazyArray] {
  refuseUnknownKeys(options, ["axis", "weights", "returned", "keepdims"], "ma.average");
  const x = toMasked(a, "average");
  const { axis = null, keepdims = false } = options;
  let avg: MaskedArray;
  let scale: LazyArray;
  if (options.weights === undefined) {
    avg = MaskedArray.of(maskedMean(x, { axis, keepdims }));
    scale = LazyArray.of(filledLike("fullLike", avg.data, x.size / Math.max(avg.size, 1), { dtype: avg.dtype }));
  } else {
    let w = options.weights instanceof NDArray ? chunkedLike(options.weights) : options.weights;
    const kind = nd.dtypeInfo(x.dtype).kind;
    const resultDtype = nd.resultType(x.dtype, w.dtype, kind === "f" ? x.dtype : "float64");
    if (w.ndim !== x.ndim || w.shape.some((n, i) => n !== x.shape[i])) {
      if (axis === null) throw new InvalidOptionError("ma.average: axis must be specified when shapes of a and weights differ (NumPy's TypeError)");
      if (w.ndim !== 1) throw new InvalidOptionError("ma.average: 1-d weights expected when shapes of a and weights differ (NumPy's TypeError)");
      if (typeof axis !== "number") throw new InvalidOptionError("ma.average: with 1-d weights give one axis");
      const along = axis < 0 ? axis + x.ndim : axis;
      if (w.shape[0] !== x.shape[along]) throw new InvalidOptionError("ma.average: length of weights not compatible with specified axis (NumPy's ValueError)");
      w = w.reshape(x.shape.map((n, i) => (i === along ? n : 1)));
    }
    const kept = ew(nd.multiply, w, ew(nd.logicalNot, x.mask));
    scale = kept.sum({ axis, keepdims, dtype: resultDtype });
    const product = ew(nd.multiply, x.data, kept).astype(resultDtype);
    const sum = MaskedArray.of({ data: product, mask: fitMask(x.mask, product), fill: x.fill }).sum({ axis, keepdims });
    avg = MaskedArray.of(maskedDivision("divide", sum, scale, "average"));
  }
  return options.returned === true ? [avg, scale] : avg;
}

function like(kind: "emptyLike" | "onesLike" | "zerosLike", value: number) {
  return (a: MaskedInput, options: { dtype?: DType | string } = {}): MaskedArray => {
    refuseUnknownKeys(options, ["dtype"], `ma.${kind}`);
    const x = toMasked(a, kind);
    const dtype = options.dtype === undefined ? x.dtype : toDType(options.dtype, `ma.${kind} dtype`);
    const data = LazyArray.of(filledLike(kind, x.data, value, { dtype }));
    return new MaskedArray(data, x.mask, x.fill === null ? null : fillValueIn(x.fill, dtype, kind));
  };
}

/** np.ma.empty_like: the mask and fill value of `a`; the data zeros (tessera never hands out uninitialised memory). */
export const emptyLike = like("emptyLike", 0);
/** np.ma.ones_like: ones under a's mask and fill value. */
export const onesLike = like("onesLike", 1);
/** np.ma.zeros_like: zeros under a's mask and fill value. */
export const zerosLike = like("zerosLike", 0);

/** The fill value a join keeps: the common one, else none (Dask's masked _concatenate; np.ma.concatenate drops it). */
function commonFill(arrays: readonly MaskedArray[]): FillValue | null {
  const values = new Set(arrays.map((a) => a.fillValue));
  return values.size === 1 ? arrays[0].fillValue : null;
}

function joined(arrays: readonly MaskedInput[], what: string): MaskedArray[] {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new InvalidOptionError(`ma.${what}: give a non-empty list of arrays`);
  return arrays.map((a) => toMasked(a, what));
}

/** Masked arrays joined along an existing axis (data and mask alike). */
export function concatenate(arrays: readonly MaskedInput[], axis = 0): MaskedArray {
  const parts = joined(arrays, "concatenate");
  const data = LazyArray.of(concatenateNodes(parts.map((p) => p.data), axis));
  return new MaskedArray(data, fitMask(LazyArray.of(concatenateNodes(parts.map((p) => p.mask), axis)), data), commonFill(parts));
}

/** Masked arrays of one shape stacked along a new axis. */
export function stack(arrays: readonly MaskedInput[], axis = 0): MaskedArray {
  const parts = joined(arrays, "stack");
  const data = LazyArray.of(stackNodes(parts.map((p) => p.data), axis));
  return new MaskedArray(data, fitMask(LazyArray.of(stackNodes(parts.map((p) => p.mask), axis)), data), commonFill(parts));
}

function ufunc(kernel: (a: NDArray) => NDArray, name: string, domain?: MaskedUnaryOp) {
  return (a: MaskedInput): MaskedArray => MaskedArray.of(maskedUnary(kernel, toMasked(a, name), name, domain));
}

// numpy.ma's unary functions: the domained ones mask where undefined (np.ma.sqrt of −1 is masked).
export const sqrt = ufunc(nd.sqrt, "sqrt", "sqrt");
export const log = ufunc(nd.log, "log", "log");
export const log2 = ufunc(nd.log2, "log2", "log2");
export const log10 = ufunc(nd.log10, "log10", "log10");
export const tan = ufunc(nd.tan, "tan", "tan");
export const arcsin = ufunc(nd.arcsin, "arcsin", "arcsin");
export const arccos = ufunc(nd.arccos, "arccos", "arccos");
export const arccosh = ufunc(nd.arccosh, "arccosh", "arccosh");
export const arctanh = ufunc(nd.arctanh, "arctanh", "arctanh");
export const exp = ufunc(nd.exp, "exp");
export const abs = ufunc(nd.abs, "abs");
export const negative = ufunc(nd.negative, "negative");
export const sin = ufunc(nd.sin, "sin");
export const cos = ufunc(nd.cos, "cos");

/** np.ma.remainder (the domained operation: masked where the divisor is ~0 or the result not finite). */
export function remainder(a: MaskedOperand, b: MaskedOperand): MaskedArray {
  return MaskedArray.of(maskedDivision("remainder", a, b, "remainder"));
}

/** np.ma.maximum(a, b): elementwise, masked where either is. */
export function maximum(a: MaskedOperand, b: MaskedOperand): MaskedArray {
  return MaskedArray.of(maskedExtremum("maximum", a, b));
}

/** np.ma.minimum(a, b): elementwise, masked where either is. */
export function minimum(a: MaskedOperand, b: MaskedOperand): MaskedArray {
  return MaskedArray.of(maskedExtremum("minimum", a, b));
}
