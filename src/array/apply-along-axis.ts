/**
 * dask.array's apply_along_axis and apply_over_axes (Dask 2022.12, routines.py).
 * - applyAlongAxis(fn, axis, arr, { args, shape, dtype }): arr rechunked to one block along
 *   `axis`, then every block mapped with NumPy's apply_along_axis (nd.applyAlongAxis), the axis
 *   dropped and the result's own axes put in its place: chunks arr's before, `shape`'s (one block
 *   each), arr's after. The result's shape and dtype per lane are fn's on a test lane
 *   nd.ones([1], arr.dtype) (Dask's rule), unless given. Each block is cast to that dtype, and a
 *   block whose lanes give another shape is an error (Dask would build a wrong array silently).
 *   fn travels to the workers by its source as mapBlocks' functions do: it may read its
 *   arguments, JavaScript's globals and nd; a closure is refused naming the variable it reads.
 * - applyOverAxes(fn, a, axes): fn(a, axis) on the lazy array for each axis in turn (fn is a
 *   lazy operation such as `(x, axis) => ta.sum(x, { axis })`), a result one axis short getting
 *   it back with length 1, as Dask's.
 */
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import { type LaneFunction, asResultArray, normalizeAxis } from "../ndarray/apply-along-axis.js";
import { type DType, toDType } from "../ndarray/dtype.js";
import * as nd from "../ndarray/index.js";
import { LazyArray, mapBlocksOf } from "./array.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { userFunctionSource } from "./user-function-source.js";

export interface LazyApplyAlongAxisOptions {
  /** Further arguments of every call (plain data: numbers, strings, lists, objects). */
  args?: readonly unknown[];
  /** The shape of fn's result per lane (else found on a test lane, as Dask). */
  shape?: readonly number[];
  dtype?: DType | string;
}

/**
 * The block function: nd.applyAlongAxis with the user's function (its source inlined), then
 * the declared shape checked and the declared dtype given. Made with the Function constructor
 * so that its own source text, which travels, reads only `nd` (workers bind it to tessera/ndarray).
 */
function blockFunction(source: string): (block: unknown, options: unknown) => unknown {
  const text = `function applyAlongAxisBlock(block, options) {
  const out = nd.applyAlongAxis((${source}), options.axis, block, { args: options.args });
  const expected = [...block.shape.slice(0, options.axis), ...options.shape, ...block.shape.slice(options.axis + 1)];
  if (out.shape.length !== expected.length || out.shape.some((n, i) => n !== expected[i])) {
    throw new Error("applyAlongAxis: the function gave lanes of shape [" + out.shape.slice(options.axis, options.axis + out.shape.length - block.shape.length + 1).join(", ") + "] where shape [" + options.shape.join(", ") + "] was declared (pass the shape option)");
  }
  return out.dtype === options.dtype ? out : nd.astype(out, options.dtype);
}`;
  return new Function("nd", "__name", `"use strict"; return (${text});`)(nd, (f: unknown) => f) as (block: unknown, options: unknown) => unknown;
}

function checkPlainData(value: unknown, where: string, depth = 0): void {
  if (depth > 32) throw new InvalidOptionError(`applyAlongAxis: ${where} is nested too deeply`);
  if (value === null || ["number", "string", "boolean"].includes(typeof value)) return;
  if (Array.isArray(value)) return value.forEach((item, i) => checkPlainData(item, `${where}[${i}]`, depth + 1));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) checkPlainData(item, `${where}.${key}`, depth + 1);
    return;
  }
  throw new InvalidOptionError(`applyAlongAxis: ${where} must be plain data (numbers, strings, booleans, lists, objects) to travel with the tasks, got ${typeof value}`);
}

export function applyAlongAxis(fn: LaneFunction, axis: number, arr: LazyArray, options: LazyApplyAlongAxisOptions = {}): LazyArray {
  const what = "applyAlongAxis";
  if (!(arr instanceof LazyArray)) throw new InvalidOptionError(`${what}: arr must be a chunked array (ta.Array); use nd.applyAlongAxis for an NDArray`);
  refuseUnknownOptions(what, options, ["args", "shape", "dtype"]);
  const source = userFunctionSource(fn, what, "the function");
  const args = options.args ?? [];
  if (!Array.isArray(args)) throw new InvalidOptionError(`${what}: args must be a list of further arguments`);
  checkPlainData(args, "args");
  const a = normalizeAxis(what, axis, arr.ndim);
  let shape = options.shape === undefined ? undefined : [...options.shape];
  if (shape !== undefined && (!Array.isArray(shape) || shape.some((n) => !Number.isSafeInteger(n) || n < 0))) {
    throw new InvalidOptionError(`${what}: shape must be a list of non-negative integers, got ${JSON.stringify(options.shape)}`);
  }
  let dtype = options.dtype === undefined ? undefined : toDType(options.dtype, `${what} dtype`);
  if (shape === undefined || dtype === undefined) {
    // Dask's rule: the function on a lane of one 1 of the array's dtype.
    const test = asResultArray(fn(nd.ones([1], arr.dtype), ...(args as never[])), what);
    shape ??= [...test.shape];
    dtype ??= test.dtype;
  }
  const whole = arr.chunks[a].length === 1 ? arr : arr.rechunk(arr.chunks.map((sizes, d) => (d === a ? [arr.shape[a]] : [...sizes])));
  const chunks = [...whole.chunks.slice(0, a), ...shape.map((n) => [n]), ...whole.chunks.slice(a + 1)];
  const block = blockFunction(source);
  // Checked as mapBlocks checks a function it ships (the text above plus the user's source).
  functionRefOf(block);
  return mapBlocksOf(block, [whole], {
    dtype, chunks, dropAxis: a, newAxis: shape.map((_, i) => a + i), name: `${fn.name || "apply"}-along-axis`,
  }, { axis: a, args, shape, dtype });
}

export type LazyAxisFunction = (a: LazyArray, axis: number) => LazyArray;

export function applyOverAxes(fn: LazyAxisFunction, a: LazyArray, axes: number | readonly number[]): LazyArray {
  const what = "applyOverAxes";
  if (typeof fn !== "function") throw new InvalidOptionError(`${what}: the first argument must be a function (a, axis) of a chunked array, got ${typeof fn}`);
  if (!(a instanceof LazyArray)) throw new InvalidOptionError(`${what}: a must be a chunked array (ta.Array); use nd.applyOverAxes for an NDArray`);
  let result = a;
  for (const given of typeof axes === "number" ? [axes] : axes) {
    const axis = normalizeAxis(what, given, a.ndim);
    const next = fn(result, axis);
    if (!(next instanceof LazyArray)) throw new InvalidOptionError(`${what}: the function must return a chunked array, got ${typeof next}`);
    if (next.ndim === a.ndim - 1) result = next.get(...Array.from({ length: axis }, () => ":" as const), null);
    else if (next.ndim === a.ndim) result = next;
    else throw new InvalidOptionError(`${what}: func must either preserve dimensionality of the input (${a.ndim} axes) or reduce it by one, got ${next.ndim}`);
  }
  return result;
}
