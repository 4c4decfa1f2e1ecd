/**
 * z^n for an integer n ≥ 0 and 0 < |z| < 1 (a filter pole), correctly rounded, as the spline prefilter's boundary
 * initialisation needs it (`pow(z, n)` in ni_splines.c). V8's Math.pow is fdlibm's and misses
 * the correctly rounded result in about 1.6 % of the (pole, length) pairs the prefilter uses;
 * glibc's pow is correctly rounded in all but a handful of them (it promises 0.52 ulp), so the
 * exact product rounded once matches scipy except where glibc itself is off by its last bit
 * (those powers are below 1e-100 and cannot move a coefficient). The product is computed with
 * BigInt and cached: a prefilter needs one power per (pole, line length).
 */
import { decompose, roundToDouble } from "./exact-fma.js";

const cache = new Map<string, number>();

export function exactPower(z: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`exactPower needs an integer exponent ≥ 0, got ${n}`);
  if (!(Math.abs(z) < 1) || z === 0) throw new RangeError(`exactPower is for filter poles 0 < |z| < 1, got ${z}`);
  if (n === 0) return 1;
  const key = `${z}|${n}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const { mantissa, exponent } = decompose(z);
  let result: number;
  // |z|^n < 2^(n·(log2|z|)) far below the smallest subnormal: the exact product rounds to ±0.
  if (n * Math.log2(Math.abs(z)) < -1200) result = z < 0 && n % 2 === 1 ? -0 : 0;
  else result = roundToDouble(mantissa ** BigInt(n), exponent * n, false);
  cache.set(key, result);
  return result;
}
