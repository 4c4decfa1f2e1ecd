/**
 * Histogram of each label (scipy.ndimage.histogram): `numpy.histogram(vals, linspace(min, max,
 * bins + 1))[0]` per group, as scipy runs it through labeled_comprehension.
 *
 * NumPy counts against explicit edges through sorted searches: bin j (j < bins − 1) holds
 * e[j] ≤ v < e[j+1], the last bin also v = e[bins]; NaN and values outside [e[0], e[bins]] are
 * not counted. Per value that is: r = the number of edges e[0…bins−1] ≤ v, tallied in H[r], plus
 * whether v ≤ e[bins] (tallied in `within`); bin j < bins − 1 is H[j + 1] and the last bin is
 * within − (H[0] + … + H[bins − 1]). The tallies add across blocks, so the chunked histogram
 * (histogram-partials.ts) is exact too.
 *
 * Result shapes: one group (no labels, no index) gives an int64 NDArray [bins]; a scalar index
 * gives that or null when the label has no cells; an index list gives one entry per label, null
 * for a label without cells (scipy's object array with None).
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray } from "../ndarray/ndarray.js";
import { checkIndexFitsLabels } from "./extrema.js";
import { type LabelIndex, LabelSlots, grouping, valuesOf } from "./label-groups.js";

export interface HistogramRange {
  min: number;
  max: number;
  bins: number;
}

/** Checks min, max and bins; `what` names the function in errors. */
export function checkHistogramRange(min: unknown, max: unknown, bins: unknown, what: string): HistogramRange {
  for (const [name, value] of [["min", min], ["max", max]] as const) {
    // scipy takes NaN and ±inf and bins against NaN edges; tessera refuses them instead.
    if (typeof value !== "number" || !Number.isFinite(value)) throw new InvalidOptionError(`${what}: ${name} must be a finite number, got ${String(value)}`);
  }
  if (typeof bins !== "number" || !Number.isInteger(bins) || bins < -1) {
    throw new InvalidOptionError(`${what}: bins must be an integer ≥ 0, got ${String(bins)} (scipy: linspace needs bins + 1 ≥ 0 samples)`);
  }
  if ((min as number) > (max as number)) throw new InvalidOptionError(`${what}: min ${String(min)} is above max ${String(max)} (NumPy: bins must increase monotonically)`);
  return { min: min as number, max: max as number, bins: Math.max(0, bins) };
}

/** numpy.linspace(min, max, bins + 1) for bins ≥ 1, NumPy's arithmetic. */
export function histogramEdges({ min, max, bins }: HistogramRange): Float64Array {
  const edges = new Float64Array(bins + 1);
  const delta = max - min;
  const step = delta / bins;
  for (let i = 0; i <= bins; i++) edges[i] = (step === 0 ? (i / bins) * delta : i * step) + min;
  edges[bins] = max;
  return edges;
}

/** Tallies per slot: [H[0…bins], within] (bins + 2 numbers each); `cellSlots` −1 skips a cell. */
export function histogramTallies(values: Float64Array, cellSlots: Int32Array, slotCount: number, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const width = bins + 2;
  const tallies = new Float64Array(slotCount * width);
  if (bins < 1) return tallies;
  const last = edges[bins];
  for (let p = 0; p < values.length; p++) {
    const slot = cellSlots[p];
    const v = values[p];
    if (slot < 0 || v !== v) continue;
    // r: edges e[0…bins−1] ≤ v (NumPy's searchsorted 'right' of v among them).
    let low = 0;
    let high = bins;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (edges[mid] <= v) low = mid + 1;
      else high = mid;
    }
    tallies[slot * width + low]++;
    if (v <= last) tallies[slot * width + bins + 1]++;
  }
  return tallies;
}

/** The counts of one slot's tallies (int64 [bins]). */
export function histogramCounts(tallies: Float64Array, slot: number, bins: number): NDArray {
  const width = bins + 2;
  const at = slot * width;
  const counts = new BigInt64Array(bins);
  let below = 0;
  for (let j = 0; j < bins; j++) below += tallies[at + j];
  for (let j = 0; j < bins - 1; j++) counts[j] = BigInt(tallies[at + j + 1]);
  if (bins > 0) counts[bins - 1] = BigInt(tallies[at + bins + 1] - below);
  return new NDArray(counts, [bins], { dtype: "int64" });
}

/** Histogram of the values of each label (scipy.ndimage.histogram). */
export function histogram(input: NDArray, min: number, max: number, bins: number, labels?: NDArray, index?: number): NDArray | null;
export function histogram(input: NDArray, min: number, max: number, bins: number, labels: NDArray, index: readonly number[] | NDArray): Array<NDArray | null>;
export function histogram(input: NDArray, min: number, max: number, bins: number, labels?: NDArray, index?: LabelIndex): NDArray | null | Array<NDArray | null> {
  const range = checkHistogramRange(min, max, bins, "histogram");
  const edges = range.bins >= 1 ? histogramEdges(range) : new Float64Array(1);
  const values = valuesOf(input);
  const scalar = typeof index === "number";
  if (labels === undefined || labels === null || index === undefined || index === null) {
    const group = grouping(input, labels, index, "histogram");
    if (group.kind !== "single") throw new Error("unreachable");
    const cellSlots = Int32Array.from({ length: values.length }, (_, p) => (group.select(p) ? 0 : -1));
    return histogramCounts(histogramTallies(values, cellSlots, 1, edges), 0, range.bins);
  }
  const group = grouping(input, labels, scalar ? [index] : index, "histogram");
  if (group.kind !== "many") throw new Error("unreachable");
  checkIndexFitsLabels(group.index, labels.dtype, "histogram");
  const slots = new LabelSlots(group.index);
  const cellSlots = slots.slotsOfCells(group.labels);
  const present = new Uint8Array(slots.size);
  for (let p = 0; p < cellSlots.length; p++) if (cellSlots[p] >= 0) present[cellSlots[p]] = 1;
  const tallies = histogramTallies(values, cellSlots, slots.size, edges);
  const results = slots.slotsOfIndex().map((slot) => (present[slot] ? histogramCounts(tallies, slot, range.bins) : null));
  return scalar ? results[0] : results;
}
