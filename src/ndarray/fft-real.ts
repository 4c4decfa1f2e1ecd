/**
 * Real transforms of even length n through one complex transform of length n/2 (half the
 * work), for rfft (realForwardEven) and irfft (realInverseEven) along contiguous lines: `lanes`
 * lines of `inLength` input values each (float64, or complex128 interleaved for the inverse),
 * of which the first `used` are read; outputs multiplied by `fct`.
 */
import { transformInPlace } from "./fft-core.js";

/**
 * rfft of even length n through one complex transform of length n/2 (half the work): the even
 * and odd samples packed as z[j] = x[2j] + i·x[2j+1], Z = FFT(z), then
 * X[k] = (Z[k] + conj Z[h−k]) / 2 − i·W^k·(Z[k] − conj Z[h−k]) / 2, W = exp(−2πi/n), k ≤ h = n/2.
 */
export function realForwardEven(source: Float64Array, inLength: number, used: number, lanes: number, n: number, target: Float64Array, fct: number): void {
  const h = n / 2;
  const outLength = h + 1;
  const re = new Float64Array(h);
  const im = new Float64Array(h);
  const wRe = new Float64Array(outLength);
  const wIm = new Float64Array(outLength);
  for (let k = 0; k <= h; k++) {
    wRe[k] = Math.cos((-2 * Math.PI * k) / n);
    wIm[k] = Math.sin((-2 * Math.PI * k) / n);
  }
  for (let lane = 0; lane < lanes; lane++) {
    re.fill(0);
    im.fill(0);
    const base = lane * inLength;
    for (let j = 0; j < used; j++) {
      if (j % 2 === 0) re[j >> 1] = source[base + j];
      else im[j >> 1] = source[base + j];
    }
    transformInPlace(re, im, h, false);
    const outBase = 2 * lane * outLength;
    for (let k = 0; k <= h; k++) {
      const a = k === h ? 0 : k;
      const b = k === 0 ? 0 : h - k;
      const aRe = re[a];
      const aIm = im[a];
      const bRe = re[b];
      const bIm = -im[b];
      // Even part E = (A + B) / 2, odd part O = −i·(A − B) / 2, X = E + W^k·O.
      const eRe = (aRe + bRe) / 2;
      const eIm = (aIm + bIm) / 2;
      const oRe = (aIm - bIm) / 2;
      const oIm = -(aRe - bRe) / 2;
      target[outBase + 2 * k] = (eRe + wRe[k] * oRe - wIm[k] * oIm) * fct;
      target[outBase + 2 * k + 1] = (eIm + wRe[k] * oIm + wIm[k] * oRe) * fct;
    }
  }
}

/**
 * irfft of even length n through one inverse complex transform of length n/2, the inverse of
 * realForwardEven: with A = X[k], B = conj X[h−k], Z'[k] = (A + B) + i·conj(W^k)·(A − B) is twice
 * the packed spectrum, so its unscaled inverse holds n·x[2j] + i·n·x[2j+1], as the length-n
 * unscaled inverse would. The imaginary parts of X[0] and X[h] are not used, as pocketfft's.
 */
export function realInverseEven(source: Float64Array, inLength: number, used: number, lanes: number, n: number, target: Float64Array, fct: number): void {
  const h = n / 2;
  const re = new Float64Array(h);
  const im = new Float64Array(h);
  const wRe = new Float64Array(h);
  const wIm = new Float64Array(h);
  for (let k = 0; k < h; k++) {
    wRe[k] = Math.cos((-2 * Math.PI * k) / n);
    wIm[k] = Math.sin((-2 * Math.PI * k) / n);
  }
  // X[0 … h] of one line, zero past `used`, imaginary parts of X[0] and X[h] dropped.
  const xRe = new Float64Array(h + 1);
  const xIm = new Float64Array(h + 1);
  const count = Math.min(used, h + 1);
  for (let lane = 0; lane < lanes; lane++) {
    const base = 2 * lane * inLength;
    for (let k = 0; k < count; k++) {
      xRe[k] = source[base + 2 * k];
      xIm[k] = source[base + 2 * k + 1];
    }
    xIm[0] = 0;
    xIm[h] = 0;
    for (let k = 0; k < h; k++) {
      const aRe = xRe[k];
      const aIm = xIm[k];
      const bRe = xRe[h - k];
      const bIm = -xIm[h - k];
      const dRe = aRe - bRe;
      const dIm = aIm - bIm;
      // t = conj(W^k)·(A − B); Z' = (A + B) + i·t.
      const tRe = dRe * wRe[k] + dIm * wIm[k];
      const tIm = dIm * wRe[k] - dRe * wIm[k];
      re[k] = aRe + bRe - tIm;
      im[k] = aIm + bIm + tRe;
    }
    transformInPlace(re, im, h, true);
    const outBase = lane * n;
    for (let j = 0; j < h; j++) {
      target[outBase + 2 * j] = re[j] * fct;
      target[outBase + 2 * j + 1] = im[j] * fct;
    }
  }
}
