/**
 * Public entry point `tessera/ndarray`: the eager block type and its operations, with NumPy's
 * semantics (checked against NumPy by the tests). Every operation the lazy layer may ship to
 * workers is tagged "ndarray.<name>" with defineBuiltin; binary operations are called as
 * `fn(a, b)`, reductions and casts as `fn(a, options)`. Each function of a fixed number of
 * parameters refuses arguments beyond them, as NumPy's keywords written as one more argument
 * would otherwise be dropped unseen (public-parameters.ts).
 *
 * int64 / uint64 (BigInt64Array / BigUint64Array storage, bigint element values) work in every
 * operation: creation, views, casts, joins, pad, all elementwise functions (wrapping modulo 2^64)
 * and all reductions. Their loops run on bigints and are several times slower than the loops of
 * the other dtypes (about 7× for a subtraction). Integer sums and products return int64/uint64
 * as in NumPy, so `item()` of such a result is a bigint. int64 with uint64 promotes to float64.
 *
 * Deliberate differences from NumPy:
 * - JS numbers carry no int/float distinction: an integral number is a Python int for the NEP 50
 *   rules (so `uint8Array * 2.0` stays uint8) and arrays made from numbers default to float64;
 * - there is no float16: sqrt/exp/log of bool, int8 and uint8 give float32;
 * - scalars follow NumPy 2 (NEP 50), stores of out-of-range integers are errors (NumPy 2);
 * - exp, log and power may differ from NumPy's SIMD versions in the last bits (≤ 2 ulp seen), arctan2
 *   by ≤ 3 ulps from NumPy's AVX-512 loops (float-binary.ts), cbrt, exp2, logaddexp(2) within 4 ulps
 *   (powers.ts, logaddexp.ts);
 * - no warnings: integer division by zero gives 0 and float overflow gives ±inf silently.
 */
export { NDArray } from "./ndarray.js";
// The functions that are not built-ins, checked against public-parameters.ts where exported; the built-ins check inside.
export {
  isNDArray, empty, allocate, cStrides, shapeSize, dtypeInfo, isDType, toDType, isComplexDType, promoteTypes, fromTypedArray, iscomplexobj,
  defaultFillValue, minimumFillValue, maximumFillValue, fillValueIn,
} from "./public-functions.js";
export type { Shape, NestedArray } from "./ndarray.js";
export { dtypes } from "./dtype.js";
export type { DType, TypedArray } from "./dtype.js";

export { resultType } from "./promotion.js";
export type { Operand } from "./promotion.js";

export { zeros, ones, full, arange, array } from "./creation.js";
export type { ArrayOptions, DTypeOption, Scalar } from "./creation.js";
export { random } from "./random.js";
export { linspace, arangeBlock, linspaceBlock } from "./ranges.js";
export type { LinspaceOptions, RangeBlockOptions, LinspaceBlockOptions } from "./ranges.js";
export type { RandomOptions } from "./random.js";

export { slice } from "./slice.js";
export type { IndexItem, SliceSpec } from "./slice.js";
export { squeeze, expandDims, transpose, reshape, broadcastTo } from "./views.js";
export { broadcastShapes } from "./broadcast.js";

export { copy, ascontiguousarray, astypeNumPy as astype, setRegion } from "./copy.js";
export { concatenate, stack } from "./join.js";
export { take } from "./take.js";
export type { TakeOptions } from "./take.js";
export { maskSelect } from "./mask-select.js";
export { isin } from "./isin.js";
export { digitize } from "./digitize.js";
export type { DigitizeOptions } from "./digitize.js";
export { median, nanmedian } from "./median.js";
export type { MedianOptions } from "./median.js";
export type { IsinOptions, TestElements } from "./isin.js";
export { coarsen, coarsenView } from "./coarsen.js";
export type { CoarsenOptions } from "./coarsen.js";
export type { MaskSelectOptions } from "./mask-select.js";
export { pad } from "./pad.js";
export type { PadMode, PadOptions, PadWidth } from "./pad.js";
export { rot90 } from "./rot90.js";
export type { Rot90Options } from "./rot90.js";
export { eye, tril, triu } from "./triangles.js";
export { tri, trilIndices, triuIndices, trilIndicesFrom, triuIndicesFrom, triangleIndexRange } from "./tri-indices.js";
export type { TriOptions, TriangleIndexOptions, TriangleSpec } from "./tri-indices.js";
export { ediff1d } from "./ediff1d.js";
export type { Ediff1dOptions, EdgeValues } from "./ediff1d.js";
export { vdot } from "./vdot.js";
export { piecewise, fromfunction, fromfunctionBlock } from "./piecewise.js";
export type { Piece, FromfunctionOptions } from "./piecewise.js";
export type { EyeOptions, TriangleOptions } from "./triangles.js";
export { diag, diagonal, trace } from "./diagonal.js";
export type { DiagOptions, DiagonalOptions, TraceOptions } from "./diagonal.js";

export { add, subtract, multiply, divide, floorDivide, remainder, power, maximum, minimum } from "./arithmetic.js";
export { negative, abs, sqrt, exp, log, logicalNot } from "./unary.js";
export { sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh, log1p, expm1, log2, log10 } from "./math-functions.js";
export { floor, ceil, trunc, rint, round } from "./rounding.js";
export type { RoundOptions } from "./rounding.js";
export { sign } from "./sign.js";
export { isnan, isinf, isfinite } from "./classification.js";
export { equal, notEqual, less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr, logicalXor } from "./comparison.js";
export { bitwiseAnd, bitwiseOr, bitwiseXor, invert, bitwiseNot, leftShift, rightShift } from "./bitwise.js";
export { arctan2, hypot, copysign, fmax, fmin } from "./float-binary.js";
export { square, reciprocal, cbrt, exp2 } from "./powers.js";
export { degrees, radians, deg2rad, rad2deg } from "./angles.js";
export { positive, signbit, isposinf, isneginf } from "./sign-bit.js";
export { fmod } from "./fmod.js";
export { logaddexp, logaddexp2 } from "./logaddexp.js";
export { arcsinh, arccosh, arctanh } from "./math-functions.js";
export { sinc, i0, fabs, floatPower } from "./special-functions.js";
export { ldexp, nextafter, spacing, frexp, modf } from "./float-decomposition.js";
export { absolute, around, trueDivide, fix, isnull, notnull, divmod } from "./numpy-aliases.js";
export { nanToNum } from "./nan-to-num.js";
export type { NanToNumOptions } from "./nan-to-num.js";
export { isclose, allclose } from "./isclose.js";
export type { IscloseOptions } from "./isclose.js";
export { where, clip } from "./selection.js";
export { choose, select } from "./choose-select.js";
export type { ClipOptions } from "./selection.js";

export { sum, prod, min, max, argmin, argmax, any, all } from "./reductions.js";
export type { ArgReductionOptions, ReductionOptions } from "./reductions.js";
export { mean, variance, variance as var, std } from "./statistics.js";
export type { VarianceOptions } from "./statistics.js";
export { nansum, nanprod, nanmin, nanmax, nanargmin, nanargmax } from "./nan-reductions.js";
export { nanmean, nanvar, nanstd } from "./nan-statistics.js";
export { tensordot, dot, outer } from "./tensordot.js";
export type { TensordotAxes } from "./tensordot.js";
export { einsum } from "./einsum.js";
export type { EinsumOptions } from "./einsum.js";
export { matmul } from "./matmul.js";
export * as linalg from "./linalg.js";
export { cumsum, cumprod, nancumsum, nancumprod, cumulativeCarry } from "./cumulative.js";
export type { CumulativeOptions } from "./cumulative.js";
export { ptp } from "./ptp.js";
export { average } from "./average.js";
export type { AverageOptions } from "./average.js";
export { unravelIndex, ravelMultiIndex } from "./unravel-index.js";
export type { RavelMultiIndexOptions, ClipMode } from "./unravel-index.js";
export { searchsorted } from "./searchsorted.js";
export type { SearchsortedOptions, SearchSide } from "./searchsorted.js";
export { gradient } from "./gradient.js";
export type { GradientOptions, Spacing } from "./gradient.js";
export { unique, union1d } from "./unique.js";
export type { UniqueOptions } from "./unique.js";
export { bincount } from "./bincount.js";
export type { BincountOptions } from "./bincount.js";
export { nonzero, argwhere, flatnonzero, extract } from "./nonzero.js";
export { cov, corrcoef } from "./covariance.js";
export type { CovOptions, CorrcoefOptions } from "./covariance.js";
export { histogramdd, histogram2d } from "./histogramdd.js";
export type { HistogramddOptions, Histogram2dOptions } from "./histogramdd.js";
export type { BinsEntry } from "./histogram-bins.js";
export { applyAlongAxis, applyOverAxes } from "./apply-along-axis.js";
export type { ApplyAlongAxisOptions, LaneFunction, AxisFunction } from "./apply-along-axis.js";
export { MaskedNDArray, type NestedMasked } from "./masked-ndarray.js";
export type { FillValue } from "./masked-fill-value.js";

export { complex, real, imag, conj, conjugate, angle, iscomplex, isreal, complexSupport } from "./complex.js";
export type { AngleOptions } from "./complex.js";
export { complexDTypes } from "./dtype.js";
export type { ComplexValue } from "./ndarray.js";
export * as fft from "./fft.js";
