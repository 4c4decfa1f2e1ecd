/**
 * Dask's approximate percentile of a 1-d chunked array (dask.array.percentile, Dask 2022.12),
 * in its three steps:
 * - each block: NumPy 1.24's np.percentile at [0, q…, 100] (methods linear, lower, higher,
 *   midpoint, nearest), with the block's length; a block holding NaN gives NaN throughout;
 * - partials are only collected (Dask merges all blocks in one task; the list is small);
 * - the merge (Dask's merge_percentiles): every block's values, weighted by the share of the
 *   block each percentile step covers, are sorted, their weights summed cumulatively, and the
 *   wanted percentiles read off: by NumPy's interp for linear, by searchsorted for the others.
 * With one block this is NumPy's exact percentile; with several it is Dask's approximation.
 * Two departures from Dask, where its answer is wrong: q may come in any order (sorted for the
 * blocks, see blockQuantiles), and data holding NaN gives NaN (NumPy's answer on the whole).
 * The result is float64 for linear and midpoint, the input dtype for the others (what both
 * compute; Dask's declared dtype says the input's float dtype for linear, but it computes
 * float64).
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { type DType, dtypeInfo } from "./dtype.js";
import { full } from "./creation.js";
import { NDArray, empty } from "./ndarray.js";
import { numpyArgsort } from "./numpy-argsort.js";

export const percentileMethods = ["linear", "lower", "higher", "midpoint", "nearest"] as const;
export type PercentileMethod = (typeof percentileMethods)[number];

export interface PercentileOptions {
  /** The wanted percentiles, in percent. */
  q: number[];
  method: PercentileMethod;
}

/** One block's percentiles at [0, q…, 100] and its length (values null for an empty block). */
export interface PercentilePart {
  values: NDArray | null;
  count: number;
  /**
   * Whether the block holds NaN (then its values are all NaN). Its values may be NaN without:
   * NumPy interpolates −inf and −inf, or inf and inf, to NaN; Dask merges those as they are.
   */
  holdsNaN?: boolean;
}

export interface PercentilePartial {
  parts: PercentilePart[];
}

/**
 * The percentiles every block computes: the wanted ones in ascending order, with 0 and 100
 * around them. The merge weighs each value by the step to the previous percentile, so they
 * must ascend (Dask takes q in the caller's order, and for unsorted q merges with negative
 * weights into wrong values; each wanted percentile is read off on its own, so sorting here
 * changes nothing else).
 */
export function blockQuantiles(q: readonly number[]): number[] {
  return [0, ...[...q].sort((a, b) => a - b), 100];
}

export function percentileResultDType(dtype: DType, method: PercentileMethod): DType {
  return method === "linear" || method === "midpoint" ? "float64" : dtype;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** b − a as NumPy computes it in the input's dtype (integers wrap, float32 rounds). */
function differenceIn(dtype: DType, a: number | bigint, b: number | bigint): number {
  if (typeof a === "bigint") return Number(dtype === "uint64" ? BigInt.asUintN(64, (b as bigint) - a) : BigInt.asIntN(64, (b as bigint) - a));
  const d = (b as number) - a;
  const { kind, itemsize } = dtypeInfo(dtype);
  if (kind === "f") return itemsize === 4 ? Math.fround(d) : d;
  const span = 2 ** (8 * itemsize);
  if (kind === "u" || kind === "b") return ((d % span) + span) % span;
  const wrapped = ((d % span) + span) % span;
  return wrapped >= span / 2 ? wrapped - span : wrapped;
}

/** NumPy 1.24's np.percentile(block, qs, method) of a 1-d block with at least one element. */
export function numpyPercentiles(block: NDArray, qs: readonly number[], method: PercentileMethod): NDArray {
  return percentilesOf(block, qs, method).values;
}

function percentilesOf(block: NDArray, qs: readonly number[], method: PercentileMethod): { values: NDArray; hasNaN: boolean } {
  const sorted = block.toTypedArray().slice().sort();
  const n = sorted.length;
  const hasNaN = dtypeInfo(block.dtype).kind === "f" && Number.isNaN(sorted[n - 1] as number);
  const out = empty([qs.length], percentileResultDType(block.dtype, method));
  const values = out.data as unknown as Array<number | bigint>;
  qs.forEach((q, i) => {
    const quantile = q / 100;
    const virtual = (n - 1) * quantile;
    if (method === "lower" || method === "higher" || method === "nearest") {
      const index = method === "lower" ? Math.floor(virtual) : method === "higher" ? Math.ceil(virtual) : roundHalfEven(virtual);
      values[i] = hasNaN ? NaN : sorted[index];
      return;
    }
    const at = method === "midpoint" ? 0.5 * (Math.floor(virtual) + Math.ceil(virtual)) : virtual;
    // NumPy's _get_indexes: past the last element both neighbours are the last (index −1).
    let previousIndex = Math.floor(at);
    let nextIndex = previousIndex + 1;
    if (at >= n - 1) previousIndex = nextIndex = -1;
    else if (at < 0) previousIndex = nextIndex = 0;
    const gamma = method === "midpoint" ? (at % 1 === 0 ? 0 : 0.5) : at - previousIndex;
    const a = sorted[previousIndex < 0 ? n - 1 : previousIndex];
    const b = sorted[nextIndex < 0 ? n - 1 : nextIndex];
    // NumPy's _lerp: b − a in the input dtype, then float64.
    const difference = differenceIn(block.dtype, a, b);
    values[i] = hasNaN ? NaN : gamma >= 0.5 ? Number(b) - difference * (1 - gamma) : Number(a) + difference * gamma;
  });
  return { values: out, hasNaN };
}

/** NumPy's interp(x, xp, fp) for one x (xp non-decreasing). */
function interp(x: number, xp: Float64Array, fp: Float64Array): number {
  const last = xp.length - 1;
  if (x > xp[last]) return fp[last];
  if (x < xp[0]) return fp[0];
  // The last j with xp[j] <= x.
  let lo = 0;
  let hi = xp.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid] <= x) lo = mid;
    else hi = mid;
  }
  const j = lo;
  if (j === last || xp[j] === x) return fp[j];
  const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  let result = slope * (x - xp[j]) + fp[j];
  if (Number.isNaN(result)) {
    result = slope * (x - xp[j + 1]) + fp[j + 1];
    if (Number.isNaN(result) && fp[j] === fp[j + 1]) result = fp[j];
  }
  return result;
}

/** NumPy's searchsorted of x in the non-decreasing xs, side left or right. */
function searchSorted(xs: Float64Array, x: number, side: "left" | "right"): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (side === "left" ? xs[mid] < x : xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Dask's merge_percentiles of the blocks' parts, at the wanted percentiles `q`. */
export function mergePercentiles(parts: readonly PercentilePart[], q: readonly number[], method: PercentileMethod, dtype: DType): NDArray {
  const calcQ = blockQuantiles(q);
  const used = parts.filter((part) => part.count > 0 && part.values !== null);
  if (used.length === 0) throw new InvalidOptionError("percentile: no non-empty block to take percentiles of (Dask's 'No non-trivial arrays found')");
  const unsorted: Array<{ value: number | bigint; weight: number }> = [];
  let total = 0;
  for (const part of used) {
    const values = (part.values as NDArray).toTypedArray() as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < calcQ.length; i++) unsorted.push({ value: values[i], weight: (i === 0 ? calcQ[0] : calcQ[i] - calcQ[i - 1]) * part.count });
    total += part.count;
  }
  // A block holding NaN gives NaN throughout (NumPy's percentile of data with NaN is NaN).
  // Dask sorts those NaN last and reads other blocks' values as if the NaN were not there, a
  // wrong percentile of the whole: the result is NaN, as NumPy's on the whole array.
  // (NaN that NumPy's interpolation made of infinities is not NaN in the data: merged as Dask does.)
  if (used.some((part) => part.holdsNaN ?? (part.values as NDArray).toTypedArray().some((value) => Number.isNaN(value)))) return full([q.length], NaN, dtype);
  // NumPy's argsort is not stable: equal values keep its order, on which the cumulative
  // weights (and so the chosen neighbours) depend.
  const entries = numpyArgsort(unsorted.map((entry) => entry.value)).map((i) => unsorted[i]);
  const cumulative = new Float64Array(entries.length);
  let running = 0;
  entries.forEach((entry, i) => (cumulative[i] = running += entry.weight));
  const out = empty([q.length], dtype);
  const result = out.data as unknown as Array<number | bigint>;
  const asFloat = Float64Array.from(entries, (entry) => Number(entry.value));
  const at = (index: number) => entries[index < 0 ? entries.length + index : index].value;
  q.forEach((wanted, i) => {
    const desired = wanted * total;
    if (method === "linear") {
      result[i] = interp(desired, cumulative, asFloat);
      return;
    }
    const left = Math.min(searchSorted(cumulative, desired, "left"), entries.length - 1);
    const right = searchSorted(cumulative, desired, "right") - 1;
    const lower = Math.min(left, right);
    const upper = Math.max(left, right);
    if (method === "lower") result[i] = at(lower);
    else if (method === "higher") result[i] = at(upper);
    else if (method === "midpoint") result[i] = 0.5 * (Number(at(lower)) + Number(at(upper)));
    else {
      const lowerResidual = Math.abs(cumulative[lower < 0 ? entries.length + lower : lower] - desired);
      const upperResidual = Math.abs(cumulative[upper] - desired);
      result[i] = at(lowerResidual > upperResidual ? upper : lower);
    }
  });
  return out;
}

export const percentilePartial = defineBuiltin("ndarray.percentilePartial", function percentilePartial(block: NDArray, options: PercentileOptions): PercentilePartial {
  if (block.size === 0) return { parts: [{ values: null, count: 0 }] };
  const { values, hasNaN } = percentilesOf(block, blockQuantiles(options.q), options.method);
  return { parts: [{ values, count: block.size, holdsNaN: hasNaN }] };
});

export const percentileCombine = defineBuiltin("ndarray.percentileCombine", function percentileCombine(partials: PercentilePartial[]): PercentilePartial {
  return { parts: partials.flatMap((partial) => partial.parts) };
});

export const percentileFinish = defineBuiltin("ndarray.percentileFinish", function percentileFinish(partial: PercentilePartial, options: PercentileOptions & { dtype: DType }): NDArray {
  return mergePercentiles(partial.parts, options.q, options.method, options.dtype);
});
