/**
 * NumPy's array-manipulation functions on lazy arrays, as dask.array spells them: flip, flipud,
 * fliplr, moveaxis, swapaxes, expandDims, squeeze, ravel and roll. Each is built from indexing,
 * transposition, reshaping and concatenation, so each is a view (or a join of views) and costs
 * no task of its own — and the chunks are the ones Dask gives for the same call.
 */
import { InvalidOptionError } from "../core/errors.js";
import { normalizeAxes, normalizeAxis } from "../ndarray/axes.js";
import { LazyArray } from "./array.js";
import { concatenateNodes } from "./concatenate.js";
import type { IndexItem } from "./index-parse.js";

type AxisArgument = number | readonly number[];

/** `x` indexed with `item` on one axis and ":" on the others. */
export function alongAxis(x: LazyArray, axis: number, item: IndexItem): LazyArray {
  return x.get(...x.shape.map((_, a): IndexItem => (a === axis ? item : ":")));
}

function checkArray(x: unknown, what: string): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a lazy array (ta.fromArray wraps an NDArray), got ${typeof x}`);
  return x;
}

/** Reverses the elements along the axes given (every axis by default), as np.flip. */
export function flip(x: LazyArray, axis?: AxisArgument | null): LazyArray {
  checkArray(x, "flip");
  const axes = normalizeAxes(axis, x.ndim, "flip");
  return axes.length === 0 ? x : x.get(...x.shape.map((_, a): IndexItem => (axes.includes(a) ? { step: -1 } : ":")));
}

/** Reverses the first axis (np.flipud). */
export function flipud(x: LazyArray): LazyArray {
  if (checkArray(x, "flipud").ndim < 1) throw new InvalidOptionError("flipud: the array must have at least one axis");
  return flip(x, 0);
}

/** Reverses the second axis (np.fliplr). */
export function fliplr(x: LazyArray): LazyArray {
  if (checkArray(x, "fliplr").ndim < 2) throw new InvalidOptionError(`fliplr: the array must have at least two axes, it has ${x.ndim}`);
  return flip(x, 1);
}

/** Moves axes to new positions, the others keeping their order (np.moveaxis). */
export function moveaxis(x: LazyArray, source: AxisArgument, destination: AxisArgument): LazyArray {
  checkArray(x, "moveaxis");
  const from = normalizeAxes(source, x.ndim, "moveaxis source");
  const to = normalizeAxes(destination, x.ndim, "moveaxis destination");
  if (from.length !== to.length) {
    throw new InvalidOptionError(`moveaxis: source and destination must name as many axes (${from.length} ≠ ${to.length})`);
  }
  const order = Array.from({ length: x.ndim }, (_, a) => a).filter((a) => !from.includes(a));
  // NumPy inserts by increasing destination, so each insertion lands where it is asked to.
  const moves = to.map((dest, i) => [dest, from[i]] as const).sort((p, q) => p[0] - q[0]);
  for (const [dest, src] of moves) order.splice(dest, 0, src);
  return x.transpose(order);
}

/** Exchanges two axes (np.swapaxes). */
export function swapaxes(x: LazyArray, axis1: number, axis2: number): LazyArray {
  checkArray(x, "swapaxes");
  const a = normalizeAxis(axis1, x.ndim, "swapaxes");
  const b = normalizeAxis(axis2, x.ndim, "swapaxes");
  const order = Array.from({ length: x.ndim }, (_, i) => (i === a ? b : i === b ? a : i));
  return x.transpose(order);
}

/** Inserts axes of length 1 at the positions given, counted in the result (np.expand_dims). */
export function expandDims(x: LazyArray, axis: AxisArgument): LazyArray {
  checkArray(x, "expandDims");
  const list = typeof axis === "number" ? [axis] : axis;
  const outDims = x.ndim + list.length;
  const inserted = normalizeAxes(list, outDims, "expandDims");
  if (inserted.length === 0) return x;
  return x.get(...Array.from({ length: outDims }, (_, a): IndexItem => (inserted.includes(a) ? null : ":")));
}

/** Removes axes of length 1 (all of them, or those given), as np.squeeze. */
export function squeeze(x: LazyArray, axis?: AxisArgument | null): LazyArray {
  checkArray(x, "squeeze");
  return axis === null || axis === undefined ? x.squeeze() : x.squeeze(normalizeAxes(axis, x.ndim, "squeeze"));
}

/** The elements in C order as one axis (np.ravel; Dask reshapes to (-1,)). */
export function ravel(x: LazyArray): LazyArray {
  // A 1-d array is its own ravel (one of unknown sizes too).
  return checkArray(x, "ravel").ndim === 1 ? x : x.reshape([-1]);
}

function integerList(value: AxisArgument, what: string): number[] {
  if (typeof value !== "number" && !Array.isArray(value)) {
    throw new InvalidOptionError(`roll: ${what} ${JSON.stringify(value)} must be an integer or a list of integers (pass it itself here, not an options object)`);
  }
  const list = typeof value === "number" ? [value] : [...value];
  for (const v of list) if (!Number.isInteger(v)) throw new InvalidOptionError(`roll: ${what} ${JSON.stringify(value)} must be integers`);
  return list;
}

/**
 * Rolls elements along axes: those shifted past the end come back at the start (np.roll).
 * Without an axis the array is rolled as if ravelled, then takes its shape back. shift and axis
 * broadcast against each other, and shifts given for the same axis add up, as in NumPy.
 */
export function roll(x: LazyArray, shift: AxisArgument, axis?: AxisArgument | null): LazyArray {
  checkArray(x, "roll");
  const shifts = integerList(shift, "shift");
  if (axis === null || axis === undefined) {
    if (shifts.length !== 1) throw new InvalidOptionError(`roll: without an axis, shift must be one integer, got ${JSON.stringify(shift)}`);
    return rollAxes(ravel(x), new Map([[0, shifts[0]]])).reshape(x.shape);
  }
  const axes = integerList(axis, "axis").map((a) => normalizeAxis(a, x.ndim, "roll"));
  if (shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1) {
    throw new InvalidOptionError(`roll: ${shifts.length} shifts and ${axes.length} axes do not broadcast; give one shift per axis`);
  }
  const total = new Map<number, number>();
  for (let i = 0; i < Math.max(shifts.length, axes.length); i++) {
    const a = axes[axes.length === 1 ? 0 : i];
    total.set(a, (total.get(a) ?? 0) + shifts[shifts.length === 1 ? 0 : i]);
  }
  return rollAxes(x, total);
}

function rollAxes(x: LazyArray, shifts: ReadonlyMap<number, number>): LazyArray {
  let result = x;
  for (const [axis, shift] of shifts) {
    const n = result.shape[axis];
    const start = n === 0 ? 0 : (((-shift % n) + n) % n);
    if (start === 0) continue;
    // As Dask: the tail from `start` then the head, joined along the axis (a view of both).
    result = LazyArray.of(concatenateNodes([alongAxis(result, axis, { start }), alongAxis(result, axis, { stop: start })], axis, "roll"));
  }
  return result;
}
