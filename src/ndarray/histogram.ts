/**
 * dask.array.histogram (Dask 2022.12), counted block by block with NumPy 1.24's np.histogram
 * and summed, so the counts are NumPy's over the whole array:
 * - a number of bins with a range: Dask makes the edges itself, float64 linspace(min, max,
 *   bins + 1) whatever the data's dtype, and counts against those edges (so a range with min
 *   equal to max gives equal edges, as Dask, where np.histogram would widen it by 0.5);
 * - explicit edges (non-decreasing): bin i holds edges[i] ≤ x < edges[i + 1], the last bin
 *   closed, NaN nowhere, as NumPy's cumulative searchsorted.
 * Counts are carried as float64 (exact below 2^53) and finished as int64, or as Dask's density
 * (count / float64 bin width / total).
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { type DType, dtypeInfo } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";
import { linspace } from "./ranges.js";

export interface HistogramSpec {
  /** The bin edges' values (exact in float64 for float32 edges). */
  edges: number[];
  edgesDtype: DType;
  density: boolean;
}

/** The edges and counting rule of np.histogram(a, bins, range) for data of `dtype`. */
export function histogramSpec(dtype: DType, bins: number | readonly number[] | NDArray, range: readonly [number, number] | undefined, density: boolean): HistogramSpec {
  if (dtypeInfo(dtype).kind === "b") throw new InvalidOptionError("histogram: the data is bool; cast it to an integer dtype first (NumPy cannot subtract booleans)");
  if (typeof bins === "number") {
    if (!Number.isInteger(bins) || bins < 1) throw new InvalidOptionError(`histogram: bins must be a positive integer or a list of edges, got ${bins}`);
    if (range === undefined) {
      throw new InvalidOptionError("histogram: a number of bins needs a range: [min, max] (Dask's histogram requires either bins as edges or both a range and the number of bins)");
    }
    const [first, last] = range.map(Number);
    if (!Number.isFinite(first) || !Number.isFinite(last)) throw new InvalidOptionError(`histogram: supplied range of [${first}, ${last}] is not finite`);
    if (first > last) throw new InvalidOptionError(`histogram: max must be larger than min in range, got [${first}, ${last}]`);
    const edges = Array.from(linspace(first, last, bins + 1).toTypedArray() as Float64Array);
    return { edges, edgesDtype: "float64", density };
  }
  if (range !== undefined) throw new InvalidOptionError("histogram: range applies only to a number of bins; with explicit edges leave range out (NumPy would ignore it)");
  const edgesArray = bins instanceof NDArray ? bins : null;
  if (edgesArray && edgesArray.shape.length !== 1) throw new InvalidOptionError(`histogram: bins must be 1-d edges, got shape [${edgesArray.shape.join(", ")}]`);
  const edges = edgesArray ? Array.from(edgesArray.toTypedArray() as unknown as ArrayLike<number | bigint>, Number) : Array.isArray(bins) ? bins.map(Number) : null;
  if (edges === null) throw new InvalidOptionError(`histogram: bins must be a positive integer, a list of edges or a 1-d NDArray of edges, got ${typeof bins}`);
  if (edges.length < 2) throw new InvalidOptionError(`histogram: bins as edges need at least 2 edges, got ${edges.length}`);
  if (edges.some((edge, i) => Number.isNaN(edge) || (i > 0 && edges[i - 1] > edge))) throw new InvalidOptionError("histogram: bins must increase monotonically");
  return { edges, edgesDtype: edgesArray ? edgesArray.dtype : "float64", density };
}

/** The number of values of `block` in each bin, NumPy's way. */
export function countBins(block: NDArray, spec: HistogramSpec): Float64Array {
  const { edges } = spec;
  const counts = new Float64Array(edges.length - 1);
  const data = block.toTypedArray() as unknown as ArrayLike<number | bigint>;
  const lastEdge = edges[edges.length - 1];
  for (let k = 0; k < data.length; k++) {
    const x = Number(data[k]);
    if (!(x >= edges[0] && x <= lastEdge)) continue;
    // The first edge (before the last) above x; the value belongs to the bin before it.
    let lo = 0;
    let hi = edges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    counts[lo - 1]++;
  }
  return counts;
}

export function histogramResultDType(density: boolean): DType {
  return density ? "float64" : "int64";
}

/** The edges as Dask returns them (float64 for a number of bins, else as given). */
export function histogramEdges(spec: HistogramSpec): NDArray {
  const out = empty([spec.edges.length], spec.edgesDtype);
  const data = out.data as unknown as Array<number | bigint>;
  const bigint = dtypeInfo(spec.edgesDtype).itemsize === 8 && dtypeInfo(spec.edgesDtype).kind !== "f";
  spec.edges.forEach((edge, i) => (data[i] = bigint ? BigInt(edge) : edge));
  return out;
}

export const histogramPartial = defineBuiltin("ndarray.histogramPartial", function histogramPartial(block: NDArray, spec: HistogramSpec): NDArray {
  return new NDArray(countBins(block, spec), [spec.edges.length - 1], { dtype: "float64" });
});

export const histogramCombine = defineBuiltin("ndarray.histogramCombine", function histogramCombine(partials: NDArray[]): NDArray {
  const total = Float64Array.from(partials[0].data as Float64Array);
  for (let p = 1; p < partials.length; p++) {
    const counts = partials[p].data as Float64Array;
    for (let i = 0; i < total.length; i++) total[i] += counts[i];
  }
  return new NDArray(total, [total.length], { dtype: "float64" });
});

export const histogramFinish = defineBuiltin("ndarray.histogramFinish", function histogramFinish(partial: NDArray, spec: HistogramSpec): NDArray {
  const counts = partial.data as Float64Array;
  if (!spec.density) return new NDArray(BigInt64Array.from(counts, (c) => BigInt(c)), [counts.length], { dtype: "int64" });
  // NumPy's and Dask's density: n / db / n.sum(), db the edges' differences in their dtype.
  const total = counts.reduce((sum, c) => sum + c, 0);
  const single = spec.edgesDtype === "float32";
  const density = Float64Array.from(counts, (c, i) => {
    const width = spec.edges[i + 1] - spec.edges[i];
    return c / (single ? Math.fround(width) : width) / total;
  });
  return new NDArray(density, [counts.length], { dtype: "float64" });
});
