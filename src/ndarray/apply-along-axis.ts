/**
 * NumPy 1.24's apply_along_axis and apply_over_axes (numpy/lib/shape_base.py) on in-memory
 * arrays.
 * - applyAlongAxis(fn, axis, arr, { args }): fn(lane, ...args) on every 1-d lane along `axis`,
 *   in C order of the other axes; the first result fixes the shape and dtype of all (later ones
 *   are cast to it, as NumPy's assignment into its buffer casts), and the result's axes are
 *   arr's before `axis`, the result's own, then arr's after `axis`. fn may return an NDArray or a
 *   scalar: a JS number is float64 (a bigint int64, a boolean bool).
 * - applyOverAxes(fn, a, axes): fn(a, axis) for each axis in turn; a result with one axis fewer
 *   gets it back with length 1 (expand_dims), any other change of rank is refused.
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { InvalidOptionError } from "../core/errors.js";
import { astype, ascontiguousarray } from "./copy.js";
import { NDArray, empty } from "./ndarray.js";
import { expandDims, transpose } from "./views.js";
import { slice } from "./slice.js";

export interface ApplyAlongAxisOptions {
  /** Further arguments of every call (plain data). */
  args?: readonly unknown[];
}

export type LaneFunction = (lane: NDArray, ...args: never[]) => NDArray | number | bigint | boolean;

/** A result of the user's function as an NDArray (NumPy's asanyarray of a scalar). */
export function asResultArray(value: unknown, what: string): NDArray {
  if (value instanceof NDArray) return value;
  if (typeof value === "number") return new NDArray(new Float64Array([value]), [], { dtype: "float64" });
  if (typeof value === "bigint") return new NDArray(new BigInt64Array([value]), [], { dtype: "int64" });
  if (typeof value === "boolean") return new NDArray(new Uint8Array([value ? 1 : 0]), [], { dtype: "bool" });
  throw new InvalidOptionError(`${what}: the function must return an NDArray or a number, got ${value === null ? "null" : typeof value}`);
}

export function normalizeAxis(what: string, axis: unknown, ndim: number): number {
  if (typeof axis !== "number" || !Number.isInteger(axis)) throw new InvalidOptionError(`${what}: axis must be an integer, got ${JSON.stringify(axis)}`);
  if (axis < -ndim || axis >= ndim) throw new InvalidOptionError(`${what}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

export const applyAlongAxis = definePublicBuiltin("applyAlongAxis", function applyAlongAxis(fn: LaneFunction, axis: number, arr: NDArray, options: ApplyAlongAxisOptions = {}): NDArray {
  const what = "applyAlongAxis";
  if (typeof fn !== "function") throw new InvalidOptionError(`${what}: the first argument must be a function of one lane, got ${typeof fn}`);
  if (!(arr instanceof NDArray)) throw new InvalidOptionError(`${what}: arr must be an NDArray`);
  for (const key of Object.keys(options ?? {})) if (key !== "args") throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes args`);
  const args = (options.args ?? []) as never[];
  if (!Array.isArray(args)) throw new InvalidOptionError(`${what}: args must be a list of further arguments`);
  const a = normalizeAxis(what, axis, arr.ndim);
  const outer = arr.shape.filter((_, d) => d !== a);
  const lanes = outer.reduce((p, n) => p * n, 1);
  if (lanes === 0) throw new InvalidOptionError(`${what}: cannot apply along an axis when any iteration dimension is 0 (shape [${arr.shape.join(", ")}])`);
  let buffer: NDArray | null = null;
  let resultShape: number[] = [];
  let resultSize = 0;
  const index = new Array<number>(outer.length).fill(0);
  for (let lane = 0; lane < lanes; lane++) {
    const items = arr.shape.map((_, d) => (d === a ? null : index[d < a ? d : d - 1]));
    const result = asResultArray(fn(ascontiguousarray(slice(arr, ...items.map((i) => (i === null ? ":" : i)))), ...args), what);
    if (buffer === null) {
      resultShape = [...result.shape];
      resultSize = result.size;
      buffer = empty([...outer, ...resultShape], result.dtype);
    } else if (result.shape.length !== resultShape.length || result.shape.some((n, d) => n !== resultShape[d])) {
      throw new InvalidOptionError(`${what}: the function returned shape [${result.shape.join(", ")}] for lane ${lane}, [${resultShape.join(", ")}] for the first`);
    }
    const values = ascontiguousarray(result.dtype === buffer.dtype ? result : astype(result, buffer.dtype)).toTypedArray();
    (buffer.data as unknown as { set(values: ArrayLike<unknown>, offset: number): void }).set(values as ArrayLike<unknown>, lane * resultSize);
    for (let d = outer.length - 1; d >= 0; d--) {
      if (++index[d] < outer[d]) break;
      index[d] = 0;
    }
  }
  const done = buffer as NDArray;
  // NumPy's buff_permute: the lanes' axes before `axis`, the result's axes, the rest.
  const dims = done.shape.map((_, d) => d);
  const permutation = [...dims.slice(0, a), ...dims.slice(outer.length), ...dims.slice(a, outer.length)];
  return ascontiguousarray(transpose(done, permutation));
});

export type AxisFunction = (a: NDArray, axis: number) => NDArray;

export const applyOverAxes = definePublicBuiltin("applyOverAxes", function applyOverAxes(fn: AxisFunction, a: NDArray, axes: number | readonly number[]): NDArray {
  const what = "applyOverAxes";
  if (typeof fn !== "function") throw new InvalidOptionError(`${what}: the first argument must be a function (a, axis), got ${typeof fn}`);
  let value = a;
  for (const given of typeof axes === "number" ? [axes] : axes) {
    const axis = normalizeAxis(what, given, a.ndim);
    const result = fn(value, axis);
    if (!(result instanceof NDArray)) throw new InvalidOptionError(`${what}: the function must return an NDArray, got ${typeof result}`);
    if (result.ndim === value.ndim) value = result;
    else if (result.ndim === value.ndim - 1) value = expandDims(result, axis);
    else throw new InvalidOptionError(`${what}: the function must either keep the number of axes (${value.ndim}) or reduce it by one, got ${result.ndim}`);
  }
  return value;
});
