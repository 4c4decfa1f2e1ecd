/**
 * One-dimensional complex discrete Fourier transforms of any length, in float64:
 * X[k] = Σ x[j]·exp(∓2πi·jk/n), unnormalised (callers scale, as NumPy's pocketfft does).
 *
 * Lengths whose prime factors are all ≤ `largestDirectFactor` run a recursive mixed-radix
 * Cooley–Tukey (decimation in time; radix 4 and 2 first, then 3, 5 and other small primes;
 * radices 2, 3, 4 and 5 have their own butterflies, larger ones a direct DFT of their radix). Lengths with a larger prime factor run Bluestein's
 * algorithm: the transform as a convolution with a chirp, computed by power-of-two transforms
 * of length ≥ 2n − 1. Twiddles are computed directly with cos/sin of exact multiples
 * (never by recurrence), which keeps the error near 1e-16·log n of the largest magnitude.
 */

import { radix2, radix3, radix4, radix5 } from "./fft-butterflies.js";

/** Prime factors above this go to Bluestein (a radix-p butterfly costs p² per group). */
const largestDirectFactor = 31;

interface MixedRadixPlan {
  readonly kind: "mixed";
  readonly n: number;
  readonly factors: readonly number[];
  /** exp(-2πi·j/n) for j < n. */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  /**
   * Per level with a radix-2…5 butterfly, its twiddles w^{r·k} (r = 1 … p−1, k < m) interleaved
   * (re, im) in the order the butterflies read them: one sequential pass per level where the
   * shared table above is read at strides r·twStep (cache misses on long transforms).
   */
  readonly levels: readonly Float64Array[];
}

interface BluesteinPlan {
  readonly kind: "bluestein";
  readonly n: number;
  readonly m: number;
  /** The chirp exp(-πi·k²/n), k < n. */
  readonly chirpRe: Float64Array;
  readonly chirpIm: Float64Array;
  /** The forward transform (length m) of the conjugate chirp wrapped around. */
  readonly filterRe: Float64Array;
  readonly filterIm: Float64Array;
  readonly inner: MixedRadixPlan;
}

type Plan = MixedRadixPlan | BluesteinPlan;

const plans = new Map<number, Plan>();
/** The input copy of runMixed and the generic butterfly's 2·p slots (p ≤ largestDirectFactor). */
let inputCopy = { re: new Float64Array(0), im: new Float64Array(0) };
/** Bluestein's chirped sequence of length m (runMixed below it uses inputCopy, not this). */
let bluesteinScratch = { re: new Float64Array(0), im: new Float64Array(0) };
const butterflyScratch = { re: new Float64Array(2 * largestDirectFactor), im: new Float64Array(2 * largestDirectFactor) };

function factorize(n: number): number[] | null {
  const factors: number[] = [];
  let rest = n;
  while (rest % 4 === 0) { factors.push(4); rest /= 4; }
  while (rest % 2 === 0) { factors.push(2); rest /= 2; }
  for (let p = 3; p * p <= rest; p += 2) {
    while (rest % p === 0) {
      if (p > largestDirectFactor) return null;
      factors.push(p);
      rest /= p;
    }
  }
  if (rest > 1) {
    if (rest > largestDirectFactor) return null;
    factors.push(rest);
  }
  return factors;
}

/** exp(-2πi·j/n) for every j, from the angle of the smallest equivalent residue (accurate). */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const angle = (-2 * Math.PI * j) / n;
    cos[j] = Math.cos(angle);
    sin[j] = Math.sin(angle);
  }
  return { cos, sin };
}

function mixedPlan(n: number, factors: number[]): MixedRadixPlan {
  const { cos, sin } = twiddles(n);
  const levels: Float64Array[] = [];
  let length = n;
  let twStep = 1;
  for (const p of factors) {
    const m = length / p;
    const butterfly = p <= 5;
    const table = new Float64Array(butterfly ? 2 * (p - 1) * m : 0);
    for (let k = 0, slot = 0; butterfly && k < m; k++) {
      for (let r = 1; r < p; r++, slot += 2) {
        // r·k·twStep < p·m·twStep = n: no modulo.
        table[slot] = cos[r * k * twStep];
        table[slot + 1] = sin[r * k * twStep];
      }
    }
    levels.push(table);
    length = m;
    twStep *= p;
  }
  return { kind: "mixed", n, factors, cos, sin, levels };
}

function planFor(n: number): Plan {
  let plan = plans.get(n);
  if (plan) return plan;
  const factors = factorize(n);
  if (factors) plan = mixedPlan(n, factors);
  else {
    let m = 1;
    while (m < 2 * n - 1) m *= 2;
    const chirpRe = new Float64Array(n);
    const chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small, so cos/sin stay accurate for large k.
      const residue = Number((BigInt(k) * BigInt(k)) % BigInt(2 * n));
      const angle = (-Math.PI * residue) / n;
      chirpRe[k] = Math.cos(angle);
      chirpIm[k] = Math.sin(angle);
    }
    const filterRe = new Float64Array(m);
    const filterIm = new Float64Array(m);
    for (let k = 0; k < n; k++) {
      filterRe[k] = chirpRe[k];
      filterIm[k] = -chirpIm[k];
      if (k > 0) {
        filterRe[m - k] = chirpRe[k];
        filterIm[m - k] = -chirpIm[k];
      }
    }
    const inner = mixedPlan(m, factorize(m) as number[]);
    runMixed(inner, filterRe, filterIm, false);
    plan = { kind: "bluestein", n, m, chirpRe, chirpIm, filterRe, filterIm, inner };
  }
  plans.set(n, plan);
  return plan;
}

/**
 * out[outOff + k] = DFT_n of in[inOff + j·stride] (k, j < n), for n = product of factors[level…].
 * `twStep` maps this level's exp(-2πi·j/n) to the plan's table (n·twStep = plan length).
 */
function recurse(
  plan: MixedRadixPlan, level: number, n: number,
  inRe: Float64Array, inIm: Float64Array, inOff: number, stride: number,
  outRe: Float64Array, outIm: Float64Array, outOff: number, twStep: number,
  scratchRe: Float64Array, scratchIm: Float64Array,
): void {
  if (n === 1) {
    outRe[outOff] = inRe[inOff];
    outIm[outOff] = inIm[inOff];
    return;
  }
  const p = plan.factors[level];
  const m = n / p;
  if (m === 1) {
    // The last level: the sub-transforms of length 1 are the inputs themselves (no p calls).
    for (let r = 0; r < p; r++) {
      outRe[outOff + r] = inRe[inOff + r * stride];
      outIm[outOff + r] = inIm[inOff + r * stride];
    }
  } else {
    for (let r = 0; r < p; r++) {
      recurse(plan, level + 1, m, inRe, inIm, inOff + r * stride, stride * p, outRe, outIm, outOff + r * m, twStep * p, scratchRe, scratchIm);
    }
  }
  const tw = plan.levels[level];
  if (p === 4) return radix4(outRe, outIm, outOff, m, tw);
  if (p === 2) return radix2(outRe, outIm, outOff, m, tw);
  if (p === 3) return radix3(outRe, outIm, outOff, m, tw);
  if (p === 5) return radix5(outRe, outIm, outOff, m, tw);
  const { cos, sin } = plan;
  const size = plan.n;
  for (let k = 0; k < m; k++) {
    // The p sub-results at k, each turned by exp(-2πi·r·k/n).
    for (let r = 0; r < p; r++) {
      const re = outRe[outOff + r * m + k];
      const im = outIm[outOff + r * m + k];
      const t = (r * k * twStep) % size;
      scratchRe[r] = re * cos[t] - im * sin[t];
      scratchIm[r] = re * sin[t] + im * cos[t];
    }
    // A direct DFT of length p over them gives X[k + q·m], q < p.
    for (let q = 0; q < p; q++) {
      let sumRe = scratchRe[0];
      let sumIm = scratchIm[0];
      for (let r = 1; r < p; r++) {
        const t = (((r * q) % p) * m * twStep) % size;
        sumRe += scratchRe[r] * cos[t] - scratchIm[r] * sin[t];
        sumIm += scratchRe[r] * sin[t] + scratchIm[r] * cos[t];
      }
      scratchRe[p + q] = sumRe;
      scratchIm[p + q] = sumIm;
    }
    for (let q = 0; q < p; q++) {
      outRe[outOff + q * m + k] = scratchRe[p + q];
      outIm[outOff + q * m + k] = scratchIm[p + q];
    }
  }
}

/** In-place forward (or, with `inverse`, exp(+2πi…)) transform of a mixed-radix plan. */
function runMixed(plan: MixedRadixPlan, re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = plan.n;
  if (inverse) for (let j = 0; j < n; j++) im[j] = -im[j];
  // One copy of the input per call, in buffers kept between calls (a transform per line of an
  // n-d array would otherwise allocate two per line).
  if (inputCopy.re.length < n) inputCopy = { re: new Float64Array(n), im: new Float64Array(n) };
  const inRe = inputCopy.re;
  const inIm = inputCopy.im;
  inRe.set(re.subarray(0, n));
  inIm.set(im.subarray(0, n));
  recurse(plan, 0, n, inRe, inIm, 0, 1, re, im, 0, 1, butterflyScratch.re, butterflyScratch.im);
  if (inverse) for (let j = 0; j < n; j++) im[j] = -im[j];
}

function runBluestein(plan: BluesteinPlan, re: Float64Array, im: Float64Array, inverse: boolean): void {
  const { n, m, chirpRe, chirpIm, filterRe, filterIm } = plan;
  const sign = inverse ? -1 : 1;
  // Kept between calls, as runMixed's input copy (one transform per line of an n-d array).
  if (bluesteinScratch.re.length < m) bluesteinScratch = { re: new Float64Array(m), im: new Float64Array(m) };
  const aRe = bluesteinScratch.re;
  const aIm = bluesteinScratch.im;
  aRe.fill(0, n, m);
  aIm.fill(0, n, m);
  for (let k = 0; k < n; k++) {
    const xr = re[k];
    const xi = sign * im[k];
    aRe[k] = xr * chirpRe[k] - xi * chirpIm[k];
    aIm[k] = xr * chirpIm[k] + xi * chirpRe[k];
  }
  runMixed(plan.inner, aRe, aIm, false);
  for (let k = 0; k < m; k++) {
    const xr = aRe[k];
    const xi = aIm[k];
    aRe[k] = xr * filterRe[k] - xi * filterIm[k];
    aIm[k] = xr * filterIm[k] + xi * filterRe[k];
  }
  runMixed(plan.inner, aRe, aIm, true);
  for (let k = 0; k < n; k++) {
    const xr = aRe[k] / m;
    const xi = aIm[k] / m;
    re[k] = xr * chirpRe[k] - xi * chirpIm[k];
    im[k] = sign * (xr * chirpIm[k] + xi * chirpRe[k]);
  }
}

/**
 * Transforms re/im (length ≥ n; the first n slots) in place: forward uses exp(-2πi·jk/n),
 * inverse exp(+2πi·jk/n); neither scales.
 */
export function transformInPlace(re: Float64Array, im: Float64Array, n: number, inverse: boolean): void {
  if (n <= 1) return;
  const plan = planFor(n);
  if (plan.kind === "mixed") runMixed(plan, re, im, inverse);
  else runBluestein(plan, re, im, inverse);
}
