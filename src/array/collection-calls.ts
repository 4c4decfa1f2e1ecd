/**
 * `ta.compute` and `ta.persist` of several arrays at once, in both spellings a user brings:
 * tessera's list (`ta.compute([a, b], options)`) and Dask's arguments (`dask.compute(a, b)` →
 * `ta.compute(a, b, options)`). Every array is one graph, so shared inputs are computed once.
 * Anything else in the list is refused by position, never passed on to fail deep inside.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { type ExecuteOptions, LazyArray, computeArrays, persistArrays } from "./array.js";

type Call = [arrays: LazyArray[], options: ExecuteOptions | undefined];

function collectionCall(what: string, args: readonly unknown[]): Call {
  let arrays: unknown[];
  let options: unknown;
  if (Array.isArray(args[0])) {
    if (args.length > 2) throw new InvalidOptionError(`${what}: give the arrays as one list and then the options: ${what}([a, b], options)`);
    [arrays, options] = [args[0] as unknown[], args[1]];
  } else {
    const last = args[args.length - 1];
    // Options are a plain object; an NDArray or anything else there is a misplaced array.
    const plain = last !== null && typeof last === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(last));
    const trailingOptions = args.length > 0 && plain;
    arrays = trailingOptions ? args.slice(0, -1) : [...args];
    options = trailingOptions ? last : undefined;
  }
  arrays.forEach((array, i) => {
    if (!(array instanceof LazyArray)) {
      const hint = array !== null && typeof array === "object" && "shape" in array ? " (wrap an NDArray with ta.fromArray)" : "";
      throw new InvalidOptionError(`${what}: argument ${i} is not a tessera array${hint}`);
    }
  });
  if (options !== undefined && (options === null || typeof options !== "object" || Array.isArray(options))) {
    throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  }
  return [arrays as LazyArray[], options as ExecuteOptions | undefined];
}

/** Computes arrays together: `ta.compute([a, b])` or Dask's `ta.compute(a, b)`; options may follow. */
export async function compute(...args: Array<LazyArray | readonly LazyArray[] | ExecuteOptions>): Promise<NDArray[]> {
  return computeArrays(...collectionCall("compute", args));
}

/** Persists arrays together on the cluster: `ta.persist([a, b])` or `ta.persist(a, b)`; options may follow. */
export async function persist(...args: Array<LazyArray | readonly LazyArray[] | ExecuteOptions>): Promise<LazyArray[]> {
  return persistArrays(...collectionCall("persist", args));
}
