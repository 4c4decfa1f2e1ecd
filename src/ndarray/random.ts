/**
 * Seeded uniform random numbers in [0, 1), NumPy's `random` distribution (not its stream).
 *
 * Generator: xoshiro256+ (Blackman & Vigna), one 64-bit step per value: float64 values are
 * the top 53 bits of s0 + s3 over 2^53, float32 values the top 24 bits over 2^24 (the
 * resolution NumPy's generators give). It runs as a small WebAssembly module
 * (xoshiro256-plus-wasm.ts) with a 32-bit JavaScript form giving the same stream where
 * WebAssembly is missing (xoshiro256-plus.ts), so the same seed gives the same values on every
 * platform and thread. The seed (an integer or a list of integers, e.g. [baseSeed, blockIndex]
 * for one block of a larger array) is folded into the state with SplitMix32 steps.
 *
 * Stream history: until December 2026 the generator was xoshiro128** with two 32-bit draws per
 * float64; the same seed now gives different (equally distributed) values.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { toDType } from "./dtype.js";
import { NDArray, type Shape, validateShape } from "./ndarray.js";
import { generatedArray } from "./block-recycling.js";
import { refuseUnknownObjectKeys } from "./option-keys.js";
import { fillUniformJs } from "./xoshiro256-plus.js";
import { fillUniformWasm, wasmUniformAvailable } from "./xoshiro256-plus-wasm.js";

export interface RandomOptions {
  /** Non-negative integer or list of them; without a seed the values differ on every call. */
  seed?: number | readonly number[];
  /** "float64" (default) or "float32". */
  dtype?: "float32" | "float64";
}

function splitMix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

function seedWords(seed: number | readonly number[] | undefined): number[] {
  if (seed === undefined) return Array.from(crypto.getRandomValues(new Uint32Array(4)));
  const list = typeof seed === "number" ? [seed] : [...seed];
  const words: number[] = [];
  for (const value of list) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidOptionError(`random: seed ${JSON.stringify(seed)} must be a non-negative integer or a list of them`);
    }
    words.push(value >>> 0, Math.floor(value / 2 ** 32) >>> 0);
  }
  return words;
}

/**
 * The xoshiro256+ state for a seed: SplitMix32 folds the seed's words into one 32-bit mix,
 * then eight further SplitMix32 outputs are the state's half-words (low, high; word by word).
 * An all-zero state (xoshiro's one fixed point) becomes s0 = 1.
 */
export function seedState(seed?: number | readonly number[]): Uint32Array {
  let mix = 0x6a09e667;
  const state = new Uint32Array(8);
  for (const word of seedWords(seed)) {
    let value: number;
    [mix, value] = splitMix32(mix ^ word);
    mix = value | 0;
  }
  for (let i = 0; i < 8; i++) [mix, state[i]] = splitMix32(mix);
  if (state.every((word) => word === 0)) state[0] = 1;
  return state;
}

const randomKeys = ["seed", "dtype"];

/** An array of `shape` with values uniform in [0, 1), deterministic for a given seed. */
export const random = definePublicBuiltin("random", function random(shape: Shape, options: RandomOptions = {}): NDArray {
  validateShape(shape, "random: shape");
  refuseUnknownObjectKeys(options, randomKeys, "random");
  const dtype = toDType(options.dtype ?? "float64", "random: dtype");
  if (dtype !== "float64" && dtype !== "float32") throw new InvalidOptionError(`random: dtype must be float64 or float32, got ${dtype}`);
  // Every element is written: a recycled buffer needs no zeroing (block-recycling.ts).
  const out = generatedArray(shape, dtype).array;
  const fill = wasmUniformAvailable() ? fillUniformWasm : fillUniformJs;
  fill(out.data as Float64Array | Float32Array, seedState(options.seed), dtype === "float32");
  return out;
});
