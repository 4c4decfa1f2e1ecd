/** Axis arguments as NumPy reads them: negative axes count from the end; out of range is an error. */
import { InvalidOptionError } from "../core/errors.js";

export function normalizeAxis(axis: number, ndim: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new InvalidOptionError(`${what}: axis ${axis} is out of bounds for an array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** A list of distinct axes (a single axis, a list, or null/undefined for all of them). */
export function normalizeAxes(axes: number | readonly number[] | null | undefined, ndim: number, what: string): number[] {
  if (axes === null || axes === undefined) return Array.from({ length: ndim }, (_, axis) => axis);
  if (typeof axes !== "number" && !Array.isArray(axes)) {
    throw new InvalidOptionError(`${what}: axis ${JSON.stringify(axes)} must be an integer or a list of integers (pass the axis itself here, not an options object)`);
  }
  const list = typeof axes === "number" ? [axes] : [...axes];
  const normalized = list.map((axis) => normalizeAxis(axis, ndim, what));
  if (new Set(normalized).size !== normalized.length) {
    throw new InvalidOptionError(`${what}: axes [${list.join(", ")}] repeat an axis`);
  }
  return normalized;
}
