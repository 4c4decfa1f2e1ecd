/**
 * The singular value decomposition of a row-major float64 matrix by one-sided (Hestenes)
 * Jacobi: rotations of column pairs until every pair is orthogonal to ε (relative to the
 * pair's norms); then the column norms are the singular values, the normalized columns the
 * left singular vectors, the accumulated rotations the right ones. A tall matrix is first
 * reduced by Householder QR (A = Q·R, Jacobi on the square R, U = Q·U_R); a wide one is
 * decomposed transposed. Jacobi is backward stable and computes each singular value to high
 * relative accuracy: |s − ŝ| ≲ c·n·ε·‖A‖₂. Singular vectors of zero singular values, and the
 * extra columns of the full U, complete the others to an orthonormal basis through a complete
 * Householder QR of them. Singular values come out descending; vector signs are Jacobi's
 * (NumPy's are LAPACK's: neither is unique).
 */
import { formQ, householderFactor, upperR } from "./householder-qr.js";

export interface SvdFactors {
  /** rows × uCols, row-major (uCols = rows when full, else k). */
  u: Float64Array;
  uCols: number;
  /** k = min(rows, cols) values, descending. */
  s: Float64Array;
  /** vRows × cols, row-major (vRows = cols when full, else k). */
  vh: Float64Array;
  vRows: number;
}

const maxSweeps = 80;

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

/** Jacobi on a square n × n matrix: columns (as separate vectors) and V (n × n, columns). */
function jacobiSquare(a: Float64Array, n: number): { columns: Float64Array[]; v: Float64Array[] } {
  const columns = Array.from({ length: n }, (_, j) => Float64Array.from({ length: n }, (_, i) => a[i * n + j]));
  const v = Array.from({ length: n }, (_, j) => Float64Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)));
  const eps = 2 ** -53;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const x = columns[p];
        const y = columns[q];
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < n; i++) {
          alpha += x[i] * x[i];
          beta += y[i] * y[i];
          gamma += x[i] * y[i];
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (const [left, right] of [[x, y], [v[p], v[q]]]) {
          for (let i = 0; i < n; i++) {
            const l = left[i];
            const r = right[i];
            left[i] = c * l - s * r;
            right[i] = s * l + c * r;
          }
        }
      }
    }
    if (!rotated) break;
  }
  return { columns, v };
}

/** Completes the orthonormal columns `known` (each of length m) to m columns, in place of `missing`. */
function complete(known: Float64Array[], m: number, total: number): Float64Array[] {
  if (known.length >= total) return known.slice(0, total);
  const r = known.length;
  const stacked = new Float64Array(m * r);
  known.forEach((col, j) => col.forEach((value, i) => { stacked[i * r + j] = value; }));
  const q = formQ(householderFactor(stacked, m, r), m);
  const extra = Array.from({ length: total - r }, (_, e) => Float64Array.from({ length: m }, (_, i) => q[i * m + r + e]));
  return [...known, ...extra];
}

/** The SVD of a (rows × cols, row-major). */
export function svdFactor(a: Float64Array, rows: number, cols: number, full: boolean): SvdFactors {
  if (rows < cols) {
    const t = svdFactor(transpose(a, rows, cols), cols, rows, full);
    // Aᵀ = U'·S·V'ᵀ, so A = V'·S·U'ᵀ: U = V' (= vh'ᵀ), vh = U'ᵀ.
    return { u: transpose(t.vh, t.vRows, rows), uCols: t.vRows, s: t.s, vh: transpose(t.u, cols, t.uCols), vRows: t.uCols };
  }
  const n = cols;
  const factors = householderFactor(a, rows, cols);
  const { columns, v } = jacobiSquare(upperR(factors, n), n);
  const q = formQ(factors, n);
  const norms = columns.map((col) => Math.hypot(...col));
  const order = [...norms.keys()].sort((i, j) => norms[j] - norms[i] || i - j);
  const s = Float64Array.from(order, (j) => norms[j]);
  // U = Q·(column / norm) for the nonzero singular values; the rest complete the basis.
  const known: Float64Array[] = [];
  for (const j of order) {
    if (norms[j] === 0) break;
    const unit = columns[j].map((x) => x / norms[j]);
    known.push(Float64Array.from({ length: rows }, (_, i) => {
      let sum = 0;
      for (let c = 0; c < n; c++) sum += q[i * n + c] * unit[c];
      return sum;
    }));
  }
  const uCols = full ? rows : n;
  const uColumns = complete(known, rows, uCols);
  const u = new Float64Array(rows * uCols);
  uColumns.forEach((col, j) => col.forEach((value, i) => { u[i * uCols + j] = value; }));
  const vh = new Float64Array(n * n);
  order.forEach((j, row) => v[j].forEach((value, c) => { vh[row * n + c] = value; }));
  return { u, uCols, s, vh, vRows: n };
}
