/**
 * Per-label statistics (scipy.ndimage `sum_labels`, `mean`, `variance`, `standard_deviation`,
 * `center_of_mass`), with NumPy's arithmetic:
 *
 * - one group (no labels, no index, or a scalar index): NumPy's `vals.sum()` on the selected
 *   values, pairwise and in the input's precision (float32 sums round every addition, integers
 *   sum exactly); `mean` = sum / count; `variance` = Σ(v − mean)² / count with NumPy's float32
 *   mean and products for float32 data;
 * - an index list: NumPy's `bincount`: float64 accumulation per label in C order; `variance`
 *   accumulates (v − mean_label)² in float64 the same way.
 *
 * A scalar result is a number; an index list gives a float64 NDArray with one entry per label.
 */
import { isBigIntDType } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { type Grouping, type LabelIndex, LabelSlots, grouping, selected, valuesOf } from "./label-groups.js";
import { numpySum, roundingOf } from "./numpy-sum.js";

export type { LabelIndex };

/** Counts and float64 sums per entry of an index list (NumPy's bincount). */
function bincount(values: Float64Array, group: Extract<Grouping, { kind: "many" }>): { counts: Float64Array; sums: Float64Array; slotList: number[] } {
  const slots = new LabelSlots(group.index);
  const table = slots.table();
  if (table === null) return bincountWithSlots(values, group);
  if (table.length + 1 <= Math.max(1024, values.length)) return bincountByLabel(values, group.labels, table.length - 1, group.index);
  // One pass, the label looked up per cell (no per-cell slot array): sums in C order per label.
  // Labels not asked for (the background, typically half the cells, in no predictable order)
  // accumulate into one extra slot that is never read, instead of a branch per cell.
  const unused = slots.size;
  for (let label = 0; label < table.length; label++) if (table[label] < 0) table[label] = unused;
  const counts = new Float64Array(unused + 1);
  const sums = new Float64Array(unused + 1);
  const labels = group.labels;
  const largest = table.length - 1;
  for (let p = 0; p < values.length; p++) {
    const label = labels[p];
    if (!(label >= 0 && label <= largest)) continue;
    const slot = table[label];
    counts[slot]++;
    sums[slot] += values[p];
  }
  return { counts, sums, slotList: slots.slotsOfIndex() };
}

/**
 * NumPy's bincount itself: one accumulator per label value up to the largest asked for (labels
 * outside [0, largest] go to one more that is never read), so a cell costs no lookup. For index
 * labels that are small and ≥ 0, when the accumulators are no bigger than the data.
 */
function bincountByLabel(values: Float64Array, labels: Float64Array, largest: number, index: readonly number[]): { counts: Float64Array; sums: Float64Array; slotList: number[] } {
  const outside = largest + 1;
  const counts = new Float64Array(outside + 1);
  const sums = new Float64Array(outside + 1);
  for (let p = 0; p < values.length; p++) {
    let label = labels[p];
    if (!(label >= 0 && label <= largest)) label = outside;
    counts[label]++;
    sums[label] += values[p];
  }
  return { counts, sums, slotList: [...index] };
}

/** bincount, also giving every cell's slot (−1: not asked for), for a second pass. */
function bincountWithSlots(values: Float64Array, group: Extract<Grouping, { kind: "many" }>): { counts: Float64Array; sums: Float64Array; slots: Int32Array; slotList: number[] } {
  const slots = new LabelSlots(group.index);
  const cellSlots = slots.slotsOfCells(group.labels);
  const counts = new Float64Array(slots.size);
  const sums = new Float64Array(slots.size);
  for (let p = 0; p < values.length; p++) {
    const slot = cellSlots[p];
    if (slot < 0) continue;
    counts[slot]++;
    sums[slot] += values[p];
  }
  return { counts, sums, slots: cellSlots, slotList: slots.slotsOfIndex() };
}

function perIndex(values: number[], shape: number[]): NDArray {
  const out = allocate("float64", values.length) as Float64Array;
  out.set(values);
  return new NDArray(out, shape, { dtype: "float64" });
}

/** NumPy's `vals.sum()` of one group: exact for integers, pairwise (rounded to float32 for float32). */
function groupSum(values: Float64Array, dtype: string): number {
  if (dtype !== "float32" && dtype !== "float64") {
    let total = 0;
    for (let i = 0; i < values.length; i++) total += values[i];
    return total;
  }
  return numpySum(values, values.length, roundingOf(dtype));
}

/**
 * NumPy's `vals.sum()` of one group read from the input itself: int64 and uint64 are summed as
 * bigints and wrap as NumPy's do, so the number returned is the one nearest NumPy's integer
 * (numbers would round every value past 2⁵³ first).
 */
function singleSum(input: NDArray, values: Float64Array, select: (p: number) => boolean): number {
  if (!isBigIntDType(input.dtype)) return groupSum(selected(values, select), input.dtype);
  const raw = input.toTypedArray() as BigInt64Array | BigUint64Array;
  let total = 0n;
  for (let p = 0; p < raw.length; p++) if (select(p)) total += raw[p];
  return Number(input.dtype === "int64" ? BigInt.asIntN(64, total) : BigInt.asUintN(64, total));
}

/** Sum of the values of each label (scipy.ndimage.sum_labels). */
export function sumLabels(input: NDArray, labels?: NDArray, index?: number): number;
export function sumLabels(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): NDArray;
export function sumLabels(input: NDArray, labels?: NDArray, index?: LabelIndex): number | NDArray {
  const group = grouping(input, labels, index, "sumLabels");
  const values = valuesOf(input);
  if (group.kind === "single") return singleSum(input, values, group.select);
  const { sums, slotList } = bincount(values, group);
  return perIndex(slotList.map((s) => sums[s]), group.shape);
}

/** scipy.ndimage.sum is sum_labels. */
export const sum = sumLabels;

/** Mean of the values of each label (scipy.ndimage.mean); NaN for a label without cells. */
export function mean(input: NDArray, labels?: NDArray, index?: number): number;
export function mean(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): NDArray;
export function mean(input: NDArray, labels?: NDArray, index?: LabelIndex): number | NDArray {
  const group = grouping(input, labels, index, "mean");
  const values = valuesOf(input);
  if (group.kind === "single") return singleSum(input, values, group.select) / selected(values, group.select).length;
  const { counts, sums, slotList } = bincount(values, group);
  return perIndex(slotList.map((s) => sums[s] / counts[s]), group.shape);
}

/** Variance of the values of each label (scipy.ndimage.variance, population variance). */
export function variance(input: NDArray, labels?: NDArray, index?: number): number;
export function variance(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): NDArray;
export function variance(input: NDArray, labels?: NDArray, index?: LabelIndex): number | NDArray {
  return varianceOf(input, labels, index, "variance");
}

function varianceOf(input: NDArray, labels: NDArray | undefined, index: LabelIndex | undefined, what: string): number | NDArray {
  const group = grouping(input, labels, index, what);
  const values = valuesOf(input);
  if (group.kind === "single") return groupVariance(selected(values, group.select), input.dtype);
  const { counts, sums, slots, slotList } = bincountWithSlots(values, group);
  const centred = new Float64Array(counts.length);
  for (let p = 0; p < values.length; p++) {
    const slot = slots[p];
    if (slot < 0) continue;
    const c = values[p] - sums[slot] / counts[slot];
    centred[slot] += c * c;
  }
  return perIndex(slotList.map((s) => centred[s] / counts[s]), group.shape);
}

/** NumPy's `vals_c = vals - vals.mean(); (vals_c * vals_c).sum() / n` for one group. */
function groupVariance(values: Float64Array, dtype: string): number {
  const n = values.length;
  const float32 = dtype === "float32";
  // np.mean sums float data in its own precision (a float32 mean is rounded back to float32
  // after the division) and integers as float64 (`dtype=float64`: each value cast, then the
  // pairwise sum), not exactly as `vals.sum()` does: they differ once sums pass 2⁵³.
  const total = float32 || dtype === "float64" ? groupSum(values, dtype) : numpySum(values, n, roundingOf("float64"));
  const meanValue = float32 ? Math.fround(total / n) : total / n;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = float32 ? Math.fround(values[i] - meanValue) : values[i] - meanValue;
    squares[i] = float32 ? Math.fround(c * c) : c * c;
  }
  return numpySum(squares, n, roundingOf(float32 ? "float32" : "float64")) / n;
}

/** Standard deviation of each label (scipy.ndimage.standard_deviation): sqrt of `variance`. */
export function standardDeviation(input: NDArray, labels?: NDArray, index?: number): number;
export function standardDeviation(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): NDArray;
export function standardDeviation(input: NDArray, labels?: NDArray, index?: LabelIndex): number | NDArray {
  const result = varianceOf(input, labels, index, "standardDeviation");
  if (typeof result === "number") return Math.sqrt(result);
  const data = result.data as Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = Math.sqrt(data[i]);
  return result;
}

/**
 * Centre of mass of each label (scipy.ndimage.center_of_mass): per axis, Σ value·coordinate over
 * Σ value. One point (per axis) for a single group, one point per entry of an index list.
 */
export function centerOfMass(input: NDArray, labels?: NDArray, index?: number): number[];
export function centerOfMass(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): number[][];
export function centerOfMass(input: NDArray, labels?: NDArray, index?: LabelIndex): number[] | number[][] {
  const group = grouping(input, labels, index, "centerOfMass");
  const values = valuesOf(input);
  const ndim = input.ndim;
  const weighted = Array.from({ length: ndim }, (_, axis) => {
    const out = new Float64Array(values.length);
    const stride = input.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const n = input.shape[axis];
    for (let p = 0; p < values.length; p++) out[p] = values[p] * (Math.floor(p / stride) % n);
    return out;
  });
  if (group.kind === "single") {
    const normalizer = singleSum(input, values, group.select);
    return weighted.map((w) => groupSum(selected(w, group.select), "float64") / normalizer);
  }
  const { sums, slotList } = bincount(values, group);
  const perAxis = weighted.map((w) => bincount(w, group).sums);
  return slotList.map((s) => perAxis.map((axisSums) => axisSums[s] / sums[s]));
}

/**
 * Cells of each label (dask-image's ndmeasure.area; scipy has none): a number for one group, an
 * int64 NDArray for an index list (0 for a label without cells).
 */
export function area(input: NDArray, labels?: NDArray, index?: number): number;
export function area(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): NDArray;
export function area(input: NDArray, labels?: NDArray, index?: LabelIndex): number | NDArray {
  const group = grouping(input, labels, index, "area");
  if (group.kind === "single") {
    let count = 0;
    for (let p = 0; p < input.size; p++) if (group.select(p)) count++;
    return count;
  }
  const { counts, slotList } = bincountWithSlots(valuesOf(input), group);
  return new NDArray(BigInt64Array.from(slotList, (s) => BigInt(counts[s])), group.shape, { dtype: "int64" });
}
