/**
 * `linalg` of tessera/ndarray: NumPy's np.linalg functions tessera has: norm, qr, svd, solve,
 * inv, det, cholesky, lstsq, eigh and eigvalsh, and scipy.linalg's solveTriangular and lu (one
 * matrix each; stacks are refused by name).
 * Every one keeps a float32 input in float32 (NumPy's rule: inexact inputs stay, others become
 * float64). Complex input: norm (a real result: NumPy's |x|, Frobenius, and the 2 / −2 / "nuc"
 * norms from the singular values), qr, svd, solve, inv, det and cholesky (complex-*.ts); lstsq,
 * eigh, eigvalsh, solveTriangular and lu refuse it by name (matrix-data.ts). Each refuses
 * arguments beyond its own, naming them (linalg-parameters.ts).
 */
import { abs, sqrt } from "./unary.js";
import { add, multiply, power } from "./arithmetic.js";
import { notEqual } from "./comparison.js";
import { imag, real } from "./complex.js";
import { astype } from "./copy.js";
import { complexPartDType, isComplexDType, isFloatDType } from "./dtype.js";
import type { NDArray } from "./ndarray.js";
import { type NormOptions, type NormSteps, normWith } from "./norm.js";
import { max, min, sum } from "./reductions.js";
import { singularValueNorm } from "./singular-value-norm.js";
import { qr as qrOf, svd as svdOf } from "./qr-svd.js";
import { solve as solveOf, inv as invOf, det as detOf } from "./lu-solve.js";
import { cholesky as choleskyOf } from "./cholesky.js";
import { lstsq as lstsqOf } from "./lstsq.js";
import { eigh as eighOf, eigvalsh as eigvalshOf } from "./eigh.js";
import { solveTriangular as solveTriangularOf } from "./solve-triangular.js";
import { lu as luOf } from "./lu-decomposition.js";
import { withLinalgParameters as checked } from "./linalg-parameters.js";

export type { QrMode, QrResult, SvdOptions, SvdResult } from "./qr-svd.js";
export type { LstsqResult } from "./lstsq.js";
export type { SolveTriangularOptions } from "./solve-triangular.js";
export { LinAlgError } from "./matrix-data.js";

// Each refuses arguments beyond its own (linalg-parameters.ts); the modules' callers keep the unchecked functions.
export const qr = checked("qr", qrOf);
export const svd = checked("svd", svdOf);
export const solve = checked("solve", solveOf);
export const inv = checked("inv", invOf);
export const det = checked("det", detOf);
export const cholesky = checked("cholesky", choleskyOf);
export const lstsq = checked("lstsq", lstsqOf);
export const eigh = checked("eigh", eighOf);
export const eigvalsh = checked("eigvalsh", eigvalshOf);
export const solveTriangular = checked("solveTriangular", solveTriangularOf);
export const lu = checked("lu", luOf);

export type { NormOptions, NormOrder } from "./norm.js";

const eagerSteps: NormSteps<NDArray> = {
  ndim: (x) => x.ndim,
  // Complex is inexact too: NumPy keeps complex64 / complex128 (each |x| is then real).
  toFloat: (x) => (isFloatDType(x.dtype) || isComplexDType(x.dtype) ? x : astype(x, "float64")),
  abs: (x) => abs(x),
  square: (x) => (isComplexDType(x.dtype) ? squaredMagnitude(x) : multiply(x, x)),
  power: (x, p) => power(x, p),
  sqrt: (x) => sqrt(x),
  nonzero: (x) => astype(notEqual(x, 0), complexPartDType(x.dtype)),
  sum: (x, axis, keepdims) => sum(x, { axis, keepdims }),
  max: (x, axis, keepdims) => max(x, { axis, keepdims }),
  min: (x, axis, keepdims) => min(x, { axis, keepdims }),
  singularValueNorm,
};

/** |x|² = re² + im², real: NumPy's (x.conj() * x).real, whose real part is re·re − (−im)·im, the same roundings. */
function squaredMagnitude(x: NDArray): NDArray {
  const re = real(x);
  const im = imag(x);
  return add(multiply(re, re), multiply(im, im));
}

/** Vector or matrix norm (np.linalg.norm): ord, axis (one or two), keepdims. */
export const norm = checked("norm", function norm(x: NDArray, options?: NormOptions): NDArray {
  return normWith(eagerSteps, x, options);
});
