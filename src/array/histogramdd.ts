/**
 * dask.array's histogramdd and histogram2d (Dask 2022.12, routines.py) on chunked samples, with
 * Dask's graph: each block of samples counted by NumPy's rule into a (1, bins…) block
 * (histogramddBlock; Dask's _block_histogramdd_*), those stacked blocks summed over the first
 * axis by the tree reduction (Dask's mapped.sum(axis=0)), so the result is one block of the bins'
 * shape. Dask's rules and refusals:
 * - the sample is an (N, D) array chunked along its rows only, or a list of D 1-d arrays chunked
 *   alike; weights are 1-d, chunked as the samples' rows;
 * - bins: a number for every dimension, or one entry per dimension, all numbers or all edges
 *   (Dask breaks on a mix); a number of bins needs a range (Dask does not read the data for it);
 *   range one [min, max] per dimension;
 * - counts are float64; with weights, the sum's dtype of the weights' dtype (int64 for integers,
 *   as Dask's sum casts the float64 block counts), as Dask;
 * - density: counts / (the product of the widths, one float64 array) / their total, Dask's
 *   order (NumPy divides dimension by dimension: the last bits may differ from nd.histogramdd's).
 * The edges come back as NDArrays, known up front (Dask returns arrays of them), from Dask's own
 * linspace(min, max, n + 1); a range with min equal to max counts against NumPy's widened edges
 * inside each block, as Dask's blocks do.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { dimensionBins, edgesArray, binWidths, type BinsEntry } from "../ndarray/histogram-bins.js";
import { type HistogramddOptions, binsPerDimension, checkDensity, histogramddBlock, histogramddOptionNames, rangesPerDimension } from "../ndarray/histogramdd.js";
import * as nd from "../ndarray/index.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { LazyArray, binary, mapBlocksOf } from "./array.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { sum } from "./reduction-functions.js";
import { FromArrayExpr } from "./sources.js";

export interface LazyHistogramddOptions extends Omit<HistogramddOptions, "weights" | "range"> {
  range?: ReadonlyArray<readonly [number, number]>;
  weights?: LazyArray;
  /** Partials summed per task (the tree reduction's splitEvery). */
  splitEvery?: number;
}

export interface LazyHistogram2dOptions extends LazyHistogramddOptions {
  /** A number of bins, [nx, ny] or [xEdges, yEdges] (Dask takes no single list of edges for both). */
  bins?: number | readonly BinsEntry[];
}

const lazyOptionNames = [...histogramddOptionNames, "splitEvery"];

/** NumPy's sum dtype of the weights (what Dask's mapped.sum(axis=0) casts the counts to). */
function countsDtype(weights: LazyArray | undefined): nd.DType {
  if (weights === undefined) return "float64";
  return nd.sum(nd.zeros([1], weights.dtype)).dtype;
}

/** An in-memory array as one block of a lazy array (ta.fromArray's node). */
function wholeArray(data: NDArray): LazyArray {
  return new LazyArray(`array-${tokenize(data)}`, data.shape, data.shape.map((n) => [n]), data.dtype, new FromArrayExpr(data));
}

export function histogramdd(sample: LazyArray | readonly LazyArray[], options: LazyHistogramddOptions): [LazyArray, NDArray[]] {
  const what = "histogramdd";
  refuseUnknownOptions(what, options, lazyOptionNames);
  if (options.bins === undefined) throw new InvalidOptionError(`${what}: bins is required (a number of bins with range, or the edges per dimension)`);
  const rectangular = sample instanceof LazyArray;
  let dimensions: number;
  let rowChunks: readonly number[];
  if (rectangular) {
    if (sample.ndim !== 2) throw new InvalidOptionError(`${what}: a single array sample should be columnar, (N, D); got shape [${sample.shape.join(", ")}]`);
    if (sample.chunks[1].length !== 1) throw new InvalidOptionError(`${what}: the sample can only be chunked along its first axis (rechunk it to one block of ${sample.shape[1]} columns)`);
    dimensions = sample.shape[1];
    rowChunks = sample.chunks[0];
  } else {
    if (!Array.isArray(sample) || sample.length === 0 || sample.some((c) => !(c instanceof LazyArray) || c.ndim !== 1)) {
      throw new InvalidOptionError(`${what}: the sample must be an (N, D) chunked array or a non-empty list of 1-d chunked arrays`);
    }
    if (sample.some((c) => JSON.stringify(c.chunks) !== JSON.stringify(sample[0].chunks))) throw new InvalidOptionError(`${what}: all coordinate arrays must be chunked identically`);
    dimensions = sample.length;
    rowChunks = sample[0].chunks[0];
  }
  const { weights } = options;
  if (weights !== undefined) {
    if (!(weights instanceof LazyArray) || weights.ndim !== 1) throw new InvalidOptionError(`${what}: weights must be a 1-d chunked array`);
    if (JSON.stringify(weights.chunks[0]) !== JSON.stringify(rowChunks)) throw new InvalidOptionError(`${what}: the sample and weights must have the same shape and chunk structure along the first dimension`);
    if (weights.dtype === "bool") throw new InvalidOptionError(`${what}: weights are bool; cast them to a number dtype`);
  }
  const entries = binsPerDimension(what, options.bins, dimensions);
  const counted = entries.filter((entry) => typeof entry === "number").length;
  if (counted !== 0 && counted !== dimensions) throw new InvalidOptionError(`${what}: bins must be all numbers of bins or all edges (Dask's histogramdd takes no mix)`);
  if (counted !== 0 && options.range === undefined) throw new InvalidOptionError(`${what}: a number of bins needs range, one [min, max] per dimension (Dask does not read the data for it)`);
  const ranges = rangesPerDimension(what, options.range, dimensions);
  if (counted !== 0 && ranges.some((r) => r === null)) throw new InvalidOptionError(`${what}: range should be a sequence of [min, max] pairs, got ${JSON.stringify(options.range)}`);
  const density = checkDensity(what, options.density);
  const returned = entries.map((entry, d) => dimensionBins(what, d, entry, ranges[d], undefined, false));
  const counting = entries.map((entry, d) => dimensionBins(what, d, entry, ranges[d], undefined, true).edges);
  const nbins = returned.map((b) => b.edges.length - 1);
  const blockOptions = { rectangular, weighted: weights !== undefined, edges: counting };
  const operands: LazyArray[] = rectangular ? [sample] : [...sample];
  if (weights) operands.push(rectangular ? weights.reshape([weights.shape[0], 1]) : weights);
  const stackedChunks = [rowChunks.map(() => 1), ...nbins.map((n) => [n])];
  const mapped = mapBlocksOf(histogramddBlock, operands, {
    dtype: "float64", chunks: stackedChunks, name: "histogramdd-sum",
    ...(rectangular ? { dropAxis: 1, newAxis: nbins.map((_, d) => d + 1) } : { newAxis: nbins.map((_, d) => d + 1) }),
  }, blockOptions);
  const dtype = countsDtype(weights);
  const n = sum(mapped, { axis: 0, ...(dtype === "float64" ? {} : { dtype }), ...(options.splitEvery === undefined ? {} : { splitEvery: options.splitEvery }) });
  const edges = returned.map(edgesArray);
  if (!density) return [n, edges];
  // Dask's width_divider: ones(n.shape) times each dimension's widths in turn, in float64.
  const divider = new Float64Array(nbins.reduce((a, b) => a * b, 1)).fill(1);
  const widths = returned.map(binWidths);
  for (let d = 0; d < nbins.length; d++) {
    const inner = nbins.slice(d + 1).reduce((a, b) => a * b, 1);
    for (let flat = 0; flat < divider.length; flat++) divider[flat] *= widths[d][Math.floor(flat / inner) % nbins[d]];
  }
  const perVolume = binary(nd.divide, n, wholeArray(new nd.NDArray(divider, nbins, { dtype: "float64" })));
  return [binary(nd.divide, perVolume, sum(n)), edges];
}

export function histogram2d(x: LazyArray, y: LazyArray, options: LazyHistogram2dOptions = {}): [LazyArray, NDArray, NDArray] {
  refuseUnknownOptions("histogram2d", options, lazyOptionNames);
  if (!(x instanceof LazyArray) || !(y instanceof LazyArray)) throw new InvalidOptionError("histogram2d: x and y must be chunked arrays (ta.Array); use nd.histogram2d for NDArrays");
  const bins = options.bins ?? 10;
  if (typeof bins !== "number" && (!Array.isArray(bins) || bins.length !== 2)) {
    throw new InvalidOptionError("histogram2d: bins must be a number, [nx, ny] or [xEdges, yEdges] (Dask's histogram2d takes no single list of edges for both)");
  }
  const [counts, edges] = histogramdd([x, y], { ...options, bins });
  return [counts, edges[0], edges[1]];
}
