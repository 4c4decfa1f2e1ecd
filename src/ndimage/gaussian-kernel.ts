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
 * The tests compare these weights with scipy's before comparing filter outputs.
 */
import { InvalidOptionError } from "../core/errors.js";
import { fromTypedArray } from "../ndarray/creation.js";
import { sum } from "../ndarray/reductions.js";
import { fusedMultiplyAdd } from "./exact-fma.js";
import { numpyExp } from "./numpy-exp.js";

/** scipy's `int(truncate * sigma + 0.5)`: the radius when none is given. */
export function gaussianRadius(sigma: number, truncate: number): number {
  return Math.trunc(truncate * sigma + 0.5);
}

const cache = new Map<string, Float64Array>();
const cacheLimit = 256;

/** The kernel φ⁽ᵐ⁾(x) for x = −radius…radius (not reversed). Cached; do not mutate. */
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
  const sigma2 = sigma * sigma;
  const exponentScale = -0.5 / sigma2;
  const size = 2 * radius + 1;
  const phi = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const x = i - radius;
    phi[i] = numpyExp(exponentScale * (x * x));
  }
  // np.sum: NumPy's blocked pairwise summation, which ndarray's sum reproduces bit for bit.
  const total = sum(fromTypedArray(phi)).item() as number;
  for (let i = 0; i < size; i++) phi[i] = phi[i] / total;
  if (order === 0) return phi;

  const a = 1 / -sigma2;
  const a2 = a * a;
  const threeA2 = 3 * a2;
  const a3 = a * a2;
  for (let i = 0; i < size; i++) {
    const x = i - radius;
    let polynomial: number;
    if (order === 1) polynomial = 0 + x * a;
    else if (order === 2) polynomial = fusedMultiplyAdd(x * x, a2, a);
    else polynomial = x * threeA2 + (x * x * x) * a3;
    phi[i] = polynomial * phi[i];
  }
  return phi;
}
