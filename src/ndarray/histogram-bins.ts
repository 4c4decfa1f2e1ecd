/**
 * The bins of NumPy 1.24's histogramdd, per dimension, and the counting rule:
 * - a number of bins n: edges linspace(min, max, n + 1) over the given range, or over the
 *   data's own min and max (eager only); a range with min equal to max is widened by 0.5 each
 *   way, as NumPy's _get_outer_edges does. The edges are float64, or float32 when they come
 *   from float32 data's own range (NumPy's linspace of float32 scalars, computed in float32);
 * - explicit edges (non-decreasing), kept in their dtype.
 * A value x falls in bin i when edges[i] ≤ x < edges[i + 1] (searchsorted, side right), a value
 * equal to the last edge in the last bin, NaN and values outside in none. A sample counts when
 * every coordinate falls in a bin; with weights, its weight (as float64) is added in sample
 * order, as np.bincount adds them.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, dtypeInfo } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";
import { linspace } from "./ranges.js";

/** One dimension's bins as given: a number of bins, or the edges. */
export type BinsEntry = number | readonly number[] | NDArray;

export interface DimensionBins {
  /** The edges' values (exact in float64 for float32 and integer edges below 2^53). */
  edges: number[];
  dtype: DType;
}

/** NumPy's linspace of float32 scalars: step and sums rounded to float32 at each step. */
function float32Linspace(first: number, last: number, num: number): number[] {
  const div = num - 1;
  const delta = Math.fround(last - first);
  const step = Math.fround(delta / div);
  const out = Array.from({ length: num }, (_, i) => (step === 0 ? Math.fround(Math.fround(Math.fround(i / div) * delta) + first) : Math.fround(Math.fround(i * step) + first)));
  if (num > 1) out[num - 1] = last;
  return out;
}

function edgesOfEntry(entry: NDArray | readonly number[], what: string, dimension: number): DimensionBins {
  const array = entry instanceof NDArray ? entry : null;
  if (array && array.shape.length !== 1) throw new InvalidOptionError(`${what}: bins[${dimension}] must be a number or 1-d edges, got shape [${array.shape.join(", ")}]`);
  const edges = array ? Array.from(array.toTypedArray() as unknown as ArrayLike<number | bigint>, Number) : (entry as readonly number[]).map(Number);
  if (array && dtypeInfo(array.dtype).kind === "b") throw new InvalidOptionError(`${what}: bins[${dimension}] is bool; give number edges`);
  if (edges.length < 1) throw new InvalidOptionError(`${what}: bins[${dimension}] has no edges`);
  if (edges.some((edge, i) => Number.isNaN(edge) || (i > 0 && edges[i - 1] > edge))) {
    throw new InvalidOptionError(`${what}: bins[${dimension}] must be monotonically increasing, when an array`);
  }
  return { edges, dtype: array ? array.dtype : "float64" };
}

/** The outer edges of one dimension: the range given, or the data's own (`dataRange`, eager). */
function outerEdges(what: string, range: readonly [number, number] | null | undefined, dataRange: (() => [number, number]) | undefined): [number, number] {
  let first: number;
  let last: number;
  if (range !== null && range !== undefined) {
    if (!Array.isArray(range) || range.length !== 2) throw new InvalidOptionError(`${what}: range should be a sequence of [min, max] pairs, got ${JSON.stringify(range)}`);
    [first, last] = range.map(Number);
    if (first > last) throw new InvalidOptionError(`${what}: max must be larger than min in range parameter, got [${first}, ${last}]`);
    if (!Number.isFinite(first) || !Number.isFinite(last)) throw new InvalidOptionError(`${what}: supplied range of [${first}, ${last}] is not finite`);
  } else {
    if (dataRange === undefined) throw new InvalidOptionError(`${what}: a number of bins needs a range for chunked data (Dask's histogramdd does not read the data for it)`);
    [first, last] = dataRange();
    if (!Number.isFinite(first) || !Number.isFinite(last)) throw new InvalidOptionError(`${what}: autodetected range of [${first}, ${last}] is not finite`);
  }
  return [first, last];
}

/**
 * One dimension's bins. `dataRange` gives the data's min and max (and whether they are float32)
 * for the eager form when no range is given; the chunked form has none, as Dask. `widen`: the
 * counting edges (NumPy widens an empty range by 0.5 each way; Dask's returned edges do not).
 */
export function dimensionBins(
  what: string, dimension: number, entry: BinsEntry, range: readonly [number, number] | null | undefined,
  dataRange: (() => { first: number; last: number; float32: boolean }) | undefined, widen: boolean,
): DimensionBins {
  if (typeof entry !== "number") {
    if (entry === null || typeof entry !== "object") throw new InvalidOptionError(`${what}: bins[${dimension}] must be a number of bins or the edges, got ${JSON.stringify(entry)}`);
    return edgesOfEntry(entry, what, dimension);
  }
  if (!Number.isInteger(entry)) throw new InvalidOptionError(`${what}: bins[${dimension}] must be an integer, when a scalar, got ${entry}`);
  if (entry < 1) throw new InvalidOptionError(`${what}: bins[${dimension}] must be positive, when an integer, got ${entry}`);
  let float32 = false;
  let [first, last] = outerEdges(`${what}: range[${dimension}]`, range, dataRange && (() => {
    const found = dataRange();
    float32 = found.float32;
    return [found.first, found.last];
  }));
  if (widen && first === last) {
    first = float32 ? Math.fround(first - 0.5) : first - 0.5;
    last = float32 ? Math.fround(last + 0.5) : last + 0.5;
  }
  if (float32) return { edges: float32Linspace(first, last, entry + 1), dtype: "float32" };
  return { edges: Array.from(linspace(first, last, entry + 1).toTypedArray() as Float64Array), dtype: "float64" };
}

/** searchsorted(edges, x, side="right"), the last edge folded into the last bin: −1 outside. */
export function binOf(edges: readonly number[], x: number): number {
  if (!(x >= edges[0] && x <= edges[edges.length - 1])) return -1;
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Counts (or summed weights) of the samples, C order over the bins of every dimension. */
export function countSamples(columns: ReadonlyArray<ArrayLike<number | bigint>>, weights: ArrayLike<number | bigint> | null, edges: readonly (readonly number[])[]): Float64Array {
  const nbins = edges.map((e) => e.length - 1);
  const counts = new Float64Array(nbins.reduce((a, b) => a * b, 1));
  const n = columns.length === 0 ? 0 : columns[0].length;
  sample: for (let k = 0; k < n; k++) {
    let flat = 0;
    for (let d = 0; d < columns.length; d++) {
      const bin = binOf(edges[d], Number(columns[d][k]));
      if (bin < 0) continue sample;
      flat = flat * nbins[d] + bin;
    }
    counts[flat] += weights === null ? 1 : Number(weights[k]);
  }
  return counts;
}

/** The edges as an NDArray of their dtype. */
export function edgesArray(bins: DimensionBins): NDArray {
  const out = empty([bins.edges.length], bins.dtype);
  const data = out.data as unknown as Array<number | bigint>;
  const big = dtypeInfo(bins.dtype).itemsize === 8 && dtypeInfo(bins.dtype).kind !== "f";
  bins.edges.forEach((edge, i) => (data[i] = big ? BigInt(edge) : edge));
  return out;
}

/** np.diff of the edges in their dtype, as a float64 divisor (float32 widths rounded to float32). */
export function binWidths(bins: DimensionBins): number[] {
  const single = bins.dtype === "float32";
  return bins.edges.slice(1).map((edge, i) => (single ? Math.fround(edge - bins.edges[i]) : edge - bins.edges[i]));
}
