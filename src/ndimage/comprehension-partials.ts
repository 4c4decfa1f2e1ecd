/**
 * The block steps of the chunked `labeledComprehension` (tessera/array, dask-image's
 * ndmeasure.labeled_comprehension). The user's function needs every value of its label, in the
 * order the eager function gives them (C order of the whole array), so the fold gathers them:
 * each block gives, per entry of the index list, its cells' values (as float64, what the eager
 * function passes) and their positions in the whole array; combining puts the runs side by
 * side; the finish puts each label's values back in C order by position and calls the function
 * (comprehensionFinish, called from the block function that carries the user's source). The
 * root holds every value of the labels measured, at most `maxValues` of them (a partial that
 * would hold more throws, naming the option, rather than exhausting a worker).
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { type DType, dtypeInfo } from "../ndarray/dtype.js";
import { NDArray, allocate, cStrides } from "../ndarray/ndarray.js";
import { LabelSlots, valuesOf } from "./label-groups.js";

export interface ComprehensionOptions {
  index: number[];
  /** The whole array's shape, for the cells' positions. */
  shape: number[];
  /** The most values the labels measured may hold together. */
  maxValues: number;
  outDtype: DType;
  defaultValue: number;
  /** Call the function with the values' positions in the flattened array too (scipy's pass_positions). */
  passPositions: boolean;
}

export interface ComprehensionPartial {
  /** float64: each slot's values, one slot after another. */
  values: NDArray;
  /** float64: the C-order position in the whole array of each value. */
  positions: NDArray;
  /** float64 [slots + 1]: where each slot's values start (the last entry: the total). */
  offsets: NDArray;
}

function checkCount(total: number, options: ComprehensionOptions): void {
  if (total > options.maxValues) {
    throw new InvalidOptionError(
      `labeledComprehension: the labels measured hold more than maxValues = ${options.maxValues} values (${options.maxValues * 16} bytes at the root of the fold); ` +
        "pass a larger maxValues if a worker can hold them, or measure fewer labels per call",
    );
  }
}

const packed = (values: Float64Array, positions: Float64Array, offsets: Float64Array): ComprehensionPartial => ({
  values: new NDArray(values, [values.length], { dtype: "float64" }),
  positions: new NDArray(positions, [positions.length], { dtype: "float64" }),
  offsets: new NDArray(offsets, [offsets.length], { dtype: "float64" }),
});

/** One block's partial: its cells gathered per slot, each with its position in the whole array. */
export const comprehensionPartial = defineBuiltin("ndimage.comprehensionPartial", function comprehensionPartial(
  values: NDArray, labels: NDArray, options: ComprehensionOptions, origin: number[],
): ComprehensionPartial {
  const slots = new LabelSlots(options.index);
  const cellSlots = slots.slotsOfCells(valuesOf(labels));
  const numbers = valuesOf(values);
  const offsets = new Float64Array(slots.size + 1);
  for (let p = 0; p < cellSlots.length; p++) if (cellSlots[p] >= 0) offsets[cellSlots[p] + 1]++;
  for (let slot = 0; slot < slots.size; slot++) offsets[slot + 1] += offsets[slot];
  checkCount(offsets[slots.size], options);
  const gathered = new Float64Array(offsets[slots.size]);
  const positions = new Float64Array(offsets[slots.size]);
  const next = offsets.slice(0, slots.size);
  const strides = cStrides(options.shape);
  const blockStrides = cStrides(values.shape);
  for (let p = 0; p < cellSlots.length; p++) {
    if (cellSlots[p] < 0) continue;
    let at = 0;
    for (let axis = 0; axis < blockStrides.length; axis++) at += (origin[axis] + (Math.floor(p / blockStrides[axis]) % values.shape[axis])) * strides[axis];
    const to = next[cellSlots[p]]++;
    gathered[to] = numbers[p];
    positions[to] = at;
  }
  return packed(gathered, positions, offsets);
});

/** Partials combined: each slot's runs side by side (their order is restored at the finish). */
export const comprehensionCombine = defineBuiltin("ndimage.comprehensionCombine", function comprehensionCombine(
  partials: ComprehensionPartial[], options: ComprehensionOptions,
): ComprehensionPartial {
  const slotCount = partials[0].offsets.size - 1;
  const offsets = new Float64Array(slotCount + 1);
  for (const partial of partials) {
    const part = partial.offsets.data as Float64Array;
    for (let slot = 0; slot < slotCount; slot++) offsets[slot + 1] += part[slot + 1] - part[slot];
  }
  for (let slot = 0; slot < slotCount; slot++) offsets[slot + 1] += offsets[slot];
  checkCount(offsets[slotCount], options);
  const values = new Float64Array(offsets[slotCount]);
  const positions = new Float64Array(offsets[slotCount]);
  const next = offsets.slice(0, slotCount);
  for (const partial of partials) {
    const part = partial.offsets.data as Float64Array;
    for (let slot = 0; slot < slotCount; slot++) {
      values.set((partial.values.data as Float64Array).subarray(part[slot], part[slot + 1]), next[slot]);
      positions.set((partial.positions.data as Float64Array).subarray(part[slot], part[slot + 1]), next[slot]);
      next[slot] += part[slot + 1] - part[slot];
    }
  }
  return packed(values, positions, offsets);
});

/**
 * `fn` of each index entry's values in C order (with their positions when `passPositions`;
 * `defaultValue` for a label without cells),
 * stored in `outDtype` as the eager labeledComprehension stores it: an [n] array.
 */
export function comprehensionFinish(partial: ComprehensionPartial, fn: (values: Float64Array, positions?: Float64Array) => number, options: ComprehensionOptions): NDArray {
  const values = partial.values.data as Float64Array;
  const positions = partial.positions.data as Float64Array;
  const offsets = partial.offsets.data as Float64Array;
  const slots = new LabelSlots(options.index).slotsOfIndex();
  const results = slots.map((slot) => {
    const [start, stop] = [offsets[slot], offsets[slot + 1]];
    if (stop === start) return options.defaultValue;
    const order = Array.from({ length: stop - start }, (_, i) => start + i).sort((a, b) => positions[a] - positions[b]);
    const ordered = Float64Array.from(order, (i) => values[i]);
    const result = options.passPositions ? fn(ordered, Float64Array.from(order, (i) => positions[i])) : fn(ordered);
    if (typeof result !== "number") throw new InvalidOptionError(`labeledComprehension: the function returned ${typeof result}, not a number`);
    return result;
  });
  const out = allocate(options.outDtype, results.length);
  if (dtypeInfo(options.outDtype).kind !== "f" && (out instanceof BigInt64Array || out instanceof BigUint64Array)) {
    results.forEach((r, i) => ((out as BigInt64Array)[i] = BigInt(Math.trunc(r))));
  } else {
    (out as Float64Array).set(results);
  }
  return new NDArray(out, [results.length], { dtype: options.outDtype });
}
