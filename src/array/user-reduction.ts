/**
 * ta.reduction (Dask 2022.12's da.reduction): a tree reduction from the user's functions.
 * `chunk(block, { axis, keepdims: true })` makes each block's partial; `combine(partials,
 * { axis, keepdims: true })` (default: `aggregate`, as Dask's) merges groups of partials level
 * after level; `aggregate(partials, { axis, keepdims })` makes each output block. `axis` is
 * the sorted list of reduced axes (Dask's tuple). With `concatenate` (true by default, as
 * Dask's) the partials of a group arrive as one NDArray joined along the reduced axes; with
 * false, as nested lists over the reduced axes (axis order), and a partial may then be any
 * value a task can return: a plain object such as `{ n, total }` is how a multi-field partial
 * (Dask's dict partials of mean) is written here.
 *
 * As in Dask: dtype is required (it is the result's declared dtype; the functions are not
 * run ahead of time), splitEvery is read as the built-in reductions read it (default
 * defaultSplitEvery), `outputSize` is each partial's length along a reduced axis, and with
 * keepdims the output has that length there. Unlike Dask: `dtype` is not passed to the
 * functions (JavaScript cannot ask whether a function takes it), `weights` and `meta` are
 * refused, and an array of unknown chunk sizes must have them computed first.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { builtinNameOf } from "../core/builtin.js";
import { functionRefOf } from "../graph/function-travel.js";
import { toDType, type DType } from "../ndarray/dtype.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { LazyArray } from "./array.js";
import { splitEveryPerAxis } from "./reductions.js";
import { hasUnknownChunks } from "./unknown-chunks.js";
import { UserReductionExpr } from "./user-reduction-expr.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ReductionFunction = Function;

export interface UserReductionOptions {
  axis?: number | number[] | null;
  keepdims?: boolean;
  /** The result's dtype: required, as Dask's "Must specify dtype". */
  dtype?: DType | string;
  splitEvery?: number | Record<number, number>;
  /** Merges groups of partials at the intermediate levels; defaults to aggregate. */
  combine?: ReductionFunction;
  concatenate?: boolean;
  outputSize?: number;
  /** Prefix of the result's name (Dask's name=). */
  name?: string;
  weights?: unknown;
  meta?: unknown;
}

const optionNames = ["axis", "keepdims", "dtype", "splitEvery", "combine", "concatenate", "outputSize", "name", "weights", "meta"];

function nameOf(fn: ReductionFunction): string {
  return (builtinNameOf(fn) ?? (fn.name || "reduction")).replace(/^ndarray\./, "");
}

/** Dask's validate_axis over `axis` (none: every axis), sorted, each named once. */
function reducedAxes(axis: unknown, ndim: number): number[] {
  const requested = axis === undefined || axis === null ? Array.from({ length: ndim }, (_, a) => a) : typeof axis === "number" ? [axis] : axis;
  if (!Array.isArray(requested)) throw new InvalidOptionError(`reduction: axis must be a number, a list of numbers or null, got ${JSON.stringify(axis)}`);
  const axes = requested.map((a: unknown) => {
    if (typeof a !== "number" || !Number.isInteger(a)) throw new InvalidOptionError(`reduction: axis must be an integer, got ${JSON.stringify(a)}`);
    if (a < -ndim || a >= ndim) throw new InvalidOptionError(`reduction: Axis ${a} is out of bounds for array of dimension ${ndim}`);
    return a < 0 ? a + ndim : a;
  });
  if (new Set(axes).size !== axes.length) throw new InvalidOptionError(`reduction: duplicate value in axis ${JSON.stringify(axis)}`);
  return axes.sort((a, b) => a - b);
}

export function reduction(x: LazyArray, chunk: ReductionFunction, aggregate: ReductionFunction, options: UserReductionOptions = {}): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError("reduction: x must be a tessera array (ta.asarray wraps an NDArray)");
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new InvalidOptionError(`reduction: options must be an object such as { axis: 0, dtype: "float64" }, got ${JSON.stringify(options)}`);
  refuseUnknownKeys(options, optionNames, "reduction");
  for (const [role, fn] of [["chunk", chunk], ["aggregate", aggregate], ["combine", options.combine ?? aggregate]] as const) {
    if (typeof fn !== "function") throw new InvalidOptionError(`reduction: ${role} must be a function, got ${fn === null ? "null" : typeof fn}`);
  }
  if (options.weights !== undefined) throw new InvalidOptionError("reduction: weights is not supported; multiply the array by its weights first (ta.multiply) or pass both through ta.blockwise");
  if (options.meta !== undefined) throw new InvalidOptionError("reduction: meta is not supported (tessera has no meta arrays); dtype gives the result's dtype");
  if (options.dtype === undefined || options.dtype === null) throw new InvalidOptionError("reduction: Must specify dtype (the result's dtype, as Dask's da.reduction requires)");
  const dtype = toDType(options.dtype, "reduction dtype");
  if (options.keepdims !== undefined && typeof options.keepdims !== "boolean") throw new InvalidOptionError(`reduction: keepdims must be true or false, got ${JSON.stringify(options.keepdims)}`);
  if (options.concatenate !== undefined && typeof options.concatenate !== "boolean") throw new InvalidOptionError(`reduction: concatenate must be true or false, got ${JSON.stringify(options.concatenate)}`);
  const outputSize = options.outputSize ?? 1;
  if (!Number.isSafeInteger(outputSize) || outputSize < 1) throw new InvalidOptionError(`reduction: outputSize must be a positive integer, got ${JSON.stringify(options.outputSize)}`);
  if (hasUnknownChunks(x.chunks)) throw new InvalidOptionError("reduction: the array has unknown chunk sizes; call computeChunkSizes() first");
  if (options.name !== undefined && typeof options.name !== "string") throw new InvalidOptionError(`reduction: name must be a string, got ${JSON.stringify(options.name)}`);
  const axes = reducedAxes(options.axis, x.ndim);
  const keepdims = options.keepdims ?? false;
  const splitEvery = splitEveryPerAxis(options.splitEvery, axes, x.ndim, "reduction");
  const combine = options.combine ?? aggregate;
  const steps = {
    chunk: functionRefOf(chunk), combine: functionRefOf(combine), aggregate: functionRefOf(aggregate),
    axes, keepdims, splitEvery, concatenate: options.concatenate ?? true, outputSize,
  };
  const chunks = x.chunks.flatMap((sizes, a) => (axes.includes(a) ? (keepdims ? [[outputSize]] : []) : [[...sizes]]));
  const shape = chunks.map((sizes) => sizes.reduce((n, s) => n + s, 0));
  const name = `${options.name ?? nameOf(aggregate)}-aggregate-${tokenize(x.name, steps, dtype)}`;
  return new LazyArray(name, shape, chunks, dtype, new UserReductionExpr(x, steps));
}
