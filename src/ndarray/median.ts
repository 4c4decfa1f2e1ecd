/**
 * np.median and np.nanmedian (NumPy 1.24) over all elements or along axes, value for value:
 * - median: the middle element, or the mean of the two middle ones — summed then halved in
 *   the result dtype (float32 stays float32; integers and bools become float64 first, so an
 *   int64 past 2^53 rounds as NumPy's float64 mean rounds it). A lane holding NaN gives NaN;
 *   an empty lane gives NaN.
 * - nanmedian: the median of a lane's non-NaN values (NaN when there are none). NumPy takes
 *   one of two routes and they differ for an odd count of floats: lanes shorter than 600 of an
 *   array that keeps an axis go through np.ma.median, which halves (h + h) — infinite past
 *   half the largest float; the others take np.median of the lane's non-NaN values. Both
 *   routes are reproduced, so a block gives what NumPy gives for that block.
 * The middle elements are chosen exactly (BigInt for int64/uint64). Between −0 and 0, NumPy's
 * partition may pick either; this picks by a sort (−0 first).
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { InvalidOptionError } from "../core/errors.js";
import { normalizeAxes } from "./axes.js";
import { ascontiguousarray } from "./copy.js";
import { type DType, type TypedArray, dtypeInfo } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";
import { transpose } from "./views.js";

export interface MedianOptions {
  /** Axes to reduce (all when absent or null). */
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/** NumPy's nanmedian goes through np.ma.median for lanes shorter than this. */
const nanmedianSmallLane = 600;

/** float32 stays float32; everything else is computed and returned in float64. */
function medianDtype(dtype: DType): DType {
  return dtype === "float32" ? "float32" : "float64";
}

interface Lanes {
  values: TypedArray;
  length: number;
  count: number;
  outShape: number[];
}

/** The array with its reduced axes moved last and made contiguous: one lane per result element. */
function lanesOf(a: NDArray, options: MedianOptions, what: string): Lanes & { kept: number } {
  if (!(a instanceof NDArray)) throw new InvalidOptionError(`${what}: expected an NDArray`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (key !== "axis" && key !== "keepdims") throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes axis, keepdims`);
  }
  const axes = normalizeAxes(options.axis, a.ndim, what);
  const kept = a.shape.map((_, axis) => axis).filter((axis) => !axes.includes(axis));
  const moved = ascontiguousarray(transpose(a, [...kept, ...axes]));
  const length = axes.reduce((n, axis) => n * a.shape[axis], 1);
  const count = kept.reduce((n, axis) => n * a.shape[axis], 1);
  const outShape = options.keepdims ? a.shape.map((n, axis) => (axes.includes(axis) ? 1 : n)) : kept.map((axis) => a.shape[axis]);
  return { values: moved.toTypedArray(), length, count, outShape, kept: kept.length };
}

/** In the result dtype: float32 rounds every step, float64 is JS arithmetic. */
function halfSum(low: number, high: number, dtype: DType): number {
  return dtype === "float32" ? Math.fround(Math.fround(low + high) / 2) : (low + high) / 2;
}

/** The sorted lane (NaN last, as a typed array sorts), and how many of it are not NaN. */
function sortedLane(lanes: Lanes, index: number): { sorted: TypedArray; finiteCount: number } {
  const sorted = lanes.values.slice(index * lanes.length, (index + 1) * lanes.length);
  sorted.sort();
  let finiteCount = sorted.length;
  while (finiteCount > 0 && Number.isNaN(sorted[finiteCount - 1] as number)) finiteCount--;
  return { sorted, finiteCount };
}

function middle(sorted: TypedArray, count: number, dtype: DType, doubledOdd: boolean): number {
  if (count === 0) return NaN;
  const high = Number(sorted[count >> 1]);
  if (count % 2 === 1) return doubledOdd ? halfSum(high, high, dtype) : high;
  return halfSum(Number(sorted[(count >> 1) - 1]), high, dtype);
}

function reduceLanes(a: NDArray, options: MedianOptions, what: string, ignoreNaN: boolean): NDArray {
  const lanes = lanesOf(a, options, what);
  const dtype = medianDtype(a.dtype);
  const out = empty(lanes.outShape, dtype);
  const data = out.data as Float32Array | Float64Array;
  const floats = dtypeInfo(a.dtype).kind === "f";
  // np.ma.median's (h + h) / 2 route: see the module comment.
  const viaMasked = ignoreNaN && floats && lanes.kept > 0 && lanes.length < nanmedianSmallLane;
  for (let i = 0; i < lanes.count; i++) {
    const { sorted, finiteCount } = sortedLane(lanes, i);
    if (!ignoreNaN && finiteCount < sorted.length) data[i] = NaN;
    else data[i] = middle(sorted, finiteCount, dtype, viaMasked);
  }
  return out;
}

/** np.median(a, axis, keepdims). */
export const median = definePublicBuiltin("median", function median(a: NDArray, options: MedianOptions = {}): NDArray {
  return reduceLanes(a, options, "median", false);
});

/** np.nanmedian(a, axis, keepdims). */
export const nanmedian = definePublicBuiltin("nanmedian", function nanmedian(a: NDArray, options: MedianOptions = {}): NDArray {
  return reduceLanes(a, options, "nanmedian", true);
});
