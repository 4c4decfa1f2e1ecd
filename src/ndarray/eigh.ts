/**
 * np.linalg.eigh and eigvalsh of one symmetric matrix (symmetric-tridiagonal.ts holds the
 * algorithm, Householder tridiagonalization and implicit QL, and its error bound). The
 * eigenvalues come out ascending (as LAPACK's dsyevd) and the eigenvectors as columns. Only
 * the triangle `uplo` names is read ("L", NumPy's default, or "U"), the other mirrored from it.
 * Eigenvector signs are not unique (LAPACK's differ): tests compare A·v = v·diag(w).
 */
import { InvalidOptionError } from "../core/errors.js";
import { checkOptionKeys, readMatrix, requireFinite, requireSquare, toNDArray } from "./matrix-data.js";
import type { NDArray } from "./ndarray.js";
import { symmetricEigen } from "./symmetric-tridiagonal.js";

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
  const { w, v } = symmetricEigen(data, n, true);
  return { w: toNDArray(w, [n], dtype), v: toNDArray(v, [n, n], dtype) };
}

/** The eigenvalues of a symmetric matrix, ascending (np.linalg.eigvalsh). */
export function eigvalsh(a: NDArray, options?: { uplo?: "L" | "U" }): NDArray {
  const { n, data, dtype } = readSymmetric(a, options, "eigvalsh");
  return toNDArray(symmetricEigen(data, n, false).w, [n], dtype);
}
