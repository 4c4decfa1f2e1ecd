/**
 * Per-element arithmetic that is more than one JS operator, written to give NumPy's results
 * bit for bit. The compiled loops call these by name (they are small and monomorphic, so V8
 * inlines them).
 *
 * (C tests a float for truth with `!= 0`, where NaN counts as true; hence the explicit `!== 0`.)
 *
 * Floats: `floor_divide` and `remainder` follow NumPy's `npy_divmod` step by step (fmod, then
 * the quotient snapped to an integer, Python's sign convention); the float32 versions round
 * after every step, which is exactly float32 arithmetic. Integers: division by zero gives 0,
 * as NumPy does (with a warning we do not raise); `power` squares and multiplies modulo 2^bits
 * and refuses negative exponents like NumPy ("Integers to negative integer powers are not
 * allowed").
 */
import { InvalidOptionError } from "../core/errors.js";

const fround = Math.fround;

function copySign(magnitude: number, sign: number): number {
  return sign < 0 || Object.is(sign, -0) ? -magnitude : magnitude;
}

/** NumPy's npy_divmod for float64: returns the floor quotient; `remainderOf` the modulus. */
export function floorDivideFloat64(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod0 = a % b;
  let div = (a - mod0) / b;
  if (mod0 !== 0) {
    if ((b < 0) !== (mod0 < 0)) div -= 1;
  }
  if (div !== 0) {
    let floored = Math.floor(div);
    if (div - floored > 0.5) floored += 1;
    return floored;
  }
  return copySign(0, a / b);
}

export function remainderFloat64(a: number, b: number): number {
  const mod = a % b;
  if (b === 0) return mod;
  if (mod !== 0) return (b < 0) !== (mod < 0) ? mod + b : mod;
  return copySign(0, b);
}

export function floorDivideFloat32(a: number, b: number): number {
  if (b === 0) return fround(a / b);
  const mod0 = a % b;
  let div = fround(fround(a - mod0) / b);
  if (mod0 !== 0) {
    if ((b < 0) !== (mod0 < 0)) div = fround(div - 1);
  }
  if (div !== 0) {
    let floored = Math.floor(div);
    if (fround(div - floored) > 0.5) floored = fround(floored + 1);
    return floored;
  }
  return copySign(0, a / b);
}

export function remainderFloat32(a: number, b: number): number {
  const mod = a % b;
  if (b === 0) return mod;
  if (mod !== 0) return (b < 0) !== (mod < 0) ? fround(mod + b) : mod;
  return copySign(0, b);
}

/** Integer floor division of integers below 2^32 (exact in doubles); 0 when dividing by 0. */
export function floorDivideInteger(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor(a / b);
}

export function remainderInteger(a: number, b: number): number {
  if (b === 0) return 0;
  const rem = a % b;
  return rem !== 0 && (rem < 0) !== (b < 0) ? rem + b : rem;
}

export function floorDivideBigInt(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const quotient = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? quotient - 1n : quotient;
}

export function remainderBigInt(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const rem = a % b;
  return rem !== 0n && (rem < 0n) !== (b < 0n) ? rem + b : rem;
}

function negativePowerError(): InvalidOptionError {
  return new InvalidOptionError("Integers to negative integer powers are not allowed; cast the base to a float dtype first");
}

/** base ** exponent modulo 2^32 (the caller's store keeps the low bits of its dtype). */
export function powerInteger(base: number, exponent: number): number {
  if (exponent < 0) throw negativePowerError();
  let result = 1;
  let square = base | 0;
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = Math.imul(result, square);
    square = Math.imul(square, square);
  }
  return result;
}

export function powerBigInt(base: bigint, exponent: bigint): bigint {
  if (exponent < 0n) throw negativePowerError();
  let result = 1n;
  let square = BigInt.asUintN(64, base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = BigInt.asUintN(64, result * square);
    square = BigInt.asUintN(64, square * square);
  }
  return result;
}

/** C's pow for doubles: JS's Math.pow differs for a base of ±1 with NaN or infinite exponents. */
export function powerFloat(base: number, exponent: number): number {
  if (base === 1) return 1;
  if (base === -1 && (exponent === Infinity || exponent === -Infinity)) return 1;
  return Math.pow(base, exponent);
}

/** np.maximum / np.minimum for floats: NaN propagates; on ties (±0) the second operand wins. */
export function maximumFloat(a: number, b: number): number {
  return a > b || a !== a ? a : b;
}

export function minimumFloat(a: number, b: number): number {
  return a < b || a !== a ? a : b;
}

export const scalarMathHelpers = {
  floorDivideFloat64, remainderFloat64, floorDivideFloat32, remainderFloat32,
  floorDivideInteger, remainderInteger, floorDivideBigInt, remainderBigInt,
  powerInteger, powerBigInt, powerFloat, maximumFloat, minimumFloat,
};
