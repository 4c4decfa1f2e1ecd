/**
 * Result dtypes of block functions, inferred as Dask does: run the function on tiny arrays
 * of the input dtypes (here one element per axis) and look at what comes back. A function
 * that cannot run on such an input needs an explicit `dtype`.
 *
 * A built-in's answer is remembered (builtinDtypes): built-ins are pure, so the same
 * function on the same input dtypes, ranks, scalar values and options gives the same dtype,
 * and running it again cost about half of building a DoG pipeline (two Gaussians and a
 * subtract, ~1.5 ms of ~3.5 ms). A user's function is run every time, as in Dask: it may
 * not be pure. Only successes are remembered: a refusal is raised again by running again.
 */
import { InvalidOptionError } from "../core/errors.js";
import { builtinNameOf } from "../core/builtin.js";
import * as nd from "../ndarray/index.js";
import type { DType } from "../ndarray/dtype.js";
import { NDArray } from "../ndarray/ndarray.js";

export interface MetaInput {
  dtype: DType;
  ndim: number;
}

/** Remembered built-in answers; cleared when full (a pipeline uses a handful). */
const builtinDtypes = new Map<string, DType>();
const rememberedAnswers = 4096;

/** A plain value's exact text (JSON, with bigint, -0, NaN and ±Infinity told apart), or undefined when it holds anything else. */
function plainText(value: unknown, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  switch (typeof value) {
    case "undefined": return "u";
    case "boolean": return value ? "t" : "f";
    case "string": return JSON.stringify(value);
    case "bigint": return `${value}n`;
    case "number": return Object.is(value, -0) ? "-0" : String(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        const items = value.map((item) => plainText(item, depth + 1));
        return items.every((item) => item !== undefined) ? `[${items.join(",")}]` : undefined;
      }
      // Only plain objects: an NDArray, a typed array or a class instance has no stable text here.
      if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
      const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, plainText(item, depth + 1)] as const);
      return entries.every(([, item]) => item !== undefined) ? `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${item}`).join(",")}}` : undefined;
    }
    default: return undefined;
  }
}

/** The memo key of a built-in on these inputs, or undefined when it cannot be remembered safely. */
function builtinKey(fn: unknown, inputs: ReadonlyArray<MetaInput | { value: unknown }>, options: Record<string, unknown> | undefined): string | undefined {
  const name = builtinNameOf(fn);
  if (name === undefined) return undefined;
  const parts = inputs.map((input) => ("value" in input ? plainText(input.value) : `${input.dtype}/${input.ndim}`));
  const optionText = plainText(options);
  if (optionText === undefined || parts.some((part) => part === undefined)) return undefined;
  return `${name}(${parts.map((part, i) => ("value" in inputs[i] ? `v:${part}` : `a:${part}`)).join(";")};${optionText})`;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function inferDtype(fn: Function, inputs: Array<MetaInput | { value: unknown }>, options: Record<string, unknown> | undefined, what: string): DType {
  const key = builtinKey(fn, inputs, options);
  const known = key === undefined ? undefined : builtinDtypes.get(key);
  if (known !== undefined) return known;
  const dtype = runOnTinyBlocks(fn, inputs, options, what);
  if (key !== undefined) {
    if (builtinDtypes.size >= rememberedAnswers) builtinDtypes.clear();
    builtinDtypes.set(key, dtype);
  }
  return dtype;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function runOnTinyBlocks(fn: Function, inputs: Array<MetaInput | { value: unknown }>, options: Record<string, unknown> | undefined, what: string): DType {
  const args: unknown[] = inputs.map((input) => ("value" in input ? input.value : nd.ones(new Array<number>(input.ndim).fill(1), input.dtype)));
  if (options !== undefined) args.push(options);
  let result: unknown;
  try {
    result = fn(...args);
  } catch (error) {
    // A builtin refusing its operands (a scalar out of range, a NaN bound) has named the
    // problem, and no dtype would fix it.
    if (builtinNameOf(fn) !== undefined && error instanceof InvalidOptionError) throw error;
    throw new InvalidOptionError(`${what}: cannot infer the result dtype by running the function on a tiny block (${(error as Error).message}); pass { dtype }`, { cause: error });
  }
  if (result instanceof Promise) {
    void result.catch(() => {});
    throw new InvalidOptionError(`${what}: the function is asynchronous, so its dtype cannot be inferred; pass { dtype }`);
  }
  if (!(result instanceof NDArray)) {
    throw new InvalidOptionError(`${what}: the function returned ${typeof result}, not an NDArray, on a tiny block; pass { dtype }`);
  }
  return result.dtype;
}
