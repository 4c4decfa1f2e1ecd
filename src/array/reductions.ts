/**
 * The user-facing side of reductions: axes, keepdims, ddof, dtype and splitEvery read as
 * NumPy and Dask read them, and every other option refused by name.
 *
 * - `dtype` is NumPy's: the accumulator and result dtype of sum and prod (`sum({ dtype:
 *   "uint8" })` wraps modulo 256 as NumPy does), the result dtype of mean/var/std (a float
 *   dtype). mean and nanmean accumulate in it as Dask's do (per-block pairwise sums, so the
 *   result equals Dask's for the same chunks); var/std/nanvar/nanstd carry Dask's moment
 *   partials (per-block sums in it, combined in float64, aggregated in it), so they too equal
 *   Dask's bit for bit for the same chunks and splitEvery.
 *   min and max take none, as NumPy.
 * - argmin / argmax / nanargmin / nanargmax take one axis or none (the flat C-order index),
 *   as NumPy's, and give int64; any / all give bool; the nan-reductions are NumPy's nansum …
 *   nanstd (all-NaN slices give NaN; nanargmin/nanargmax refuse them as NumPy's ValueError).
 * - `splitEvery` is Dask's `split_every`: the total fan-in of each combining task (default
 *   16), an integer spread evenly over the reduced axes (⌊n^(1/k)⌋ per axis, at least 2),
 *   or a per-axis object `{ 0: 4, 2: 8 }` (reduced axes left out combine 2 at a time).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import * as nd from "../ndarray/index.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import type { TreeOp } from "../ndarray/tree-reduction.js";
import type { ArrayNode } from "./expr.js";
import { ReductionExpr } from "./reduction.js";

export interface ReductionCallOptions {
  axis?: number | number[] | null;
  keepdims?: boolean;
  /** Delta degrees of freedom for var/std. */
  ddof?: number;
  /** Accumulator/result dtype of sum and prod, result dtype of mean/var/std (NumPy's dtype). */
  dtype?: string;
  /**
   * Dask's split_every: partials combined per task in all (default 16), or per reduced axis
   * as `{ axis: n }`.
   */
  splitEvery?: number | Record<number, number>;
}

/** Dask's default split_every (dask ≥ 2023; 2022 releases used 4). */
export const defaultSplitEvery = 16;

const optionsOf: Record<TreeOp, readonly string[]> = {
  sum: ["axis", "keepdims", "dtype", "splitEvery"],
  prod: ["axis", "keepdims", "dtype", "splitEvery"],
  min: ["axis", "keepdims", "splitEvery"],
  max: ["axis", "keepdims", "splitEvery"],
  mean: ["axis", "keepdims", "dtype", "splitEvery"],
  var: ["axis", "keepdims", "dtype", "ddof", "splitEvery"],
  std: ["axis", "keepdims", "dtype", "ddof", "splitEvery"],
  moment: ["axis", "keepdims", "dtype", "ddof", "splitEvery"],
  any: ["axis", "keepdims", "splitEvery"],
  all: ["axis", "keepdims", "splitEvery"],
  nansum: ["axis", "keepdims", "dtype", "splitEvery"],
  nanprod: ["axis", "keepdims", "dtype", "splitEvery"],
  nanmin: ["axis", "keepdims", "splitEvery"],
  nanmax: ["axis", "keepdims", "splitEvery"],
  nanmean: ["axis", "keepdims", "dtype", "splitEvery"],
  nanvar: ["axis", "keepdims", "dtype", "ddof", "splitEvery"],
  nanstd: ["axis", "keepdims", "dtype", "ddof", "splitEvery"],
  argmin: ["axis", "keepdims", "splitEvery"],
  argmax: ["axis", "keepdims", "splitEvery"],
  nanargmin: ["axis", "keepdims", "splitEvery"],
  nanargmax: ["axis", "keepdims", "splitEvery"],
};

/** Reductions without an identity, which NumPy refuses over an empty axis. */
const noIdentity: ReadonlySet<TreeOp> = new Set(["min", "max", "nanmin", "nanmax", "argmin", "argmax", "nanargmin", "nanargmax"]);

/** Arg reductions take one axis or none (the index into the flattened array), as NumPy's. */
const argOps: ReadonlySet<TreeOp> = new Set(["argmin", "argmax", "nanargmin", "nanargmax"]);

function checkOptionNames(op: TreeOp, options: object): void {
  const allowed = optionsOf[op];
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    if (!allowed.includes(key)) {
      const hint = key === "split_every" ? " (spelled splitEvery here)" : "";
      throw new InvalidOptionError(`${op}: unknown option "${key}"${hint}; ${op} takes ${allowed.join(", ")}`);
    }
  }
}

function splitFactor(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 2) {
    throw new InvalidOptionError(`${what} must be an integer ≥ 2 (partials combined per task), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Dask's split_every as a combining factor per reduced axis. */
export function splitEveryPerAxis(splitEvery: unknown, axes: readonly number[], ndim: number, op: string): Record<number, number> {
  const out: Record<number, number> = {};
  if (splitEvery === undefined || splitEvery === null) splitEvery = defaultSplitEvery;
  if (typeof splitEvery === "number") {
    const total = splitFactor(splitEvery, `${op}: splitEvery`);
    const perAxis = Math.max(Math.trunc(total ** (1 / Math.max(axes.length, 1))), 2);
    for (const axis of axes) out[axis] = perAxis;
    return out;
  }
  if (typeof splitEvery !== "object" || Array.isArray(splitEvery)) {
    throw new InvalidOptionError(`${op}: splitEvery must be an integer ≥ 2 or an object { axis: n }, got ${JSON.stringify(splitEvery)}`);
  }
  for (const axis of axes) out[axis] = 2;
  for (const [key, value] of Object.entries(splitEvery as Record<string, unknown>)) {
    const given = Number(key);
    const axis = given < 0 ? given + ndim : given;
    if (!Number.isInteger(axis) || axis < 0 || axis >= ndim) {
      throw new InvalidOptionError(`${op}: splitEvery names axis ${key}, which does not exist (the array has ${ndim} axes)`);
    }
    if (!axes.includes(axis)) {
      throw new InvalidOptionError(`${op}: splitEvery names axis ${key}, which this reduction does not reduce (it reduces [${axes.join(", ")}])`);
    }
    out[axis] = splitFactor(value, `${op}: splitEvery for axis ${key}`);
  }
  return out;
}

export function reductionNode(input: ArrayNode, op: TreeOp, options: ReductionCallOptions, extra: { order?: number } = {}): ArrayNode {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError(`${op}: options must be an object such as { axis: 0 }, got ${JSON.stringify(options)}`);
  }
  checkOptionNames(op, options);
  const ndim = input.shape.length;
  if (argOps.has(op) && options.axis !== undefined && options.axis !== null && typeof options.axis !== "number") {
    throw new InvalidOptionError(`${op}: axis must be one axis or null (the index into the flattened array), got ${JSON.stringify(options.axis)}`);
  }
  const requested = options.axis === undefined || options.axis === null ? input.shape.map((_, a) => a) : typeof options.axis === "number" ? [options.axis] : options.axis;
  if (!Array.isArray(requested)) throw new InvalidOptionError(`${op}: axis must be a number, a list of numbers or null, got ${JSON.stringify(options.axis)}`);
  const normalized = requested.map((axis) => {
    if (!Number.isInteger(axis)) throw new InvalidOptionError(`${op}: axis must be an integer, got ${JSON.stringify(axis)}`);
    const a = axis < 0 ? axis + ndim : axis;
    if (a < 0 || a >= ndim) throw new InvalidOptionError(`${op}: axis ${axis} is out of bounds for an array of ${ndim} axes`);
    return a;
  });
  // NumPy and Dask refuse an axis named twice (axis=(0, -2) on 2 axes) rather than reduce it once.
  if (new Set(normalized).size !== normalized.length) throw new InvalidOptionError(`${op}: duplicate value in axis ${JSON.stringify(requested)}`);
  const axes = normalized.sort((a, b) => a - b);
  // NumPy refuses these when a reduced axis is empty, even where the result itself is empty.
  if (noIdentity.has(op) && axes.some((a) => input.shape[a] === 0)) {
    throw new InvalidOptionError(`${op}: zero-size array to reduction operation ${op} which has no identity (axis ${axes.find((a) => input.shape[a] === 0)} has length 0)`);
  }
  // NumPy's nanvar / nanstd of a non-float array is var / std: n − ddof = 0 then gives inf as var
  // does, not the NaN that the NaN-skipping path gives floats there.
  if ((op === "nanvar" || op === "nanstd") && !["f", "c"].includes(dtypeInfo(input.dtype).kind)) op = op === "nanvar" ? "var" : "std";
  if (options.keepdims !== undefined && typeof options.keepdims !== "boolean") throw new InvalidOptionError(`${op}: keepdims must be true or false, got ${JSON.stringify(options.keepdims)}`);
  const keepdims = options.keepdims ?? false;
  const ddof = options.ddof ?? 0;
  if (typeof ddof !== "number" || !Number.isFinite(ddof)) throw new InvalidOptionError(`${op}: ddof must be a finite number, got ${JSON.stringify(options.ddof)}`);
  // The result dtype is what NumPy gives for one block with the same options (it refuses a
  // dtype NumPy would not take, e.g. an integer dtype for mean).
  const probeOptions = { axis: axes, ...(options.dtype !== undefined ? { dtype: options.dtype } : {}) };
  const dtype = argOps.has(op)
    ? "int64"
    : ((nd as unknown as Record<string, (a: unknown, o: unknown) => { dtype: string }>)[op === "var" || op === "moment" ? "variance" : op](nd.ones(input.shape.map(() => 1), input.dtype), probeOptions).dtype as ArrayNode["dtype"]);
  const shape = input.shape.flatMap((n, a) => (axes.includes(a) ? (keepdims ? [1] : []) : [n]));
  const chunks = input.chunks.flatMap((sizes, a) => (axes.includes(a) ? (keepdims ? [[1]] : []) : [[...sizes]]));
  const treeOptions = { op, axes, keepdims, ddof, dtype, ...extra };
  const splitEvery = splitEveryPerAxis(options.splitEvery, axes, ndim, op);
  return { name: `${op}-${tokenize(input.name, treeOptions, splitEvery)}`, shape, chunks, dtype, expr: new ReductionExpr(input, treeOptions, splitEvery) };
}
