/**
 * Gaussian weights exactly as scipy 1.10's `_gaussian_kernel1d(sigma, order, radius)` builds them
 * on an x86-64 machine with AVX-512 and OpenBLAS:
 *
 *   φ̃(x) = np.exp((−0.5/σ²) · x²), x = −r…r   (NumPy's SVML exp, see numpy-exp.ts)
 *   φ(x) = φ̃(x) / φ̃.sum()   (NumPy's pairwise summation)
 *   order m > 0: φ(x) · q_m(x), with q the polynomial of the m-th derivative of exp(−x²/2σ²)
 *
 * scipy evaluates q(x) as a matrix–vector product (`dgemv`). With a = −1/σ² the coefficients are
 * q1 = [0, a], q2 = [a, 0, a²], q3 = [0, 3a², 0, a³] (every one a single rounding), and OpenBLAS's
 * kernels sum the row products as follows, which we reproduce:
 *   order 1: 0 + x·a (fused, so x = 0 gives +0),
 *   order 2: fma(x², a², a) (sequential fused accumulation for rows of three),
 *   order 3: (x·3a²) + (x³·a³) (products in vector lanes, then added).
 * The tests compare these weights with scipy's before comparing filter outputs. These are the
 * sums of OpenBLAS's AVX2 and AVX-512 kernels; its SSE3 fallback (which OpenBLAS 0.3.21 picks on
 * CPUs it does not recognise, such as Sapphire Rapids) rounds order 2 twice, a last-bit
 * difference in some weights: scripts/test.sh runs the references on the SkylakeX kernels there.
 *
 * A long radius (a large `truncate`) is cut where the weights underflow: exp(−x²/2σ²) is
 * exactly 0 in float64 beyond about 38.6σ, so the kernel stops at the last nonzero weight and
 * the normalising sum is taken as NumPy takes it over the full, zero-padded length (the zeros
 * change which partial sums the nonzero weights fall in). Every output is then bit-identical
 * to scipy's for finite input. One difference remains for NaN or ±∞ in the input: scipy
 * multiplies them by the zero weights too (0·∞ = NaN), spreading NaN over the whole radius;
 * here NaN spreads only as far as the nonzero weights reach.
 */
import { InvalidOptionError } from "../core/errors.js";
import { fromTypedArray } from "../ndarray/creation.js";
import { sum } from "../ndarray/reductions.js";
import { fusedMultiplyAdd } from "./exact-fma.js";
import { numpyExp } from "./numpy-exp.js";
import { checkWindowLength, maxGaussianRadius } from "./options.js";

/** scipy's `int(truncate * sigma + 0.5)`: the radius when none is given. */
export function gaussianRadius(sigma: number, truncate: number): number {
  const radius = Math.trunc(truncate * sigma + 0.5);
  if (radius > maxGaussianRadius) {
    throw new InvalidOptionError(
      `truncate ${truncate} with sigma ${sigma} gives a radius of ${radius}, larger than ${maxGaussianRadius} where scipy's kernel (x² in int64) overflows; ` +
        "Gaussian weights beyond about 38.6·sigma are exactly 0, so truncate 39 gives the same result",
    );
  }
  return radius;
}

/**
 * The largest offset x whose weight exp(−x²/2σ²) (NumPy's exp) is not 0: every weight farther
 * out is 0, because exp is monotonic and underflows to 0 below about −745.13.
 */
export function nonzeroRadius(sigma: number): number {
  const scale = -0.5 / (sigma * sigma);
  const isZero = (x: number): boolean => numpyExp(scale * (x * x)) === 0;
  let below = 0;
  let above = Math.max(1, Math.ceil(sigma * 38.61));
  while (!isZero(above)) {
    below = above;
    above *= 2;
  }
  // The first zero lies in (below, above].
  while (above - below > 1) {
    const middle = Math.floor((below + above) / 2);
    if (isZero(middle)) above = middle;
    else below = middle;
  }
  return above - 1;
}

/** NumPy's NPY_BUFSIZE: np.sum adds the pairwise sums of blocks of this many elements in order. */
const sumBlockSize = 8192;

/**
 * np.sum of a vector of `length` elements that are 0 except `values`, which start at `offset`:
 * each block of 8192 is summed pairwise (ndarray's sum reproduces it) and the block sums are
 * added in order; blocks of zeros add +0 and change nothing, so only the others are built.
 */
function sumWithZeros(values: Float64Array, offset: number, length: number): number {
  let total = 0;
  const first = Math.floor(offset / sumBlockSize);
  const last = Math.floor((offset + values.length - 1) / sumBlockSize);
  for (let b = first; b <= last; b++) {
    const start = b * sumBlockSize;
    const block = new Float64Array(Math.min(sumBlockSize, length - start));
    const lo = Math.max(start, offset);
    const hi = Math.min(start + block.length, offset + values.length);
    block.set(values.subarray(lo - offset, hi - offset), lo - start);
    total += sum(fromTypedArray(block)).item() as number;
  }
  return total;
}

const cache = new Map<string, Float64Array>();
const cacheLimit = 256;

/**
 * The kernel φ⁽ᵐ⁾(x) for x = −reach…reach (not reversed), reach = min(radius, nonzeroRadius(σ)):
 * scipy's kernel of `radius` without its zero tails. Cached; do not mutate.
 */
export function gaussianKernel1d(sigma: number, order: number, radius: number): Float64Array {
  if (!(order >= 0 && order <= 3 && Number.isInteger(order))) {
    throw new InvalidOptionError(`order ${order} is not supported: use 0, 1, 2 or 3`);
  }
  const key = `${sigma}|${order}|${radius}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const kernel = buildKernel(sigma, order, radius);
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
  cache.set(key, kernel);
  return kernel;
}

function buildKernel(sigma: number, order: number, radius: number): Float64Array {
  const reach = Math.min(radius, nonzeroRadius(sigma));
  checkWindowLength(2 * reach + 1, `a Gaussian kernel of sigma ${sigma} (radius ${radius}, nonzero weights up to ${reach})`);
  const sigma2 = sigma * sigma;
  const exponentScale = -0.5 / sigma2;
  const size = 2 * reach + 1;
  const phi = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const x = i - reach;
    phi[i] = numpyExp(exponentScale * (x * x));
  }
  // np.sum over scipy's full kernel of 2·radius + 1 weights, the cut-off tails being zeros.
  const total = sumWithZeros(phi, radius - reach, 2 * radius + 1);
  for (let i = 0; i < size; i++) phi[i] = phi[i] / total;
  if (order === 0) return phi;

  const a = 1 / -sigma2;
  const a2 = a * a;
  const threeA2 = 3 * a2;
  const a3 = a * a2;
  for (let i = 0; i < size; i++) {
    const x = i - reach;
    let polynomial: number;
    if (order === 1) polynomial = 0 + x * a;
    else if (order === 2) polynomial = fusedMultiplyAdd(x * x, a2, a);
    else polynomial = x * threeA2 + (x * x * x) * a3;
    phi[i] = polynomial * phi[i];
  }
  return phi;
}
