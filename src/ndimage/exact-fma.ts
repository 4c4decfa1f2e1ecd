/**
 * Exact fused multiply-add for building filter weights the way NumPy's compiled code does.
 *
 * JavaScript has no FMA, and the two-product tricks that emulate it are not correctly rounded
 * in every case. Kernel construction runs a few thousand FMAs at most (and is cached), so we
 * compute a·b + c exactly with BigInt integers scaled by powers of two and round once, to
 * nearest-even or toward zero (the AVX-512 `{rz-sae}` rounding that SVML's exp uses).
 */

const scratch = new Float64Array(1);
const scratchBits = new BigUint64Array(scratch.buffer);

/** The IEEE-754 bits of a double. */
export function doubleBits(value: number): bigint {
  scratch[0] = value;
  return scratchBits[0];
}

/** The double with the given IEEE-754 bits. */
export function doubleFromBits(bits: bigint): number {
  scratchBits[0] = bits;
  return scratch[0];
}

/** The double whose IEEE-754 bits are the hex string (constants copied from C sources as bits). */
export function doubleFromHex(hex: string): number {
  return doubleFromBits(BigInt(`0x${hex}`));
}

/** A finite double as mantissa · 2^exponent with an integer mantissa (sign included). */
export function decompose(value: number): { mantissa: bigint; exponent: number } {
  const bits = doubleBits(value);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa: bits >> 63n ? -mantissa : mantissa, exponent };
}

/** Rounds mantissa · 2^exponent to a double (finite results only; callers stay far from overflow). */
export function roundToDouble(mantissa: bigint, exponent: number, towardZero: boolean): number {
  if (mantissa === 0n) return 0;
  const negative = mantissa < 0n;
  let magnitude = negative ? -mantissa : mantissa;
  let shift = magnitude.toString(2).length - 53;
  if (exponent + shift < -1074) shift = -1074 - exponent; // subnormal result: fewer bits survive
  if (shift > 0) {
    const bigShift = BigInt(shift);
    const dropped = magnitude & ((1n << bigShift) - 1n);
    magnitude >>= bigShift;
    exponent += shift;
    if (!towardZero) {
      const half = 1n << (bigShift - 1n);
      if (dropped > half || (dropped === half && (magnitude & 1n) === 1n)) magnitude += 1n;
    }
  }
  // magnitude < 2^54 converts exactly; scaling by powers of two in steps is exact here
  // because the final value is representable.
  let result = Number(magnitude);
  while (exponent > 0) {
    const step = Math.min(exponent, 1000);
    result *= 2 ** step;
    exponent -= step;
  }
  while (exponent < 0) {
    const step = Math.max(exponent, -1000);
    result *= 2 ** step;
    exponent -= step;
  }
  return negative ? -result : result;
}

/** a·b + c rounded once (to nearest-even, or toward zero). Finite arguments only. */
export function fusedMultiplyAdd(a: number, b: number, c: number, towardZero = false): number {
  const x = decompose(a);
  const y = decompose(b);
  const z = decompose(c);
  const productMantissa = x.mantissa * y.mantissa;
  const productExponent = x.exponent + y.exponent;
  const exponent = Math.min(productExponent, z.exponent);
  const sum = (productMantissa << BigInt(productExponent - exponent)) + (z.mantissa << BigInt(z.exponent - exponent));
  if (sum === 0n) return (a * b) + c; // the sign of an exact zero follows IEEE addition
  return roundToDouble(sum, exponent, towardZero);
}
