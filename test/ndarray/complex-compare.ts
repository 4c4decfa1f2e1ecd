/**
 * Comparing arrays that may be complex with NumPy's, and deterministic complex inputs.
 * Tolerance is relative to the largest magnitude of the expected array (the error model of an
 * FFT or a sum); `tolerance: 0` asks for identical values (NaN equals NaN).
 */
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";

export function assertCloseArray(actual: nd.NDArray, expected: nd.NDArray, label: string, tolerance = 0): void {
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  const a = nd.ascontiguousarray(actual).toStorage();
  const b = nd.ascontiguousarray(expected).toStorage();
  assert.equal(a.length, b.length, `${label}: storage length`);
  let scale = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(Number(b[i]))) scale = Math.max(scale, Math.abs(Number(b[i])));
  for (let i = 0; i < b.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y))) continue;
    if (tolerance > 0 && Math.abs(x - y) <= tolerance * scale) continue;
    assert.fail(`${label}: storage slot ${i} is ${x}, NumPy gives ${y} (tolerance ${tolerance} of ${scale})`);
  }
}

/** A deterministic pseudo-random real array (values in [-scale, scale)). */
export function randomReal(shape: readonly number[], dtype: nd.DType, seed: number, scale = 10): nd.NDArray {
  let state = seed >>> 0 || 1;
  const size = shape.reduce((a, b) => a * b, 1);
  const values: number[] = [];
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const unit = state / 2 ** 32;
    values.push(dtype.startsWith("float") ? (unit * 2 - 1) * scale : Math.floor((unit * 2 - 1) * scale));
  }
  return nd.array(values, { shape, dtype });
}

/** A deterministic complex array of `dtype` (complex64 or complex128). */
export function randomComplex(shape: readonly number[], dtype: "complex64" | "complex128", seed: number): nd.NDArray {
  const part = dtype === "complex64" ? "float32" : "float64";
  return nd.complex(randomReal(shape, part, seed), randomReal(shape, part, seed * 7 + 3));
}
