/**
 * `np.pad` for the modes "constant", "edge", "symmetric", "reflect" and "wrap".
 *
 * NumPy pads one axis after another; when padding axis k the region covers the already padded
 * extent of the axes before k and the original extent of the axes after k, so corners take
 * the later axis' rule. We do the same.
 *
 * Pads longer than the axis: NumPy fills "reflect"/"symmetric"/"wrap" pads in rounds, each
 * round copying (at most) the currently filled extent, left side first, and the right side of a
 * round already sees the left side's new values. The result is not simply periodic (e.g.
 * reflect-padding [1, 2, 3] by (1, 10) ends in "… 2 1 2 1 2 3"). We replay those rounds on a
 * line of source positions, once per axis, then copy whole hyperplanes: identical results.
 * An axis of length 1 pads as "edge" in reflect/symmetric modes, as NumPy does.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { assign, requireArray } from "./copy.js";
import { full, type Scalar } from "./creation.js";
import { NDArray, empty } from "./ndarray.js";
import { refuseUnknownObjectKeys } from "./option-keys.js";

export type PadMode = "constant" | "edge" | "symmetric" | "reflect" | "wrap";
export const padModes: readonly PadMode[] = ["constant", "edge", "symmetric", "reflect", "wrap"];

/** A width for every side, `[before, after]` for every axis, or one `[before, after]` per axis. */
export type PadWidth = number | readonly [number, number] | ReadonlyArray<number | readonly [number, number]>;

export interface PadOptions {
  mode?: PadMode;
  /** The value of "constant" padding (default 0). */
  constantValue?: Scalar;
}

export function normalizePadWidth(padWidth: PadWidth, ndim: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const describe = JSON.stringify(padWidth);
  if (typeof padWidth === "number") {
    for (let i = 0; i < ndim; i++) pairs.push([padWidth, padWidth]);
  } else if (Array.isArray(padWidth) && padWidth.length === 2 && padWidth.every((w) => typeof w === "number")) {
    // As in NumPy, a flat pair is (before, after) for every axis.
    for (let i = 0; i < ndim; i++) pairs.push([padWidth[0] as number, padWidth[1] as number]);
  } else if (Array.isArray(padWidth) && (padWidth.length === ndim || padWidth.length === 1)) {
    for (let i = 0; i < ndim; i++) {
      const item = padWidth.length === 1 ? padWidth[0] : padWidth[i];
      if (typeof item === "number") pairs.push([item, item]);
      else if (Array.isArray(item) && item.length === 2) pairs.push([item[0], item[1]]);
      else throw new InvalidOptionError(`pad: padWidth ${describe} item ${i} must be a number or a [before, after] pair`);
    }
  } else {
    throw new InvalidOptionError(`pad: padWidth ${describe} must be a number, a [before, after] pair, or one pair per axis (${ndim} axes)`);
  }
  for (const [before, after] of pairs) {
    if (!Number.isInteger(before) || !Number.isInteger(after) || before < 0 || after < 0) {
      throw new InvalidOptionError(`pad: padWidth ${describe} must hold non-negative integers`);
    }
  }
  return pairs;
}

/** One round of NumPy's `_set_reflect_both` on a line of source positions. */
function reflectRound(line: Int32Array, leftPad: number, rightPad: number, includeEdge: boolean): [number, number] {
  const length = line.length;
  const edgeOffset = includeEdge ? 1 : 0;
  const filled = length - rightPad - leftPad - (includeEdge ? 0 : 1);
  if (leftPad > 0) {
    const chunk = Math.min(filled, leftPad);
    const from = leftPad - edgeOffset + chunk;
    for (let t = 0; t < chunk; t++) line[leftPad - chunk + t] = line[from - t];
    leftPad -= chunk;
  }
  if (rightPad > 0) {
    const chunk = Math.min(filled, rightPad);
    const from = length - rightPad + edgeOffset - 2;
    for (let t = 0; t < chunk; t++) line[length - rightPad + t] = line[from - t];
    rightPad -= chunk;
  }
  return [leftPad, rightPad];
}

/** One round of NumPy's `_set_wrap_both` on a line of source positions. */
function wrapRound(line: Int32Array, leftPad: number, rightPad: number): [number, number] {
  const length = line.length;
  const period = length - rightPad - leftPad;
  let newLeft = 0;
  let newRight = 0;
  if (leftPad > 0) {
    const take = Math.min(period, leftPad);
    const from = length - rightPad - take;
    const to = leftPad > period ? leftPad - period : 0;
    if (leftPad > period) newLeft = leftPad - period;
    for (let t = 0; t < take; t++) line[to + t] = line[from + t];
  }
  if (rightPad > 0) {
    const take = Math.min(period, rightPad);
    const to = length - rightPad;
    if (rightPad > period) newRight = rightPad - period;
    for (let t = 0; t < take; t++) line[to + t] = line[leftPad + t];
  }
  return [newLeft, newRight];
}

/** For each position of the padded axis, the position (inside the original extent) it copies. */
export function padSourcePositions(length: number, before: number, after: number, mode: Exclude<PadMode, "constant">): Int32Array {
  const line = new Int32Array(before + length + after);
  for (let i = 0; i < line.length; i++) line[i] = Math.min(Math.max(i, before), before + length - 1);
  if (mode === "edge" || length === 1) return line;
  let [left, right] = [before, after];
  while (left > 0 || right > 0) {
    [left, right] = mode === "wrap" ? wrapRound(line, left, right) : reflectRound(line, left, right, mode === "symmetric");
  }
  return line;
}

/** The view of `a` covering `[start, stop)` along every axis. */
function region(a: NDArray, ranges: ReadonlyArray<readonly [number, number]>): NDArray {
  let offset = a.offset;
  ranges.forEach(([start], axis) => { offset += start * a.strides[axis]; });
  return new NDArray(a.data, ranges.map(([start, stop]) => stop - start), { strides: a.strides, offset, dtype: a.dtype });
}

const padKeys = ["mode", "constantValue"];

/** NumPy's `np.pad(a, padWidth, mode, constant_values=...)`; always returns a new array. */
export const pad = definePublicBuiltin("pad", function pad(a: NDArray, padWidth: PadWidth, options: PadOptions = {}): NDArray {
  requireArray(a, "pad");
  refuseUnknownObjectKeys(options, padKeys, "pad");
  const mode = options.mode ?? "constant";
  if (!padModes.includes(mode)) throw new InvalidOptionError(`pad: mode ${JSON.stringify(mode)} is not one of ${padModes.join(", ")}`);
  const widths = normalizePadWidth(padWidth, a.ndim);
  const shape = a.shape.map((length, axis) => widths[axis][0] + length + widths[axis][1]);
  const out = empty(shape, a.dtype);
  const original = widths.map(([before], axis) => [before, before + a.shape[axis]] as [number, number]);
  assign(region(out, original), a);
  if (mode !== "constant") {
    a.shape.forEach((length, axis) => {
      if (length === 0 && widths[axis].some((w) => w > 0)) {
        throw new InvalidOptionError(`pad: can't extend empty axis ${axis} using modes other than "constant"`);
      }
    });
    if (a.size === 0) return out;
  }
  const fill = mode === "constant" ? full([], options.constantValue ?? 0, a.dtype) : undefined;
  for (let axis = 0; axis < a.ndim; axis++) {
    const [before, after] = widths[axis];
    if (before === 0 && after === 0) continue;
    // Axes before this one are padded already; axes after it are not yet.
    const ranges = shape.map((length, i) => (i < axis ? [0, length] as [number, number] : original[i]));
    const at = (position: number) => region(out, ranges.map((range, i) => (i === axis ? [position, position + 1] : range)));
    if (fill) {
      assign(region(out, ranges.map((range, i) => (i === axis ? [0, before] : range))), fill);
      assign(region(out, ranges.map((range, i) => (i === axis ? [shape[axis] - after, shape[axis]] : range))), fill);
      continue;
    }
    const sources = padSourcePositions(a.shape[axis], before, after, mode as Exclude<PadMode, "constant">);
    for (let position = 0; position < shape[axis]; position++) {
      if (position >= before && position < before + a.shape[axis]) continue;
      assign(at(position), at(sources[position]));
    }
  }
  return out;
});
