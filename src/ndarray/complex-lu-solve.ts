/**
 * solve, inv and det of complex matrices (np.linalg's), through LU with partial pivoting as
 * LAPACK's zgetrf: at step j the pivot is the first row of largest |re| + |im| (izamax's
 * measure) in column j at or below the diagonal. An exactly zero pivot makes solve and inv
 * refuse (NumPy's LinAlgError "Singular matrix") and det 0. det is NumPy's umath_linalg form:
 * the permutation's sign times the product of the pivots' phases, times exp(Σ log|u_ii|).
 * Backward stable as the real one (lu-solve.ts). Row-major split storage.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type ComplexMatrix, readComplexMatrix, toComplexNDArray } from "./complex-matrix-data.js";
import { LinAlgError } from "./matrix-data.js";
import type { NDArray } from "./ndarray.js";

interface ComplexLu {
  n: number;
  re: Float64Array;
  im: Float64Array;
  perm: Int32Array;
  swaps: number;
  singular: boolean;
}

function rowMajor(m: ComplexMatrix): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(m.rows * m.cols);
  const im = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      re[i * m.cols + j] = m.re[j * m.rows + i];
      im[i * m.cols + j] = m.im[j * m.rows + i];
    }
  }
  return { re, im };
}

function factor(a: NDArray, what: string): { f: ComplexLu; dtype: "complex64" | "complex128" } {
  const m = readComplexMatrix(a, what);
  if (m.rows !== m.cols) throw new LinAlgError(`${what}: last 2 dimensions of the array must be square, got ${m.rows} × ${m.cols}`);
  const n = m.rows;
  const { re, im } = rowMajor(m);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let swaps = 0;
  let singular = false;
  const swapRows = (x: Float64Array, i: number, j: number) => {
    for (let c = 0; c < n; c++) [x[i * n + c], x[j * n + c]] = [x[j * n + c], x[i * n + c]];
  };
  for (let j = 0; j < n; j++) {
    let p = j;
    const measure = (i: number) => Math.abs(re[i * n + j]) + Math.abs(im[i * n + j]);
    for (let i = j + 1; i < n; i++) if (measure(i) > measure(p)) p = i;
    if (p !== j) {
      swapRows(re, j, p);
      swapRows(im, j, p);
      [perm[j], perm[p]] = [perm[p], perm[j]];
      swaps++;
    }
    const pr = re[j * n + j];
    const pi = im[j * n + j];
    if (pr === 0 && pi === 0) {
      singular = true;
      continue;
    }
    const d = pr * pr + pi * pi;
    for (let i = j + 1; i < n; i++) {
      const xr = re[i * n + j];
      const xi = im[i * n + j];
      const fr = (xr * pr + xi * pi) / d;
      const fi = (xi * pr - xr * pi) / d;
      re[i * n + j] = fr;
      im[i * n + j] = fi;
      if (fr === 0 && fi === 0) continue;
      for (let c = j + 1; c < n; c++) {
        const ur = re[j * n + c];
        const ui = im[j * n + c];
        re[i * n + c] -= fr * ur - fi * ui;
        im[i * n + c] -= fr * ui + fi * ur;
      }
    }
  }
  return { f: { n, re, im, perm, swaps, singular }, dtype: m.dtype };
}

/** X with A·X = B (B: n × k, row-major parts), by the factors. */
function luSolve(f: ComplexLu, bRe: Float64Array, bIm: Float64Array, k: number): { re: Float64Array; im: Float64Array } {
  const { n, re, im, perm } = f;
  const xr = new Float64Array(n * k);
  const xi = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      xr[i * k + c] = bRe[perm[i] * k + c];
      xi[i * k + c] = bIm[perm[i] * k + c];
    }
  }
  const eliminate = (i: number, r: number) => {
    const lr = re[i * n + r];
    const li = im[i * n + r];
    if (lr === 0 && li === 0) return;
    for (let c = 0; c < k; c++) {
      const yr = xr[r * k + c];
      const yi = xi[r * k + c];
      xr[i * k + c] -= lr * yr - li * yi;
      xi[i * k + c] -= lr * yi + li * yr;
    }
  };
  for (let i = 0; i < n; i++) for (let r = 0; r < i; r++) eliminate(i, r);
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) eliminate(i, r);
    const pr = re[i * n + i];
    const pi = im[i * n + i];
    const d = pr * pr + pi * pi;
    for (let c = 0; c < k; c++) {
      const yr = xr[i * k + c];
      const yi = xi[i * k + c];
      xr[i * k + c] = (yr * pr + yi * pi) / d;
      xi[i * k + c] = (yi * pr - yr * pi) / d;
    }
  }
  return { re: xr, im: xi };
}

/** x with a·x = b, a or b complex: complex64 when both are single precision, complex128 otherwise (NumPy's linalg). */
export function complexSolve(a: NDArray, b: NDArray): NDArray {
  const { f, dtype } = factor(a, "solve");
  const rhs = readComplexMatrix(b, "solve (b)", true);
  if (rhs.rows !== f.n) throw new InvalidOptionError(`solve: b has ${rhs.rows} rows, a is ${f.n} × ${f.n}: they must match`);
  if (f.singular) throw new LinAlgError("solve: Singular matrix");
  const parts = rowMajor(rhs);
  const x = luSolve(f, parts.re, parts.im, rhs.cols);
  return toComplexNDArray(x.re, x.im, b.shape, dtype === "complex64" && rhs.dtype === "complex64" ? "complex64" : "complex128");
}

export function complexInv(a: NDArray): NDArray {
  const { f, dtype } = factor(a, "inv");
  if (f.singular) throw new LinAlgError("inv: Singular matrix");
  const identity = new Float64Array(f.n * f.n);
  for (let i = 0; i < f.n; i++) identity[i * f.n + i] = 1;
  const x = luSolve(f, identity, new Float64Array(f.n * f.n), f.n);
  return toComplexNDArray(x.re, x.im, [f.n, f.n], dtype);
}

export function complexDet(a: NDArray): NDArray {
  const { f, dtype } = factor(a, "det");
  let signRe = f.swaps % 2 === 0 ? 1 : -1;
  let signIm = 0;
  let logdet = 0;
  for (let i = 0; i < f.n; i++) {
    const dr = f.re[i * f.n + i];
    const di = f.im[i * f.n + i];
    const magnitude = Math.hypot(dr, di);
    if (magnitude === 0) return toComplexNDArray(Float64Array.of(0), Float64Array.of(0), [], dtype);
    const ur = dr / magnitude;
    const ui = di / magnitude;
    [signRe, signIm] = [signRe * ur - signIm * ui, signRe * ui + signIm * ur];
    logdet += Math.log(magnitude);
  }
  const scale = Math.exp(logdet);
  return toComplexNDArray(Float64Array.of(signRe * scale), Float64Array.of(signIm * scale), [], dtype);
}
