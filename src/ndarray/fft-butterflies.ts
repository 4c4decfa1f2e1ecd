/**
 * The butterflies of radices 2, 3, 4 and 5 for fft-core.ts's mixed-radix recursion: one level's
 * p sub-transforms of length m (at off, off + m, … in re/im) combined in place into the level's
 * transform of length p·m, each sub-result r first turned by the level's twiddle w^{r·k} from
 * `tw` (w^{r·k} at 2·((p−1)·k + r − 1), re then im).
 */

/**
 * The radix-2 butterflies of one level: X[k] = a + w^k·b, X[k + m] = a − w^k·b.
 */
export function radix2(re: Float64Array, im: Float64Array, off: number, m: number, tw: Float64Array): void {
  for (let k = 0; k < m; k++) {
    const i0 = off + k;
    const i1 = i0 + m;
    const w = 2 * k;
    const bRe = re[i1] * tw[w] - im[i1] * tw[w + 1];
    const bIm = re[i1] * tw[w + 1] + im[i1] * tw[w];
    const aRe = re[i0];
    const aIm = im[i0];
    re[i0] = aRe + bRe;
    im[i0] = aIm + bIm;
    re[i1] = aRe - bRe;
    im[i1] = aIm - bIm;
  }
}

/**
 * The radix-4 butterflies of one level (forward: the 4-point DFT's factors are 1, −i, −1, i):
 * x_r = w^{rk}·sub_r, then X[k] = (x0 + x2) + (x1 + x3), X[k + 2m] = (x0 + x2) − (x1 + x3),
 * X[k + m] = (x0 − x2) − i(x1 − x3), X[k + 3m] = (x0 − x2) + i(x1 − x3).
 */
export function radix4(re: Float64Array, im: Float64Array, off: number, m: number, tw: Float64Array): void {
  for (let k = 0; k < m; k++) {
    const i0 = off + k;
    const i1 = i0 + m;
    const i2 = i1 + m;
    const i3 = i2 + m;
    const w = 6 * k;
    const x1Re = re[i1] * tw[w] - im[i1] * tw[w + 1];
    const x1Im = re[i1] * tw[w + 1] + im[i1] * tw[w];
    const x2Re = re[i2] * tw[w + 2] - im[i2] * tw[w + 3];
    const x2Im = re[i2] * tw[w + 3] + im[i2] * tw[w + 2];
    const x3Re = re[i3] * tw[w + 4] - im[i3] * tw[w + 5];
    const x3Im = re[i3] * tw[w + 5] + im[i3] * tw[w + 4];
    const a0Re = re[i0] + x2Re;
    const a0Im = im[i0] + x2Im;
    const a1Re = re[i0] - x2Re;
    const a1Im = im[i0] - x2Im;
    const b0Re = x1Re + x3Re;
    const b0Im = x1Im + x3Im;
    const b1Re = x1Re - x3Re;
    const b1Im = x1Im - x3Im;
    re[i0] = a0Re + b0Re;
    im[i0] = a0Im + b0Im;
    re[i2] = a0Re - b0Re;
    im[i2] = a0Im - b0Im;
    re[i1] = a1Re + b1Im;
    im[i1] = a1Im - b1Re;
    re[i3] = a1Re - b1Im;
    im[i3] = a1Im + b1Re;
  }
}

const halfSqrt3 = Math.sqrt(3) / 2;

/**
 * The radix-3 butterflies of one level (forward, ω = exp(−2πi/3) = −1/2 − i·√3/2):
 * x_r = w^{rk}·sub_r, X[k] = x0 + x1 + x2, X[k + m] = x0 − (x1 + x2)/2 − i·(√3/2)·(x1 − x2),
 * X[k + 2m] = x0 − (x1 + x2)/2 + i·(√3/2)·(x1 − x2).
 */
export function radix3(re: Float64Array, im: Float64Array, off: number, m: number, tw: Float64Array): void {
  for (let k = 0; k < m; k++) {
    const i0 = off + k;
    const i1 = i0 + m;
    const i2 = i1 + m;
    const w = 4 * k;
    const x1Re = re[i1] * tw[w] - im[i1] * tw[w + 1];
    const x1Im = re[i1] * tw[w + 1] + im[i1] * tw[w];
    const x2Re = re[i2] * tw[w + 2] - im[i2] * tw[w + 3];
    const x2Im = re[i2] * tw[w + 3] + im[i2] * tw[w + 2];
    const sumRe = x1Re + x2Re;
    const sumIm = x1Im + x2Im;
    const midRe = re[i0] - sumRe / 2;
    const midIm = im[i0] - sumIm / 2;
    const difRe = halfSqrt3 * (x1Re - x2Re);
    const difIm = halfSqrt3 * (x1Im - x2Im);
    re[i0] += sumRe;
    im[i0] += sumIm;
    re[i1] = midRe + difIm;
    im[i1] = midIm - difRe;
    re[i2] = midRe - difIm;
    im[i2] = midIm + difRe;
  }
}

const cos1 = Math.cos((2 * Math.PI) / 5);
const cos2 = Math.cos((4 * Math.PI) / 5);
const sin1 = Math.sin((2 * Math.PI) / 5);
const sin2 = Math.sin((4 * Math.PI) / 5);

/**
 * The radix-5 butterflies of one level (forward, ω = exp(−2πi/5), ω^1,4 = c1 ∓ i·s1,
 * ω^2,3 = c2 ∓ i·s2): with x_r = w^{rk}·sub_r, a1 = x1 + x4, b1 = x1 − x4, a2 = x2 + x3,
 * b2 = x2 − x3: X[k] = x0 + a1 + a2, X[k + m], X[k + 4m] = x0 + c1·a1 + c2·a2 ∓ i·(s1·b1 + s2·b2),
 * X[k + 2m], X[k + 3m] = x0 + c2·a1 + c1·a2 ∓ i·(s2·b1 − s1·b2). 4 real products by constants
 * per output pair where the generic butterfly takes 25 complex ones.
 */
export function radix5(re: Float64Array, im: Float64Array, off: number, m: number, tw: Float64Array): void {
  for (let k = 0; k < m; k++) {
    const i0 = off + k;
    const i1 = i0 + m;
    const i2 = i1 + m;
    const i3 = i2 + m;
    const i4 = i3 + m;
    const w = 8 * k;
    const x1Re = re[i1] * tw[w] - im[i1] * tw[w + 1];
    const x1Im = re[i1] * tw[w + 1] + im[i1] * tw[w];
    const x2Re = re[i2] * tw[w + 2] - im[i2] * tw[w + 3];
    const x2Im = re[i2] * tw[w + 3] + im[i2] * tw[w + 2];
    const x3Re = re[i3] * tw[w + 4] - im[i3] * tw[w + 5];
    const x3Im = re[i3] * tw[w + 5] + im[i3] * tw[w + 4];
    const x4Re = re[i4] * tw[w + 6] - im[i4] * tw[w + 7];
    const x4Im = re[i4] * tw[w + 7] + im[i4] * tw[w + 6];
    const x0Re = re[i0];
    const x0Im = im[i0];
    const a1Re = x1Re + x4Re;
    const a1Im = x1Im + x4Im;
    const b1Re = x1Re - x4Re;
    const b1Im = x1Im - x4Im;
    const a2Re = x2Re + x3Re;
    const a2Im = x2Im + x3Im;
    const b2Re = x2Re - x3Re;
    const b2Im = x2Im - x3Im;
    const m1Re = x0Re + cos1 * a1Re + cos2 * a2Re;
    const m1Im = x0Im + cos1 * a1Im + cos2 * a2Im;
    const m2Re = x0Re + cos2 * a1Re + cos1 * a2Re;
    const m2Im = x0Im + cos2 * a1Im + cos1 * a2Im;
    const u1Re = sin1 * b1Re + sin2 * b2Re;
    const u1Im = sin1 * b1Im + sin2 * b2Im;
    const u2Re = sin2 * b1Re - sin1 * b2Re;
    const u2Im = sin2 * b1Im - sin1 * b2Im;
    re[i0] = x0Re + a1Re + a2Re;
    im[i0] = x0Im + a1Im + a2Im;
    // −i·u = (u.im, −u.re).
    re[i1] = m1Re + u1Im;
    im[i1] = m1Im - u1Re;
    re[i4] = m1Re - u1Im;
    im[i4] = m1Im + u1Re;
    re[i2] = m2Re + u2Im;
    im[i2] = m2Im - u2Re;
    re[i3] = m2Re - u2Im;
    im[i3] = m2Im + u2Re;
  }
}
