/**
 * np.rot90 on an in-memory array, built as NumPy builds it: k quarter turns in the plane of
 * `axes`, from the first axis towards the second, as a flip and a transposition (a view, no copy).
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { requireArray } from "./copy.js";
import { NDArray } from "./ndarray.js";
import { integerOption, readOptions } from "./matrix-options.js";
import { slice, type IndexItem } from "./slice.js";
import { transpose } from "./views.js";

export interface Rot90Options {
  /** Quarter turns (default 1; any integer, negative turns the other way). */
  k?: number;
  /** The plane, turned from the first axis towards the second (default [0, 1]). */
  axes?: readonly number[];
}

/** NumPy's checks, in NumPy's order: the turn count, then the pair of axes as given. */
export function rot90Plan(what: string, ndim: number, options: Rot90Options): { turns: number; axes: [number, number] } {
  const k = integerOption(what, "k", options.k, 1);
  const axes = options.axes ?? [0, 1];
  if (!Array.isArray(axes) || axes.length !== 2) throw new InvalidOptionError(`${what}: len(axes) must be 2, got ${JSON.stringify(axes)}`);
  const [a, b] = axes.map((axis: unknown) => integerOption(what, "axes", axis, 0));
  if (a === b || Math.abs(a - b) === ndim) throw new InvalidOptionError(`${what}: Axes must be different, got (${a}, ${b}) for an array of ndim=${ndim}`);
  if (a >= ndim || a < -ndim || b >= ndim || b < -ndim) throw new InvalidOptionError(`${what}: Axes=(${a}, ${b}) out of range for array of ndim=${ndim}`);
  return { turns: ((k % 4) + 4) % 4, axes: [a < 0 ? a + ndim : a, b < 0 ? b + ndim : b] };
}

function flip(a: NDArray, axis: number): NDArray {
  return slice(a, ...a.shape.map((_, i): IndexItem => (i === axis ? { step: -1 } : ":")));
}

/** The array turned k quarter turns in the plane of `axes` (np.rot90), a view. */
export const rot90 = definePublicBuiltin("rot90", function rot90(a: NDArray, options?: Rot90Options): NDArray {
  requireArray(a, "rot90");
  const { turns, axes: [first, second] } = rot90Plan("rot90", a.ndim, readOptions("rot90", options, ["k", "axes"]));
  if (turns === 0) return a;
  if (turns === 2) return flip(flip(a, first), second);
  const order = a.shape.map((_, i) => (i === first ? second : i === second ? first : i));
  return turns === 1 ? transpose(flip(a, second), order) : flip(transpose(a, order), second);
});
