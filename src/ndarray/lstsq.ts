/**
 * np.linalg.lstsq through the SVD (NumPy calls LAPACK's dgelsd, also SVD-based): x = V·Σ⁺·Uᵀ·b
 * where Σ⁺ inverts the singular values above rcond·s_max and zeroes the rest; rank counts them.
 * rcond as NumPy 1.24: left out, its legacy value −1, i.e. machine precision (dgelsd reads
 * rcond ≤ 0 or ≥ 1 as ε/2, LAPACK's dlamch('E') of the result dtype); null, NumPy's new
 * default ε·max(M, N). The results are NumPy's four: x ((N,) or (N, K)), residuals (the squared
 * 2-norm of each column of b − a·x, shape (K,) or (1,), empty when rank < N or M ≤ N), rank
 * and s. Error of x: the SVD's, amplified by the condition number of the kept part (Higham §20).
 */
import { InvalidOptionError } from "../core/errors.js";
import { svdFactor } from "./svd-factor.js";
import { checkOptionKeys, readMatrix, requireFinite, toNDArray } from "./matrix-data.js";
import type { NDArray } from "./ndarray.js";

export interface LstsqResult {
  x: NDArray;
  residuals: NDArray;
  rank: number;
  s: NDArray;
}

export function lstsq(a: NDArray, b: NDArray, options?: { rcond?: number | null }): LstsqResult {
  checkOptionKeys(options, ["rcond"], "lstsq");
  const given = options?.rcond;
  if (!(given === undefined || given === null || (typeof given === "number" && !Number.isNaN(given)))) throw new InvalidOptionError(`lstsq: rcond must be a number or null, got ${JSON.stringify(given)}`);
  const am = readMatrix(a, "lstsq");
  const bm = readMatrix(b, "lstsq (b)", true);
  if (bm.rows !== am.rows) throw new InvalidOptionError(`lstsq: b has ${bm.rows} rows, a has ${am.rows}: they must match`);
  requireFinite(am, "lstsq");
  const dtype = a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
  const eps = dtype === "float32" ? 2 ** -23 : 2 ** -52;
  const { rows: m, cols: n } = am;
  const k = bm.cols;
  const rcond = given === null ? eps * Math.max(m, n) : given === undefined || given <= 0 || given >= 1 ? eps / 2 : given;
  const f = svdFactor(am.data, m, n, false);
  const kMin = f.s.length;
  const cutoff = rcond * (kMin > 0 ? f.s[0] : 0);
  let rank = 0;
  while (rank < kMin && f.s[rank] > cutoff) rank++;
  // x = Σ_j v_j (u_jᵀ b) / s_j over the kept j.
  const x = new Float64Array(n * k);
  for (let j = 0; j < rank; j++) {
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += f.u[i * f.uCols + j] * bm.data[i * k + c];
      const w = dot / f.s[j];
      for (let i = 0; i < n; i++) x[i * k + c] += f.vh[j * n + i] * w;
    }
  }
  let residuals = new Float64Array(0);
  if (rank === n && m > n) {
    residuals = new Float64Array(k);
    for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax += am.data[i * n + j] * x[j * k + c];
      residuals[c] += (bm.data[i * k + c] - ax) ** 2;
    }
  }
  const xShape = b.ndim === 1 ? [n] : [n, k];
  return { x: toNDArray(x, xShape, dtype), residuals: toNDArray(residuals, [residuals.length], dtype), rank, s: toNDArray(f.s, [kMin], dtype) };
}
