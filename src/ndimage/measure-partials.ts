/**
 * The block steps of per-label measurements on chunked arrays (the lazy `sumLabels`, `mean`,
 * `variance`, `standardDeviation`, `area`, `minimum`, `maximum`, `centerOfMass` and `findObjects`
 * of tessera/array): each block of values and labels becomes a partial (per entry of the index
 * list: a count, float64 sums, squared deviations about the block's mean, per-axis sums of
 * value × coordinate in the whole array's coordinates, extremes in the input's dtype),
 * partials are combined in block order, and the finish gives scipy's result for an index list.
 *
 * The rules are the eager functions' (measurements.ts, extrema.ts): float64 accumulation as
 * NumPy's bincount (the order differs from one C-order pass only across blocks, so integer data
 * gives scipy's values exactly), a label without cells gives 0 (sum, minimum, maximum) or NaN
 * (mean, centre of mass); in an index list a minimum is NaN only when all of a label's values are NaN (one group's, when any is), a maximum
 * is NaN when any is.
 *
 * Variance: scipy centres every value on its label's float64 mean and sums the squares (two
 * passes over the whole array). A fold reads each block once, so each block centres on its own
 * mean and the parts are merged with Chan et al.'s update (mergeSquares). Both are stable; they
 * round differently, so results agree with scipy's to a few ulps times the ratio |mean| / std,
 * not bit for bit (ndimage-label-stats-differential.test.ts bounds it).
 */
import { defineBuiltin } from "../core/builtin.js";
import { type DType, isBigIntDType } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { LabelSlots, compactSlots, int32, valuesOf } from "./label-groups.js";

export type MeasureKind = "sums" | "centers" | "extrema" | "spread";

export interface MeasureOptions {
  /** The labels measured, one result entry each (scipy's index list). */
  index: number[];
  kind: MeasureKind;
  /** The input values' dtype (minimum and maximum keep it). */
  dtype: DType;
  ndim: number;
  /**
   * One group (no index, or one label): scipy takes NumPy's min of the group, NaN when any value
   * is NaN, where the index list's minimum is NaN only over NaN alone (scipy 1.10:
   * minimum([nan, 1], [1, 1], 1) is nan, minimum([nan, 1], [1, 1], [1]) is [1.]).
   */
  single?: boolean;
}

/** What a fold's finish gives: "count" is dask-image's area (int64). */
export type MeasureResult = "sum" | "mean" | "variance" | "standardDeviation" | "count" | "center" | "minimum" | "maximum";

export interface MeasurePartial {
  /**
   * The index slots the partial holds, its arrays' entries in this order: a block's partial holds
   * the labels the block holds, not every label of the index (135 000 labels over 1000 blocks:
   * 6.5 MB partials, 2 GB held at once for `area` of a 7 MB label volume).
   */
  slots: NDArray;
  counts: NDArray;
  sums: NDArray;
  /** spread: Σ (value − the partial's own mean)² per index entry (Chan et al.'s M2). */
  squares?: NDArray;
  /** centers: Σ value × coordinate, [index entry, axis] flattened. */
  moments?: NDArray;
  /** extrema: per index entry, in the input's dtype (meaningless where the count is 0). */
  minima?: NDArray;
  maxima?: NDArray;
}

type Scalar = number | bigint;

function float64(values: Float64Array | number[], shape: number[]): NDArray {
  const data = allocate("float64", values.length) as Float64Array;
  data.set(values);
  return new NDArray(data, shape, { dtype: "float64" });
}

/** The smaller for a minimum: NaN only over NaN, the first of equals (earlier cells, earlier blocks). */
function lower(a: Scalar, b: Scalar): Scalar {
  if (typeof a === "number" && Number.isNaN(a)) return b;
  if (typeof b === "number" && Number.isNaN(b)) return a;
  return b < a ? b : a;
}

/** The larger for a maximum: NaN wins, the last of equals. */
function higher(a: Scalar, b: Scalar): Scalar {
  if (typeof a === "number" && Number.isNaN(a)) return a;
  if (typeof b === "number" && Number.isNaN(b)) return b;
  return b >= a ? b : a;
}

/** One block's partial; `origin` is the block's first cell in the whole array. */
export const measurePartial = defineBuiltin("ndimage.measurePartial", function measurePartial(
  values: NDArray, labels: NDArray, options: MeasureOptions, origin: number[],
): MeasurePartial {
  const { cellSlots, present } = compactSlots(new LabelSlots(options.index), valuesOf(labels));
  const n = present.length;
  const numbers = valuesOf(values);
  const counts = new Float64Array(n);
  const sums = new Float64Array(n);
  for (let p = 0; p < cellSlots.length; p++) {
    const slot = cellSlots[p];
    if (slot < 0) continue;
    counts[slot]++;
    sums[slot] += numbers[p];
  }
  const partial: MeasurePartial = { slots: int32(present), counts: float64(counts, [n]), sums: float64(sums, [n]) };
  if (options.kind === "centers") partial.moments = float64(blockMoments(numbers, cellSlots, n, values.shape, origin), [n * values.ndim]);
  if (options.kind === "extrema") Object.assign(partial, blockExtrema(values, cellSlots, n));
  if (options.kind === "spread") partial.squares = float64(blockSquares(numbers, cellSlots, counts, sums), [n]);
  return partial;
});

/** Σ (v − block mean)² per slot: the block's own two passes, as scipy centres on the label's mean. */
function blockSquares(numbers: Float64Array, cellSlots: Int32Array, counts: Float64Array, sums: Float64Array): Float64Array {
  const squares = new Float64Array(counts.length);
  for (let p = 0; p < cellSlots.length; p++) {
    const slot = cellSlots[p];
    if (slot < 0) continue;
    const c = numbers[p] - sums[slot] / counts[slot];
    squares[slot] += c * c;
  }
  return squares;
}

/**
 * Chan, Golub and LeVeque's pairwise update: two parts' squared deviations about their own means
 * give the union's as M2a + M2b + δ² · na · nb / (na + nb), δ the difference of the means. It
 * never subtracts large sums of squares (sum(x²)/n − mean² would cancel catastrophically).
 */
function mergeSquares(m2: number, count: number, sum: number, partM2: number, partCount: number, partSum: number): number {
  const delta = partSum / partCount - sum / count;
  return m2 + partM2 + ((delta * delta) * count * partCount) / (count + partCount);
}

function blockMoments(numbers: Float64Array, cellSlots: Int32Array, n: number, shape: readonly number[], origin: readonly number[]): Float64Array {
  const ndim = shape.length;
  const moments = new Float64Array(n * ndim);
  const position = new Array<number>(ndim).fill(0);
  for (let p = 0; p < cellSlots.length; p++) {
    const slot = cellSlots[p];
    if (slot >= 0) {
      // scipy: input * grid.astype(float), summed per label: one float64 product per cell.
      for (let axis = 0; axis < ndim; axis++) moments[slot * ndim + axis] += numbers[p] * (origin[axis] + position[axis]);
    }
    for (let axis = ndim - 1; axis >= 0; axis--) {
      if (++position[axis] < shape[axis]) break;
      position[axis] = 0;
    }
  }
  return moments;
}

function blockExtrema(values: NDArray, cellSlots: Int32Array, n: number): { minima: NDArray; maxima: NDArray } {
  const flat = values.toTypedArray() as ArrayLike<Scalar>;
  const minima = allocate(values.dtype, n) as unknown as Scalar[];
  const maxima = allocate(values.dtype, n) as unknown as Scalar[];
  const seen = new Uint8Array(n);
  for (let p = 0; p < cellSlots.length; p++) {
    const slot = cellSlots[p];
    if (slot < 0) continue;
    const value = flat[p];
    if (!seen[slot]) {
      seen[slot] = 1;
      minima[slot] = value;
      maxima[slot] = value;
    } else {
      minima[slot] = lower(minima[slot], value);
      maxima[slot] = higher(maxima[slot], value);
    }
  }
  const wrap = (data: Scalar[]) => new NDArray(data as unknown as Float64Array, [n], { dtype: values.dtype });
  return { minima: wrap(minima), maxima: wrap(maxima) };
}

/** Partials combined in block order, into the slots any of them holds. */
export const measureCombine = defineBuiltin("ndimage.measureCombine", function measureCombine(partials: MeasurePartial[], options: MeasureOptions): MeasurePartial {
  const dense = spread(partials, options);
  const present: number[] = [];
  const counts = dense.counts.data as Float64Array;
  for (let slot = 0; slot < counts.length; slot++) if (counts[slot] > 0) present.push(slot);
  const pick = (array: NDArray | undefined, width = 1): NDArray | undefined => {
    if (array === undefined) return undefined;
    const data = array.data as unknown as Scalar[];
    const out = allocate(array.dtype, present.length * width) as unknown as Scalar[];
    present.forEach((slot, i) => { for (let w = 0; w < width; w++) out[i * width + w] = data[slot * width + w]; });
    return new NDArray(out as unknown as Float64Array, [present.length * width], { dtype: array.dtype });
  };
  const out: MeasurePartial = { slots: int32(present), counts: pick(dense.counts) as NDArray, sums: pick(dense.sums) as NDArray };
  if (dense.moments) out.moments = pick(dense.moments, options.ndim);
  if (dense.squares) out.squares = pick(dense.squares);
  if (dense.minima && dense.maxima) [out.minima, out.maxima] = [pick(dense.minima), pick(dense.maxima)];
  return out;
});

/** Partials merged in order into arrays over every slot of the index (zero counts where none holds it). */
function spread(partials: MeasurePartial[], options: MeasureOptions): Omit<MeasurePartial, "slots"> {
  const n = new LabelSlots(options.index).size;
  const counts = new Float64Array(n);
  const sums = new Float64Array(n);
  const moments = options.kind === "centers" ? new Float64Array(n * options.ndim) : null;
  const squares = options.kind === "spread" ? new Float64Array(n) : null;
  const minima = options.kind === "extrema" ? (allocate(options.dtype, n) as unknown as Scalar[]) : null;
  const maxima = options.kind === "extrema" ? (allocate(options.dtype, n) as unknown as Scalar[]) : null;
  for (const partial of partials) {
    const partSlots = partial.slots.data as Int32Array;
    const partCounts = partial.counts.data as Float64Array;
    const partSums = partial.sums.data as Float64Array;
    const partMoments = partial.moments?.data as Float64Array | undefined;
    const partSquares = partial.squares?.data as Float64Array | undefined;
    const partMinima = partial.minima?.data as unknown as Scalar[] | undefined;
    const partMaxima = partial.maxima?.data as unknown as Scalar[] | undefined;
    for (let entry = 0; entry < partSlots.length; entry++) {
      const slot = partSlots[entry];
      if (partCounts[entry] === 0) continue;
      if (minima && maxima && partMinima && partMaxima) {
        minima[slot] = counts[slot] === 0 ? partMinima[entry] : lower(minima[slot], partMinima[entry]);
        maxima[slot] = counts[slot] === 0 ? partMaxima[entry] : higher(maxima[slot], partMaxima[entry]);
      }
      if (squares && partSquares) {
        squares[slot] = counts[slot] === 0 ? partSquares[entry] : mergeSquares(squares[slot], counts[slot], sums[slot], partSquares[entry], partCounts[entry], partSums[entry]);
      }
      counts[slot] += partCounts[entry];
      sums[slot] += partSums[entry];
      if (moments && partMoments) for (let axis = 0; axis < options.ndim; axis++) moments[slot * options.ndim + axis] += partMoments[entry * options.ndim + axis];
    }
  }
  const out: Omit<MeasurePartial, "slots"> = { counts: float64(counts, [n]), sums: float64(sums, [n]) };
  if (moments) out.moments = float64(moments, [n * options.ndim]);
  if (squares) out.squares = float64(squares, [n]);
  if (minima && maxima) {
    out.minima = new NDArray(minima as unknown as Float64Array, [n], { dtype: options.dtype });
    out.maxima = new NDArray(maxima as unknown as Float64Array, [n], { dtype: options.dtype });
  }
  return out;
}

/** What the lazy functions return: sums or means [n], centres [n, ndim], extremes [n] (`which`). */
export const measureFinish = defineBuiltin("ndimage.measureFinish", function measureFinish(
  root: MeasurePartial, options: MeasureOptions & { result: MeasureResult },
): NDArray {
  const partial = spread([root], options);
  const counts = partial.counts.data as Float64Array;
  const sums = partial.sums.data as Float64Array;
  // One entry per index entry (a label listed twice is measured twice).
  const slots = new LabelSlots(options.index).slotsOfIndex();
  const n = slots.length;
  switch (options.result) {
    case "sum":
      return float64(slots.map((slot) => sums[slot]), [n]);
    case "mean":
      return float64(slots.map((slot) => sums[slot] / counts[slot]), [n]);
    case "variance":
    case "standardDeviation": {
      // A label without cells: 0 / 0, NaN, as scipy's.
      const squares = partial.squares?.data as Float64Array;
      const variances = slots.map((slot) => squares[slot] / counts[slot]);
      return float64(options.result === "variance" ? variances : variances.map(Math.sqrt), [n]);
    }
    case "count":
      return new NDArray(BigInt64Array.from(slots, (slot) => BigInt(counts[slot])), [n], { dtype: "int64" });
    case "center": {
      const moments = partial.moments?.data as Float64Array;
      const ndim = options.ndim;
      return float64(slots.flatMap((slot) => Array.from({ length: ndim }, (_, axis) => moments[slot * ndim + axis] / sums[slot])), [n, ndim]);
    }
    default: {
      const extremes = (options.result === "minimum" ? partial.minima : partial.maxima)?.data as unknown as Scalar[];
      const maxima = partial.maxima?.data as unknown as Scalar[];
      const out = allocate(options.dtype, n) as unknown as Scalar[];
      const zero = isBigIntDType(options.dtype) ? 0n : 0;
      slots.forEach((slot, i) => {
        // The maximum is NaN when any value is (higher): one group's minimum is NaN then too.
        const nanInGroup = options.single === true && typeof maxima[slot] === "number" && Number.isNaN(maxima[slot]);
        out[i] = counts[slot] === 0 ? zero : nanInGroup ? Number.NaN : extremes[slot];
      });
      return new NDArray(out as unknown as Float64Array, [n], { dtype: options.dtype });
    }
  }
});

export interface ObjectBoundsOptions {
  maxLabel: number;
  ndim: number;
}

/**
 * findObjects' partials hold the labels a block holds, not every label up to maxLabel: a row per
 * label, sorted by label, of the label and its (first, last) coordinate per axis in whole-array
 * coordinates, float64 [rows, 1 + 2·ndim]. A dense [maxLabel, ndim, 2] partial per block made
 * every block's partial as large as the whole result (135 000 labels over 1000 blocks: 6.5 MB
 * each, 6.9 GB held at once for a 7 MB label volume). The finish gives the dense bounds,
 * +∞ / −∞ for a label that does not occur.
 */
export const objectBoundsPartial = defineBuiltin("ndimage.objectBoundsPartial", function objectBoundsPartial(
  labels: NDArray, options: ObjectBoundsOptions, origin: number[],
): NDArray {
  const { maxLabel, ndim } = options;
  const rows = new Map<number, Float64Array>();
  const values = valuesOf(labels);
  const position = new Array<number>(ndim).fill(0);
  for (let p = 0; p < values.length; p++) {
    const label = values[p];
    if (label >= 1 && label <= maxLabel) {
      let row = rows.get(label);
      if (row === undefined) rows.set(label, (row = emptyRow(label, ndim)));
      for (let axis = 0; axis < ndim; axis++) {
        const coordinate = origin[axis] + position[axis];
        if (coordinate < row[1 + 2 * axis]) row[1 + 2 * axis] = coordinate;
        if (coordinate > row[2 + 2 * axis]) row[2 + 2 * axis] = coordinate;
      }
    }
    for (let axis = ndim - 1; axis >= 0; axis--) {
      if (++position[axis] < labels.shape[axis]) break;
      position[axis] = 0;
    }
  }
  return sortedRows(rows, ndim);
});

function emptyRow(label: number, ndim: number): Float64Array {
  const row = new Float64Array(1 + 2 * ndim);
  row[0] = label;
  for (let axis = 0; axis < ndim; axis++) [row[1 + 2 * axis], row[2 + 2 * axis]] = [Infinity, -Infinity];
  return row;
}

function sortedRows(rows: Map<number, Float64Array>, ndim: number): NDArray {
  const width = 1 + 2 * ndim;
  const labels = [...rows.keys()].sort((a, b) => a - b);
  const data = allocate("float64", labels.length * width) as Float64Array;
  labels.forEach((label, i) => data.set(rows.get(label) as Float64Array, i * width));
  return new NDArray(data, [labels.length, width], { dtype: "float64" });
}

export const objectBoundsCombine = defineBuiltin("ndimage.objectBoundsCombine", function objectBoundsCombine(partials: NDArray[], options: ObjectBoundsOptions): NDArray {
  const { ndim } = options;
  const width = 1 + 2 * ndim;
  const rows = new Map<number, Float64Array>();
  for (const partial of partials) {
    const data = partial.data as Float64Array;
    for (let at = 0; at < data.length; at += width) {
      const label = data[at];
      const row = rows.get(label);
      if (row === undefined) {
        rows.set(label, data.slice(at, at + width));
        continue;
      }
      for (let i = 1; i < width; i += 2) {
        if (data[at + i] < row[i]) row[i] = data[at + i];
        if (data[at + i + 1] > row[i + 1]) row[i + 1] = data[at + i + 1];
      }
    }
  }
  return sortedRows(rows, ndim);
});

/** The dense bounds, [label − 1, axis, (first, last)], +∞ / −∞ where a label does not occur. */
export const objectBoundsFinish = defineBuiltin("ndimage.objectBoundsFinish", function objectBoundsFinish(partial: NDArray, options: ObjectBoundsOptions): NDArray {
  const { maxLabel, ndim } = options;
  const width = 1 + 2 * ndim;
  const bounds = allocate("float64", maxLabel * ndim * 2) as Float64Array;
  for (let i = 0; i < bounds.length; i += 2) [bounds[i], bounds[i + 1]] = [Infinity, -Infinity];
  const data = partial.data as Float64Array;
  for (let at = 0; at < data.length; at += width) bounds.set(data.subarray(at + 1, at + width), (data[at] - 1) * ndim * 2);
  return new NDArray(bounds, [maxLabel, ndim, 2], { dtype: "float64" });
});

// The other measurements' block steps, re-exported so that the builtin catalog, which loads this
// module, finds them on workers (graph/builtin-catalog.ts).
export { positionPartial, positionCombine, positionFinish } from "./position-partials.js";
export { medianPartial, medianCombine, medianFinish } from "./median-partials.js";
export { histogramPartial, histogramCombine, histogramFinish } from "./histogram-partials.js";
