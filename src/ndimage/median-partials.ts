/**
 * The block steps of the chunked `median` (tessera/array). A median needs every value of its
 * label, so the fold gathers them: each block gives, per entry of the index list, its values
 * sorted (a typed array's sort: numeric, NaN last, raw dtype so int64 stays exact), combining
 * sorts the runs together, and the finish applies scipy's rule (label-median.ts). scipy's sort is
 * stable over C order; a typed sort puts −0 before +0, so where a label's middle values are zeros
 * of both signs the median's zero may carry the other sign than scipy's (numerically equal). The values of the labels measured travel up the
 * tree: the root holds all of them, at most `maxValues` (a partial that would hold more throws,
 * naming the option, rather than exhausting a worker). A block also gives its lowest cell (the
 * smallest label, then its smallest value), which scipy returns for a label without cells.
 *
 * A partial holds rows for the labels its blocks hold only (label-groups.ts compactSlots): dense
 * offsets per label of the index in every block cost 25 s and 270 MB peak in-process for 135 000
 * labels over 1000 blocks, where the values themselves are 7 MB.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { type DType, dtypeInfo } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { LabelSlots, compactSlots, int32, mergedSlots, valuesOf } from "./label-groups.js";
import { compareScalars, groupMedian, halfSum, lowestCell, medianDtype, medianOfSorted } from "./label-median.js";
import type { Scalar } from "./position-scan.js";

export interface MedianOptions {
  index: number[];
  dtype: DType;
  /** The most values the labels measured may hold together. */
  maxValues: number;
  /**
   * One group (no index, or one label): NumPy's np.median of the group — NaN for no cells or a
   * NaN value — as the eager median gives, not the index list's rule (an absent label there reads
   * the lowest cell of the whole array: scipy's median(x, labels, 3) is NaN, median(x, labels, [3]) is not).
   */
  single?: boolean;
}

export interface MedianPartial {
  /** int32 [rows]: the slots held, ascending after a combine. */
  slots: NDArray;
  /** Each row's sorted values, one after another. */
  values: NDArray;
  /** float64 [rows + 1]: where each row's values start (the last entry: the total). */
  offsets: NDArray;
  /** [label] of the lowest cell, empty when the part has no cells. */
  lowestLabel: number[];
  /** [value] of the lowest cell in the input's dtype, empty when the part has no cells. */
  lowestValue: NDArray;
}

function checkCount(total: number, options: MedianOptions): void {
  if (total > options.maxValues) {
    throw new InvalidOptionError(
      `median: the labels measured hold more than maxValues = ${options.maxValues} values (${options.maxValues * dtypeInfo(options.dtype).itemsize} bytes at the root of the fold); ` +
      "pass a larger maxValues if a worker can hold them, or measure fewer labels per call",
    );
  }
}

/** The slot segments of `values` sorted in place: numeric order with NaN last (a typed array's own sort). */
function sortSegments(values: ArrayLike<Scalar>, offsets: Float64Array): void {
  const typed = values as unknown as Float64Array;
  for (let slot = 0; slot + 1 < offsets.length; slot++) if (offsets[slot + 1] - offsets[slot] > 1) typed.subarray(offsets[slot], offsets[slot + 1]).sort();
}

function packed(slots: ArrayLike<number>, values: ArrayLike<Scalar>, offsets: Float64Array, lowest: { label: number; value: Scalar } | null, options: MedianOptions): MedianPartial {
  const lowestValue = allocate(options.dtype, lowest === null ? 0 : 1) as unknown as Scalar[];
  if (lowest !== null) lowestValue[0] = lowest.value;
  return {
    slots: int32(slots),
    values: new NDArray(values as unknown as Float64Array, [values.length], { dtype: options.dtype }),
    offsets: new NDArray(offsets, [offsets.length], { dtype: "float64" }),
    lowestLabel: lowest === null ? [] : [lowest.label],
    lowestValue: new NDArray(lowestValue as unknown as Float64Array, [lowestValue.length], { dtype: options.dtype }),
  };
}

/** One block's partial: its cells gathered per row in C order (a counting sort), then each row sorted. */
export const medianPartial = defineBuiltin("ndimage.medianPartial", function medianPartial(values: NDArray, labels: NDArray, options: MedianOptions): MedianPartial {
  const labelNumbers = valuesOf(labels);
  const { cellSlots, present } = compactSlots(new LabelSlots(options.index), labelNumbers);
  const rows = present.length;
  const raw = values.toTypedArray() as ArrayLike<Scalar>;
  const offsets = new Float64Array(rows + 1);
  for (let p = 0; p < cellSlots.length; p++) if (cellSlots[p] >= 0) offsets[cellSlots[p] + 1]++;
  for (let row = 0; row < rows; row++) offsets[row + 1] += offsets[row];
  checkCount(offsets[rows], options);
  const gathered = allocate(options.dtype, offsets[rows]) as unknown as Scalar[];
  const next = offsets.slice(0, rows);
  for (let p = 0; p < cellSlots.length; p++) if (cellSlots[p] >= 0) gathered[next[cellSlots[p]]++] = raw[p];
  sortSegments(gathered, offsets);
  return packed(present, gathered, offsets, lowestCell(raw, labelNumbers), options);
});

/** Partials combined: each slot's runs side by side, then sorted. */
export const medianCombine = defineBuiltin("ndimage.medianCombine", function medianCombine(partials: MedianPartial[], options: MedianOptions): MedianPartial {
  const { entries, slots } = mergedSlots(partials.map((partial) => partial.slots.data as Int32Array));
  const rows = slots.length;
  const offsets = new Float64Array(rows + 1);
  for (const partial of partials) {
    const partSlots = partial.slots.data as Int32Array;
    const part = partial.offsets.data as Float64Array;
    for (let entry = 0; entry < partSlots.length; entry++) offsets[entries[partSlots[entry]] + 1] += part[entry + 1] - part[entry];
  }
  for (let row = 0; row < rows; row++) offsets[row + 1] += offsets[row];
  checkCount(offsets[rows], options);
  const merged = allocate(options.dtype, offsets[rows]) as unknown as Float64Array;
  const next = offsets.slice(0, rows);
  let lowest: { label: number; value: Scalar } | null = null;
  for (const partial of partials) {
    const partSlots = partial.slots.data as Int32Array;
    const part = partial.offsets.data as Float64Array;
    const data = partial.values.data as unknown as Float64Array;
    for (let entry = 0; entry < partSlots.length; entry++) {
      const row = entries[partSlots[entry]];
      merged.set(data.subarray(part[entry], part[entry + 1]), next[row]);
      next[row] += part[entry + 1] - part[entry];
    }
    if (partial.lowestLabel.length === 0) continue;
    const candidate = { label: partial.lowestLabel[0], value: (partial.lowestValue.data as unknown as Scalar[])[0] };
    if (lowest === null || candidate.label < lowest.label || (candidate.label === lowest.label && compareScalars(candidate.value, lowest.value) < 0)) lowest = candidate;
  }
  sortSegments(merged as unknown as Scalar[], offsets);
  return packed(slots, merged as unknown as Scalar[], offsets, lowest, options);
});

/** scipy's median per index entry: float32 for float32 data, float64 for the rest. */
export const medianFinish = defineBuiltin("ndimage.medianFinish", function medianFinish(partial: MedianPartial, options: MedianOptions): NDArray {
  const values = partial.values.data as unknown as Float64Array;
  const offsets = partial.offsets.data as Float64Array;
  const { entries } = mergedSlots([partial.slots.data as Int32Array]);
  // Each index entry's row in the root, −1 for a label without cells.
  const rows = new LabelSlots(options.index).slotsOfIndex().map((slot) => (slot >= 0 && slot < entries.length ? entries[slot] : -1));
  const dtype = medianDtype(options.dtype);
  if (options.single) {
    const out = allocate(dtype, 1) as Float32Array | Float64Array;
    const group = rows[0] < 0 ? [] : Array.from(values.subarray(offsets[rows[0]], offsets[rows[0] + 1]) as ArrayLike<Scalar>);
    out[0] = groupMedian(group, options.dtype);
    return new NDArray(out, [1], { dtype });
  }
  if (partial.lowestLabel.length === 0 && rows.length > 0) {
    throw new InvalidOptionError("median: an index list needs a non-empty array (scipy: zero-size array to reduction operation)");
  }
  const lowestValue = (partial.lowestValue.data as unknown as Scalar[])[0];
  const out = allocate(dtype, rows.length) as Float32Array | Float64Array;
  rows.forEach((row, i) => {
    out[i] = row < 0 ? halfSum(lowestValue, lowestValue, options.dtype) : medianOfSorted(values.subarray(offsets[row], offsets[row + 1]), options.dtype);
  });
  return new NDArray(out, [rows.length], { dtype });
});
