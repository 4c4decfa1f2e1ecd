// Public entry point `tessera/array`: lazy chunked arrays (dask.array's counterpart).
import { tokenize } from "../core/ids.js";
import { refuseUnknownOptions } from "./option-checks.js";
import * as nd from "../ndarray/index.js";
import type { DType } from "../ndarray/dtype.js";
import { dtypeInfo, toDType } from "../ndarray/dtype.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { LazyArray, mapBlocksOf, storeArrays, type MapBlocksOptions } from "./array.js";
import { strictBinary } from "./ufuncs.js";
import { withArgumentCount } from "./argument-count.js";
import { normalizeChunks, type ChunkSpec } from "./chunks.js";
import { checkArrayShape } from "./limits.js";
import { FillExpr, FromArrayExpr } from "./sources.js";
import { concatenateNodes, stackNodes } from "./concatenate.js";
import { arangeNode, linspaceNode, type LinspaceRangeOptions, type RangeOptions } from "./ranges.js";
import { filledLike, fillOf, type LikeOptions } from "./like.js";
import { coarsenNode, type CoarsenCallOptions } from "./coarsen.js";
import type { MapOverlapOptions } from "./map-overlap.js";
import { checkOperands, dotNode, tensordotNode, type ContractionOptions } from "./tensordot.js";
import type { TensordotAxes } from "../ndarray/tensordot.js";
import { matmulNode } from "./matmul.js";
import { einsumNode, type EinsumCallOptions } from "./einsum.js";

// Dask's Array methods that are ta functions (x.cumsum(0), x.topk(5), x.vindex(...), …), on every array.
import "./array-methods.js";
// Then every method refuses arguments beyond its own (x.add(y, { dtype }) must not pass unseen).
import "./method-arguments.js";
// The functions of a fixed number of arguments, refusing more (ta.ravel(x, "F") must not pass unseen).
export {
  flip, flipud, fliplr, moveaxis, swapaxes, expandDims, squeeze, ravel, roll, block, choose, real, imag, conjugate, conj, iscomplex, isreal, iscomplexobj,
  argwhere, nonzero, flatnonzero, extract, vstack, hstack, dstack, tile, shape, ndim, transpose, rollaxis, where, clip, union1d,
} from "./function-arguments.js";

export { LazyArray as Array, storeArrays as store };
export type { VindexItem } from "./vindex.js";
export type { BlockView, BlockIndexItem } from "./block-view.js";
export { compute, persist } from "./collection-calls.js";
export { fromZarr } from "./from-zarr.js";
export { fromHdf5, type FromHdf5Options } from "./from-hdf5.js";
export { toHdf5, type ToHdf5Options } from "./to-hdf5.js";
export { Hdf5ExistsError, Hdf5FileChangedError, Hdf5FormatError, Hdf5NotFoundError, Hdf5UnsupportedError } from "../hdf5/index.js";
export { fromDelayed, type FromDelayedOptions } from "./from-delayed.js";
export type { NestedDelayed } from "./to-delayed.js";
export { toOmeZarr, type ToOmeZarrOptions, type OmeZarrWritten } from "./to-ome-zarr.js";
export { fromOmeZarr, type FromOmeZarrOptions, type OmeZarrImage } from "./from-ome-zarr.js";
export type { DownsampleMethod } from "./ome-zarr-pyramid.js";
export type { OmeAxis } from "../zarr/index.js";
export type { ExecuteOptions, MapBlocksOptions, IndexItem } from "./array.js";
export type { NanToNumOptions, IscloseOptions } from "../ndarray/index.js";
export type { MapOverlapOptions, BoundarySpec } from "./map-overlap.js";
export type { ReductionCallOptions } from "./reductions.js";
export type { RegionItem, StoreTarget, ToZarrOptions } from "./store.js";
export { toZarrProgress } from "./resume.js";
export * as ndimage from "./ndimage.js";
export * as linalg from "./linalg.js";
export * as ma from "./ma/index.js";
export type { ChunkSpec } from "./chunks.js";
export type { RangeOptions, LinspaceRangeOptions } from "./ranges.js";
export type { LikeOptions } from "./like.js";
export type { CoarsenCallOptions } from "./coarsen.js";
export type { ContractionOptions } from "./tensordot.js";
export type { EinsumCallOptions } from "./einsum.js";
export type { TensordotAxes } from "../ndarray/tensordot.js";
export {
  sqrt, exp, log, log1p, expm1, log2, log10, sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh,
  floor, ceil, trunc, rint, round, abs, negative, sign, isnan, isinf, isfinite, logicalNot,
  power, floorDivide, remainder, mod,
  logicalAnd, logicalOr, logicalXor, bitwiseAnd, bitwiseOr, bitwiseXor, invert, bitwiseNot, leftShift, rightShift,
  arctan2, hypot, copysign, fmax, fmin,
  square, reciprocal, cbrt, exp2, degrees, radians, deg2rad, rad2deg, positive, signbit, isposinf, isneginf,
  fmod, logaddexp, logaddexp2, nanToNum, isclose, allclose,
} from "./ufuncs.js";
export {
  equal, notEqual, greater, greaterEqual, less, lessEqual, arcsinh, arccosh, arctanh, sinc, i0, fabs, spacing, notnull, floatPower, ldexp, nextafter,
  absolute, around, fix, isnull,
} from "./ufuncs-extra.js";
export { frexp, modf, divmod } from "./two-outputs.js";
export { tri, trilIndices, triuIndices, trilIndicesFrom, triuIndicesFrom } from "./tri-indices.js";
export type { LazyTriOptions, LazyTriangleIndexOptions } from "./tri-indices.js";
export { ediff1d } from "./ediff1d.js";
export type { Ediff1dOptions, EdgeValues } from "../ndarray/ediff1d.js";
export { vdot } from "./vdot.js";
export { unifyChunks } from "./unify-chunks.js";
export { blockwise } from "./user-blockwise.js";
export { reduction } from "./user-reduction.js";
export type { UserReductionOptions } from "./user-reduction.js";
export type { BlockwiseOptions, BlockwiseIndex, AdjustChunk, IndexToken } from "./user-blockwise.js";
export { resultType } from "./result-type.js";
export { piecewise, fromfunction } from "./piecewise.js";
export type { LazyFromfunctionOptions } from "./piecewise.js";
export type { Piece, FromfunctionOptions } from "../ndarray/index.js";

/** NumPy's np.newaxis for get(): a new axis of length 1. */
export const newaxis = null;
/** NumPy's Ellipsis (`...`) for get(): as many ":" as the axes not otherwise indexed. */
export const ellipsis = "...";

/** Chunks an in-memory NDArray (each block travels with its task). */
export function fromArray(data: NDArray, options: { chunks?: ChunkSpec } = {}): LazyArray {
  refuseUnknownOptions("fromArray", options, ["chunks"]);
  const chunks = normalizeChunks(options.chunks ?? "auto", data.shape, data.itemsize);
  return new LazyArray(`array-${tokenize(data, chunks)}`, data.shape, chunks, data.dtype, new FromArrayExpr(data));
}

export interface CreationOptions {
  chunks?: ChunkSpec;
  dtype?: DType | string;
}

function filled(kind: string, shape: number[], options: CreationOptions, fill: { value: number } | { random: number }, defaultDtype: DType): LazyArray {
  refuseUnknownOptions(kind, options, kind === "random" ? ["chunks", "dtype", "seed"] : ["chunks", "dtype"]);
  checkArrayShape(shape, kind);
  const dtype = options.dtype !== undefined ? toDType(options.dtype, `${kind} dtype`) : defaultDtype;
  const chunks = normalizeChunks(options.chunks ?? "auto", shape, dtypeInfo(dtype).itemsize, undefined, kind);
  return new LazyArray(`${kind}-${tokenize(shape, chunks, dtype, fill)}`, shape, chunks, dtype, new FillExpr(fill));
}

export const zeros = (shape: number[], options: CreationOptions = {}): LazyArray => filled("zeros", shape, options, { value: 0 }, "float64");
export const ones = (shape: number[], options: CreationOptions = {}): LazyArray => filled("ones", shape, options, { value: 1 }, "float64");
/**
 * np.full: in the value's dtype unless given — bool for a boolean, int64 for a bigint, float64
 * for a number (3 and 3.0 are one JS value; pass dtype "int64" for Dask's int64 from a Python int).
 */
export function full(shape: number[], value: number | bigint | boolean, options: CreationOptions = {}): LazyArray {
  const natural: DType = typeof value === "boolean" ? "bool" : typeof value === "bigint" ? "int64" : "float64";
  return filled("full", shape, options, fillOf("full", value, options.dtype !== undefined ? toDType(options.dtype, "full dtype") : natural), natural);
}
/** da.empty: the values are unspecified in Dask; here they are zeros (a fill costs no more). */
export const empty = (shape: number[], options: CreationOptions = {}): LazyArray => filled("empty", shape, options, { value: 0 }, "float64");
/** Uniform random numbers in [0, 1), deterministic for a seed (each block seeded by its index). */
export const random = (shape: number[], options: CreationOptions & { seed?: number } = {}): LazyArray =>
  filled("random", shape, options, { random: options.seed ?? Math.floor(Math.random() * 2 ** 31) }, "float64");

/** fn applied block by block to one or more arrays (matched by block index). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function mapBlocks(fn: Function, arrays: LazyArray | LazyArray[], options: MapBlocksOptions = {}, fnOptions?: Record<string, unknown>): LazyArray {
  return mapBlocksOf(fn, Array.isArray(arrays) ? arrays : [arrays], options, fnOptions);
}

/** fn applied to each block extended by `depth` cells of its neighbours, then trimmed. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function mapOverlap(fn: Function, array: LazyArray, options: MapOverlapOptions, fnOptions?: Record<string, unknown>): LazyArray {
  return array.mapOverlap(fn, options, fnOptions);
}

export const add = strictBinary("add", nd.add);
export const subtract = strictBinary("subtract", nd.subtract);
export const multiply = strictBinary("multiply", nd.multiply);
export const divide = strictBinary("divide", nd.divide);
/** np.true_divide: divide. */
export const trueDivide = divide;
export const maximum = strictBinary("maximum", nd.maximum);
export const minimum = strictBinary("minimum", nd.minimum);

/** The array's elements in C order under a new shape (one length may be -1), as Dask reshapes. */
export const reshape = withArgumentCount("ta.reshape", ["x", "shape"], (x: LazyArray, shape: readonly number[] | number): LazyArray => x.reshape(shape));

/** Joins arrays along an existing axis (default 0), promoting dtypes as NumPy. */
export function concatenate(arrays: readonly LazyArray[], axis = 0): LazyArray {
  return LazyArray.of(concatenateNodes(arrays, axis));
}

/** Joins arrays of one shape along a new axis (default 0). */
export function stack(arrays: readonly LazyArray[], axis = 0): LazyArray {
  return LazyArray.of(stackNodes(arrays, axis));
}

/** `arange(stop)`, `arange(start, stop)`, `arange(start, stop, step)`, with `{ chunks, dtype }` last; NumPy's values. */
export function arange(...args: Array<number | RangeOptions>): LazyArray {
  return LazyArray.of(arangeNode(args));
}

/** `linspace(start, stop, num = 50, { endpoint, chunks, dtype })`; NumPy's values. */
export function linspace(start: number, stop: number, num = 50, options: LinspaceRangeOptions = {}): LazyArray {
  return LazyArray.of(linspaceNode(start, stop, num, options));
}

export const zerosLike = (a: LazyArray | NDArray, options: LikeOptions = {}): LazyArray => LazyArray.of(filledLike("zeros_like", a, 0, options));
export const onesLike = (a: LazyArray | NDArray, options: LikeOptions = {}): LazyArray => LazyArray.of(filledLike("ones_like", a, 1, options));
/** Zeros: tessera never hands out uninitialised memory. */
export const emptyLike = (a: LazyArray | NDArray, options: LikeOptions = {}): LazyArray => LazyArray.of(filledLike("empty_like", a, 0, options));
export const fullLike = (a: LazyArray | NDArray, value: number | bigint | boolean, options: LikeOptions = {}): LazyArray =>
  LazyArray.of(filledLike("full_like", a, value, options));

/**
 * Block reduction (dask.array.coarsen): `coarsen(nd.mean, x, { 0: 2, 1: 2 })` averages 2×2
 * groups. `axes` gives a factor per axis ({ axis: factor } or one per axis); the reduction is a
 * function called as `reduction(block, { axis })`, such as nd.sum, nd.mean, nd.max.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function coarsen(reduction: Function, x: LazyArray, axes: Readonly<Record<number, number>> | readonly number[], options: CoarsenCallOptions = {}): LazyArray {
  return LazyArray.of(coarsenNode(reduction, x, axes, options));
}

export { zoom, shift, affineTransform, mapCoordinates } from "./ndimage.js";
export { nansum, nanprod, nanmin, nanmax, nanmean, nanvar, nanstd, argmin, argmax, nanargmin, nanargmax, any, all, countNonzero } from "./reduction-functions.js";
export { sum, prod, mean, max, min, amax, amin, std, var, ptp } from "./reduction-functions.js";
export { average } from "./average.js";
export { unravelIndex, ravelMultiIndex } from "./unravel-index.js";
export { searchsorted } from "./searchsorted.js";
export type { SearchsortedOptions, SearchSide } from "../ndarray/searchsorted.js";
export type { RavelMultiIndexOptions, ClipMode } from "../ndarray/unravel-index.js";
export type { LazyAverageOptions } from "./average.js";
export { pad } from "./pad.js";
export { rot90 } from "./rot90.js";
export { eye, tril, triu } from "./triangles.js";
export type { LazyEyeOptions } from "./triangles.js";
export { diag, diagonal, trace } from "./diagonal.js";
export type { Rot90Options } from "../ndarray/rot90.js";
export type { TriangleOptions } from "../ndarray/triangles.js";
export type { DiagOptions, DiagonalOptions, TraceOptions } from "../ndarray/diagonal.js";
export type { PadMode, PadOptions, PadWidth } from "../ndarray/pad.js";
export type { IsinOptions, TestElements } from "../ndarray/isin.js";
export { isin } from "./isin.js";
export { digitize } from "./digitize.js";
export type { DigitizeOptions } from "../ndarray/digitize.js";
export { median, nanmedian } from "./median.js";
export { broadcastTo, broadcastArrays, meshgrid, indices } from "./broadcast-to.js";
export type { MeshgridOptions } from "./broadcast-to.js";
export { repeat } from "./tile-repeat.js";
export { atleast1d, atleast2d, atleast3d } from "./stacking.js";
export type { MedianCallOptions } from "./median.js";
export type { LazyInterpolationOptions } from "./ndimage-interpolation.js";
export { percentile, histogram } from "./statistics.js";
export { cumsum, cumprod, nancumsum, nancumprod } from "./cumulative.js";
export type { CumulativeOptions } from "../ndarray/cumulative.js";
export { diff } from "./diff.js";
export type { DiffOptions, DiffEdge } from "./diff.js";
export { gradient } from "./gradient.js";
export type { GradientOptions, Spacing as GradientSpacing } from "../ndarray/gradient.js";
export type { PercentileCallOptions, HistogramCallOptions } from "./statistics.js";

/** NumPy's tensordot(a, b, axes = 2), chunked as dask.array's: partial products per block pair, summed by a tree reduction. */
export const tensordot = (a: LazyArray, b: LazyArray, axes: TensordotAxes = 2, options: ContractionOptions = {}): LazyArray => LazyArray.of(tensordotNode(a, b, axes, options));
/** NumPy's dot, chunked (`a.dot(b)`). */
export const dot = (a: LazyArray, b: LazyArray, options: ContractionOptions = {}): LazyArray => LazyArray.of(dotNode(a, b, options));
/** NumPy's matmul (`a @ b`), chunked (`a.matmul(b)`). */
export const matmul = (a: LazyArray, b: LazyArray, options: ContractionOptions = {}): LazyArray => LazyArray.of(matmulNode(a, b, options));
/** NumPy's outer: every element of a (flattened) times every element of b (flattened), chunked as their blocks. */
export const outer = withArgumentCount("ta.outer", ["a", "b"], (a: LazyArray, b: LazyArray): LazyArray => {
  checkOperands("outer", a, b);
  return LazyArray.of(tensordotNode(a.ndim === 1 ? a : a.reshape([-1]), b.ndim === 1 ? b : b.reshape([-1]), 0));
});
/** NumPy's einsum, chunked as dask.array's: einsum per block over the output and contracted labels, then a tree sum. Options, if any, come last. */
export function einsum(subscripts: string, ...rest: Array<LazyArray | EinsumCallOptions>): LazyArray {
  const last = rest[rest.length - 1];
  // Only a plain object is options: an NDArray or anything else given last is an operand (and refused as one).
  const hasOptions = typeof last === "object" && last !== null && Object.getPrototypeOf(last) === Object.prototype;
  return LazyArray.of(einsumNode(subscripts, (hasOptions ? rest.slice(0, -1) : rest) as LazyArray[], hasOptions ? (last as EinsumCallOptions) : {}));
}
export { take, compress } from "./take-compress.js";
export type { TakeCallOptions } from "./take-compress.js";
export { insert, deleteItems as delete, append } from "./insert-delete.js";
export type { AxisOption as InsertDeleteOptions, Positions, InsertValues } from "./insert-delete.js";
export type { BlockArrays } from "./block.js";
export { select } from "./choose-select.js";
export { unique } from "./unique.js";
export { bincount } from "./bincount.js";
export type { LazyBincountOptions } from "./bincount.js";
export type { UniqueOptions } from "../ndarray/unique.js";
export { cov, corrcoef } from "./covariance.js";
export type { CovOptions, CorrcoefOptions } from "../ndarray/covariance.js";
export { histogramdd, histogram2d } from "./histogramdd.js";
export type { LazyHistogramddOptions, LazyHistogram2dOptions } from "./histogramdd.js";
export { applyAlongAxis, applyOverAxes } from "./apply-along-axis.js";
export type { LazyApplyAlongAxisOptions, LazyAxisFunction } from "./apply-along-axis.js";
export { applyGufunc } from "./gufunc.js";
export type { ApplyGufuncOptions, GufuncResult } from "./gufunc.js";
export { gufunc, asGufunc } from "./gufunc-class.js";
export type { Gufunc, GufuncCallOptions } from "./gufunc-class.js";
export { topk, argtopk } from "./topk.js";
export type { TopkCallOptions } from "./topk.js";
export { moment } from "./moment.js";
export type { MomentCallOptions } from "./moment.js";
export { asarray, asanyarray, array, rechunk, toZarr } from "./toplevel-forms.js";
export type { AsarrayOptions } from "./toplevel-forms.js";
export { toNpyStack, fromNpyStack, NpyStackError } from "./npy-stack.js";
export type { ToNpyStackOptions, FromNpyStackOptions } from "./npy-stack.js";
export { NpyFormatError } from "../ndarray/npy-format.js";
export { angle } from "./complex.js";
export * as fft from "./fft.js";
// Dask's da.overlap module: overlap, trimInternal, boundaries, … (map_overlap's pieces).
export * as overlap from "./overlap-api.js";
