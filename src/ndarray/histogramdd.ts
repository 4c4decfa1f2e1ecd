/**
 * NumPy 1.24's histogramdd and histogram2d (numpy/lib/histograms.py, twodim_base.py) on
 * in-memory arrays, and the per-block count that dask.array's chunked forms sum
 * (histogramddBlock, Dask's _block_histogramdd_rect / _multiarg). The bins and the counting
 * rule are in histogram-bins.ts. Counts are float64 (NumPy's bincount cast to float), weights
 * summed as float64 in sample order; density divides by each dimension's widths in turn, then
 * by the total (NumPy's order).
 * A sample is an (N, D) array (a 1-d array is one dimension) or a list of D 1-d arrays of one
 * length, the coordinates of each sample in turn.
 */
import { defineBuiltin } from "../core/builtin.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { InvalidOptionError } from "../core/errors.js";
import { type BinsEntry, type DimensionBins, binWidths, countSamples, dimensionBins, edgesArray } from "./histogram-bins.js";
import { dtypeInfo } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { sum } from "./reductions.js";
import { ascontiguousarray } from "./copy.js";

export interface HistogramddOptions {
  /** A number of bins for every dimension, or one entry per dimension: a number of bins or the edges (default 10). */
  bins?: number | readonly BinsEntry[];
  /** [min, max] per dimension (null: the data's own, eager only). */
  range?: ReadonlyArray<readonly [number, number] | null>;
  /** Counts divided by the bin volume and the total, as NumPy's density. */
  density?: boolean;
  /** One weight per sample, summed instead of counting 1. */
  weights?: NDArray;
}

export interface Histogram2dOptions extends Omit<HistogramddOptions, "bins"> {
  /** A number of bins, [nx, ny], [xEdges, yEdges], or edges for both. */
  bins?: number | readonly BinsEntry[] | NDArray;
}

export const histogramddOptionNames = ["bins", "range", "density", "weights"];

/** The values of an array as numbers (bigints converted), C order. */
function valuesOf(a: NDArray): ArrayLike<number | bigint> {
  return ascontiguousarray(a).toTypedArray() as unknown as ArrayLike<number | bigint>;
}

/** The D coordinate columns of a sample, checked as NumPy checks them. */
function columnsOf(what: string, sample: NDArray | readonly NDArray[]): NDArray[] {
  if (sample instanceof NDArray) {
    if (sample.shape.length === 1) return [sample];
    if (sample.shape.length !== 2) throw new InvalidOptionError(`${what}: the sample must be an (N, D) array or a list of D 1-d arrays, got shape [${sample.shape.join(", ")}]`);
    const data = valuesOf(sample);
    const [n, d] = sample.shape;
    return Array.from({ length: d }, (_, j) => new NDArray(Float64Array.from({ length: n }, (_, i) => Number(data[i * d + j])), [n], { dtype: "float64" }));
  }
  if (!Array.isArray(sample) || sample.length === 0 || sample.some((c) => !(c instanceof NDArray) || c.shape.length !== 1)) {
    throw new InvalidOptionError(`${what}: the sample must be an (N, D) array or a non-empty list of 1-d arrays`);
  }
  if (sample.some((c) => c.shape[0] !== sample[0].shape[0])) throw new InvalidOptionError(`${what}: the coordinate arrays have lengths ${sample.map((c) => c.shape[0]).join(", ")}; they must be equal`);
  return [...sample];
}

/** The bins entry of each of D dimensions (NumPy's rule: a scalar for all, else one per dimension). */
export function binsPerDimension(what: string, bins: unknown, dimensions: number): BinsEntry[] {
  if (typeof bins === "number") return new Array<BinsEntry>(dimensions).fill(bins);
  if (!Array.isArray(bins)) throw new InvalidOptionError(`${what}: bins must be a number or a list of one entry per dimension, got ${bins instanceof NDArray ? "an NDArray" : JSON.stringify(bins)}`);
  if (bins.length !== dimensions) throw new InvalidOptionError(`${what}: the dimension of bins (${bins.length}) must be equal to the dimension of the sample (${dimensions})`);
  return bins as BinsEntry[];
}

export function rangesPerDimension(what: string, range: unknown, dimensions: number): Array<readonly [number, number] | null> {
  if (range === undefined || range === null) return new Array(dimensions).fill(null);
  if (!Array.isArray(range) || range.length !== dimensions) throw new InvalidOptionError(`${what}: range argument requires one entry, a [min, max] pair, per dimension (${dimensions})`);
  return range as Array<readonly [number, number] | null>;
}

export function checkDensity(what: string, density: unknown): boolean {
  if (density !== undefined && typeof density !== "boolean") throw new InvalidOptionError(`${what}: density must be true or false, got ${JSON.stringify(density)}`);
  return density ?? false;
}

function dataRangeOf(column: NDArray): () => { first: number; last: number; float32: boolean } {
  return () => {
    const values = valuesOf(column);
    if (values.length === 0) return { first: 0, last: 1, float32: false };
    let first = Infinity;
    let last = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const x = Number(values[i]);
      // NumPy's min / max propagate NaN, which the range check then refuses.
      if (Number.isNaN(x)) return { first: NaN, last: NaN, float32: false };
      if (x < first) first = x;
      if (x > last) last = x;
    }
    return { first, last, float32: column.dtype === "float32" };
  };
}

/** NumPy's density: counts / width along each dimension in turn, then / the total. */
export function densityOf(counts: Float64Array, bins: readonly DimensionBins[], total: number): Float64Array {
  const nbins = bins.map((b) => b.edges.length - 1);
  const widths = bins.map(binWidths);
  const out = new Float64Array(counts.length);
  for (let flat = 0; flat < counts.length; flat++) {
    let value = counts[flat];
    let rest = flat;
    const index = new Array<number>(nbins.length);
    for (let d = nbins.length - 1; d >= 0; d--) {
      index[d] = rest % nbins[d];
      rest = Math.floor(rest / nbins[d]);
    }
    for (let d = 0; d < nbins.length; d++) value /= widths[d][index[d]];
    out[flat] = value / total;
  }
  return out;
}

export const histogramdd = definePublicBuiltin("histogramdd", function histogramdd(sample: NDArray | readonly NDArray[], options: HistogramddOptions = {}): [NDArray, NDArray[]] {
  const what = "histogramdd";
  for (const key of Object.keys(options ?? {})) {
    if (!histogramddOptionNames.includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes ${histogramddOptionNames.join(", ")}`);
  }
  const columns = columnsOf(what, sample);
  const dimensions = columns.length;
  const entries = binsPerDimension(what, options.bins ?? 10, dimensions);
  const ranges = rangesPerDimension(what, options.range, dimensions);
  const density = checkDensity(what, options.density);
  const bins = entries.map((entry, d) => dimensionBins(what, d, entry, ranges[d], dataRangeOf(columns[d]), true));
  const n = columns[0].shape[0];
  const weights = options.weights;
  if (weights !== undefined && (!(weights instanceof NDArray) || weights.shape.length !== 1 || weights.shape[0] !== n)) {
    throw new InvalidOptionError(`${what}: weights must be a 1-d array of one weight per sample (${n})`);
  }
  if (weights && dtypeInfo(weights.dtype).kind === "b") throw new InvalidOptionError(`${what}: weights are bool; cast them to a number dtype`);
  const counts = countSamples(columns.map(valuesOf), weights ? valuesOf(weights) : null, bins.map((b) => b.edges));
  const shape = bins.map((b) => b.edges.length - 1);
  const hist = new NDArray(counts, shape, { dtype: "float64" });
  const result = density ? new NDArray(densityOf(counts, bins, Number(sum(hist).item())), shape, { dtype: "float64" }) : hist;
  return [result, bins.map(edgesArray)];
});

export const histogram2d = definePublicBuiltin("histogram2d", function histogram2d(x: NDArray, y: NDArray, options: Histogram2dOptions = {}): [NDArray, NDArray, NDArray] {
  const bins = options.bins ?? 10;
  // NumPy's rule: a list that is not of length 1 or 2 (or an NDArray) is the edges of both dimensions.
  const length = bins instanceof NDArray ? bins.shape[0] : Array.isArray(bins) ? bins.length : 1;
  const both = (bins instanceof NDArray || Array.isArray(bins)) && length !== 1 && length !== 2;
  const perDimension = both ? [bins as BinsEntry, bins as BinsEntry] : bins instanceof NDArray ? [...(bins.toTypedArray() as unknown as number[])].map(Number) : bins;
  if (!(x instanceof NDArray) || !(y instanceof NDArray) || x.shape.length !== 1 || y.shape.length !== 1) throw new InvalidOptionError("histogram2d: x and y must be 1-d arrays");
  const [counts, edges] = histogramdd([x, y], { ...options, bins: perDimension as HistogramddOptions["bins"] });
  return [counts, edges[0], edges[1]];
});

export interface HistogramddBlockOptions {
  /** The sample block is (n, D) (else D 1-d blocks). */
  rectangular: boolean;
  weighted: boolean;
  /** Counting edges per dimension. */
  edges: number[][];
}

/** One block's counts, with a leading axis of 1 (Dask's `np.histogramdd(...)[0:1]`), float64. */
export const histogramddBlock = defineBuiltin("ndarray.histogramddBlock", function histogramddBlock(...args: unknown[]): NDArray {
  const options = args[args.length - 1] as HistogramddBlockOptions;
  const blocks = args.slice(0, -1) as NDArray[];
  const weights = options.weighted ? valuesOf(blocks.pop() as NDArray) : null;
  const columns = options.rectangular ? columnsOf("histogramdd", blocks[0]) : blocks;
  const counts = countSamples(columns.map(valuesOf), weights, options.edges);
  return new NDArray(counts, [1, ...options.edges.map((e) => e.length - 1)], { dtype: "float64" });
});
