/**
 * np.linalg.eigh and eigvalsh of one symmetric matrix by the cyclic Jacobi method: rotations
 * that zero one off-diagonal pair at a time, sweep after sweep, until every off-diagonal entry
 * is below ε times its diagonal neighbours' scale; the diagonal is then the eigenvalues
 * (returned ascending, as LAPACK's dsyevd) and the accumulated rotations the eigenvectors
 * (columns). Only the triangle `uplo` names is read ("L", NumPy's default, or "U"), the other
 * mirrored from it. Jacobi is backward stable: |λ − λ̂| ≲ c·n·ε·‖A‖₂ (Demmel & Veselić).
 * Eigenvector signs are not unique (LAPACK's differ): tests compare A·v = v·diag(w).
 */
import { InvalidOptionError } from "../core/errors.js";
import { checkOptionKeys, readMatrix, requireFinite, requireSquare, toNDArray } from "./matrix-data.js";
import type { NDArray } from "./ndarray.js";

const maxSweeps = 80;

function jacobiEigen(a: Float64Array, n: number): { w: Float64Array; v: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const eps = 2 ** -53;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        const app = m[p * n + p];
        const aqq = m[q * n + q];
        if (apq === 0 || Math.abs(apq) <= eps * Math.sqrt(Math.abs(app * aqq))) continue;
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // M ← Jᵀ·M·J on rows and columns p, q; V ← V·J.
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
    if (!rotated) break;
  }
  const diagonal = Array.from({ length: n }, (_, i) => m[i * n + i]);
  const order = [...diagonal.keys()].sort((i, j) => diagonal[i] - diagonal[j] || i - j);
  const w = Float64Array.from(order, (i) => diagonal[i]);
  const sorted = new Float64Array(n * n);
  order.forEach((from, to) => { for (let k = 0; k < n; k++) sorted[k * n + to] = v[k * n + from]; });
  return { w, v: sorted };
}

function readSymmetric(a: NDArray, options: { uplo?: "L" | "U" } | undefined, what: string) {
  checkOptionKeys(options, ["uplo"], what);
  const uplo = options?.uplo ?? "L";
  if (uplo !== "L" && uplo !== "U") throw new InvalidOptionError(`${what}: uplo must be "L" or "U", got ${JSON.stringify(uplo)}`);
  const m = readMatrix(a, what);
  requireSquare(m, what);
  const n = m.rows;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const [r, c] = (uplo === "L") === (i >= j) ? [i, j] : [j, i];
    data[i * n + j] = m.data[r * n + c];
  }
  requireFinite({ ...m, data }, what);
  return { n, data, dtype: m.dtype };
}

/** { w, v }: the eigenvalues ascending and the eigenvectors as columns (np.linalg.eigh). */
export function eigh(a: NDArray, options?: { uplo?: "L" | "U" }): { w: NDArray; v: NDArray } {
  const { n, data, dtype } = readSymmetric(a, options, "eigh");
  const { w, v } = jacobiEigen(data, n);
  return { w: toNDArray(w, [n], dtype), v: toNDArray(v, [n, n], dtype) };
}

/** The eigenvalues of a symmetric matrix, ascending (np.linalg.eigvalsh). */
export function eigvalsh(a: NDArray, options?: { uplo?: "L" | "U" }): NDArray {
  const { n, data, dtype } = readSymmetric(a, options, "eigvalsh");
  return toNDArray(jacobiEigen(data, n).w, [n], dtype);
}
