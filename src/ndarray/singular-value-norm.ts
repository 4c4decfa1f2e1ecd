/**
 * The matrix norms of the singular values (np.linalg.norm's orders 2, −2 and "nuc"), over the
 * matrices on two axes of an array of any rank, as NumPy's _multi_svd_norm: the two axes moved
 * last, the singular values of each matrix (golub-kahan-svd.ts: each to c·n·ε·‖a‖₂), then their
 * largest, smallest or sum; keepdims puts the two axes back with length 1. A complex matrix
 * takes the singular values of its real embedding (complex-real-embedding.ts), each of which
 * appears there twice; the result is real, in the dtype of the complex halves.
 */
import { ascontiguousarray } from "./copy.js";
import { fromTypedArray } from "./creation.js";
import { embedInterleaved } from "./complex-real-embedding.js";
import { isComplexDType } from "./dtype.js";
import { singularValues } from "./qr-svd.js";
import type { NDArray } from "./ndarray.js";
import { transpose } from "./views.js";

function complexMatrixNorm(storage: ArrayLike<number>, offset: number, rows: number, cols: number, ord: 2 | -2 | "nuc"): number {
  const s = singularValues(embedInterleaved(storage, offset, rows, cols), 2 * rows, 2 * cols);
  return ord === 2 ? s[0] : ord === -2 ? s[s.length - 1] : s.reduce((sum, v) => sum + v, 0) / 2;
}

export function singularValueNorm(x: NDArray, row: number, col: number, ord: 2 | -2 | "nuc", keepdims: boolean): NDArray {
  const others = [...x.shape.keys()].filter((axis) => axis !== row && axis !== col);
  const moved = ascontiguousarray(transpose(x, [...others, row, col]));
  const rows = x.shape[row];
  const cols = x.shape[col];
  const complex = isComplexDType(x.dtype);
  const values = complex ? moved.toStorage() : moved.toTypedArray();
  const count = others.reduce((n, axis) => n * x.shape[axis], 1);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (complex) {
      out[i] = complexMatrixNorm(values as ArrayLike<number>, 2 * i * rows * cols, rows, cols, ord);
      continue;
    }
    const s = singularValues(Float64Array.from(values.subarray(i * rows * cols, (i + 1) * rows * cols) as Float64Array, Number), rows, cols);
    out[i] = ord === 2 ? s[0] : ord === -2 ? s[s.length - 1] : s.reduce((sum, v) => sum + v, 0);
  }
  const shape = keepdims ? x.shape.map((n, axis) => (axis === row || axis === col ? 1 : n)) : others.map((axis) => x.shape[axis]);
  const dtype = x.dtype === "float32" || x.dtype === "complex64" ? "float32" : "float64";
  return fromTypedArray(dtype === "float32" ? Float32Array.from(out) : out, shape, { dtype });
}
