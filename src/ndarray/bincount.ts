/**
 * np.bincount (NumPy 1.24): occurrences of each non-negative integer in a 1-d array (int64),
 * or, with weights, the sum of the weights at each value (float64, weights read as float64
 * and added in the input's order). The input must cast safely to int64 as NumPy asks: bool
 * and the integers up to int64 and uint32; uint64 and floats are refused with NumPy's message.
 * The result has max(x) + 1 elements, at least minlength.
 *
 * bincountSum adds per-block counts of different lengths (the lazy bincount's aggregate,
 * Dask's _bincount_agg): padded to the longest, summed in the blocks' order.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { requireArray } from "./copy.js";
import { type NDArray, empty } from "./ndarray.js";
import { refuseUnknownKeys } from "./option-keys.js";

export interface BincountOptions {
  weights?: NDArray | null;
  minlength?: number;
}

const safeToInt64 = new Set(["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64"]);

export function checkMinlength(minlength: unknown, what: string): number {
  if (typeof minlength !== "number" || !Number.isSafeInteger(minlength)) throw new InvalidOptionError(`${what}: minlength must be an integer, got ${JSON.stringify(minlength)}`);
  if (minlength < 0) throw new InvalidOptionError(`${what}: 'minlength' must not be negative`);
  return minlength;
}

export function checkBincountDtype(dtype: string, what: string): void {
  if (!safeToInt64.has(dtype)) throw new InvalidOptionError(`${what}: Cannot cast array data from dtype('${dtype}') to dtype('int64') according to the rule 'safe'`);
}

export const bincount = definePublicBuiltin("bincount", function bincount(x: NDArray, options: BincountOptions = {}): NDArray {
  requireArray(x, "bincount");
  if (options === null || typeof options !== "object") throw new InvalidOptionError("bincount: options must be an object such as { minlength: 10 }");
  refuseUnknownKeys(options, ["weights", "minlength"], "bincount");
  if (x.ndim !== 1) throw new InvalidOptionError(`bincount: the input must be 1-d (object too deep for desired array), got ${x.ndim} axes`);
  checkBincountDtype(x.dtype, "bincount");
  const minlength = checkMinlength(options.minlength ?? 0, "bincount");
  const weights = options.weights ?? null;
  if (weights !== null) {
    requireArray(weights, "bincount: weights");
    if (weights.ndim !== 1 || weights.size !== x.size) throw new InvalidOptionError(`bincount: The weights and list don't have the same length (${weights.size} weights, ${x.size} values)`);
  }
  const values = x.toTypedArray();
  let top = -1;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (v < 0) throw new InvalidOptionError("bincount: 'list' argument must have no negative elements");
    if (v > top) top = v;
  }
  const length = Math.max(top + 1, minlength);
  if (weights === null) {
    const out = empty([length], "int64");
    const counts = new Float64Array(length);
    for (let i = 0; i < values.length; i++) counts[Number(values[i])]++;
    const data = out.data as BigInt64Array;
    for (let i = 0; i < length; i++) data[i] = BigInt(counts[i]);
    return out;
  }
  const out = empty([length], "float64");
  const sums = out.data as Float64Array;
  sums.fill(0);
  const w = weights.toTypedArray();
  for (let i = 0; i < values.length; i++) sums[Number(values[i])] += Number(w[i]);
  return out;
});

/** Per-block bincounts summed (padded to the longest) in order; with `length`, the result must have exactly that many. */
export function bincountSum(parts: readonly NDArray[], length?: number): NDArray {
  const dtype = parts[0]?.dtype ?? "int64";
  let longest = 0;
  for (const part of parts) longest = Math.max(longest, part.size);
  if (length !== undefined && longest > length) {
    throw new InvalidOptionError(
      `bincount: a value reaches ${longest - 1}, past minlength ${length}: with minlength the result's length is taken as minlength (Dask's chunks); give a minlength above the largest value, or none for an unknown length`,
    );
  }
  const size = Math.max(longest, length ?? 0);
  const out = empty([size], dtype as NDArray["dtype"]);
  if (dtype === "int64") {
    const data = out.data as BigInt64Array;
    data.fill(0n);
    for (const part of parts) part.toTypedArray().forEach((v, i) => { data[i] += v as bigint; });
  } else {
    const data = out.data as Float64Array;
    data.fill(0);
    for (const part of parts) part.toTypedArray().forEach((v, i) => { data[i] += v as number; });
  }
  return out;
}
