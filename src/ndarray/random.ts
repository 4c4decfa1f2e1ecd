/**
 * Seeded uniform random numbers in [0, 1), NumPy's `random` distribution (not its stream).
 *
 * Generator: xoshiro128** (Blackman & Vigna), 32-bit arithmetic only, so the same seed gives
 * the same values on every platform and thread. The seed (an integer or a list of integers,
 * e.g. [baseSeed, blockIndex] for one block of a larger array) is folded into the state with
 * SplitMix32 steps. float64 values take 53 random bits ((a >>> 5)·2^26 + (b >>> 6)) / 2^53,
 * float32 values 24 bits, as NumPy's generators do.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { toDType } from "./dtype.js";
import { NDArray, type Shape, empty, validateShape } from "./ndarray.js";

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

/** A xoshiro128** generator; `nextUint32` returns 0..2^32-1. */
function createGenerator(seed?: number | readonly number[]): { state: Uint32Array; nextUint32(): number } {
  let mix = 0x6a09e667;
  const state = new Uint32Array(4);
  for (const word of seedWords(seed)) {
    let value: number;
    [mix, value] = splitMix32(mix ^ word);
    mix = value | 0;
  }
  for (let i = 0; i < 4; i++) [mix, state[i]] = splitMix32(mix);
  if (state.every((word) => word === 0)) state[0] = 1;
  return {
    state,
    nextUint32() {
      const result = Math.imul(rotl(Math.imul(state[1], 5), 7), 9) >>> 0;
      const shifted = state[1] << 9;
      state[2] ^= state[0];
      state[3] ^= state[1];
      state[1] ^= state[2];
      state[0] ^= state[3];
      state[2] ^= shifted;
      state[3] = rotl(state[3], 11);
      return result;
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Fills `values` from the generator state: the same stream as nextUint32, with the state in
 * local variables and the step written out in the loop (this loop makes every random block:
 * a step behind a closure kept the state in a heap context and ran 2–8× slower). float64
 * values take two draws, float32 one.
 */
function fillUniform(values: Float64Array | Float32Array, state: Uint32Array, float32: boolean): void {
  let s0 = state[0] | 0;
  let s1 = state[1] | 0;
  let s2 = state[2] | 0;
  let s3 = state[3] | 0;
  const n = values.length;
  if (float32) {
    for (let i = 0; i < n; i++) {
      const scrambled = Math.imul(s1, 5);
      const draw = Math.imul((scrambled << 7) | (scrambled >>> 25), 9);
      const shifted = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= shifted; s3 = (s3 << 11) | (s3 >>> 21);
      values[i] = (draw >>> 8) * 5.9604644775390625e-8; // 2^-24
    }
  } else {
    for (let i = 0; i < n; i++) {
      let scrambled = Math.imul(s1, 5);
      const high = Math.imul((scrambled << 7) | (scrambled >>> 25), 9) >>> 5;
      let shifted = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= shifted; s3 = (s3 << 11) | (s3 >>> 21);
      scrambled = Math.imul(s1, 5);
      const low = Math.imul((scrambled << 7) | (scrambled >>> 25), 9) >>> 6;
      shifted = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= shifted; s3 = (s3 << 11) | (s3 >>> 21);
      values[i] = (high * 67108864 + low) * 1.1102230246251565e-16; // 2^-53
    }
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/** An array of `shape` with values uniform in [0, 1), deterministic for a given seed. */
export const random = defineBuiltin("ndarray.random", function random(shape: Shape, options: RandomOptions = {}): NDArray {
  validateShape(shape, "random: shape");
  const dtype = toDType(options.dtype ?? "float64", "random: dtype");
  if (dtype !== "float64" && dtype !== "float32") throw new InvalidOptionError(`random: dtype must be float64 or float32, got ${dtype}`);
  const out = empty(shape, dtype);
  const generator = createGenerator(options.seed);
  fillUniform(out.data as Float64Array, generator.state, dtype === "float32");
  return out;
});
