/**
 * The Bessel function of the first kind of order one, J1(x), as scipy.ndimage's
 * fourier_ellipsoid evaluates it (ni_fourier.c's _bessel_j1, from Cephes' j1.c by Stephen
 * Moshier): rational approximations in x² up to |x| = 5, Hankel's asymptotic form
 * √(2/(πx))·(P·cos(x − 3π/4) − (5/x)·Q·sin(x − 3π/4)) beyond. The same coefficients and the
 * same Horner order as scipy's keep the 2-d ellipsoid filter within a few ulps of scipy's
 * (a different J1, accurate to 1e-16 absolute, would differ by far more relative to J1 near its
 * zeros). Only x > 0 reaches the far branch here (the filter passes a square root).
 */

/** Σ coefficients[i]·x^(degree − i): Cephes' polevl. */
function polynomial(x: number, coefficients: readonly number[]): number {
  let sum = coefficients[0];
  for (let i = 1; i < coefficients.length; i++) sum = sum * x + coefficients[i];
  return sum;
}

/** The same with an implicit leading coefficient 1: Cephes' p1evl. */
function monicPolynomial(x: number, coefficients: readonly number[]): number {
  let sum = x + coefficients[0];
  for (let i = 1; i < coefficients.length; i++) sum = sum * x + coefficients[i];
  return sum;
}

const nearNumerator = [-8.99971225705559398224e8, 4.52228297998194034323e11, -7.27494245221818276015e13, 3.68295732863852883286e15];
const nearDenominator = [
  6.20836478118054335476e2, 2.56987256757748830383e5, 8.35146791431949253037e7, 2.21511595479792499675e10,
  4.74914122079991414898e12, 7.84369607876235854894e14, 8.95222336184627338078e16, 5.32278620332680085395e18,
];
/** The squares of J1's first two zeros, factored out of the near form so it is exact there. */
const firstZeroSquared = 1.46819706421238932572e1;
const secondZeroSquared = 4.92184563216946036703e1;

const farPNumerator = [
  7.62125616208173112003e-4, 7.31397056940917570436e-2, 1.12719608129684925192e0, 5.11207951146807644818e0,
  8.42404590141772420927e0, 5.21451598682361504063e0, 1.00000000000000000254e0,
];
const farPDenominator = [
  5.71323128072548699714e-4, 6.88455908754495404082e-2, 1.10514232634061696926e0, 5.07386386128601488557e0,
  8.39985554327604159757e0, 5.20982848682361821619e0, 9.99999999999999997461e-1,
];
const farQNumerator = [
  5.10862594750176621635e-2, 4.98213872951233449420e0, 7.58238284132545283818e1, 3.66779609360150777800e2,
  7.10856304998926107277e2, 5.97489612400613639965e2, 2.11688757100572135698e2, 2.52070205858023719784e1,
];
const farQDenominator = [
  7.42373277035675149943e1, 1.05644886038262816351e3, 4.98641058337653607651e3, 9.56231892404756170795e3,
  7.99704160447350683650e3, 2.82619278517639096600e3, 3.36093607810698293419e2,
];
const threePiOverFour = 2.35619449019234492885;
const sqrtTwoOverPi = 0.79788456080286535588;

export function besselJ1(x: number): number {
  if (Math.abs(x) <= 5) {
    const z = x * x;
    const ratio = polynomial(z, nearNumerator) / monicPolynomial(z, nearDenominator);
    return ratio * x * (z - firstZeroSquared) * (z - secondZeroSquared);
  }
  const w = 5 / x;
  const z = w * w;
  const p = polynomial(z, farPNumerator) / polynomial(z, farPDenominator);
  const q = polynomial(z, farQNumerator) / monicPolynomial(z, farQDenominator);
  const phase = x - threePiOverFour;
  return ((p * Math.cos(phase) - w * q * Math.sin(phase)) * sqrtTwoOverPi) / Math.sqrt(x);
}
