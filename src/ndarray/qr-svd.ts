/**
 * np.linalg.qr and np.linalg.svd of one matrix (householder-qr.ts, svd-factor.ts and golub-kahan-svd.ts hold the
 * algorithms and their error bounds). qr's modes are NumPy's "reduced" (Q: M × K, R: K × N,
 * K = min(M, N)), "complete" (Q: M × M, R: M × N) and "r" (R alone); "raw" is refused.
 * Complex input: complex-qr.ts (zgeqrf / zungqr's conventions) and complex-svd.ts (one-sided
 * Jacobi; singular vectors up to a phase each).
 * svd returns { u, s, vh } with NumPy's shapes for fullMatrices (default true) or not, and s
 * alone with computeUv false.
 */
import { InvalidOptionError } from "../core/errors.js";
import { formQ, householderFactor, upperR } from "./householder-qr.js";
import { svdFactor } from "./svd-factor.js";
import { checkOptionKeys, isNDArrayLike, readMatrix, requireFinite, toNDArray } from "./matrix-data.js";
import { complexQr } from "./complex-qr.js";
import { complexSvd } from "./complex-svd.js";
import { isComplexDType } from "./dtype.js";
import type { NDArray } from "./ndarray.js";

export type QrMode = "reduced" | "complete" | "r";

export interface QrResult {
  q: NDArray;
  r: NDArray;
}

export function qr(a: NDArray, options: { mode: "r" }): NDArray;
export function qr(a: NDArray, options?: { mode?: "reduced" | "complete" }): QrResult;
export function qr(a: NDArray, options?: { mode?: QrMode }): QrResult | NDArray;
export function qr(a: NDArray, options?: { mode?: QrMode }): QrResult | NDArray {
  checkOptionKeys(options, ["mode"], "qr");
  const mode = options?.mode ?? "reduced";
  if (!["reduced", "complete", "r"].includes(mode)) throw new InvalidOptionError(`qr: unrecognized mode ${JSON.stringify(mode)}; use "reduced", "complete" or "r"`);
  if (isNDArrayLike(a) && isComplexDType(a.dtype)) return complexQr(a, mode);
  const m = readMatrix(a, "qr");
  const k = Math.min(m.rows, m.cols);
  const factors = householderFactor(m.data, m.rows, m.cols);
  const rRows = mode === "complete" ? m.rows : k;
  const r = toNDArray(upperR(factors, rRows), [rRows, m.cols], m.dtype);
  if (mode === "r") return r;
  const qCols = mode === "complete" ? m.rows : k;
  return { q: toNDArray(formQ(factors, qCols), [m.rows, qCols], m.dtype), r };
}

export interface SvdOptions {
  fullMatrices?: boolean;
  computeUv?: boolean;
}

export interface SvdResult {
  u: NDArray;
  s: NDArray;
  vh: NDArray;
}

export function svd(a: NDArray, options: SvdOptions & { computeUv: false }): NDArray;
export function svd(a: NDArray, options?: SvdOptions & { computeUv?: true }): SvdResult;
export function svd(a: NDArray, options?: SvdOptions): SvdResult | NDArray;
export function svd(a: NDArray, options?: SvdOptions): SvdResult | NDArray {
  checkOptionKeys(options, ["fullMatrices", "computeUv"], "svd");
  const full = options?.fullMatrices ?? true;
  const computeUv = options?.computeUv ?? true;
  for (const [name, value] of [["fullMatrices", full], ["computeUv", computeUv]] as const) {
    if (typeof value !== "boolean") throw new InvalidOptionError(`svd: ${name} must be true or false, got ${JSON.stringify(value)}`);
  }
  if (isNDArrayLike(a) && isComplexDType(a.dtype)) return complexSvd(a, full, computeUv);
  const m = readMatrix(a, "svd");
  requireFinite(m, "svd");
  const f = svdFactor(m.data, m.rows, m.cols, full, computeUv);
  const s = toNDArray(f.s, [f.s.length], m.dtype);
  if (!computeUv) return s;
  return { u: toNDArray(f.u, [m.rows, f.uCols], m.dtype), s, vh: toNDArray(f.vh, [f.vRows, m.cols], m.dtype) };
}

/** The singular values of a matrix in float64, descending (norm's orders 2, −2 and "nuc"). */
export function singularValues(a: Float64Array, rows: number, cols: number): Float64Array {
  return svdFactor(a, rows, cols, false, false).s;
}
