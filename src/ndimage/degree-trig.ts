/**
 * Sine and cosine of an angle in degrees, as scipy.special.sindg / cosdg (Cephes) compute them:
 * the angle is reduced to an octant by exact degree arithmetic (x − 45·⌊x/45⌋ is exact for
 * |x| < 1e14), converted to radians only within ±45°, and evaluated by Cephes' polynomials. So
 * multiples of 90° give exactly 0 and ±1, and the results are the bits scipy.ndimage.rotate
 * builds its matrix from (Math.sin(x·π/180) differs from them by an ulp for many angles).
 */

const sineCoefficients = [
  1.58962301572218447952e-10, -2.50507477628503540135e-8, 2.75573136213856773549e-6,
  -1.98412698295895384658e-4, 8.33333333332211858862e-3, -1.66666666666666307295e-1,
];
const cosineCoefficients = [
  1.13678171382044553091e-11, -2.08758833757683644217e-9, 2.75573155429816611547e-7,
  -2.48015872936186303776e-5, 1.38888888888806666760e-3, -4.16666666666666348141e-2,
  4.99999999999999999798e-1,
];
const radiansPerDegree = 1.74532925199432957692e-2;
/** Beyond this Cephes reports a total loss of precision and returns 0. */
const lossThreshold = 1.0e14;

/** Cephes' polevl: Horner's rule from the highest coefficient. */
function polevl(x: number, coefficients: readonly number[]): number {
  let sum = coefficients[0];
  for (let i = 1; i < coefficients.length; i++) sum = sum * x + coefficients[i];
  return sum;
}

/** The octant (0–3 after reflection), the sign flip, and the radians within ±45° of |x|. */
function reduce(magnitude: number): { octant: number; flip: boolean; radians: number } {
  let y = Math.floor(magnitude / 45.0);
  // y mod 16, as Cephes strips the high bits before converting to an integer.
  let octant = y - Math.floor(y / 16) * 16;
  if (octant % 2 === 1) {
    octant += 1;
    y += 1.0;
  }
  octant &= 7;
  let flip = false;
  if (octant > 3) {
    flip = true;
    octant -= 4;
  }
  return { octant, flip, radians: (magnitude - y * 45.0) * radiansPerDegree };
}

const sinePolynomial = (z: number): number => z + z * (z * z * polevl(z * z, sineCoefficients));
const cosinePolynomial = (z: number): number => 1.0 - z * z * polevl(z * z, cosineCoefficients);

/** scipy.special.sindg. */
export function sinDegrees(x: number): number {
  if (Number.isNaN(x)) return x;
  let negative = x < 0;
  const magnitude = Math.abs(x);
  if (magnitude > lossThreshold) return 0.0;
  const { octant, flip, radians } = reduce(magnitude);
  if (flip) negative = !negative;
  const y = octant === 1 || octant === 2 ? cosinePolynomial(radians) : sinePolynomial(radians);
  return negative ? -y : y;
}

/** scipy.special.cosdg. */
export function cosDegrees(x: number): number {
  if (Number.isNaN(x)) return x;
  const magnitude = Math.abs(x);
  if (magnitude > lossThreshold) return 0.0;
  const { octant, flip, radians } = reduce(magnitude);
  let negative = flip;
  if (octant > 1) negative = !negative;
  const y = octant === 1 || octant === 2 ? sinePolynomial(radians) : cosinePolynomial(radians);
  return negative ? -y : y;
}
