/**
 * np.searchsorted(a, v, side) for a 1-d `a` sorted in NumPy's order (NaN after every number):
 * for each element of v, the index where it would be inserted to keep the order — before
 * equal elements ("left", the default) or after them ("right"). Both are compared in the
 * dtype they promote to, as NumPy does; the result is int64 in v's shape. An unsorted `a`
 * gives unspecified (but not failing) answers, as in NumPy.
 *
 * searchsortedBlock is the lazy twin's task (dask's _searchsorted_block): one block of `a`
 * against one block of v, its 0s marked −1 (a block cannot tell whether it is the first).
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { astype } from "./copy.js";
import { array, fromTypedArray } from "./creation.js";
import { NDArray } from "./ndarray.js";
import { promoteTypes } from "./promotion.js";
import { reshape } from "./views.js";

export type SearchSide = "left" | "right";
export interface SearchsortedOptions {
  side?: SearchSide;
}

type Value = number | bigint;

/** NumPy's sort order: NaN after every number. */
const less = (a: Value, b: Value): boolean => a < b || (b !== b && a === a);

/** np.searchsorted of one value: "right" counts elements ≤ v, "left" elements < v (digitize's search too). */
export function insertionIndex(sorted: ArrayLike<Value>, v: Value, right: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (right ? !less(v, sorted[mid]) : less(sorted[mid], v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The side option, checked: NumPy's ValueError names the bad value. */
export function readSide(options: unknown, what: string): SearchSide {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new InvalidOptionError(`${what}: options must be an object such as { side: "right" }`);
  for (const key of Object.keys(options)) if (key !== "side") throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes side`);
  const side = (options as SearchsortedOptions).side ?? "left";
  if (side !== "left" && side !== "right") throw new InvalidOptionError(`${what}: side must be "left" or "right", got ${JSON.stringify(side)}`);
  return side;
}

function search(a: NDArray, v: NDArray, side: SearchSide): BigInt64Array {
  const common = promoteTypes(a.dtype, v.dtype);
  const sorted = astype(a, common).toTypedArray() as ArrayLike<Value>;
  const values = astype(v, common).toTypedArray() as ArrayLike<Value>;
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(insertionIndex(sorted, values[i], side === "right"));
  return out;
}

/** np.searchsorted(a, v, side): int64 insertion indices of v into the sorted 1-d a. */
export const searchsorted = definePublicBuiltin("searchsorted", function searchsorted(a: NDArray, v: NDArray | number | bigint | boolean, options: SearchsortedOptions = {}): NDArray {
  if (!(a instanceof NDArray)) throw new InvalidOptionError("searchsorted: a must be an NDArray");
  if (a.ndim !== 1) throw new InvalidOptionError(`searchsorted: a must be one-dimensional, got shape [${a.shape.join(", ")}]`);
  const values = v instanceof NDArray ? v : typeof v === "number" || typeof v === "bigint" || typeof v === "boolean" ? array(v as never) : null;
  if (values === null) throw new InvalidOptionError(`searchsorted: v must be an NDArray or a number, got ${JSON.stringify(v) ?? typeof v}`);
  return fromTypedArray(search(a, values, readSide(options, "searchsorted")), [...values.shape], { dtype: "int64" });
});

/** One block of `a` (shaped [n, 1, …]) against one block of v (shaped [1, …]): [1, …] int64, 0 marked −1. */
export const searchsortedBlock = defineBuiltin("ndarray.searchsortedBlock", function searchsortedBlock(aBlock: NDArray, vBlock: NDArray, options: { side: SearchSide }): NDArray {
  const out = search(reshape(aBlock, [-1]), vBlock, options.side);
  for (let i = 0; i < out.length; i++) if (out[i] === 0n) out[i] = -1n;
  return fromTypedArray(out, [...vBlock.shape], { dtype: "int64" });
});
