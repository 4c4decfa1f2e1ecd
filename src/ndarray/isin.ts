/**
 * np.isin: which elements of an array equal any of the test elements. NumPy compares both in
 * the dtype they promote to (isin concatenates or compares them there), so an int64 element and
 * a float64 test value compare as float64; NaN equals nothing, and −0 equals 0.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { astype } from "./copy.js";
import { fromTypedArray } from "./creation.js";
import { NDArray } from "./ndarray.js";
import { promoteTypes } from "./promotion.js";

export type TestElements = NDArray | ReadonlyArray<number | bigint | boolean>;

export interface IsinOptions {
  /** True for the elements NOT in the test elements (NumPy's invert). */
  invert?: boolean;
}

const int64Max = 2n ** 63n - 1n;
const uint64Max = 2n ** 64n - 1n;

/**
 * An integer as NumPy would read it from Python: a bigint, a boolean, or an integral number
 * within int64 (a number past that is a double, as 1e30 is a Python float).
 */
function isIntegerLike(v: unknown): boolean {
  if (typeof v === "bigint" || typeof v === "boolean") return true;
  return typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= 2 ** 63;
}

/**
 * A list as NumPy's asarray reads it: all booleans → bool; all integers (isIntegerLike, booleans
 * as 0/1) → int64, or uint64 past int64's range; anything else → float64.
 */
function listArray(values: ReadonlyArray<unknown>, what: string): NDArray {
  for (const v of values) {
    if (!["number", "bigint", "boolean"].includes(typeof v)) throw new InvalidOptionError(`${what}: test elements must be numbers, bigints or booleans, got ${JSON.stringify(v)}`);
  }
  if (values.length > 0 && values.every((v) => typeof v === "boolean")) return fromTypedArray(Uint8Array.from(values as boolean[], Number), undefined, { dtype: "bool" });
  const integral = values.length > 0 && values.every(isIntegerLike);
  if (!integral) return fromTypedArray(Float64Array.from(values, Number), undefined, { dtype: "float64" });
  const ints = values.map((v) => (typeof v === "bigint" ? v : BigInt(v as number | boolean)));
  if (ints.every((v) => v >= -(int64Max + 1n) && v <= int64Max)) return fromTypedArray(BigInt64Array.from(ints), undefined, { dtype: "int64" });
  if (ints.every((v) => v >= 0n && v <= uint64Max)) return fromTypedArray(BigUint64Array.from(ints), undefined, { dtype: "uint64" });
  throw new InvalidOptionError(`${what}: test element ${ints.find((v) => v < -(int64Max + 1n) || v > uint64Max)} is past every integer dtype (NumPy would compare Python objects)`);
}

/**
 * Integers that no one dtype holds (below 0 and past 2^63 − 1 together): NumPy makes them a
 * Python-object array and compares exactly, value for value; so does this, with bigints.
 */
function exactIntegers(values: ReadonlyArray<unknown>): Set<bigint> | null {
  if (values.length === 0 || !values.every(isIntegerLike)) return null;
  const ints = values.map((v) => (typeof v === "bigint" ? v : BigInt(v as number | boolean)));
  const fitsOne = ints.every((v) => v >= -(int64Max + 1n) && v <= int64Max) || ints.every((v) => v >= 0n && v <= uint64Max);
  return fitsOne || ints.some((v) => v < -(int64Max + 1n) || v > uint64Max) ? null : new Set(ints);
}

function isinExact(element: NDArray, wanted: Set<bigint>, invert: boolean): NDArray {
  const values = element.toTypedArray();
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const hit = typeof v === "bigint" ? wanted.has(v) : Number.isInteger(v) && wanted.has(BigInt(v));
    out[i] = hit !== invert ? 1 : 0;
  }
  return fromTypedArray(out, [...element.shape], { dtype: "bool" });
}

/** The test elements as they travel to each block: a bigint list where NumPy compares Python objects, else an array. */
export function testElementsValue(test: unknown, what = "isin"): NDArray | bigint[] {
  const exact = Array.isArray(test) ? exactIntegers(test) : null;
  return exact ? [...exact] : testElementsArray(test, what);
}

/** The test elements as an array: an NDArray as it is, a list as NumPy's asarray reads it. */
export function testElementsArray(test: unknown, what = "isin"): NDArray {
  if (test instanceof NDArray) return test;
  if (Array.isArray(test)) return listArray(test, what);
  throw new InvalidOptionError(`${what}: test elements must be an NDArray or a list of numbers, got ${test === null ? "null" : typeof test}`);
}

/** np.isin(element, testElements, invert=…): a bool array of element's shape. */
export const isin = definePublicBuiltin("isin", function isin(element: NDArray, testElements: TestElements, options: IsinOptions = {}): NDArray {
  if (!(element instanceof NDArray)) throw new InvalidOptionError("isin: element must be an NDArray");
  if (options === null || typeof options !== "object") throw new InvalidOptionError("isin: options must be an object");
  for (const key of Object.keys(options)) {
    if (key !== "invert") throw new InvalidOptionError(`isin: unknown option "${key}"; isin takes invert`);
  }
  const invert = options.invert ?? false;
  if (typeof invert !== "boolean") throw new InvalidOptionError(`isin: invert must be true or false, got ${JSON.stringify(invert)}`);
  const exact = Array.isArray(testElements) ? exactIntegers(testElements) : null;
  if (exact) return isinExact(element, exact, invert);
  const test = testElementsArray(testElements);
  const common = promoteTypes(element.dtype, test.dtype);
  const values = astype(element, common).toTypedArray();
  const wanted = new Set<number | bigint>();
  // A Set matches NaN to NaN (SameValueZero) where NumPy's == never does: NaN stays out.
  for (const v of astype(test, common).toTypedArray()) if (v === v) wanted.add(v);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = wanted.has(values[i]) !== invert ? 1 : 0;
  return fromTypedArray(out, [...element.shape], { dtype: "bool" });
});
