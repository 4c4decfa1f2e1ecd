/**
 * The block steps of the chunked `median` (tessera/array). A median needs every value of its
 * label, so the fold gathers them: each block gives, per entry of the index list, its values
 * sorted (NaN last, raw dtype so int64 stays exact), combining merges the sorted runs, and the
 * finish applies scipy's rule (label-median.ts). The values of the labels measured travel up the
 * tree: the root holds all of them, at most `maxValues` (a partial that would hold more throws,
 * naming the option, rather than exhausting a worker). A block also gives its lowest cell (the
 * smallest label, then its smallest value), which scipy returns for a label without cells.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { type DType, dtypeInfo } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { LabelSlots, valuesOf } from "./label-groups.js";
import { compareScalars, halfSum, lowestCell, medianDtype, medianOfSorted } from "./label-median.js";
import type { Scalar } from "./position-scan.js";

export interface MedianOptions {
  index: number[];
  dtype: DType;
  /** The most values the labels measured may hold together. */
  maxValues: number;
}

export interface MedianPartial {
  /** Each slot's sorted values, one after another. */
  values: NDArray;
  /** float64 [slots + 1]: where each slot's values start (the last entry: the total). */
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

function pack(lists: Scalar[][], lowest: { label: number; value: Scalar } | null, options: MedianOptions): MedianPartial {
  const offsets = new Float64Array(lists.length + 1);
  lists.forEach((list, slot) => (offsets[slot + 1] = offsets[slot] + list.length));
  const total = offsets[lists.length];
  checkCount(total, options);
  const values = allocate(options.dtype, total) as unknown as Scalar[];
  let at = 0;
  for (const list of lists) for (const v of list) values[at++] = v;
  const lowestValue = allocate(options.dtype, lowest === null ? 0 : 1) as unknown as Scalar[];
  if (lowest !== null) lowestValue[0] = lowest.value;
  return {
    values: new NDArray(values as unknown as Float64Array, [total], { dtype: options.dtype }),
    offsets: new NDArray(offsets, [offsets.length], { dtype: "float64" }),
    lowestLabel: lowest === null ? [] : [lowest.label],
    lowestValue: new NDArray(lowestValue as unknown as Float64Array, [lowestValue.length], { dtype: options.dtype }),
  };
}

function listsOf(partial: MedianPartial): Scalar[][] {
  const values = partial.values.data as unknown as Scalar[];
  const offsets = partial.offsets.data as Float64Array;
  return Array.from({ length: offsets.length - 1 }, (_, slot) => Array.prototype.slice.call(values, offsets[slot], offsets[slot + 1]) as Scalar[]);
}

/** One block's partial. */
export const medianPartial = defineBuiltin("ndimage.medianPartial", function medianPartial(values: NDArray, labels: NDArray, options: MedianOptions): MedianPartial {
  const slots = new LabelSlots(options.index);
  const labelNumbers = valuesOf(labels);
  const cellSlots = slots.slotsOfCells(labelNumbers);
  const raw = values.toTypedArray() as ArrayLike<Scalar>;
  const lists: Scalar[][] = Array.from({ length: slots.size }, () => []);
  for (let p = 0; p < raw.length; p++) if (cellSlots[p] >= 0) lists[cellSlots[p]].push(raw[p]);
  for (const list of lists) list.sort(compareScalars);
  return pack(lists, lowestCell(raw, labelNumbers), options);
});

/** Two sorted runs merged (stable: equal values of the earlier run first). */
function merge(a: Scalar[], b: Scalar[]): Scalar[] {
  const out: Scalar[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(compareScalars(b[j], a[i]) < 0 ? b[j++] : a[i++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

export const medianCombine = defineBuiltin("ndimage.medianCombine", function medianCombine(partials: MedianPartial[], options: MedianOptions): MedianPartial {
  let lists: Scalar[][] | null = null;
  let lowest: { label: number; value: Scalar } | null = null;
  for (const partial of partials) {
    const parts = listsOf(partial);
    lists = lists === null ? parts : lists.map((list, slot) => merge(list, parts[slot]));
    if (partial.lowestLabel.length === 0) continue;
    const candidate = { label: partial.lowestLabel[0], value: (partial.lowestValue.data as unknown as Scalar[])[0] };
    if (lowest === null || candidate.label < lowest.label || (candidate.label === lowest.label && compareScalars(candidate.value, lowest.value) < 0)) lowest = candidate;
  }
  return pack(lists ?? [], lowest, options);
});

/** scipy's median per index entry: float32 for float32 data, float64 for the rest. */
export const medianFinish = defineBuiltin("ndimage.medianFinish", function medianFinish(partial: MedianPartial, options: MedianOptions): NDArray {
  const lists = listsOf(partial);
  const slots = new LabelSlots(options.index).slotsOfIndex();
  if (partial.lowestLabel.length === 0 && slots.length > 0) {
    throw new InvalidOptionError("median: an index list needs a non-empty array (scipy: zero-size array to reduction operation)");
  }
  const lowestValue = (partial.lowestValue.data as unknown as Scalar[])[0];
  const dtype = medianDtype(options.dtype);
  const out = allocate(dtype, slots.length) as Float32Array | Float64Array;
  slots.forEach((slot, i) => {
    out[i] = lists[slot].length === 0 ? halfSum(lowestValue, lowestValue, options.dtype) : medianOfSorted(lists[slot], options.dtype);
  });
  return new NDArray(out, [slots.length], { dtype });
});
