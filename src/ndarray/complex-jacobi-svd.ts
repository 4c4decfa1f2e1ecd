/**
 * The SVD of a complex matrix by one-sided (Hestenes) Jacobi: the columns of W = A·V are made
 * mutually orthogonal by plane rotations with a phase, W's column norms are the singular
 * values, U = W's columns normalized. For columns p, q with α = ‖w_p‖², β = ‖w_q‖² and
 * γ = w_pᴴ·w_q = |γ|·e^{iφ}, the rotation of w_p and e^{−iφ}·w_q (whose inner product is the
 * real |γ|) by the classical Jacobi angle, ζ = (β − α)/(2|γ|), t = sign(ζ)/(|ζ| + √(1 + ζ²)),
 * zeroes their inner product; sweeps repeat until every pair is orthogonal to
 * |γ| ≤ ε·√(αβ) (Demmel & Veselić: singular values to high relative accuracy, U's and V's
 * columns orthonormal to O(ε) whatever the conditioning). Columns of U beyond the nonzero
 * singular values (a rank-deficient matrix, or fullMatrices' M − N more) complete the basis
 * from the complete Q of the others' QR. Singular values descend; a wide matrix takes the SVD
 * of its conjugate transpose. Row-major split re / im storage in and out.
 */

import { complexFormQ, complexHouseholderFactor } from "./complex-householder-qr.js";

export interface ComplexSvdFactors {
  s: Float64Array;
  /** U: rows × uCols, row-major parts. */
  uRe: Float64Array;
  uIm: Float64Array;
  uCols: number;
  /** Vᴴ: vRows × cols, row-major parts. */
  vhRe: Float64Array;
  vhIm: Float64Array;
  vRows: number;
}

const maxSweeps = 80;

/** Column-major columns of a rows × cols matrix (column j at j·rows). */
interface Columns {
  re: Float64Array;
  im: Float64Array;
  rows: number;
}

function columnNorm2(m: Columns, j: number): number {
  let sum = 0;
  for (let i = j * m.rows; i < (j + 1) * m.rows; i++) sum += m.re[i] * m.re[i] + m.im[i] * m.im[i];
  return sum;
}

/** Rotates columns p, q of m: w_p ← c·w_p − s·e^{−iφ}·w_q, w_q ← s·e^{iφ}·w_p + c·w_q. */
function rotate(m: Columns, p: number, q: number, c: number, s: number, cosPhi: number, sinPhi: number): void {
  const a = p * m.rows;
  const b = q * m.rows;
  for (let i = 0; i < m.rows; i++) {
    const pr = m.re[a + i];
    const pi = m.im[a + i];
    const qr = m.re[b + i];
    const qi = m.im[b + i];
    // e^{−iφ}·w_q and e^{iφ}·w_p.
    const uqr = cosPhi * qr + sinPhi * qi;
    const uqi = cosPhi * qi - sinPhi * qr;
    const upr = cosPhi * pr - sinPhi * pi;
    const upi = cosPhi * pi + sinPhi * pr;
    m.re[a + i] = c * pr - s * uqr;
    m.im[a + i] = c * pi - s * uqi;
    m.re[b + i] = s * upr + c * qr;
    m.im[b + i] = s * upi + c * qi;
  }
}

/** One-sided Jacobi on a tall (rows ≥ cols) matrix given column-major. */
function jacobiTall(re: Float64Array, im: Float64Array, rows: number, cols: number, full: boolean, computeUv: boolean): ComplexSvdFactors {
  const w: Columns = { re: Float64Array.from(re), im: Float64Array.from(im), rows };
  const v: Columns = { re: new Float64Array(cols * cols), im: new Float64Array(cols * cols), rows: cols };
  for (let j = 0; j < cols; j++) v.re[j * cols + j] = 1;
  const eps = 2 ** -53;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        const alpha = columnNorm2(w, p);
        const beta = columnNorm2(w, q);
        let gr = 0;
        let gi = 0;
        for (let i = 0; i < rows; i++) {
          const pr = w.re[p * rows + i];
          const pi = w.im[p * rows + i];
          const qr = w.re[q * rows + i];
          const qi = w.im[q * rows + i];
          gr += pr * qr + pi * qi;
          gi += pr * qi - pi * qr;
        }
        const g = Math.hypot(gr, gi);
        if (g === 0 || g <= eps * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * g);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(w, p, q, c, s, gr / g, gi / g);
        if (computeUv) rotate(v, p, q, c, s, gr / g, gi / g);
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: cols }, (_, j) => Math.sqrt(columnNorm2(w, j)));
  const order = norms.map((_, j) => j).sort((x, y) => norms[y] - norms[x]);
  const s = Float64Array.from(order, (j) => norms[j]);
  if (!computeUv) return { s, uRe: new Float64Array(0), uIm: new Float64Array(0), uCols: 0, vhRe: new Float64Array(0), vhIm: new Float64Array(0), vRows: 0 };
  const uCols = full ? rows : cols;
  const u: Columns = { re: new Float64Array(rows * uCols), im: new Float64Array(rows * uCols), rows };
  const accepted: number[] = [];
  for (let k = 0; k < cols; k++) {
    const j = order[k];
    if (!(s[k] > 0)) continue;
    for (let i = 0; i < rows; i++) {
      u.re[k * rows + i] = w.re[j * rows + i] / s[k];
      u.im[k * rows + i] = w.im[j * rows + i] / s[k];
    }
    accepted.push(k);
  }
  completeBasis(u, uCols, accepted);
  // Vᴴ: row k is the conjugate of V's column order[k].
  const vhRe = new Float64Array(cols * cols);
  const vhIm = new Float64Array(cols * cols);
  for (let k = 0; k < cols; k++) {
    const j = order[k];
    for (let i = 0; i < cols; i++) {
      vhRe[k * cols + i] = v.re[j * cols + i];
      vhIm[k * cols + i] = -v.im[j * cols + i];
    }
  }
  const uRe = new Float64Array(rows * uCols);
  const uIm = new Float64Array(rows * uCols);
  for (let k = 0; k < uCols; k++) {
    for (let i = 0; i < rows; i++) {
      uRe[i * uCols + k] = u.re[k * rows + i];
      uIm[i * uCols + k] = u.im[k * rows + i];
    }
  }
  return { s, uRe, uIm, uCols, vhRe, vhIm, vRows: cols };
}

/**
 * Fills the columns of u not in `accepted` with an orthonormal basis of the complement of the
 * accepted ones: the trailing columns of the complete Q of their QR (complex-householder-qr.ts).
 */
function completeBasis(u: Columns, uCols: number, accepted: readonly number[]): void {
  const rows = u.rows;
  const r = accepted.length;
  if (r === uCols) return;
  const re = new Float64Array(rows * r);
  const im = new Float64Array(rows * r);
  accepted.forEach((k, c) => {
    re.set(u.re.subarray(k * rows, (k + 1) * rows), c * rows);
    im.set(u.im.subarray(k * rows, (k + 1) * rows), c * rows);
  });
  const q = complexFormQ(complexHouseholderFactor(re, im, rows, r), rows);
  const done = new Set(accepted);
  let next = r;
  for (let k = 0; k < uCols; k++) {
    if (done.has(k)) continue;
    for (let i = 0; i < rows; i++) {
      u.re[k * rows + i] = q.re[i * rows + next];
      u.im[k * rows + i] = q.im[i * rows + next];
    }
    next++;
  }
}

/** The SVD of a complex rows × cols matrix given column-major re / im. */
/** The conjugate transpose of a rows × cols row-major complex matrix (split parts): cols × rows. */
function conjugateTranspose(re: Float64Array, im: Float64Array, rows: number, cols: number): { re: Float64Array; im: Float64Array } {
  const outRe = new Float64Array(rows * cols);
  const outIm = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      outRe[j * rows + i] = re[i * cols + j];
      outIm[j * rows + i] = -im[i * cols + j];
    }
  }
  return { re: outRe, im: outIm };
}

export function complexSvdFactor(re: Float64Array, im: Float64Array, rows: number, cols: number, full: boolean, computeUv: boolean): ComplexSvdFactors {
  if (rows >= cols) return jacobiTall(re, im, rows, cols, full, computeUv);
  // A = (Aᴴ)ᴴ = (U' S V'ᴴ)ᴴ = V' S U'ᴴ: the conjugate transpose, column-major, is A's rows conjugated.
  const { re: tRe, im: tIm } = conjugateTranspose(re, im, cols, rows);
  const f = jacobiTall(tRe, tIm, cols, rows, full, computeUv);
  if (!computeUv) return f;
  // U = V' = (V'ᴴ)ᴴ: rows × rows; Vh = U'ᴴ: uCols' × cols.
  const { re: uRe, im: uIm } = conjugateTranspose(f.vhRe, f.vhIm, rows, rows);
  const vRows = f.uCols;
  const { re: vhRe, im: vhIm } = conjugateTranspose(f.uRe, f.uIm, cols, vRows);
  return { s: f.s, uRe, uIm, uCols: rows, vhRe, vhIm, vRows };
}
