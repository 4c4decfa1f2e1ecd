/**
 * np.ediff1d: the differences of consecutive elements of the flattened array, in its dtype,
 * with `toBegin` / `toEnd` values put before and after (NumPy 1.24's values and dtype).
 *
 * The extra values must cast to the array's dtype under NumPy's same_kind rule (bool into
 * anything, unsigned into integers and floats, signed into signed and floats, floats into
 * floats): a float for an integer array is refused, as NumPy raises TypeError. A list of JS
 * numbers is a Python list: int64 when all are integral, float64 otherwise (an empty one too,
 * as np.asarray([])); NDArrays keep their dtype. A single JS number is judged by its value, as
 * NumPy 1.24's can_cast judges a Python scalar: a non-negative integer is unsigned, a negative
 * one signed, any other number a float (so 5 suits a uint8 array and −5 does not). They are then
 * cast to the array's dtype as NumPy's assignment casts them (an integer that does not fit
 * wraps: to_end=300 of an int8 array is 44). A bool array is refused: NumPy has no bool
 * subtraction.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { astype, requireArray } from "./copy.js";
import { array } from "./creation.js";
import { type DType, dtypeInfo } from "./dtype.js";
import { concatenate } from "./join.js";
import { NDArray } from "./ndarray.js";
import { slice } from "./slice.js";
import { subtract } from "./arithmetic.js";
import { reshape } from "./views.js";
import { readOptions } from "./matrix-options.js";

export type EdgeValues = number | bigint | boolean | ReadonlyArray<number | bigint | boolean> | NDArray;

export interface Ediff1dOptions {
  /** Values after the differences (np.ediff1d's to_end). */
  toEnd?: EdgeValues | null;
  /** Values before them (to_begin). */
  toBegin?: EdgeValues | null;
}

const kindRank: Record<string, number> = { b: 0, u: 1, i: 2, f: 3 };

/** NumPy's can_cast(from, to, "same_kind") for tessera's dtypes. */
export function castsSameKind(from: DType, to: DType): boolean {
  const [a, b] = [dtypeInfo(from).kind, dtypeInfo(to).kind];
  if (a === b) return true;
  if (a === "u" && b === "i") return true;
  return kindRank[a] < kindRank[b] && !(a === "i" && b === "u");
}

/** The edge values as a flat NDArray in their own dtype (NumPy's np.asanyarray(v).ravel()). */
export function edgeArray(what: string, name: string, values: EdgeValues): NDArray {
  if (values instanceof NDArray) return reshape(values, [values.size]);
  const list: ReadonlyArray<number | bigint | boolean> = Array.isArray(values) ? values : [values as number];
  for (const value of list) {
    if (!["number", "bigint", "boolean"].includes(typeof value)) throw new InvalidOptionError(`${what}: ${name} must hold numbers, bigints or booleans, got ${String(value)}`);
  }
  const dtype: DType = list.length === 0 ? "float64" : list.every((v) => typeof v === "boolean") ? "bool" : list.every((v) => typeof v !== "number" || Number.isInteger(v)) ? "int64" : "float64";
  return array(list.map((v) => (dtype === "int64" ? BigInt(v as number) : Number(v))) as never, { dtype });
}

/** The edge values in `dtype`, refused unless they cast to it under same_kind. */
export function edgeIn(what: string, name: string, values: EdgeValues, dtype: DType): NDArray {
  const edge = edgeArray(what, name, values);
  let judged = edge.dtype;
  // A single scalar by its value (NumPy 1.24's can_cast of a Python scalar): non-negative integers are unsigned.
  if (!(values instanceof NDArray) && !Array.isArray(values) && judged === "int64" && BigInt(values as number) >= 0n) judged = "uint64";
  if (!castsSameKind(judged, dtype)) {
    throw new InvalidOptionError(`${what}: the dtype of ${name} (${edge.dtype}) must be compatible with the input's ${dtype} under the same_kind rule (NumPy raises TypeError)`);
  }
  return astype(edge, dtype);
}

/** The ediff1d options, checked: known keys, a non-bool array. */
export function readEdiff1d(what: string, ary: { dtype: DType }, options: Ediff1dOptions | undefined): Ediff1dOptions {
  const given = readOptions(what, options, ["toEnd", "toBegin"]);
  if (ary.dtype === "bool") throw new InvalidOptionError(`${what}: a bool array has no differences (NumPy's subtract refuses bool); astype an integer dtype first`);
  return given;
}

/** a[1:] − a[:−1] of the flattened array, with toBegin before and toEnd after (np.ediff1d). */
export const ediff1d = definePublicBuiltin("ediff1d", function ediff1d(ary: NDArray, options?: Ediff1dOptions): NDArray {
  requireArray(ary, "ediff1d");
  const given = readEdiff1d("ediff1d", ary, options);
  const flat = reshape(ary, [ary.size]);
  const parts: NDArray[] = [];
  if (given.toBegin !== undefined && given.toBegin !== null) parts.push(edgeIn("ediff1d", "toBegin", given.toBegin, ary.dtype));
  parts.push(ary.size === 0 ? flat : subtract(slice(flat, { start: 1 }), slice(flat, { stop: -1 })));
  if (given.toEnd !== undefined && given.toEnd !== null) parts.push(edgeIn("ediff1d", "toEnd", given.toEnd, ary.dtype));
  return parts.length === 1 ? parts[0] : concatenate(parts, 0);
});
