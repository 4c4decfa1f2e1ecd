/**
 * Casting between dtypes with NumPy's `astype` semantics, as JS expressions that compiled
 * kernels inline (see kernel-compiler.ts).
 *
 * What NumPy does, and so what we do:
 * - integer → narrower integer wraps modulo 2^bits; anything → bool is `value != 0` (NaN is true);
 * - float → integer truncates toward zero. Out-of-range values are undefined behaviour in C;
 *   NumPy on x86-64 gives what the CPU's truncating conversions give, and we reproduce that
 *   (checked against NumPy 1.24 on x86-64): targets of up to 32 bits go through a 32-bit
 *   conversion that yields INT32_MIN out of range, then keep their low bits (so −99.99 → uint16
 *   gives 65437, the value a filter with negative lobes produces); uint32 and uint64 convert
 *   values at or above 2^31 / 2^63 by subtracting that first; int64 yields INT64_MIN out of
 *   range; NaN behaves as an out-of-range value;
 * - int64/uint64 → float32 rounds once (never through float64 first).
 */
import { type DType, dtypeInfo, isBigIntDType } from "./dtype.js";

const int32Min = -2147483648;
const two31 = 2147483648;
const two63 = 9223372036854775808;
const int64Min = -(2n ** 63n);

/** cvttsd2si with a 32-bit destination: truncation, INT32_MIN when out of range or NaN. */
function floatToInt32(value: number): number {
  return value > -2147483649 && value < two31 ? Math.trunc(value) | 0 : int32Min;
}

/** The x86-64 compilers' double → uint32 conversion (returns 0..2^32-1). */
function floatToUint32(value: number): number {
  if (value >= two31) return (floatToInt32(value - two31) ^ int32Min) >>> 0;
  return floatToInt32(value) >>> 0;
}

/** cvttsd2si with a 64-bit destination. */
function floatToInt64(value: number): bigint {
  return value >= -two63 && value < two63 ? BigInt(Math.trunc(value)) : int64Min;
}

/** The x86-64 compilers' double → uint64 conversion. */
function floatToUint64(value: number): bigint {
  if (value >= two63) return BigInt.asUintN(64, floatToInt64(value - two63) ^ int64Min);
  return BigInt.asUintN(64, floatToInt64(value));
}

/** A bigint rounded once to float32 (round half to even). */
function bigIntToFloat32(value: bigint): number {
  const magnitude = value < 0n ? -value : value;
  if (magnitude < 2n ** 53n) return Math.fround(Number(value));
  // Keep 53 bits and fold every dropped bit into the last one ("sticky"): the single
  // rounding to float32's 24 bits then sees the same tie-breaking as the full value.
  const shift = BigInt(magnitude.toString(2).length - 53);
  let mantissa = magnitude >> shift;
  if (mantissa << shift !== magnitude) mantissa |= 1n;
  const rounded = Math.fround(Number(mantissa) * 2 ** Number(shift));
  return value < 0n ? -rounded : rounded;
}

/** Helpers the cast expressions call; kernels receive them by these names. */
export const castHelpers = { floatToInt32, floatToUint32, floatToInt64, floatToUint64, bigIntToFloat32 };

/** Wraps an int32-valued expression to a ≤32-bit integer dtype. */
function wrapInt32Bits(expression: string, to: DType): string {
  switch (to) {
    case "int8": return `((${expression} << 24) >> 24)`;
    case "uint8": return `(${expression} & 255)`;
    case "int16": return `((${expression} << 16) >> 16)`;
    case "uint16": return `(${expression} & 65535)`;
    case "int32": return `(${expression} | 0)`;
    default: return `(${expression} >>> 0)`;
  }
}

/**
 * A JS expression giving `value` (an expression holding a value of dtype `from`, as a number
 * or, for int64/uint64, a bigint) cast to dtype `to`, exactly as NumPy's unsafe cast does.
 */
export function castExpression(from: DType, to: DType, value: string): string {
  if (from === to) return value;
  const fromBig = isBigIntDType(from);
  const fromKind = dtypeInfo(from).kind;
  if (to === "bool") return fromBig ? `(${value} !== 0n ? 1 : 0)` : `(${value} !== 0 ? 1 : 0)`;
  if (to === "float64") return fromBig ? `Number(${value})` : value;
  if (to === "float32") return fromBig ? `bigIntToFloat32(${value})` : `Math.fround(${value})`;
  if (to === "int64") {
    if (fromBig) return `BigInt.asIntN(64, ${value})`;
    return fromKind === "f" ? `floatToInt64(${value})` : `BigInt(${value})`;
  }
  if (to === "uint64") {
    if (fromBig) return `BigInt.asUintN(64, ${value})`;
    return fromKind === "f" ? `floatToUint64(${value})` : `BigInt.asUintN(64, BigInt(${value}))`;
  }
  // A ≤32-bit integer target.
  if (fromBig) return wrapInt32Bits(`Number(BigInt.asIntN(32, ${value}))`, to);
  if (fromKind === "f") return to === "uint32" ? `floatToUint32(${value})` : wrapInt32Bits(`floatToInt32(${value})`, to);
  return wrapInt32Bits(value, to);
}

/**
 * The expression converting a stored value into the arithmetic domain of a loop dtype when
 * the conversion cannot lose information (NumPy's "safe" casts used by ufunc loops).
 */
export function readAs(from: DType, loop: DType, value: string): string {
  const fromBig = isBigIntDType(from);
  const loopBig = isBigIntDType(loop);
  if (fromBig === loopBig) return value;
  return loopBig ? `BigInt(${value})` : `Number(${value})`;
}

/** One cast of a single scalar value, for code paths that are not kernels. */
export function castScalar(value: number | bigint, from: DType, to: DType): number | bigint {
  const expression = castExpression(from, to, "value");
  if (expression === "value") return value;
  return scalarCaster(expression)(value);
}

const scalarCasters = new Map<string, (value: number | bigint) => number | bigint>();

function scalarCaster(expression: string): (value: number | bigint) => number | bigint {
  let caster = scalarCasters.get(expression);
  if (!caster) {
    const names = Object.keys(castHelpers);
    // Trusted source: the expression is built from the fixed templates above.
    caster = new Function(...names, `return (value) => ${expression};`)(
      ...names.map((name) => castHelpers[name as keyof typeof castHelpers]),
    ) as (value: number | bigint) => number | bigint;
    scalarCasters.set(expression, caster);
  }
  return caster;
}
