/**
 * The eigen-decomposition of a real symmetric matrix (np.linalg.eigh's kernel) by the method of
 * EISPACK's tred2 and tql2 (Wilkinson & Reinsch, Handbook for Automatic Computation II):
 * Householder reflections reduce A to a symmetric tridiagonal T = Qᵀ·A·Q (working up from the
 * last row), then the implicit QL algorithm with Wilkinson's shift diagonalizes T, each of its
 * plane rotations also applied to Q's columns. Backward stable: the eigenvalues are exact for
 * A + E with ‖E‖₂ ≲ c·n·ε·‖A‖₂, so |λ − λ̂| ≲ c·n·ε·‖A‖₂ (Weyl).
 * The matrix is held transposed (W = Qᵀ, row j = column j of Q): every inner loop of both steps
 * runs along a contiguous row, where the textbook column walks would stride by n.
 */
import { balancingScale } from "./householder-qr.js";
import { LinAlgError } from "./matrix-data.js";

const eps = 2 ** -52;

/**
 * Tridiagonalizes the symmetric n × n `w` (row-major, both triangles; overwritten): d the
 * diagonal, e the subdiagonal in e[1..n-1] (e[0] = 0); with `wantVectors`, w becomes Qᵀ.
 */
function tridiagonalize(w: Float64Array, n: number, wantVectors: boolean): { d: Float64Array; e: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // W[b·n + a] stands for the textbook V[a][b]; the reduction reads V's lower triangle.
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      e.fill(0, 0, i);
      // e ← A·u over the leading i × i block (its lower triangle, i.e. rows of W).
      for (let j = 0; j < i; j++) {
        const row = j * n;
        f = d[j];
        w[i * n + j] = f;
        g = e[j] + w[row + j] * f;
        for (let k = j + 1; k < i; k++) {
          g += w[row + k] * d[k];
          e[k] += w[row + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const row = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k < i; k++) w[row + k] -= f * e[k] + g * d[k];
        d[j] = w[row + i - 1];
        w[row + i] = 0;
      }
    }
    d[i] = h;
  }
  if (!wantVectors) {
    for (let j = 0; j < n; j++) d[j] = w[j * n + j];
    e[0] = 0;
    return { d, e };
  }
  // Accumulate the reflections into Q (held as W = Qᵀ).
  for (let i = 0; i < n - 1; i++) {
    w[i * n + n - 1] = w[i * n + i];
    w[i * n + i] = 1;
    const h = d[i + 1];
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[next + k] / h;
      for (let j = 0; j <= i; j++) {
        const row = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[next + k] * w[row + k];
        for (let k = 0; k <= i; k++) w[row + k] -= g * d[k];
      }
    }
    w.fill(0, next, next + i + 1);
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1];
    w[j * n + n - 1] = 0;
  }
  w[n * n - 1] = 1;
  e[0] = 0;
  return { d, e };
}

/** Diagonalizes the tridiagonal (d, e) by implicit QL; rotates the rows of `w` (Qᵀ) when given. */
function tridiagonalQl(d: Float64Array, e: Float64Array, n: number, w: Float64Array | null): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let shiftSum = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 30 * n) throw new LinAlgError("eigh: Eigenvalues did not converge");
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        shiftSum += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (w !== null) {
            const a = i * n;
            const b = (i + 1) * n;
            for (let k = 0; k < n; k++) {
              const wa = w[a + k];
              const wb = w[b + k];
              w[b + k] = s * wa + c * wb;
              w[a + k] = c * wa - s * wb;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += shiftSum;
    e[l] = 0;
  }
}

/**
 * The eigenvalues of the symmetric row-major `a` (n × n, both triangles; not modified),
 * ascending, and with `wantVectors` the eigenvectors as the columns of v (row-major n × n).
 */
export function symmetricEigen(a: Float64Array, n: number, wantVectors: boolean): { w: Float64Array; v: Float64Array } {
  if (n === 0) return { w: new Float64Array(0), v: new Float64Array(0) };
  const scale = balancingScale(a);
  const work = Float64Array.from(a, (x) => x * scale);
  const { d, e } = tridiagonalize(work, n, wantVectors);
  tridiagonalQl(d, e, n, wantVectors ? work : null);
  const order = [...d.keys()].sort((i, j) => d[i] - d[j] || i - j);
  const w = Float64Array.from(order, (i) => d[i] / scale);
  if (!wantVectors) return { w, v: new Float64Array(0) };
  const v = new Float64Array(n * n);
  order.forEach((from, to) => { for (let k = 0; k < n; k++) v[k * n + to] = work[from * n + k]; });
  return { w, v };
}
