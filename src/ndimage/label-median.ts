/**
 * The median of each label (scipy.ndimage.median), grouping cells as the other measurements do
 * (label-groups.ts).
 *
 * - One group: NumPy's `np.median(vals)`: NaN for no cells or when any value is NaN; else the
 *   middle value (odd count) or the mean of the two middle ones (even), in float32 for float32
 *   data and float64 otherwise.
 * - An index list: scipy's own rule (`_select` with `find_median`): each label's values sorted
 *   with NaN last, lo = (n − 1) // 2 and hi = n − 1 − lo, the result (v[lo] + v[hi]) / 2 — also for
 *   an odd count, so a float32 value past half the float32 range gives inf as scipy's does —
 *   computed in float32 for float32 data and in float64 for the rest (integers cast first, as
 *   scipy casts them). A label without cells reads lo = hi = 0 of scipy's sorted array: the
 *   smallest value (NaN last) of the smallest label in the whole label array, whichever label
 *   that is. An empty array with an index list is refused, as scipy's `labels.max()` raises.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { type LabelIndex, LabelSlots, grouping } from "./label-groups.js";
import type { Scalar } from "./position-scan.js";

/** Ascending with NaN last; equal values keep their order (the sort is stable). */
export function compareScalars(a: Scalar, b: Scalar): number {
  const aNaN = typeof a === "number" && a !== a;
  const bNaN = typeof b === "number" && b !== b;
  if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** scipy's (v[lo] + v[hi]) / 2 in the result's precision. */
export function halfSum(a: Scalar, b: Scalar, dtype: DType): number {
  if (dtype === "float32") return Math.fround(Math.fround((a as number) + (b as number)) / 2);
  return (Number(a) + Number(b)) / 2;
}

/** scipy's median of one label's values sorted by compareScalars. */
export function medianOfSorted(sorted: ArrayLike<Scalar>, dtype: DType): number {
  const lo = (sorted.length - 1) >> 1;
  return halfSum(sorted[lo], sorted[sorted.length - 1 - lo], dtype);
}

/** The dtype of a median over an index list: float32 stays float32, the rest is float64. */
export const medianDtype = (dtype: DType): DType => (dtype === "float32" ? "float32" : "float64");

/** The cell scipy's sort puts first: the smallest label, then its smallest value (NaN last); null for no cells. */
export function lowestCell(raw: ArrayLike<Scalar>, labels: Float64Array): { label: number; value: Scalar } | null {
  let best: { label: number; value: Scalar } | null = null;
  for (let p = 0; p < labels.length; p++) {
    const label = labels[p];
    if (best === null || label < best.label || (label === best.label && compareScalars(raw[p], best.value) < 0)) best = { label, value: raw[p] };
  }
  return best;
}

/** NumPy's np.median of one group (also the chunked median's single-label form, median-partials.ts). */
export function groupMedian(values: Scalar[], dtype: DType): number {
  if (values.length === 0 || values.some((v) => typeof v === "number" && v !== v)) return Number.NaN;
  values.sort(compareScalars);
  const n = values.length;
  // Odd: the middle value itself (NumPy's mean of one value does not add it to itself).
  if (n % 2 === 1) return Number(values[(n - 1) / 2]);
  return halfSum(values[n / 2 - 1], values[n / 2], dtype);
}

/** Median of the values of each label (scipy.ndimage.median). */
export function median(input: NDArray, labels?: NDArray, index?: number): number;
export function median(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): NDArray;
export function median(input: NDArray, labels?: NDArray, index?: LabelIndex): number | NDArray {
  const group = grouping(input, labels, index, "median");
  const raw = input.toTypedArray() as ArrayLike<Scalar>;
  if (group.kind === "single") {
    const values: Scalar[] = [];
    for (let p = 0; p < raw.length; p++) if (group.select(p)) values.push(raw[p]);
    return groupMedian(values, input.dtype);
  }
  const lowest = lowestCell(raw, group.labels);
  if (lowest === null) throw new InvalidOptionError("median: an index list needs a non-empty array (scipy: zero-size array to reduction operation)");
  const slots = new LabelSlots(group.index);
  const cellSlots = slots.slotsOfCells(group.labels);
  const members: Scalar[][] = Array.from({ length: slots.size }, () => []);
  for (let p = 0; p < raw.length; p++) if (cellSlots[p] >= 0) members[cellSlots[p]].push(raw[p]);
  const dtype = medianDtype(input.dtype);
  const absent = halfSum(lowest.value, lowest.value, input.dtype);
  const out = allocate(dtype, group.index.length) as Float64Array | Float32Array;
  slots.slotsOfIndex().forEach((slot, i) => {
    const values = members[slot];
    out[i] = values.length === 0 ? absent : medianOfSorted(values.sort(compareScalars), input.dtype);
  });
  return new NDArray(out, group.shape, { dtype });
}
