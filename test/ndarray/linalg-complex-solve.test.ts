/**
 * nd.linalg.solve, inv, det and cholesky of complex64 / complex128 matrices against NumPy 1.24
 * (LAPACK zgesv / zgetrf / zpotrf): well-conditioned random matrices (a diagonal shift keeps
 * κ small), a right-hand side vector or matrix, mixed real and complex operands (NumPy's result
 * dtype: complex64 only when both are single precision), a Hermitian positive-definite matrix,
 * and the refusals NumPy raises (singular, not positive definite). Tolerances, relative to the
 * largest magnitude of NumPy's result: c·n·ε·κ with κ ≲ 10: 1e-13 (complex128), 1e-5
 * (complex64: LAPACK's float32 c-routines in NumPy, float64 rounded once in tessera).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray, randomComplex, randomReal } from "./complex-compare.js";

const tolerance = { complex64: 1e-5, complex128: 1e-13 } as const;

describe("complex solve, inv, det and cholesky against NumPy", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: values as NumPy's`, () => {
      const part = dtype === "complex64" ? "float32" : "float64";
      const n = 7;
      const a = nd.astype(nd.add(randomComplex([n, n], dtype, 91), nd.multiply(nd.eye(n), 30)), dtype);
      const b = randomComplex([n, 3], dtype, 92);
      const v = randomComplex([n], dtype, 93);
      const r = randomReal([n, 2], part, 94);
      const ra = nd.astype(nd.add(randomReal([n, n], part, 95), nd.multiply(nd.eye(n), 30)), part);
      const g = randomComplex([n, n], dtype, 96);
      // B·Bᴴ + n·I: Hermitian positive definite (its upper triangle is ignored, as LAPACK's).
      const h = nd.astype(nd.add(nd.matmul(g, nd.conj(nd.transpose(g))), nd.multiply(nd.eye(n), n)), dtype);
      const t = tolerance[dtype];
      const cases: Record<string, [string, () => nd.NDArray]> = {
        solve: ["np.linalg.solve(a, b)", () => nd.linalg.solve(a, b)],
        solveVector: ["np.linalg.solve(a, v)", () => nd.linalg.solve(a, v)],
        solveRealB: ["np.linalg.solve(a, r)", () => nd.linalg.solve(a, r)],
        solveRealA: ["np.linalg.solve(ra, b)", () => nd.linalg.solve(ra, b)],
        solveView: ["np.linalg.solve(a.T[::-1], b[::-1, 1:])", () => nd.linalg.solve(nd.slice(nd.transpose(a), { step: -1 }), nd.slice(b, { step: -1 }, { start: 1 }))],
        inv: ["np.linalg.inv(a)", () => nd.linalg.inv(a)],
        det: ["np.linalg.det(a / 30)", () => nd.linalg.det(nd.divide(a, 30))],
        // An odd row permutation: pivoting swaps the rows back, and det changes sign.
        detPermuted: ["np.linalg.det(a[[1, 0, 6, 3, 2, 5, 4]] / 30)", () => nd.linalg.det(nd.divide(nd.concatenate([1, 0, 6, 3, 2, 5, 4].map((i) => nd.slice(a, { start: i, stop: i + 1 })), 0), 30))],
        // A zero leading entry: only a row swap (partial pivoting) factors it.
        solvePivot: ["np.linalg.solve(p, b[:3])", () => nd.linalg.solve(p, nd.slice(b, { stop: 3 }))],
        // complex64 with float64: complex128, as NumPy's linalg.
        solveWiden: ["np.linalg.solve(a, r.astype(np.float64))", () => nd.linalg.solve(a, nd.astype(r, "float64"))],
        detSingular: ["np.linalg.det(np.zeros((3, 3), a.dtype))", () => nd.linalg.det(nd.zeros([3, 3], dtype))],
        cholesky: ["np.linalg.cholesky(h)", () => nd.linalg.cholesky(h)],
      };
      const p = nd.astype(nd.complex(nd.array([[0, 2, 1], [3, 1, 0], [1, 0, 4]]), nd.array([[0, 1, 0], [0, 0, 1], [2, 0, 0]])), dtype);
      const expected = evaluatePython({ a, b, v, r, ra, h, p }, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
      for (const [label, [, run]] of Object.entries(cases)) {
        const reference = expected[label];
        assert.ok(reference.array, `${label}: NumPy raised ${reference.error}`);
        assertCloseArray(run(), reference.array, `${dtype} ${label}`, t);
      }
      // The factor's product is the matrix: L·Lᴴ = h.
      const l = nd.linalg.cholesky(h);
      assertCloseArray(nd.matmul(l, nd.conj(nd.transpose(l))), h, `${dtype} L·Lᴴ`, t);
    });
  }

  it("refuses as NumPy's LinAlgError", () => {
    const singular = nd.complex(nd.array([[1, 2], [2, 4]]), nd.array([[1, 2], [2, 4]]));
    assert.throws(() => nd.linalg.solve(singular, nd.ones([2], "complex128")), /solve: Singular matrix/);
    assert.throws(() => nd.linalg.inv(singular), /inv: Singular matrix/);
    const indefinite = nd.complex(nd.array([[1, 0], [0, -1]]), nd.zeros([2, 2]));
    assert.throws(() => nd.linalg.cholesky(indefinite), /cholesky: Matrix is not positive definite/);
    assert.throws(() => nd.linalg.inv(randomComplex([2, 3], "complex128", 1)), /inv: last 2 dimensions of the array must be square/);
  });
});
