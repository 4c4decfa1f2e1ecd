/**
 * `ta.compute` and `ta.persist` of several arrays at once, in both spellings a user brings:
 * tessera's list (`ta.compute([a, b], options)`) and Dask's arguments (`dask.compute(a, b)` →
 * `ta.compute(a, b, options)`). Every array is one graph, so shared inputs are computed once.
 * Delayed values may stand among the arrays (dask.compute of mixed collections; the same
 * functions are `compute` and `persist` of the `tessera` entry point): they join the one graph,
 * so a Delayed an array reads through fromDelayed and also asked for itself runs once.
 * Masked arrays (ta.ma) may stand among them too: computed as MaskedNDArrays and persisted as
 * masked arrays, each as one task per block (ma/masked-blocks.ts).
 * Anything else in the list is refused by position, never passed on to fail deep inside.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { NDArray } from "../ndarray/ndarray.js";
import type { MaskedNDArray } from "../ndarray/masked-ndarray.js";
import { Delayed, computeDelayed, persistDelayed } from "../delayed/delayed.js";
import { type ExecuteOptions, LazyArray, computeArrays, persistArrays } from "./array.js";
import { MaskedArray } from "./ma/masked-array.js";
import { computeMixed, persistMixed } from "./ma/masked-blocks.js";

type Collection = LazyArray | Delayed | MaskedArray;
type ArrayLike = LazyArray | MaskedArray;
type Call = [collections: Collection[], options: ExecuteOptions | undefined];

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
    if (!(array instanceof LazyArray) && !(array instanceof Delayed) && !(array instanceof MaskedArray)) {
      const hint = array !== null && typeof array === "object" && "shape" in array ? " (wrap an NDArray with ta.fromArray)" : "";
      throw new InvalidOptionError(`${what}: argument ${i} is not a tessera array or a Delayed${hint}`);
    }
  });
  if (options !== undefined && (options === null || typeof options !== "object" || Array.isArray(options))) {
    throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  }
  return [arrays as Collection[], options as ExecuteOptions | undefined];
}

/** Runs the arrays and the Delayed of `collections` in one graph and puts the results back in their places. */
async function runTogether<A, D>(
  collections: readonly Collection[],
  runArrays: (arrays: ArrayLike[], alongside: Delayed[]) => Promise<unknown[]>,
  runDelayed: (values: Delayed[]) => Promise<unknown[]>,
): Promise<Array<A | D>> {
  const arrays = collections.filter((c): c is ArrayLike => !(c instanceof Delayed));
  const values = collections.filter((c): c is Delayed => c instanceof Delayed);
  const results = arrays.length > 0 ? await runArrays(arrays, values) : await runDelayed(values);
  let nextArray = 0;
  let nextValue = arrays.length;
  return collections.map((c) => results[c instanceof Delayed ? nextValue++ : nextArray++] as A | D);
}

const plainOnly = (arrays: readonly ArrayLike[]): arrays is LazyArray[] => arrays.every((a) => a instanceof LazyArray);

/** Computes arrays (and Delayed) together: `ta.compute([a, b])` or Dask's `ta.compute(a, b)`; options may follow. Arrays give NDArrays, masked arrays MaskedNDArrays, Delayed their values. */
export async function compute(...args: Array<LazyArray | readonly LazyArray[] | ExecuteOptions>): Promise<NDArray[]>;
export async function compute(...args: Array<Collection | readonly Collection[] | ExecuteOptions>): Promise<unknown[]>;
export async function compute(...args: Array<Collection | readonly Collection[] | ExecuteOptions>): Promise<unknown[]> {
  const [collections, options = {}] = collectionCall("compute", args);
  return runTogether<NDArray | MaskedNDArray, unknown>(
    collections,
    (arrays, alongside) => (plainOnly(arrays) ? computeArrays(arrays, options, alongside) : computeMixed(arrays, options, alongside)),
    (values) => computeDelayed(values, options),
  );
}

/** Persists arrays (and Delayed) together on the cluster: `ta.persist([a, b])` or `ta.persist(a, b)`; options may follow. */
export async function persist(...args: Array<LazyArray | readonly LazyArray[] | ExecuteOptions>): Promise<LazyArray[]>;
export async function persist(...args: Array<Collection | readonly Collection[] | ExecuteOptions>): Promise<Collection[]>;
export async function persist(...args: Array<Collection | readonly Collection[] | ExecuteOptions>): Promise<Collection[]> {
  const [collections, options = {}] = collectionCall("persist", args);
  return runTogether<ArrayLike, Delayed>(
    collections,
    async (arrays, alongside) => {
      if (plainOnly(arrays)) return persistArrays(arrays, options, alongside);
      const persisted = await persistMixed(arrays, options, alongside);
      return persisted.map((value, i) => (i < arrays.length && arrays[i] instanceof MaskedArray ? MaskedArray.of(value as MaskedArray) : value));
    },
    (values) => persistDelayed(values, options),
  );
}
