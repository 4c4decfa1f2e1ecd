/**
 * The scalar kernels of NumPy's float-decomposition ufuncs, read from and written to the
 * IEEE 754 bits so that every result is exact (none of these rounds more than once):
 * ldexp (x·2^e), frexp (mantissa in [0.5, 1) and exponent), modf (fraction and integral
 * part), nextafter (the next representable value towards y) and spacing (the distance to
 * the next value away from zero).
 *
 * float32 values are held as doubles: frexp and modf of a float32 are the same numbers in
 * double; ldexp is computed exactly in double and rounded once by the float32 store (a product
 * in float32's range is exact in double, one below 2^-150 is 0 either way); nextafter and
 * spacing step float32's own bits.
 *
 * spacing follows NumPy's npy_spacing (npy_math_internal.h.src, `_next(x, 1) − x`): the bits
 * of |x| stepped up, so spacing(−1) is −2^-52; ±0 gives +min subnormal (both signs), ±inf NaN,
 * the largest finite value ±inf.
 */

const doubles = new Float64Array(1);
const words = new Uint32Array(doubles.buffer);
// Little-endian hosts only (Node's platforms): words[1] is the high word with sign and exponent.
const low = 0;
const high = 1;
const singles = new Float32Array(1);
const singleBits = new Uint32Array(singles.buffer);

/** 2^k for an integer k in [−1022, 1023], built from its exponent bits (exact). */
function powerOfTwo(k: number): number {
  words[low] = 0;
  words[high] = (k + 1023) << 20;
  return doubles[0];
}

/** C's frexp for doubles: [m, e] with x = m·2^e, 0.5 ≤ |m| < 1; ±0, ±inf and NaN give [x, 0]. */
export function frexpFloat(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let shift = 0;
  if (Math.abs(x) < 2 ** -1022) {
    x *= 2 ** 54; // a subnormal becomes normal, exactly
    shift = 54;
  }
  doubles[0] = x;
  const exponent = ((words[high] >>> 20) & 0x7ff) - 1022;
  words[high] = (words[high] & 0x800fffff) | (1022 << 20);
  return [doubles[0], exponent - shift];
}

export const frexpMantissa = (x: number): number => frexpFloat(x)[0];
export const frexpExponent = (x: number): number => frexpFloat(x)[1];

/** C's ldexp for doubles: x·2^e rounded once (to a subnormal or ±0 when it underflows, ±inf when it overflows). */
export function ldexpFloat(x: number, e: number): number {
  if (x === 0 || !Number.isFinite(x) || e === 0) return x;
  const [m, ex] = frexpFloat(x);
  // Past ±2200 every finite x overflows or underflows already: the clamp keeps the sum exact.
  const target = ex + Math.max(-2200, Math.min(2200, e));
  if (target > 1024) return m > 0 ? Infinity : -Infinity;
  // |m·2| is in [1, 2): the product with a normal power of two is exact.
  if (target >= -1021) return m * 2 * powerOfTwo(target - 1);
  // Below 2^-1075 (half the least subnormal, a tie goes to even 0) everything rounds to ±0.
  if (target < -1074) return m > 0 ? 0 : -0;
  // m·2^(target+1022) is exact and normal; the multiplication by 2^-1022 is the one rounding.
  return m * powerOfTwo(target + 1022) * powerOfTwo(-1022);
}

/** The integral part of x, towards 0, with x's sign (modf's second result; ±inf and NaN stay). */
export function modfIntegral(x: number): number {
  return Math.trunc(x);
}

/** The fractional part with x's sign: ±0 for integers and ±inf, NaN for NaN (C's modf). */
export function modfFraction(x: number): number {
  if (x === Infinity) return 0;
  if (x === -Infinity) return -0;
  const fraction = x - Math.trunc(x);
  return fraction === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : fraction;
}

/** C's nextafter for doubles: the neighbour of x towards y (y itself when equal, NaN when either is). */
export function nextafterFloat64(x: number, y: number): number {
  if (x !== x || y !== y) return x + y;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 5e-324 : -5e-324;
  doubles[0] = x;
  // Sign and magnitude: a step up in magnitude is +1 on the bits, for either sign.
  if (y > x === x > 0) {
    words[low] = (words[low] + 1) >>> 0;
    if (words[low] === 0) words[high] += 1;
  } else {
    if (words[low] === 0) words[high] -= 1;
    words[low] = (words[low] - 1) >>> 0;
  }
  return doubles[0];
}

/** nextafterf: the float32 neighbour of x towards y, both float32 values held as doubles. */
export function nextafterFloat32(x: number, y: number): number {
  if (x !== x || y !== y) return x + y;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 2 ** -149 : -(2 ** -149);
  singles[0] = x;
  singleBits[0] = y > x === x > 0 ? singleBits[0] + 1 : singleBits[0] - 1;
  return singles[0];
}

/** npy_spacing for doubles (see the header): the next value away from zero, minus x. */
export function spacingFloat64(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) return NaN;
  if (x === 0) return 5e-324;
  return nextafterFloat64(x, x > 0 ? Infinity : -Infinity) - x;
}

/** npy_spacing for float32 (npy_spacingf); the float32 store rounds nothing (the difference is exact). */
export function spacingFloat32(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) return NaN;
  if (x === 0) return 2 ** -149;
  // Past float32's largest value the step is to infinity, as in npy_spacingf.
  return nextafterFloat32(x, x > 0 ? Infinity : -Infinity) - x;
}
