/**
 * NumPy's atleast_1d/2d/3d and vstack/hstack/dstack on lazy arrays (dask.array's): views that
 * add axes of length 1, then one concatenate, so the chunks are Dask's. Each atleast function
 * takes one array (map it over several); vstack/hstack/dstack take a list, as NumPy does.
 */
import { InvalidOptionError } from "../core/errors.js";
import { LazyArray } from "./array.js";
import { concatenateNodes } from "./concatenate.js";

function one(what: string, x: unknown, extra: readonly unknown[]): LazyArray {
  if (extra.length > 0) throw new InvalidOptionError(`${what} takes one array; for several, map it: arrays.map(${what})`);
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a lazy array (ta.fromArray wraps an NDArray)`);
  return x;
}

/** At least one axis: a 0-d array becomes shape [1]. */
export function atleast1d(x: LazyArray, ...extra: never[]): LazyArray {
  one("atleast1d", x, extra);
  return x.ndim === 0 ? x.get(null) : x;
}

/** At least two axes: [n] becomes [1, n]. */
export function atleast2d(x: LazyArray, ...extra: never[]): LazyArray {
  one("atleast2d", x, extra);
  if (x.ndim === 0) return x.get(null, null);
  return x.ndim === 1 ? x.get(null, ":") : x;
}

/** At least three axes: [n] becomes [1, n, 1] and [m, n] becomes [m, n, 1], as NumPy places them. */
export function atleast3d(x: LazyArray, ...extra: never[]): LazyArray {
  one("atleast3d", x, extra);
  if (x.ndim === 0) return x.get(null, null, null);
  if (x.ndim === 1) return x.get(null, ":", null);
  return x.ndim === 2 ? x.get(":", ":", null) : x;
}

function list(what: string, arrays: unknown): LazyArray[] {
  if (!Array.isArray(arrays)) throw new InvalidOptionError(`${what} expects a list of arrays as its argument: ${what}([a, b])`);
  if (arrays.length === 0) throw new InvalidOptionError(`${what}: need at least one array to join`);
  arrays.forEach((x, i) => {
    if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: item ${i} is not a lazy array`);
  });
  return arrays as LazyArray[];
}

/** Joins along the first axis, 1-d arrays as rows (np.vstack). */
export function vstack(arrays: readonly LazyArray[]): LazyArray {
  return LazyArray.of(concatenateNodes(list("vstack", arrays).map((x) => atleast2d(x)), 0, "vstack"));
}

/** Joins 1-d arrays end to end, others along the second axis (np.hstack). */
export function hstack(arrays: readonly LazyArray[]): LazyArray {
  const lifted = list("hstack", arrays).map((x) => atleast1d(x));
  return LazyArray.of(concatenateNodes(lifted, lifted[0].ndim === 1 ? 0 : 1, "hstack"));
}

/** Joins along the third axis, after atleast3d (np.dstack). */
export function dstack(arrays: readonly LazyArray[]): LazyArray {
  return LazyArray.of(concatenateNodes(list("dstack", arrays).map((x) => atleast3d(x)), 2, "dstack"));
}
