/**
 * The block steps of the chunked `histogram` (tessera/array): each block gives, per entry of the
 * index list, the tallies of label-histogram.ts (which edge each value falls after, and whether
 * it is at most the last edge) and whether the label occurs; tallies add exactly across blocks,
 * so the counts are NumPy's. The finish gives int64 counts [n, bins]; a label without cells gives
 * a row of zeros (scipy's None has no place in an array; `area` tells the two apart).
 */
import { defineBuiltin } from "../core/builtin.js";
import { NDArray } from "../ndarray/ndarray.js";
import { LabelSlots, valuesOf } from "./label-groups.js";
import { type HistogramRange, histogramCounts, histogramEdges, histogramTallies } from "./label-histogram.js";

export interface HistogramOptions extends HistogramRange {
  index: number[];
}

const edgesOf = (options: HistogramOptions): Float64Array => (options.bins >= 1 ? histogramEdges(options) : new Float64Array(1));

export const histogramPartial = defineBuiltin("ndimage.histogramPartial", function histogramPartial(values: NDArray, labels: NDArray, options: HistogramOptions): NDArray {
  const slots = new LabelSlots(options.index);
  const tallies = histogramTallies(valuesOf(values), slots.slotsOfCells(valuesOf(labels)), slots.size, edgesOf(options));
  return new NDArray(tallies, [tallies.length], { dtype: "float64" });
});

export const histogramCombine = defineBuiltin("ndimage.histogramCombine", function histogramCombine(partials: NDArray[]): NDArray {
  const total = new Float64Array(partials[0].size);
  for (const partial of partials) {
    const data = partial.data as Float64Array;
    for (let i = 0; i < total.length; i++) total[i] += data[i];
  }
  return new NDArray(total, [total.length], { dtype: "float64" });
});

export const histogramFinish = defineBuiltin("ndimage.histogramFinish", function histogramFinish(partial: NDArray, options: HistogramOptions): NDArray {
  const tallies = partial.data as Float64Array;
  const slots = new LabelSlots(options.index).slotsOfIndex();
  const out = new BigInt64Array(slots.length * options.bins);
  slots.forEach((slot, i) => out.set(histogramCounts(tallies, slot, options.bins).data as BigInt64Array, i * options.bins));
  return new NDArray(out, [slots.length, options.bins], { dtype: "int64" });
});
