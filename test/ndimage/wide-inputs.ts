/**
 * int64, uint64 and bool inputs for the differential tests of the filters that take them: values
 * near 2^53, 2^63 and 2^64, where `(double)x` rounds and scipy's C casts wrap or saturate.
 */
import * as nd from "../../src/ndarray/index.js";
import { type Rng, integer } from "../array/differential-inputs.js";

export type Wide = "int64" | "uint64" | "bool";
export const wideDtypes: readonly Wide[] = ["int64", "uint64", "bool"];

export function wideValue(rng: Rng, dtype: Wide): bigint | number {
  if (dtype === "bool") return integer(rng, 0, 1);
  const r = rng();
  const k = BigInt(integer(rng, -40, 40));
  if (dtype === "int64") {
    if (r < 0.35) return BigInt(integer(rng, -20, 20));
    if (r < 0.55) return (rng() < 0.5 ? 1n : -1n) * 2n ** 53n + k;
    if (r < 0.75) return rng() < 0.5 ? 2n ** 63n - 1n - (k < 0n ? -k : k) : -(2n ** 63n) + (k < 0n ? -k : k);
    return BigInt(integer(rng, -(2 ** 30), 2 ** 30)) * BigInt(integer(rng, -(2 ** 31), 2 ** 31));
  }
  const u = k < 0n ? -k : k;
  if (r < 0.35) return BigInt(integer(rng, 0, 20));
  if (r < 0.55) return 2n ** 53n + k;
  if (r < 0.7) return 2n ** 64n - 1n - u;
  if (r < 0.8) return 2n ** 63n + k;
  return BigInt(integer(rng, 0, 2 ** 31)) * BigInt(integer(rng, 0, 2 ** 32));
}

export function wideArray(rng: Rng, dtype: Wide, shape: number[]): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  if (dtype === "bool") return nd.fromTypedArray(Uint8Array.from({ length: size }, () => integer(rng, 0, 1)), shape, { dtype: "bool" });
  const data = dtype === "int64" ? new BigInt64Array(size) : new BigUint64Array(size);
  for (let i = 0; i < size; i++) data[i] = wideValue(rng, dtype) as bigint;
  return nd.fromTypedArray(data, shape);
}
