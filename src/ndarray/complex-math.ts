/**
 * Scalar complex arithmetic the complex loops call, written after NumPy 1.24's C loops
 * (numpy/core/src/umath/loops.c.src and npy_math_complex.c.src). `round` is Math.fround for
 * complex64, so each step rounds to float32 as NumPy's float32 arithmetic does (a float32
 * operation computed in float64 and rounded once is exact for + − × ÷), and identity for
 * complex128.
 */
export type Round = (x: number) => number;
export const identity: Round = (x) => x;

/** Smith's division, NumPy's complex divide loop (lane 0: re, lane 1: im). */
export function complexDivide(ar: number, ai: number, br: number, bi: number, lane: number, r: Round): number {
  const brAbs = Math.abs(br);
  const biAbs = Math.abs(bi);
  if (brAbs >= biAbs) {
    if (brAbs === 0 && biAbs === 0) return lane === 0 ? r(ar / brAbs) : r(ai / brAbs);
    const rat = r(bi / br);
    const scl = r(1 / r(br + r(bi * rat)));
    return lane === 0 ? r(r(ar + r(ai * rat)) * scl) : r(r(ai - r(ar * rat)) * scl);
  }
  const rat = r(br / bi);
  const scl = r(1 / r(bi + r(br * rat)));
  return lane === 0 ? r(r(r(ar * rat) + ai) * scl) : r(r(r(ai * rat) - ar) * scl);
}

/** 1 / (a + bi), NumPy's complex reciprocal loop (lane 0: re, lane 1: im). */
export function complexReciprocal(a: number, b: number, lane: number, r: Round): number {
  if (Math.abs(b) <= Math.abs(a)) {
    const q = r(b / a);
    const d = r(a + r(b * q));
    return lane === 0 ? r(1 / d) : r(-q / d);
  }
  const q = r(a / b);
  const d = r(r(a * q) + b);
  return lane === 0 ? r(q / d) : r(-1 / d);
}

/** exp(a + bi) = e^a (cos b + i sin b), with NumPy's special values for b = 0. */
export function complexExp(a: number, b: number, lane: number, r: Round): number {
  if (b === 0 && Number.isFinite(a)) return lane === 0 ? r(Math.exp(a)) : b;
  const scale = Math.exp(a);
  return lane === 0 ? r(scale * Math.cos(b)) : r(scale * Math.sin(b));
}

/** log(a + bi) = log|z| + i·arg z. */
export function complexLog(a: number, b: number, lane: number, r: Round): number {
  return lane === 0 ? r(Math.log(Math.hypot(a, b))) : r(Math.atan2(b, a));
}

/** The principal square root (Kahan's formula, as C99 csqrt): re ≥ 0, im with the sign of b. */
export function complexSqrt(a: number, b: number, lane: number, r: Round): number {
  if (a === 0 && b === 0) return lane === 0 ? 0 : b;
  if (b === Infinity || b === -Infinity) return lane === 0 ? Infinity : b;
  if (Number.isNaN(a)) return lane === 0 ? a : NaN;
  if (a === -Infinity) return lane === 0 ? (Number.isNaN(b) ? NaN : 0) : Number.isNaN(b) ? b : Math.sign(b) * Infinity || Infinity;
  if (a === Infinity) return lane === 0 ? a : Number.isNaN(b) ? b : Math.sign(b) * 0;
  const t = Math.sqrt((Math.abs(a) + Math.hypot(a, b)) / 2);
  if (a >= 0) return lane === 0 ? r(t) : r(b / (2 * t));
  return lane === 0 ? r(Math.abs(b) / (2 * t)) : r(Math.sign(b) * t || (Object.is(b, -0) ? -t : t));
}

/** z ** w: integral real exponents by repeated multiplication (NumPy's npy_cpow for |n| < 100), otherwise exp(w·log z). */
export function complexPower(ar: number, ai: number, br: number, bi: number, lane: number, r: Round): number {
  if (br === 0 && bi === 0) return lane === 0 ? 1 : 0;
  if (ar === 0 && ai === 0) {
    if (br > 0 && bi === 0) return 0;
    return lane === 0 ? NaN : NaN;
  }
  if (bi === 0 && br === Math.trunc(br) && Math.abs(br) < 100) {
    let n = Math.abs(br);
    let pr = 1, pi = 0, xr = ar, xi = ai;
    let first = true;
    while (n > 0) {
      if (n & 1) {
        if (first) { pr = xr; pi = xi; first = false; } else {
          const t = r(r(pr * xr) - r(pi * xi));
          pi = r(r(pr * xi) + r(pi * xr));
          pr = t;
        }
      }
      n >>= 1;
      if (n > 0) {
        const t = r(r(xr * xr) - r(xi * xi));
        xi = r(r(xr * xi) + r(xi * xr));
        xr = t;
      }
    }
    if (br < 0) return complexDivide(1, 0, pr, pi, lane, r);
    return lane === 0 ? pr : pi;
  }
  const logAbs = Math.log(Math.hypot(ar, ai));
  const arg = Math.atan2(ai, ar);
  const er = br * logAbs - bi * arg;
  const ei = br * arg + bi * logAbs;
  return complexExp(er, ei, lane, r);
}
