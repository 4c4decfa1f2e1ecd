/**
 * Per-label extremes and arbitrary per-label functions (scipy.ndimage `minimum`, `maximum`,
 * `labeled_comprehension`).
 *
 * One group: NumPy's `vals.min()` / `vals.max()` — a NaN anywhere gives NaN; an empty group is
 * an error, as in NumPy. An index list: scipy sorts the values and keeps the first (minimum) or
 * last (maximum) per label, so NaN (sorted last) wins a maximum but a minimum only when the label
 * holds nothing else; a label without cells gives 0. Results keep the input's dtype.
 * When a label holds both +0 and −0, which zero scipy returns depends on NumPy's sort; tessera
 * returns the first in C order for a minimum and the last for a maximum.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, dtypeInfo, dtypes, isBigIntDType } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { type LabelIndex, LabelSlots, grouping, valuesOf } from "./label-groups.js";

type Scalar = number | bigint;

/**
 * The raw values are compared, not valuesOf's numbers: int64 and uint64 stay bigints, so a
 * label's extreme is its exact value (numbers would merge 2⁵³ and 2⁵³ + 1) and the result array
 * can hold it.
 */
function extreme(input: NDArray, labels: NDArray | undefined, index: LabelIndex | undefined, minimum: boolean, what: string): number | NDArray {
  const group = grouping(input, labels, index, what);
  const raw = input.toTypedArray() as ArrayLike<Scalar>;
  if (group.kind === "single") {
    let result: Scalar | undefined;
    for (let p = 0; p < raw.length; p++) {
      if (!group.select(p)) continue;
      const v = raw[p];
      if (result === undefined) result = v;
      else if (v !== v || result !== result) return Number.NaN;
      else if (minimum ? v < result : v > result) result = v;
    }
    if (result === undefined) throw new InvalidOptionError(`${what}: the selected group has no cells (NumPy: zero-size array to reduction)`);
    return Number(result);
  }
  const slots = new LabelSlots(group.index);
  const cellSlots = slots.slotsOfCells(group.labels);
  const best = allocate(input.dtype, slots.size) as unknown as Scalar[];
  const seen = new Uint8Array(slots.size);
  for (let p = 0; p < raw.length; p++) {
    const slot = cellSlots[p];
    if (slot < 0) continue;
    const v = raw[p];
    if (!seen[slot]) {
      seen[slot] = 1;
      best[slot] = v;
      continue;
    }
    const current = best[slot];
    // Sorted order: NaN after every number.
    if (minimum) {
      if (current !== current ? v === v : v < current) best[slot] = v;
    } else if (current === current && (v !== v || v >= current)) {
      best[slot] = v;
    }
  }
  const out = allocate(input.dtype, group.index.length) as unknown as Scalar[];
  const zero = typeof best[0] === "bigint" || isBigIntDType(input.dtype) ? 0n : 0;
  slots.slotsOfIndex().forEach((slot, i) => {
    out[i] = seen[slot] ? best[slot] : zero;
  });
  return new NDArray(out as unknown as Float64Array, group.shape, { dtype: input.dtype });
}

/** Smallest value of each label (scipy.ndimage.minimum). */
export function minimum(input: NDArray, labels?: NDArray, index?: number): number;
export function minimum(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): NDArray;
export function minimum(input: NDArray, labels?: NDArray, index?: LabelIndex): number | NDArray {
  return extreme(input, labels, index, true, "minimum");
}

/** Largest value of each label (scipy.ndimage.maximum). */
export function maximum(input: NDArray, labels?: NDArray, index?: number): number;
export function maximum(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): NDArray;
export function maximum(input: NDArray, labels?: NDArray, index?: LabelIndex): number | NDArray {
  return extreme(input, labels, index, false, "maximum");
}

/**
 * scipy's labeled_comprehension casts the index to the labels' dtype and raises when a label
 * changes on the way (2 for bool labels, 1000 or −1 for uint8): such a label would match cells
 * it does not name, so tessera refuses it too instead of measuring them.
 */
export function checkIndexFitsLabels(index: readonly number[], dtype: DType, what = "labeledComprehension"): void {
  const { kind, itemsize } = dtypeInfo(dtype);
  const bits = 8 * itemsize;
  const [low, high] = kind === "b" ? [0, 1] : kind === "u" ? [0, 2 ** bits - 1] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  const outside = index.find((label) => label < low || label > high);
  if (outside !== undefined) {
    throw new InvalidOptionError(`${what}: index ${outside} does not fit the labels' dtype ${dtype} (${low}…${high}); scipy refuses it too`);
  }
}

/**
 * `fn` applied to the values of each label (scipy.ndimage.labeled_comprehension): without
 * labels to every value, without index to the cells labelled > 0, else to each listed label's
 * values (`defaultValue` where a label has none). Values come in C order (scipy's order within a
 * label is unspecified). With `passPositions`, `fn` also gets each value's position in the
 * flattened array (scipy's pass_positions; float64, exact below 2⁵³). A scalar index gives a
 * number, a list an NDArray of `outDtype`.
 */
export function labeledComprehension(
  input: NDArray, labels: NDArray | undefined, index: LabelIndex | undefined, fn: (values: Float64Array, positions: Float64Array) => number,
  outDtype: DType, defaultValue: number, passPositions = false,
): number | NDArray {
  if (!dtypes.includes(outDtype)) throw new InvalidOptionError(`labeledComprehension: outDtype ${JSON.stringify(outDtype)} is not a dtype`);
  if (typeof fn !== "function") throw new InvalidOptionError("labeledComprehension: fn must be a function of the values");
  if (typeof passPositions !== "boolean") throw new InvalidOptionError(`labeledComprehension: passPositions must be true or false, got ${JSON.stringify(passPositions)}`);
  const values = valuesOf(input);
  const call = (positions: number[]): number => {
    const mine = Float64Array.from(positions, (p) => values[p]);
    return passPositions ? fn(mine, Float64Array.from(positions)) : (fn as (values: Float64Array) => number)(mine);
  };
  if (index === undefined || index === null || labels === undefined) {
    const group = grouping(input, labels, index, "labeledComprehension");
    if (group.kind !== "single") throw new Error("unreachable");
    const positions: number[] = [];
    for (let p = 0; p < values.length; p++) if (group.select(p)) positions.push(p);
    return call(positions);
  }
  const scalar = typeof index === "number";
  const group = grouping(input, labels, scalar ? [index] : index, "labeledComprehension");
  if (group.kind !== "many") throw new Error("unreachable");
  checkIndexFitsLabels(group.index, labels.dtype);
  const slots = new LabelSlots(group.index);
  const cellSlots = slots.slotsOfCells(group.labels);
  const members: number[][] = Array.from({ length: slots.size }, () => []);
  for (let p = 0; p < values.length; p++) if (cellSlots[p] >= 0) members[cellSlots[p]].push(p);
  const results = slots.slotsOfIndex().map((slot) => (members[slot].length === 0 ? defaultValue : call(members[slot])));
  if (scalar) return results[0];
  const out = allocate(outDtype, results.length);
  if (typeof out[0] === "bigint" || out instanceof BigInt64Array || out instanceof BigUint64Array) {
    results.forEach((r, i) => ((out as BigInt64Array)[i] = BigInt(Math.trunc(r))));
  } else {
    (out as Float64Array).set(results);
  }
  return new NDArray(out, [results.length], { dtype: outDtype });
}
