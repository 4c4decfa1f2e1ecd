/**
 * Result dtypes of block functions, inferred as Dask does: run the function on tiny arrays
 * of the input dtypes (here one element per axis) and look at what comes back. A function
 * that cannot run on such an input needs an explicit `dtype`.
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

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function inferDtype(fn: Function, inputs: Array<MetaInput | { value: unknown }>, options: Record<string, unknown> | undefined, what: string): DType {
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
