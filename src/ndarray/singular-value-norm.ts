/**
 * The matrix norms of the singular values (np.linalg.norm's orders 2, −2 and "nuc"), over the
 * matrices on two axes of an array of any rank, as NumPy's _multi_svd_norm: the two axes moved
 * last, the singular values of each matrix (golub-kahan-svd.ts: each to c·n·ε·‖a‖₂), then their
 * largest, smallest or sum; keepdims puts the two axes back with length 1.
 */
import { ascontiguousarray } from "./copy.js";
import { fromTypedArray } from "./creation.js";
import { singularValues } from "./qr-svd.js";
import type { NDArray } from "./ndarray.js";
import { transpose } from "./views.js";

export function singularValueNorm(x: NDArray, row: number, col: number, ord: 2 | -2 | "nuc", keepdims: boolean): NDArray {
  const others = [...x.shape.keys()].filter((axis) => axis !== row && axis !== col);
  const moved = ascontiguousarray(transpose(x, [...others, row, col]));
  const rows = x.shape[row];
  const cols = x.shape[col];
  const values = moved.toTypedArray();
  const count = others.reduce((n, axis) => n * x.shape[axis], 1);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const s = singularValues(Float64Array.from(values.subarray(i * rows * cols, (i + 1) * rows * cols) as Float64Array, Number), rows, cols);
    out[i] = ord === 2 ? s[0] : ord === -2 ? s[s.length - 1] : s.reduce((sum, v) => sum + v, 0);
  }
  const shape = keepdims ? x.shape.map((n, axis) => (axis === row || axis === col ? 1 : n)) : others.map((axis) => x.shape[axis]);
  const dtype = x.dtype === "float32" ? "float32" : "float64";
  return fromTypedArray(dtype === "float32" ? Float32Array.from(out) : out, shape, { dtype });
}
