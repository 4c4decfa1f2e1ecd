/**
 * The axes fftshift and ifftshift roll, read from NumPy's `axes` argument: the eager forms
 * (fft.ts) and the chunked ones (array/fft.ts) read it alike. Its own module so that nd.fft
 * holds numpy.fft's functions only.
 */
import { InvalidOptionError } from "../core/errors.js";
import { normalizeAxis } from "./axes.js";

/**
 * fftshift's and ifftshift's `axes` (NumPy's): every axis by default, one axis, or a list of
 * them; shared with the chunked forms (array/fft.ts). Anything else is refused by name: an
 * options object as the transforms take ({ axes }) would otherwise fail as "not iterable", and a
 * string's characters would be read as axes.
 */
export function shiftAxes(ndim: number, axes: unknown, what: string): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: ndim }, (_, axis) => axis);
  const list: unknown[] | undefined = typeof axes === "number" ? [axes] : Array.isArray(axes) ? axes : undefined;
  if (list === undefined || list.some((axis) => typeof axis !== "number")) {
    throw new InvalidOptionError(`${what}: axes must be an axis or a list of axes, as ${what}(x, [0, 1]), got ${JSON.stringify(axes)}`);
  }
  return (list as number[]).map((axis) => normalizeAxis(axis, ndim, what));
}
