/**
 * Where the extremes of each label lie (scipy.ndimage `minimum_position`, `maximum_position`,
 * `extrema`), grouping cells as the other measurements do (label-groups.ts).
 *
 * A position is a list of coordinates (scipy's tuple); an index list gives one per entry, and a
 * label without cells gives all zeros (scipy's `zeros(...)[idxs]`). Ties go to the first position
 * in C order (position-scan.ts says where scipy's own choice is unspecified). NaN: over one
 * group NaN is the minimum and the maximum, and its first position is returned where scipy 1.10
 * raises IndexError (`positions[vals == nan][0]` is empty); over an index list a maximum is NaN
 * when the label holds one, a minimum only when it holds nothing else, as scipy's sort gives.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { minimum, maximum } from "./extrema.js";
import { type LabelIndex, LabelSlots, grouping } from "./label-groups.js";
import { type PositionScan, type Scalar, scanBox, unravel } from "./position-scan.js";

function scanGroups(input: NDArray, labels: NDArray | undefined, index: LabelIndex | undefined, what: string): { scan: PositionScan; slots: number[] | null } {
  const group = grouping(input, labels, index, what);
  const raw = input.toTypedArray() as ArrayLike<Scalar>;
  const origin = input.shape.map(() => 0);
  if (group.kind === "single") {
    const cellSlots = new Int32Array(raw.length);
    for (let p = 0; p < raw.length; p++) cellSlots[p] = group.select(p) ? 0 : -1;
    const scan = scanBox(raw, cellSlots, 1, input.shape, origin, input.shape, true);
    if (!scan.seen[0]) throw new InvalidOptionError(`${what}: the selected group has no cells (NumPy: zero-size array to reduction)`);
    return { scan, slots: null };
  }
  const slots = new LabelSlots(group.index);
  const scan = scanBox(raw, slots.slotsOfCells(group.labels), slots.size, input.shape, origin, input.shape, false);
  return { scan, slots: slots.slotsOfIndex() };
}

function positionsOf(scan: PositionScan, slots: number[], at: Float64Array, shape: readonly number[]): number[][] {
  return slots.map((slot) => unravel(scan.seen[slot] ? at[slot] : 0, shape));
}

/** Position of the smallest value of each label (scipy.ndimage.minimum_position). */
export function minimumPosition(input: NDArray, labels?: NDArray, index?: number): number[];
export function minimumPosition(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): number[][];
export function minimumPosition(input: NDArray, labels?: NDArray, index?: LabelIndex): number[] | number[][] {
  const { scan, slots } = scanGroups(input, labels, index, "minimumPosition");
  return slots === null ? unravel(scan.minimaAt[0], input.shape) : positionsOf(scan, slots, scan.minimaAt, input.shape);
}

/** Position of the largest value of each label (scipy.ndimage.maximum_position). */
export function maximumPosition(input: NDArray, labels?: NDArray, index?: number): number[];
export function maximumPosition(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): number[][];
export function maximumPosition(input: NDArray, labels?: NDArray, index?: LabelIndex): number[] | number[][] {
  const { scan, slots } = scanGroups(input, labels, index, "maximumPosition");
  return slots === null ? unravel(scan.maximaAt[0], input.shape) : positionsOf(scan, slots, scan.maximaAt, input.shape);
}

/**
 * scipy.ndimage.extrema: [minima, maxima, minimum positions, maximum positions]; numbers and
 * coordinate lists for one group, for an index list two arrays in the input's dtype (exactly
 * `minimum` and `maximum`) and two lists of coordinates.
 */
export function extrema(input: NDArray, labels?: NDArray, index?: number): [number, number, number[], number[]];
export function extrema(input: NDArray, labels: NDArray, index: readonly number[] | NDArray): [NDArray, NDArray, number[][], number[][]];
export function extrema(input: NDArray, labels?: NDArray, index?: LabelIndex): [number | NDArray, number | NDArray, number[] | number[][], number[] | number[][]] {
  const { scan, slots } = scanGroups(input, labels, index, "extrema");
  if (slots === null) {
    return [Number(scan.minima[0]), Number(scan.maxima[0]), unravel(scan.minimaAt[0], input.shape), unravel(scan.maximaAt[0], input.shape)];
  }
  const list = index as readonly number[] | NDArray;
  return [
    minimum(input, labels as NDArray, list), maximum(input, labels as NDArray, list),
    positionsOf(scan, slots, scan.minimaAt, input.shape), positionsOf(scan, slots, scan.maximaAt, input.shape),
  ];
}
