/**
 * Complex scalars as JS values: `{ re, im }` (NumPy's Python complex), and storing them.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { ComplexValue, NDArray } from "./ndarray.js";

export function isComplexValue(value: unknown): value is ComplexValue {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) &&
    typeof (value as ComplexValue).re === "number" && typeof (value as ComplexValue).im === "number";
}

/** re and im of a number, bigint, boolean or `{ re, im }`. */
export function complexParts(value: unknown, what: string): [number, number] {
  if (isComplexValue(value)) return [value.re, value.im];
  if (typeof value === "number") return [value, 0];
  if (typeof value === "bigint") return [Number(value), 0];
  if (typeof value === "boolean") return [value ? 1 : 0, 0];
  throw new InvalidOptionError(`${what}: ${String(value)} is not a number or a complex value { re, im }`);
}

/** Writes values (in C order) into a fresh contiguous complex array. */
export function storeComplex(out: NDArray, values: readonly unknown[], what: string): void {
  const storage = out.storage as Float64Array;
  values.forEach((value, i) => {
    const [re, im] = complexParts(value, what);
    storage[2 * i] = re;
    storage[2 * i + 1] = im;
  });
}
