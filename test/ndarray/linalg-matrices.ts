/**
 * Seeded matrices and checks shared by the decomposition tests (eager and chunked): random
 * entries in [−1, 1) (small integers for integer dtypes), the diagonal raised where a test
 * needs a well-conditioned square matrix (condition number ≲ 10, so a k·n·ε·‖a‖ tolerance
 * bounds both tessera's and NumPy's rounding), low-rank products for lstsq, and the elementwise
 * comparisons with their tolerance stated per call.
 */
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import type { Rng } from "../array/differential-inputs.js";

export function randomMatrix(rng: Rng, rows: number, cols: number, dtype: nd.DType = "float64", diagonal = 0): nd.NDArray {
  const values = Array.from({ length: rows * cols }, (_, i) => {
    const v = dtype.startsWith("float") ? rng() * 2 - 1 : Math.floor(rng() * 9) - 4;
    return Math.floor(i / cols) === i % cols ? v + diagonal : v;
  });
  return nd.astype(nd.fromTypedArray(Float64Array.from(values), [rows, cols]), dtype);
}

/** rows × cols of rank `rank`: a product of random rows × rank and rank × cols factors. */
export function lowRankMatrix(rng: Rng, rows: number, cols: number, rank: number): nd.NDArray {
  return nd.matmul(randomMatrix(rng, rows, rank), randomMatrix(rng, rank, cols));
}

/** Symmetric positive definite: BᵀB + n·I. */
export function spdMatrix(rng: Rng, n: number, dtype: nd.DType = "float64"): nd.NDArray {
  const b = randomMatrix(rng, n, n);
  return nd.astype(nd.add(nd.matmul(nd.transpose(b), b), nd.multiply(nd.eye(n), n)), dtype);
}

export const epsilonOf = (dtype: nd.DType): number => (dtype === "float32" ? 2 ** -23 : 2 ** -52);

function values(a: nd.NDArray): number[] {
  return Array.from(nd.ascontiguousarray(a).toTypedArray() as Float64Array, Number);
}

/** Every |actual − expected| ≤ tolerance (absolute), same shape. */
export function assertClose(actual: nd.NDArray, expected: nd.NDArray, tolerance: number, label: string): void {
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  const a = values(actual);
  const b = values(expected);
  for (let i = 0; i < b.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= tolerance)) assert.fail(`${label}: element ${i} is ${a[i]}, expected ${b[i]} (tolerance ${tolerance})`);
  }
}

/** The largest |entry| (‖a‖_max), for scaling tolerances. */
export function maxAbs(a: nd.NDArray): number {
  return values(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** QᵀQ = I within tolerance (orthonormal columns). */
export function assertOrthonormalColumns(q: nd.NDArray, tolerance: number, label: string): void {
  const q64 = nd.astype(q, "float64");
  assertClose(nd.matmul(nd.transpose(q64), q64), nd.eye(q.shape[1]), tolerance, `${label}: QᵀQ = I`);
}
