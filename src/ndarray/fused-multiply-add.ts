/**
 * fma(a, b, c) = a·b + c rounded once, for float64, as C's fma gives it: NumPy 1.24's complex
 * multiply.accumulate (np.cumprod of complex) computes re = fma(pr, cr, −pi·ci) and
 * im = fma(pr, ci, pi·cr) (its compiled loop contracts them), so a cumprod that multiplies and
 * adds in two roundings drifts an ulp from NumPy's within a few steps. a·b is split exactly
 * (Dekker: a·b = hi + lo), then hi + c by Knuth's two-sum; the three parts are added smallest
 * first, which is the correctly rounded result except within ~2^-100 of a tie.
 */

/**
 * The error of the rounded product hi = a·b (Dekker's exact product with Veltkamp's split:
 * a·b = hi + error exactly; |a|, |b| well below 2^996).
 */
export function productError(a: number, b: number, hi: number): number {
  const split = 134217729;
  const ca = split * a;
  const aHi = ca - (ca - a);
  const aLo = a - aHi;
  const cb = split * b;
  const bHi = cb - (cb - b);
  const bLo = b - bHi;
  return aLo * bLo - (((hi - aHi * bHi) - aLo * bHi) - aHi * bLo);
}

export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const hi = a * b;
  const plain = hi + c;
  // Non-finite values and products near the overflow range: the plain sum (what fma gives there too but for edge cases).
  if (!Number.isFinite(plain) || Math.abs(hi) > 2 ** 996 || Math.abs(a) > 2 ** 996 || Math.abs(b) > 2 ** 996) return plain;
  const lo = productError(a, b, hi);
  // An exact product: one rounding of hi + c is fma's (signed zeros included).
  if (lo === 0) return plain;
  const sum = hi + c;
  const virtual = sum - hi;
  const error = (hi - (sum - virtual)) + (c - virtual);
  return sum + (error + lo);
}
