/**
 * xoshiro256+ (Blackman & Vigna) in 32-bit JavaScript: the reference form of the generator
 * behind `random` and its fallback where WebAssembly is missing. The WebAssembly fill in
 * xoshiro256-plus-wasm.ts gives the same stream with native 64-bit arithmetic.
 *
 * State: four 64-bit words as a Uint32Array of 8 (word i = low 32 bits at 2i, high at 2i+1,
 * the little-endian layout of the WebAssembly memory it is copied into). One step per value:
 * float64 takes the top 53 bits of s0 + s3, float32 the top 24 (the low bits of xoshiro256+
 * are its weak ones; floats never use them).
 */

/** 2^-53 and 2^-24: exact scale factors from integers to [0, 1). */
const twoPowMinus53 = 1.1102230246251565e-16;
const twoPowMinus24 = 5.9604644775390625e-8;

/**
 * Fills `values` from `state` and leaves `state` advanced by values.length steps. The step is
 * written out in the loop with every half-word in a local (state behind a closure or array
 * access in the loop ran several times slower).
 */
export function fillUniformJs(values: Float64Array | Float32Array, state: Uint32Array, float32: boolean): void {
  let l0 = state[0] | 0, h0 = state[1] | 0, l1 = state[2] | 0, h1 = state[3] | 0;
  let l2 = state[4] | 0, h2 = state[5] | 0, l3 = state[6] | 0, h3 = state[7] | 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    // result = s0 + s3 (64-bit, carry from the low halves)
    const low = (l0 >>> 0) + (l3 >>> 0);
    const high = (h0 + h3 + (low > 0xffffffff ? 1 : 0)) >>> 0;
    values[i] = float32 ? (high >>> 8) * twoPowMinus24 : (high * 2097152 + ((low >>> 0) >>> 11)) * twoPowMinus53;
    // t = s1 << 17
    const tl = l1 << 17;
    const th = (h1 << 17) | (l1 >>> 15);
    l2 ^= l0; h2 ^= h0; // s2 ^= s0
    l3 ^= l1; h3 ^= h1; // s3 ^= s1
    l1 ^= l2; h1 ^= h2; // s1 ^= s2
    l0 ^= l3; h0 ^= h3; // s0 ^= s3
    l2 ^= tl; h2 ^= th; // s2 ^= t
    // s3 = rotl(s3, 45): swap the halves (32) and rotate by 13
    const rl = (h3 << 13) | (l3 >>> 19);
    h3 = (l3 << 13) | (h3 >>> 19);
    l3 = rl;
  }
  state[0] = l0; state[1] = h0; state[2] = l1; state[3] = h1;
  state[4] = l2; state[5] = h2; state[6] = l3; state[7] = h3;
}
