/**
 * Seeded inputs for the differential tests against NumPy and Dask (reduction-differential.test.ts):
 * a small PRNG, arrays of every dtype with their corners (full integer ranges so sums and
 * products wrap, NaN, ±inf and -0 in floats), random regular and irregular chunkings, and the
 * Python spelling of axes, chunks and options.
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { seededRandom } from "../ndimage/helpers.js";

/** A deterministic PRNG (mulberry32, the ndimage tests' own), so a failing case is reproduced from its seed. */
export const rngOf: (seed: number) => () => number = seededRandom;

export type Rng = () => number;
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
export const integer = (rng: Rng, low: number, high: number): number => low + Math.floor(rng() * (high - low + 1));

export const numberDtypes: readonly nd.DType[] = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64"];

/** Values of `dtype`: integers over their full range (or small, so products stay exact), floats with corners. */
export function randomArray(rng: Rng, dtype: nd.DType, shape: number[], options: { specials?: boolean; small?: boolean } = {}): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const small = options.small ?? rng() < 0.5;
  const ranges: Partial<Record<nd.DType, [number, number]>> = {
    bool: [0, 1], int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535],
    int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1],
  };
  if (dtype === "int64") {
    const data = new BigInt64Array(size);
    for (let i = 0; i < size; i++) data[i] = small ? BigInt(integer(rng, -9, 9)) : BigInt(integer(rng, -(2 ** 30), 2 ** 30)) * BigInt(integer(rng, -(2 ** 31), 2 ** 31));
    return nd.fromTypedArray(data, shape);
  }
  if (dtype === "uint64") {
    const data = new BigUint64Array(size);
    for (let i = 0; i < size; i++) data[i] = small ? BigInt(integer(rng, 0, 6)) : BigInt(integer(rng, 0, 2 ** 31)) * BigInt(integer(rng, 0, 2 ** 32)) + BigInt(integer(rng, 0, 2 ** 31));
    return nd.fromTypedArray(data, shape);
  }
  if (dtype === "float32" || dtype === "float64") {
    const data = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
    const corners = [NaN, Infinity, -Infinity, -0, 0, 1e30, -1e-30, 0.1, 3];
    for (let i = 0; i < size; i++) {
      data[i] = options.specials && rng() < 0.08 ? pick(rng, corners) : small ? integer(rng, -8, 8) / 4 : (rng() - 0.5) * 1000 * 10 ** integer(rng, -3, 3);
    }
    return nd.fromTypedArray(data, shape);
  }
  const [low, high] = small && dtype !== "bool" ? (dtype.startsWith("u") ? [0, 6] : [-6, 6]) : ranges[dtype] as [number, number];
  const data = new (nd.dtypeInfo(dtype).array as Float64ArrayConstructor)(size);
  for (let i = 0; i < size; i++) data[i] = integer(rng, low, high);
  return nd.fromTypedArray(data as never, shape, { dtype });
}

/** A partition of `n` into block sizes: regular, irregular, or many small blocks (≥ 20 for n ≥ 40). */
export function randomChunks(rng: Rng, n: number): number[] {
  if (n === 0) return [0];
  const style = rng();
  if (style < 0.25) return [n];
  if (style < 0.5) {
    const size = integer(rng, 1, n);
    return Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));
  }
  if (style < 0.65 && n >= 20) return Array.from({ length: Math.ceil(n / 2) }, (_, i) => Math.min(2, n - i * 2));
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const size = integer(rng, 1, left);
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

export const pyTuple = (values: readonly (number | string)[]): string => `(${values.join(", ")}${values.length === 1 ? "," : ""})`;
export const pyChunks = (chunks: readonly number[][]): string => pyTuple(chunks.map((sizes) => pyTuple(sizes)));
export const pyAxis = (axis: number | number[] | undefined): string => (axis === undefined ? "None" : Array.isArray(axis) ? pyTuple(axis) : String(axis));
export const pyBool = (value: boolean): string => (value ? "True" : "False");
export const pySplitEvery = (splitEvery: number | Record<number, number>): string =>
  typeof splitEvery === "number" ? String(splitEvery) : `{${Object.entries(splitEvery).map(([k, v]) => `${k}: ${v}`).join(", ")}}`;

/** The Python literal of a JS scalar: an integral number is a Python int, as tessera reads it. */
export function pyScalar(value: number | bigint | boolean): string {
  if (typeof value === "boolean") return pyBool(value);
  if (typeof value === "bigint") return String(value);
  if (Number.isNaN(value)) return "float('nan')";
  if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "float('-inf')";
  return Number.isInteger(value) ? String(value) : String(value);
}

/** The arrays a batch of cases reads, each named for Python, with its Dask and tessera spellings. */
export class Inputs {
  readonly arrays: Record<string, nd.NDArray> = {};
  private count = 0;
  add(array: nd.NDArray, chunks: number[][]): { name: string; py: string; lazy: () => ta.Array } {
    const name = `x${this.count++}`;
    this.arrays[name] = array;
    return { name, py: `da.from_array(${name}, chunks=${pyChunks(chunks)})`, lazy: () => ta.fromArray(array, { chunks }) };
  }
}
