/**
 * `rankFilter`, `medianFilter` and `percentileFilter`: scipy.ndimage's `_rank_filter`. The rank
 * is resolved as scipy does (median ⌊n/2⌋; percentile p → int(n·p/100), 100 → n−1, negative p
 * counts from 100; negative ranks count from n). Rank 0 and n−1 are scipy's minimum and maximum
 * filters with the same footprint (so a box runs the separable passes); other ranks select among
 * the footprint's values, with cval cast to the input type.
 *
 * For a box footprint on data without NaN or −0 the value of a rank is unique, and a sorted
 * window sliding along each line gives it (select.ts); otherwise every point runs scipy's
 * quickselect on its values in footprint order, which is what decides NaN and the sign of zero.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import { filterWideDtype } from "./wide-dtypes.js";
import { NDArray, allocate, shapeSize } from "../ndarray/ndarray.js";
import { doubleCast, storeDoubles, storeRuleForValuesOf } from "./c-cast.js";
import { type Footprint, boxFootprint, footprintOf, readOrigins, readSizes } from "./footprint.js";
import { type FootprintFilterOptions, footprintFilterKeys, planReach, runMinMaxPlan, planMinMax } from "./min-max-filter.js";
import { type Source, forEachNeighborhoodLine, gatherNeighborhood, neighborhoodOf, neighborhoodReach, rowLength } from "./neighborhood.js";
import {
  type Backend, type BoundaryMode, type NumericArray, type OutputRegion, checkCval, resolveBackend, resolveOutputDtype, resolveOutputRegion,
  toBoundaryMode,
} from "./options.js";
import { laneKindFor, selectKernel, staging } from "./simd-kernels.js";
import { stagedWalk } from "./staged-lines.js";
import { defineRegionKernel } from "./region-kernel.js";
import { type SlidingState, fillWindow, selectRank, slideWindow, slidingState } from "./select.js";

export interface RankFilterOptions extends FootprintFilterOptions {
  /** 0-based rank in the sorted neighbourhood; negative counts from the top (−1 = maximum). */
  rank: number;
}

export interface PercentileFilterOptions extends FootprintFilterOptions {
  /** 0…100; negative counts from 100 (−20 = 80). */
  percentile: number;
}

type RankSpec = { kind: "rank"; rank: unknown } | { kind: "percentile"; percentile: unknown } | { kind: "median" };

interface RankPlan {
  readonly footprint: Footprint;
  readonly origins: number[];
  readonly rank: number;
  readonly what: string;
}

function readFootprint(options: FootprintFilterOptions, ndim: number, what: string): Footprint {
  if (options.size !== undefined && options.footprint !== undefined) {
    throw new InvalidOptionError(`${what}: give size or footprint, not both (scipy ignores size then)`);
  }
  if (options.footprint !== undefined) return footprintOf(options.footprint, ndim);
  if (options.size === undefined) throw new InvalidOptionError(`${what} needs size or footprint: neither was given`);
  return boxFootprint(readSizes(options.size, ndim));
}

function resolveRank(spec: RankSpec, count: number, what: string): number {
  let rank: number;
  if (spec.kind === "median") {
    rank = Math.floor(count / 2);
  } else if (spec.kind === "percentile") {
    let percentile = spec.percentile;
    if (typeof percentile !== "number" || Number.isNaN(percentile)) {
      throw new InvalidOptionError(`${what}: percentile ${JSON.stringify(percentile)} must be a number from -100 to 100`);
    }
    if (percentile < 0) percentile += 100;
    if (percentile < 0 || percentile > 100) {
      throw new InvalidOptionError(`${what}: percentile ${spec.percentile} is out of range: use -100 to 100`);
    }
    rank = percentile === 100 ? count - 1 : Math.trunc((count * percentile) / 100);
  } else {
    if (typeof spec.rank !== "number" || !Number.isInteger(spec.rank)) {
      throw new InvalidOptionError(`${what}: rank ${JSON.stringify(spec.rank)} must be an integer`);
    }
    rank = spec.rank;
  }
  const resolved = rank < 0 ? rank + count : rank;
  if (resolved < 0 || resolved >= count) {
    throw new InvalidOptionError(`${what}: rank ${rank} is not within the footprint's ${count} cells: use -${count} to ${count - 1}`);
  }
  return resolved;
}

function planRank(options: FootprintFilterOptions, ndim: number, spec: RankSpec, what: string): RankPlan {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(`${what} needs an options object with size or footprint, got ${JSON.stringify(options)}`);
  }
  if (ndim < 1) throw new InvalidOptionError(`${what} needs an array with at least one dimension`);
  const footprint = readFootprint(options, ndim, what);
  if (footprint.count === 0) throw new InvalidOptionError(`${what}: the footprint has no true cell`);
  const origins = readOrigins(options.origin, footprint.shape);
  return { footprint, origins, rank: resolveRank(spec, footprint.count, what), what };
}

/** Rank 0 and n−1 are scipy's minimum/maximum filters called with the footprint and origins. */
function extremeOptions(plan: RankPlan, options: FootprintFilterOptions): FootprintFilterOptions {
  const footprint = new NDArray(plan.footprint.mask, plan.footprint.shape, { dtype: "uint8" });
  return { mode: options.mode, footprint, origin: plan.origins };
}

function reach(plan: RankPlan, options: FootprintFilterOptions, ndim: number): number[] {
  if (plan.rank === 0 || plan.rank === plan.footprint.count - 1) {
    return planReach(planMinMax(extremeOptions(plan, options), ndim, plan.rank === 0, false, plan.what), ndim);
  }
  return neighborhoodReach(neighborhoodOf(plan.footprint, plan.origins));
}

function rankFilterWith(input: NDArray, options: FootprintFilterOptions, spec: RankSpec, what: string): NDArray {
  const wide = filterWideDtype(input, options, (cast, castOptions) => rankFilterWith(cast, castOptions, spec, what), what);
  if (wide) return wide;
  const plan = planRank(options, input.ndim, spec, what);
  const outputDtype = resolveOutputDtype(input, options.output);
  const region = resolveOutputRegion(options.outputRegion, input.shape);
  const cval = checkCval(options.cval ?? 0);
  if (plan.rank === 0 || plan.rank === plan.footprint.count - 1) {
    const minimum = plan.rank === 0;
    return runMinMaxPlan(input, planMinMax(extremeOptions(plan, options), input.ndim, minimum, false, what), minimum, cval, outputDtype, region,
      resolveBackend(options.backend));
  }
  if (Array.isArray(options.mode)) {
    throw new InvalidOptionError(`${what}: a list of modes is not supported by rank filters (scipy: non-separable)`);
  }
  const mode = toBoundaryMode(options.mode ?? "reflect");
  return runRank(input, plan, mode, cval, outputDtype, region, resolveBackend(options.backend));
}

/** Footprints up to this many cells select with a network (5×5×5 is 125). */
const maxNetworkCells = 128;

/** Float data with NaN or −0 (or such a cval) need scipy's own selection to decide ties. */
function needsExactSelection(input: NDArray, mode: BoundaryMode, cvalInInputType: number): boolean {
  if (mode === "constant" && (Number.isNaN(cvalInInputType) || Object.is(cvalInInputType, -0))) return true;
  if (input.dtype !== "float32" && input.dtype !== "float64") return false;
  const data = input.toTypedArray() as Float64Array;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v || (v === 0 && 1 / v < 0)) return true;
  }
  return false;
}

function runRank(input: NDArray, plan: RankPlan, mode: BoundaryMode, cval: number, outputDtype: DType, region: OutputRegion, backend: Backend): NDArray {
  const shape = region.start.map((s, a) => region.stop[a] - s);
  const output = allocate(outputDtype, shapeSize(shape)) as NumericArray;
  const result = new NDArray(output, shape, { dtype: outputDtype });
  if (output.length === 0) return result;
  const hood = neighborhoodOf(plan.footprint, plan.origins);
  const source: Source = { data: input.data as NumericArray, shape: input.shape, strides: input.strides, offset: input.offset };
  const cvalInInputType = doubleCast(input.dtype)(cval);
  const width = shape[shape.length - 1];
  const results = new Float64Array(width);
  // Every result is an input cell or cval cast to the input type.
  const rule = storeRuleForValuesOf(input.dtype, outputDtype);
  const exact = needsExactSelection(input, mode, cvalInInputType);
  const lanes = exact || hood.count > maxNetworkCells ? null : laneKindFor(input.dtype, backend);
  const staged = lanes === null ? null : stagedWalk(lanes, source, hood, mode, cvalInInputType, region);
  if (staged !== null) {
    // Selection networks, several outputs per instruction (see simd-kernels.ts), on staged rows.
    const kernel = selectKernel(plan.rank, hood, staged.kind);
    staged.run((line) => {
      kernel(line.rowAddresses, staged.outAddress, staged.groups);
      storeDoubles(output, line.outputIndex, staged.out, width, rule);
    });
    return result;
  }
  if (lanes !== null) {
    // Selection networks, several outputs per instruction (see simd-kernels.ts).
    const stage = staging(lanes, hood.rows, rowLength(hood, width), width);
    const kernel = selectKernel(plan.rank, hood, lanes);
    forEachNeighborhoodLine(source, hood, mode, cvalInInputType, region, (line) => {
      kernel(stage.rowAddresses, stage.outAddress, stage.groups);
      storeDoubles(output, line.outputIndex, stage.out, width, rule);
    }, stage.rows as Array<Float64Array | Float32Array>);
    return result;
  }
  if (plan.footprint.full && !exact) {
    const columns = plan.footprint.shape[plan.footprint.shape.length - 1];
    const state = slidingState(columns, hood.rows);
    forEachNeighborhoodLine(source, hood, mode, cvalInInputType, region, (line) => {
      slideLine(line.rows, state, columns, width, plan.rank, results);
      storeDoubles(output, line.outputIndex, results, width, rule);
    });
    return result;
  }
  const values = new Float64Array(hood.count);
  forEachNeighborhoodLine(source, hood, mode, cvalInInputType, region, (line) => {
    for (let i = 0; i < width; i++) {
      gatherNeighborhood(hood, line, i, values);
      results[i] = selectRank(values, hood.count, plan.rank);
    }
    storeDoubles(output, line.outputIndex, results, width, rule);
  });
  return result;
}

/**
 * One line with a box footprint. The box's rows are the extended source rows; its column at
 * position e holds rows[r][e] for every row r. The first window is sorted whole, then each step
 * swaps one column.
 */
function slideLine(rows: readonly Float64Array[], state: SlidingState, columns: number, width: number, rank: number, results: Float64Array): void {
  const height = rows.length;
  const ring = state.ring;
  for (let c = 0; c < columns; c++) for (let r = 0; r < height; r++) ring[c * height + r] = rows[r][c];
  fillWindow(state, columns, height);
  results[0] = state.window[rank];
  const entering = state.entering;
  for (let i = 1; i < width; i++) {
    const e = i + columns - 1;
    for (let r = 0; r < height; r++) entering[r] = rows[r][e];
    slideWindow(state, columns, height);
    results[i] = state.window[rank];
  }
}

/** Rank filter (scipy.ndimage.rank_filter): the value of rank `rank` in each neighbourhood. */
export const rankFilter = defineRegionKernel("ndimage.rankFilter",
  (input: NDArray, options: RankFilterOptions): NDArray => rankFilterWith(input, options, { kind: "rank", rank: options?.rank }, "rankFilter"),
  (options: RankFilterOptions, ndim: number) => reach(planRank(options, ndim, { kind: "rank", rank: options?.rank }, "rankFilter"), options, ndim),
  { optionKeys: ["rank", ...footprintFilterKeys] });

/** Median filter (scipy.ndimage.median_filter): rank ⌊n/2⌋ of the n footprint cells. */
export const medianFilter = defineRegionKernel("ndimage.medianFilter",
  (input: NDArray, options: FootprintFilterOptions): NDArray => rankFilterWith(input, options, { kind: "median" }, "medianFilter"),
  (options: FootprintFilterOptions, ndim: number) => reach(planRank(options, ndim, { kind: "median" }, "medianFilter"), options, ndim),
  { optionKeys: footprintFilterKeys });

/** Percentile filter (scipy.ndimage.percentile_filter). */
export const percentileFilter = defineRegionKernel("ndimage.percentileFilter",
  (input: NDArray, options: PercentileFilterOptions): NDArray =>
    rankFilterWith(input, options, { kind: "percentile", percentile: options?.percentile }, "percentileFilter"),
  (options: PercentileFilterOptions, ndim: number) =>
    reach(planRank(options, ndim, { kind: "percentile", percentile: options?.percentile }, "percentileFilter"), options, ndim),
  { optionKeys: ["percentile", ...footprintFilterKeys] });
