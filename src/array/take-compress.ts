/**
 * NumPy's take and compress on lazy arrays, built as dask.array 2022.12 builds them: take is an
 * integer-list get() along the axis (take.ts plans it block by block, so the chunks are Dask's),
 * compress takes the positions where the condition holds (NumPy 1.24 treats a short condition as
 * padded with False). The condition is concrete
 * (a list or an NDArray), so the output chunks are known when the array is built.
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray } from "../ndarray/ndarray.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { LazyArray } from "./array.js";

export interface TakeCallOptions {
  /** The axis to select along; absent or null flattens the array first, as NumPy's take does. */
  axis?: number | null;
}

function checkArray(what: string, x: unknown): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a lazy array (ta.fromArray wraps an NDArray)`);
  return x;
}

/** The values of a 1-D list or NDArray as numbers (NDArray of any dtype; bigint converted exactly where safe). */
function flatValues(what: string, name: string, values: unknown): unknown[] {
  if (values instanceof NDArray) {
    if (values.ndim !== 1) throw new InvalidOptionError(`${what}: ${name} must be one-dimensional, got shape [${values.shape.join(", ")}]`);
    return Array.from(values.toTypedArray() as ArrayLike<unknown>, (v) => (values.dtype === "bool" ? Boolean(v) : v));
  }
  if (!Array.isArray(values)) throw new InvalidOptionError(`${what}: ${name} must be a list or a 1-D NDArray, got ${typeof values}`);
  return values;
}

function axisOf(what: string, x: LazyArray, axis: number | null | undefined): { array: LazyArray; axis: number } {
  if (axis === undefined || axis === null) return { array: x.ndim === 1 ? x : x.reshape([-1]), axis: 0 };
  if (!Number.isInteger(axis)) throw new InvalidOptionError(`${what}: axis ${String(axis)} is not an integer`);
  return { array: x, axis: normalizeAxis(axis, x.ndim, what) };
}

function along(x: LazyArray, axis: number, index: unknown): LazyArray {
  return x.get(...x.shape.map((_, a) => (a === axis ? index : ":")) as never[]);
}

/** NumPy's take(x, indices, { axis }): negative indices count from the end, out-of-range ones are refused (NumPy's IndexError). */
export function take(x: LazyArray, indices: readonly number[] | NDArray, options: TakeCallOptions = {}): LazyArray {
  checkArray("take", x);
  refuseUnknownOptions("take", options, ["axis"]);
  const { array, axis } = axisOf("take", x, options.axis);
  const values = flatValues("take", "indices", indices);
  const n = array.shape[axis];
  const checked = values.map((v) => {
    const i = typeof v === "bigint" ? Number(v) : v;
    if (typeof i !== "number" || !Number.isInteger(i)) throw new InvalidOptionError(`take: indices hold ${String(v)}; only integers can index`);
    if (i < -n || i >= n) throw new InvalidOptionError(`take: index ${i} is out of bounds for axis ${axis} with size ${n}`);
    return i;
  });
  // get() counts negative indices from the end, as NumPy's take does.
  return along(array, axis, checked);
}

/** NumPy's compress(condition, x, { axis }) with a concrete boolean condition; a condition longer than the axis is refused as NumPy refuses it. */
export function compress(condition: readonly boolean[] | NDArray, x: LazyArray, options: TakeCallOptions = {}): LazyArray {
  checkArray("compress", x);
  refuseUnknownOptions("compress", options, ["axis"]);
  if (condition instanceof NDArray && condition.ndim !== 1) throw new InvalidOptionError(`compress: condition must be one-dimensional, got shape [${condition.shape.join(", ")}]`);
  const values = flatValues("compress", "condition", condition);
  const { array, axis } = axisOf("compress", x, options.axis);
  const n = array.shape[axis];
  const picked: number[] = [];
  values.forEach((v, i) => {
    // NumPy casts the condition to bool: any non-zero number counts as true.
    if (typeof v !== "boolean" && typeof v !== "number" && typeof v !== "bigint") throw new InvalidOptionError(`compress: condition holds ${String(v)}; expected booleans`);
    if (v) picked.push(i);
  });
  // NumPy names the first true position past the axis.
  const beyond = picked.find((i) => i >= n);
  if (beyond !== undefined) throw new InvalidOptionError(`compress: index ${beyond} is out of bounds for axis ${axis} with size ${n}`);
  // Dask first cuts the axis to a short condition's length; that changes no block the positions read, so the chunks are the same without it.
  return along(array, axis, picked);
}
