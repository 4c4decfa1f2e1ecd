/**
 * The singular value decomposition of an m × n matrix with m ≥ n, by Golub and Kahan's method
 * (the algorithm of LINPACK's dsvdc, Golub & Van Loan §8.6): Householder reflections reduce A to
 * an upper bidiagonal B = Uᵦᵀ·A·Vᵦ; implicitly shifted QR sweeps (Wilkinson's shift from the
 * trailing 2 × 2 of BᵀB) then chase B to diagonal, with the splitting and deflation tests that
 * set an entry to 0 once it is below ε times its neighbours. Backward stable: the computed
 * values are exact for A + E with ‖E‖₂ ≲ c·n·ε·‖A‖₂, so |σ − σ̂| ≲ c·n·ε·‖A‖₂ (Weyl).
 * Everything runs on column-major copies (A, U and V column j at j·length), so the reflections
 * and the rotations of column pairs all walk contiguous memory.
 */
import { LinAlgError } from "./matrix-data.js";
import { scaledNorm } from "./householder-qr.js";

export interface BidiagonalSvd {
  /** n values, ≥ 0, descending. */
  s: Float64Array;
  /** m × uCols column-major (column j at j·m); empty when uCols is 0. */
  u: Float64Array;
  /** n × n column-major: column j is the right singular vector j (so row j of Vᵀ). */
  v: Float64Array;
}

const eps = 2 ** -52;
const tiny = 2 ** -966;

/** Σ x[xo + i]·y[yo + i] over i < length. */
function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += x[xo + i] * y[yo + i];
  return sum;
}

/** y[yo + i] += alpha·x[xo + i] over i < length. */
function axpy(alpha: number, x: Float64Array, xo: number, y: Float64Array, yo: number, length: number): void {
  for (let i = 0; i < length; i++) y[yo + i] += alpha * x[xo + i];
}

function rotateColumns(x: Float64Array, length: number, j: number, k: number, cs: number, sn: number): void {
  const a = j * length;
  const b = k * length;
  for (let i = 0; i < length; i++) {
    const xa = x[a + i];
    const xb = x[b + i];
    x[a + i] = cs * xa + sn * xb;
    x[b + i] = cs * xb - sn * xa;
  }
}

function swapColumns(x: Float64Array, length: number, j: number, k: number): void {
  for (let i = 0; i < length; i++) {
    const t = x[j * length + i];
    x[j * length + i] = x[k * length + i];
    x[k * length + i] = t;
  }
}

/**
 * Reduces the column-major `a` (m × n, overwritten) to bidiagonal form: diagonal s, superdiagonal
 * e (e[k] couples s[k] and s[k+1]); U's first uCols columns and V (when wanted) formed from the
 * reflections, backwards as dorgbr does.
 */
function bidiagonalize(a: Float64Array, m: number, n: number, uCols: number, wantV: boolean) {
  const s = new Float64Array(n);
  const e = new Float64Array(n);
  const work = new Float64Array(m);
  const u = new Float64Array(m * uCols);
  const v = new Float64Array(wantV ? n * n : 0);
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  for (let k = 0; k < Math.max(nct, nrt); k++) {
    const ck = k * m;
    if (k < nct) {
      // The left reflection: zero column k below the diagonal; s[k] the new diagonal.
      s[k] = scaledNorm(a, ck + k, ck + m);
      if (s[k] !== 0) {
        if (a[ck + k] < 0) s[k] = -s[k];
        for (let i = k; i < m; i++) a[ck + i] /= s[k];
        a[ck + k] += 1;
      }
      s[k] = -s[k];
    }
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      if (k < nct && s[k] !== 0) {
        axpy(-dot(a, ck + k, a, cj + k, m - k) / a[ck + k], a, ck + k, a, cj + k, m - k);
      }
      e[j] = a[cj + k];
    }
    if (uCols > 0 && k < nct) for (let i = k; i < m; i++) u[ck + i] = a[ck + i];
    if (k < nrt) {
      // The right reflection: zero row k right of the superdiagonal; e[k] the new superdiagonal.
      e[k] = scaledNorm(e, k + 1, n);
      if (e[k] !== 0) {
        if (e[k + 1] < 0) e[k] = -e[k];
        for (let i = k + 1; i < n; i++) e[i] /= e[k];
        e[k + 1] += 1;
      }
      e[k] = -e[k];
      if (k + 1 < m && e[k] !== 0) {
        work.fill(0, k + 1, m);
        for (let j = k + 1; j < n; j++) axpy(e[j], a, j * m + k + 1, work, k + 1, m - k - 1);
        for (let j = k + 1; j < n; j++) axpy(-e[j] / e[k + 1], work, k + 1, a, j * m + k + 1, m - k - 1);
      }
      if (wantV) for (let i = k + 1; i < n; i++) v[k * n + i] = e[i];
    }
  }
  if (nct < n) s[nct] = a[nct * m + nct];
  if (nrt + 1 < n) e[nrt] = a[(n - 1) * m + nrt];
  e[n - 1] = 0;
  for (let j = nct; j < uCols; j++) {
    u.fill(0, j * m, (j + 1) * m);
    u[j * m + j] = 1;
  }
  for (let k = Math.min(nct, uCols) - 1; k >= 0; k--) {
    const ck = k * m;
    if (s[k] !== 0) {
      for (let j = k + 1; j < uCols; j++) {
        const cj = j * m;
        axpy(-dot(u, ck + k, u, cj + k, m - k) / u[ck + k], u, ck + k, u, cj + k, m - k);
      }
      for (let i = k; i < m; i++) u[ck + i] = -u[ck + i];
      u[ck + k] += 1;
      u.fill(0, ck, ck + k);
    } else {
      u.fill(0, ck, ck + m);
      u[ck + k] = 1;
    }
  }
  if (wantV) {
    for (let k = n - 1; k >= 0; k--) {
      const ck = k * n;
      if (k < nrt && e[k] !== 0) {
        for (let j = k + 1; j < n; j++) {
          const cj = j * n;
          axpy(-dot(v, ck + k + 1, v, cj + k + 1, n - k - 1) / v[ck + k + 1], v, ck + k + 1, v, cj + k + 1, n - k - 1);
        }
      }
      v.fill(0, ck, ck + n);
      v[ck + k] = 1;
    }
  }
  return { s, e, u, v };
}

/**
 * The SVD of the row-major `a` (m × n, m ≥ n ≥ 1; not modified): uCols (0, n or m) columns of
 * U, and V when wantV.
 */
export function golubKahanSvd(a: Float64Array, m: number, n: number, uCols: number, wantV: boolean): BidiagonalSvd {
  const columns = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) columns[j * m + i] = a[i * n + j];
  const { s, e, u, v } = bidiagonalize(columns, m, n, uCols, wantV);
  const wantU = uCols > 0;
  let p = n;
  let iterations = 0;
  const maxIterations = 75 * n;
  while (p > 0) {
    if (iterations > maxIterations) throw new LinAlgError("svd: SVD did not converge");
    // Find the trailing unreduced block s[k+1..p-1] and which case it is.
    let k: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]) <= tiny + eps * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    let kase: number;
    if (k === p - 2) kase = 4;
    else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // s[p-1] is negligible: chase e[p-2] out with rotations from the right.
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = Math.hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
        if (wantV) rotateColumns(v, n, j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      // s[k-1] is negligible: split, chasing e[k-1] out with rotations from the left.
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = Math.hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
        if (wantU) rotateColumns(u, m, j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      // One implicitly shifted QR sweep on s[k..p-1].
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = e[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        if (wantV) rotateColumns(v, n, j, j + 1, cs, sn);
        t = Math.hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
        if (wantU && j < m - 1) rotateColumns(u, m, j, j + 1, cs, sn);
      }
      e[p - 2] = f;
      iterations++;
    } else {
      // s[k] has converged: make it nonnegative, then move it into descending order.
      if (s[k] <= 0) {
        s[k] = s[k] < 0 ? -s[k] : 0;
        if (wantV) for (let i = 0; i < n; i++) v[k * n + i] = -v[k * n + i];
      }
      while (k < n - 1 && s[k] < s[k + 1]) {
        const t = s[k];
        s[k] = s[k + 1];
        s[k + 1] = t;
        if (wantV) swapColumns(v, n, k, k + 1);
        if (wantU) swapColumns(u, m, k, k + 1);
        k++;
      }
      iterations = 0;
      p--;
    }
  }
  return { s, u, v };
}
