/**
 * rot90 (dask.array.rot90, np.rot90): k quarter turns in the plane of `axes`, built as Dask
 * builds it from flip and transpose, so it is a view (no task of its own) with Dask's chunks.
 * NumPy's checks and messages, in NumPy's order (rot90Plan).
 */
import { InvalidOptionError } from "../core/errors.js";
import { rot90Plan, type Rot90Options } from "../ndarray/rot90.js";
import { readOptions } from "../ndarray/matrix-options.js";
import { LazyArray } from "./array.js";
import { flip } from "./manipulation.js";

export function rot90(x: LazyArray, options?: Rot90Options): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`rot90: expected a lazy array (ta.fromArray wraps an NDArray), got ${typeof x}`);
  const { turns, axes: [first, second] } = rot90Plan("rot90", x.ndim, readOptions("rot90", options, ["k", "axes"]));
  if (turns === 0) return x;
  if (turns === 2) return flip(flip(x, first), second);
  const order = x.shape.map((_, i) => (i === first ? second : i === second ? first : i));
  return turns === 1 ? flip(x, second).transpose(order) : flip(x.transpose(order), second);
}
