/**
 * np.unique and np.union1d (NumPy 1.24): the sorted distinct values of the flattened input,
 * NaNs collapsed into one at the end (NumPy's equal_nan), and on request the flat index of
 * each value's first occurrence, the inverse (for each input element, the position of its
 * value) and the counts, every one int64. The sort is stable, so equal values keep their
 * order of appearance and the first occurrence is the first of its run (NumPy's mergesort
 * when return_index is asked).
 *
 * uniqueMerge combines per-block results (values, first indices, counts) into the whole's,
 * as the lazy unique's aggregate step does: the distinct values of all blocks, each with the
 * smallest first index and the summed count.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { requireArray } from "./copy.js";
import type { TypedArray } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";
import { concatenate } from "./join.js";
import { refuseUnknownKeys } from "./option-keys.js";

export interface UniqueOptions {
  returnIndex?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
}

type Value = number | bigint;

/** a < b in NumPy's sort order (NaN last). */
function before(a: Value, b: Value): boolean {
  if (a !== a) return false;
  if (b !== b) return true;
  return a < b;
}

function same(a: Value, b: Value): boolean {
  // NaN equals NaN here (equal_nan); -0 equals 0.
  return a === b || (a !== a && b !== b) || a == b;
}

/** Positions of `values` sorted stably (NaN last). */
export function stableOrder(values: ArrayLike<Value>): Uint32Array | number[] {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((i, j) => (before(values[i], values[j]) ? -1 : before(values[j], values[i]) ? 1 : i - j));
  return order;
}

function int64(values: ArrayLike<number>): NDArray {
  const out = empty([values.length], "int64");
  const data = out.data as BigInt64Array;
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
  return out;
}

/** Values, first indices and counts per run of equal values in `order`, and each element's run. */
function runsOf(flat: ArrayLike<Value>, order: ArrayLike<number>, firstIndex: ArrayLike<number>, counts: ArrayLike<number>): { starts: number[]; first: number[]; count: number[]; runOf: Int32Array } {
  const starts: number[] = [];
  const first: number[] = [];
  const count: number[] = [];
  const runOf = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (k === 0 || !same(flat[order[k - 1]], flat[i])) {
      starts.push(i);
      first.push(firstIndex[i]);
      count.push(0);
    }
    const run = starts.length - 1;
    if (firstIndex[i] < first[run]) first[run] = firstIndex[i];
    count[run] += counts[i];
    runOf[i] = run;
  }
  return { starts, first, count, runOf };
}

function take(source: NDArray, positions: readonly number[]): NDArray {
  const data = source.toTypedArray();
  const out = empty([positions.length], source.dtype);
  const target = out.data as TypedArray;
  for (let k = 0; k < positions.length; k++) (target as unknown as Value[])[k] = (data as unknown as Value[])[positions[k]];
  return out;
}

function checkOptions(options: UniqueOptions, what: string): void {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what}: options must be an object such as { returnCounts: true }`);
  refuseUnknownKeys(options, ["returnIndex", "returnInverse", "returnCounts"], what);
}

/**
 * np.unique: the sorted distinct values, or, when any of returnIndex / returnInverse /
 * returnCounts is set, the list [values, index?, inverse?, counts?] in NumPy's order.
 */
export const unique = definePublicBuiltin("unique", function unique(a: NDArray, options: UniqueOptions = {}): NDArray | NDArray[] {
  requireArray(a, "unique");
  checkOptions(options, "unique");
  const flat = a.toTypedArray() as unknown as ArrayLike<Value>;
  const order = stableOrder(flat);
  const ones = new Array<number>(flat.length).fill(1);
  const positions = Array.from({ length: flat.length }, (_, i) => i);
  const { starts, first, count, runOf } = runsOf(flat, order, positions, ones);
  const values = take(a.ndim === 1 ? a : new NDArray(a.toTypedArray(), [a.size], { dtype: a.dtype }), starts);
  if (!options.returnIndex && !options.returnInverse && !options.returnCounts) return values;
  const out = [values];
  if (options.returnIndex) out.push(int64(first));
  if (options.returnInverse) out.push(int64(runOf));
  if (options.returnCounts) out.push(int64(count));
  return out;
});

/** np.union1d: the sorted distinct values of both arrays (flattened). */
export const union1d = definePublicBuiltin("union1d", function union1d(a: NDArray, b: NDArray): NDArray {
  requireArray(a, "union1d");
  requireArray(b, "union1d");
  const flat = (x: NDArray) => new NDArray(x.toTypedArray(), [x.size], { dtype: x.dtype });
  return unique(concatenate([flat(a), flat(b)])) as NDArray;
});

/**
 * Per-block parts [values, firstIndex, counts] (the first indices already global) merged into
 * the whole's [values, firstIndex, counts]; the dtype of the values is the parts' common one.
 */
export function uniqueMerge(parts: ReadonlyArray<readonly NDArray[]>): NDArray[] {
  if (parts.length === 0) throw new InvalidOptionError("unique: no parts to merge");
  const values = concatenate(parts.map((p) => p[0]));
  const flat = values.toTypedArray() as unknown as ArrayLike<Value>;
  const numbers = (index: number) => Array.from(concatenate(parts.map((p) => p[index])).toTypedArray() as BigInt64Array, Number);
  const { starts, first, count } = runsOf(flat, stableOrder(flat), numbers(1), numbers(2));
  return [take(values, starts), int64(first), int64(count)];
}
