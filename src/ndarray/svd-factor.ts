/**
 * The singular value decomposition of a row-major float64 matrix (np.linalg.svd's kernel):
 * golub-kahan-svd.ts on A (m ≥ n) or on Aᵀ (a wide A). A tall A (m ≥ 1.6·n, LAPACK dgesvd's
 * crossover) is first reduced by Householder QR, A = Q·R, and the n × n R decomposed:
 * A = (Q·U_R)·S·Vᵀ, which costs ~2mn² where bidiagonalizing A itself costs ~4mn² and rotates
 * U's long columns. Singular values come out descending and ≥ 0; vector signs are those of
 * the algorithm (NumPy's are LAPACK's: neither is unique).
 */
import { golubKahanSvd } from "./golub-kahan-svd.js";
import { balancingScale, formQColumns, householderFactor, upperR } from "./householder-qr.js";

export interface SvdFactors {
  /** rows × uCols, row-major (uCols = rows when full, else k); empty without vectors. */
  u: Float64Array;
  uCols: number;
  /** k = min(rows, cols) values, descending. */
  s: Float64Array;
  /** vRows × cols, row-major (vRows = cols when full, else k); empty without vectors. */
  vh: Float64Array;
  vRows: number;
}

const tallRatio = 1.6;

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/** U (m × uCols row-major) = Q·blockdiag(U_R, I): Q column-major m × uCols, U_R column-major n × n. */
function combineTall(q: Float64Array, m: number, uCols: number, uR: Float64Array, n: number): Float64Array {
  const u = new Float64Array(m * uCols);
  // Row i of Q·U_R: Σ_c Q[i, c]·U_R[c, j]; the loops run over contiguous columns of Q.
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < n; c++) row[c] = q[c * m + i];
    for (let j = 0; j < n; j++) {
      let sum = 0;
      const base = j * n;
      for (let c = 0; c < n; c++) sum += row[c] * uR[base + c];
      u[i * uCols + j] = sum;
    }
    for (let j = n; j < uCols; j++) u[i * uCols + j] = q[j * m + i];
  }
  return u;
}

/** The SVD of a (rows × cols, row-major); U and Vᵀ only when computeUv. */
export function svdFactor(a: Float64Array, rows: number, cols: number, full: boolean, computeUv = true): SvdFactors {
  const k = Math.min(rows, cols);
  if (k === 0) {
    // No singular values: the full U and Vᵀ are identities, the reduced ones empty.
    const uCols = computeUv && full ? rows : 0;
    const vRows = computeUv && full ? cols : 0;
    return { u: identity(uCols), uCols, s: new Float64Array(0), vh: identity(vRows), vRows };
  }
  if (rows < cols) {
    const t = svdFactor(transpose(a, rows, cols), cols, rows, full, computeUv);
    // Aᵀ = U'·S·V'ᵀ, so A = V'·S·U'ᵀ: U = V' (= vh'ᵀ), vh = U'ᵀ.
    return { u: transpose(t.vh, t.vRows, rows), uCols: t.vRows, s: t.s, vh: transpose(t.u, cols, t.uCols), vRows: t.uCols };
  }
  const scale = balancingScale(a);
  if (scale !== 1) {
    const f = svdFactor(a.map((x) => x * scale), rows, cols, full, computeUv);
    return { ...f, s: f.s.map((x) => x / scale) };
  }
  const n = cols;
  const uCols = computeUv ? (full ? rows : n) : 0;
  let s: Float64Array;
  let u: Float64Array;
  let v: Float64Array;
  if (rows >= tallRatio * n) {
    const factors = householderFactor(a, rows, n);
    const inner = golubKahanSvd(upperR(factors, n), n, n, computeUv ? n : 0, computeUv);
    s = inner.s;
    v = inner.v;
    u = computeUv ? combineTall(formQColumns(factors, uCols), rows, uCols, inner.u, n) : new Float64Array(0);
  } else {
    const out = golubKahanSvd(a, rows, n, uCols, computeUv);
    s = out.s;
    v = out.v;
    u = computeUv ? transpose(out.u, uCols, rows) : new Float64Array(0);
  }
  // V column-major is Vᵀ row-major.
  return { u, uCols, s, vh: v, vRows: computeUv ? n : 0 };
}
