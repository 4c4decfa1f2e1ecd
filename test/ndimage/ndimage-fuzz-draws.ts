/**
 * The ndimage fuzzer's pieces (ndimage-fuzz.test.ts eager, test/array/ndimage-fuzz.test.ts
 * chunked): a fuzz case names one tessera/ndimage function and its arguments once — the input
 * as the `X` placeholder — so the same case runs eagerly (tessera/ndimage on the NDArray) and
 * chunked (tessera/array's ndimage on a chunked copy), next to the scipy.ndimage 1.10 expression
 * of the same call on the whole array (the reference of both: dask-image promises scipy's
 * result on the whole array).
 */
import * as nd from "../../src/ndarray/index.js";
import { type Rng, integer, pick } from "../array/differential-inputs.js";
import { py } from "./differential-harness.js";

/** Where the case's input goes among the arguments (replaced by the NDArray or the chunked array). */
export const X = Symbol("input");
/** A second array argument (labels, markers, mask) that the chunked form takes chunked like the input. */
export class Chunked {
  constructor(readonly array: nd.NDArray) {}
}

export interface FuzzCase {
  label: string;
  /** tessera/ndimage's (and tessera/array ndimage's) function name. */
  fn: string;
  args: unknown[];
  /** The scipy.ndimage 1.10 expression over `x` (the input). */
  python: string;
  /** Relative tolerance; 0 means bit-identical (the project's claim for this function), with the reason where not 0. */
  tolerance?: number;
  absolute?: number;
  /** Picks what to compare from tessera's result (a tuple's part), as the Python expression does. */
  pick?: (result: unknown) => unknown;
  /** The chunked form has no such call, or refuses this option by design (documented). */
  eagerOnly?: string;
  /** The array the case reads in place of the drawn input (find_objects reads labels). */
  inputOverride?: nd.NDArray;
  errorNames?: RegExp;
  /** A tessera refusal that is a deliberate, documented difference (the case says which). */
  refusalAllowed?: RegExp;
  /** A refusal of the chunked form only that is deliberate and documented (test/array/ndimage-fuzz-documented.ts says where). */
  chunkedRefusal?: RegExp;
  /** A scipy error that is scipy's own defect (the case says why): tessera's result is accepted there. */
  scipyDefect?: RegExp;
}

export interface Draw {
  rng: Rng;
  x: nd.NDArray;
}

export const floatDtypes: readonly nd.DType[] = ["float32", "float64"];
export const filterDtypes: readonly nd.DType[] = ["uint8", "uint16", "int16", "int32", "float32", "float64"];
/** Inputs: the output dtypes, twice as often as bool, int8 and uint32. */
export const inputDtypes: readonly nd.DType[] = [...filterDtypes, ...filterDtypes, "bool", "int8", "uint32"];

/** A shape of 1–3 axes of 1–40 (1 often), at most ~2,400 cells so Python and the tests stay quick. */
export function randomShape(rng: Rng): number[] {
  const ndim = pick(rng, [1, 2, 2, 2, 3, 3]);
  const most = ndim === 1 ? 40 : ndim === 2 ? 40 : 13;
  const shape = Array.from({ length: ndim }, () => (rng() < 0.12 ? 1 : integer(rng, 2, most)));
  return shape;
}

/** Values of `dtype`: small integers (ties, exact sums) or the full range; floats with NaN/±inf now and then. */
export function randomInput(rng: Rng, dtype: nd.DType, shape: number[], specials = rng() < 0.15): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  const small = rng() < 0.6;
  const range: Record<string, [number, number]> = {
    bool: [0, 1], int8: [-128, 127], uint8: [0, 255], uint16: [0, 65535], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1],
  };
  for (let i = 0; i < size; i++) {
    if (dtype.startsWith("float")) {
      data[i] = specials && rng() < 0.05 ? pick(rng, [NaN, Infinity, -Infinity]) : small ? integer(rng, -8, 8) / 4 : (rng() - 0.5) * 10 ** integer(rng, 0, 4);
    } else {
      const [low, high] = small && dtype !== "bool" ? (dtype.startsWith("u") ? [0, 9] : [-9, 9]) : range[dtype];
      data[i] = integer(rng, low, high);
    }
  }
  return nd.astype(nd.fromTypedArray(data, shape), dtype);
}

export const filterModes = ["reflect", "constant", "nearest", "mirror", "wrap", "grid-wrap", "grid-constant", "grid-mirror"] as const;
export const pickMode = (rng: Rng): string => pick(rng, filterModes);
export const pickCval = (rng: Rng): number => pick(rng, [0, 0, 1.5, -2, 7, 0, 1.5, -2, 7, NaN]);

/** A mode, or now and then one per axis (scipy's sequence form). */
export function modeOrModes(rng: Rng, ndim: number, perAxis: boolean): string | string[] {
  return perAxis && ndim > 1 && rng() < 0.25 ? Array.from({ length: ndim }, () => pickMode(rng)) : pickMode(rng);
}

/** An origin valid for a window of `size` (scipy: −(size // 2) ≤ origin ≤ (size − 1) // 2). */
export const originFor = (rng: Rng, size: number): number => (rng() < 0.5 ? 0 : integer(rng, -Math.floor(size / 2), Math.floor((size - 1) / 2)));

/** A random boolean footprint of the given shape, with holes; never all false. */
export function randomFootprint(rng: Rng, shape: number[]): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = rng() < 0.6 ? 1 : 0;
  data[integer(rng, 0, size - 1)] = 1;
  return nd.fromTypedArray(data, shape, { dtype: "bool" });
}

/** Random small weights (integers or quarters, so sums stay exact), of the given shape. */
export function randomWeights(rng: Rng, shape: number[]): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Float64Array.from({ length: size }, () => integer(rng, -8, 8) / (rng() < 0.5 ? 1 : 4));
  return nd.fromTypedArray(data, shape);
}

/** Python's keyword list from [name, JS value] pairs, leaving out undefined values. */
export function kwargs(pairs: Array<[string, unknown]>): string {
  return pairs.filter(([, v]) => v !== undefined).map(([k, v]) => `, ${k}=${v instanceof nd.NDArray ? `np.array(${py(v.toArray())}, dtype=${JSON.stringify(v.dtype)})` : py(v)}`).join("");
}

/** Drops undefined entries of an options object (tessera refuses unknown keys, not undefined ones, but keeps the label short). */
export function defined(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
