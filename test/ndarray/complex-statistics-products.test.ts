/**
 * complex64 / complex128 var / std, cumsum / cumprod and the matrix products (matmul, dot,
 * tensordot, vdot, einsum, outer) in tessera/ndarray against NumPy 1.24, and what still refuses
 * complex by name (nancumsum, a real dtype for complex input, the linalg decompositions).
 * Tolerances, of the largest magnitude: 0 for cumsum / cumprod (NumPy's running fold, each step
 * rounded as NumPy rounds it); var / std as sums (NumPy blocks its pairwise sums differently);
 * products by the dot-product bound (NumPy's BLAS sums in its own order, cgemm in float32).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray, randomComplex, randomReal } from "./complex-compare.js";

const sums = { complex64: 4e-7, complex128: 1e-15 } as const;
const products = { complex64: 2e-6, complex128: 1e-14 } as const;

function compare(inputs: Record<string, nd.NDArray>, cases: Record<string, [string, () => nd.NDArray, number?]>): void {
  const expected = evaluatePython(inputs, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
  for (const [label, [, run, tolerance]] of Object.entries(cases)) {
    const reference = expected[label];
    assert.ok(reference.array, `${label}: NumPy raised ${reference.error}`);
    assertCloseArray(run(), reference.array, label, tolerance ?? 0);
  }
}

describe("complex var, std, cumsum and cumprod against NumPy", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: var and std are real, of the halves' precision`, () => {
      const z = randomComplex([7, 6, 5], dtype, 31);
      const t = sums[dtype];
      compare({ z }, {
        all: ["np.var(z)", () => nd.variance(z), t],
        axis: ["np.var(z, axis=1, ddof=1)", () => nd.variance(z, { axis: 1, ddof: 1 }), t],
        keep: ["np.var(z, axis=(0, 2), keepdims=True)", () => nd.variance(z, { axis: [0, 2], keepdims: true }), t],
        strided: ["np.var(z.transpose(2, 0, 1)[:, ::2], axis=-1)", () => nd.variance(nd.slice(nd.transpose(z, [2, 0, 1]), ":", { step: 2 }), { axis: -1 }), t],
        std: ["np.std(z, axis=0, ddof=2)", () => nd.std(z, { axis: 0, ddof: 2 }), t],
        stdAll: ["np.std(z)", () => nd.std(z), t],
        // ddof past the count: NumPy's max(count − ddof, 0) gives inf.
        ddofPast: ["np.var(z[:1], axis=0, ddof=3)", () => nd.variance(nd.slice(z, { stop: 1 }), { axis: 0, ddof: 3 })],
      });
    });

    it(`${dtype}: cumsum and cumprod fold in order as NumPy's accumulate`, () => {
      const z = randomComplex([9, 4, 3], dtype, 41);
      const part = dtype === "complex64" ? "float32" : "float64";
      const f = randomReal([9, 4], part, 42);
      compare({ z, f }, {
        sum0: ["np.cumsum(z, axis=0)", () => nd.cumsum(z, { axis: 0 })],
        sum2: ["np.cumsum(z, axis=-1)", () => nd.cumsum(z, -1)],
        flat: ["np.cumsum(z)", () => nd.cumsum(z)],
        prod: ["np.cumprod(z / 7, axis=0)", () => nd.cumprod(nd.divide(z, 7), { axis: 0 })],
        prodView: ["np.cumprod(z[::-2, 1] / 7, axis=0)", () => nd.cumprod(nd.divide(nd.slice(z, { step: -2 }, 1), 7), 0)],
        widen: ["np.cumsum(z, axis=1, dtype=np.complex128)", () => nd.cumsum(z, { axis: 1, dtype: "complex128" })],
        realToComplex: [`np.cumprod(f / 5, axis=1, dtype=np.${dtype})`, () => nd.cumprod(nd.divide(f, 5), { axis: 1, dtype })],
      });
    });
  }

  it("refuses what stays unsupported, naming it", () => {
    const z = randomComplex([4, 3], "complex128", 5);
    assert.throws(() => nd.nancumsum(z, 0), /nancumsum does not support complex input \(complex128\)/);
    assert.throws(() => nd.nancumprod(z, 0), /nancumprod does not support complex input \(complex128\)/);
    assert.throws(() => nd.cumsum(z, { axis: 0, dtype: "float64" }), /cumsum with dtype float64 does not support complex input \(complex128\)/);
    assert.throws(() => nd.variance(z, { dtype: "float64" }), /var: dtype float64 with complex input \(complex128\) is not supported/);
    assert.throws(() => nd.std(z, { dtype: "complex128" }), /var: dtype complex128 with complex input/);
    const square = randomComplex([3, 3], "complex128", 6);
    for (const [name, call] of Object.entries({
      lstsq: () => nd.linalg.lstsq(square, square), eigh: () => nd.linalg.eigh(square), lu: () => nd.linalg.lu(square),
      solveTriangular: () => nd.linalg.solveTriangular(square, square), eigvalsh: () => nd.linalg.eigvalsh(square),
    })) {
      assert.throws(call, new RegExp(`${name}( \\(a\\))? does not support complex input \\(complex128\\)`), name);
    }
  });
});

describe("complex matrix products against NumPy", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: matmul, dot, tensordot, vdot (conjugating its first operand), einsum, outer`, () => {
      const a = randomComplex([2, 5, 7], dtype, 51);
      const b = randomComplex([7, 4], dtype, 52);
      const v = randomComplex([7], dtype, 53);
      const part = dtype === "complex64" ? "float32" : "float64";
      const r = randomReal([4, 3], part, 54);
      const i = randomReal([7], "int16", 55, 50);
      const t = products[dtype];
      compare({ a, b, v, r, i }, {
        matmul: ["a @ b", () => nd.matmul(a, b), t],
        matmulVector: ["a @ v", () => nd.matmul(a, v), t],
        vectorMatmul: ["v @ b", () => nd.matmul(v, b), t],
        mixedReal: ["b @ r", () => nd.matmul(b, r), t],
        mixedInt: ["i @ b", () => nd.matmul(i, b), t],
        dot: ["np.dot(a, b)", () => nd.dot(a, b), t],
        dotTransposed: ["np.dot(b.T, a[1].T)", () => nd.dot(nd.transpose(b), nd.transpose(nd.slice(a, 1))), t],
        tensordot: ["np.tensordot(a, a, axes=([1, 2], [1, 2]))", () => nd.tensordot(a, a, [[1, 2], [1, 2]]), t],
        tensordotInt: ["np.tensordot(b, v, axes=([0], [0]))", () => nd.tensordot(b, v, [[0], [0]]), t],
        vdot: ["np.vdot(a[0], a[1])", () => nd.vdot(nd.slice(a, 0), nd.slice(a, 1)), t],
        vdotReversed: ["np.vdot(a[1], a[0])", () => nd.vdot(nd.slice(a, 1), nd.slice(a, 0)), t],
        vdotRealFirst: ["np.vdot(i, v)", () => nd.vdot(i, v), t],
        einsum: ["np.einsum('bij,jk->bik', a, b)", () => nd.einsum("bij,jk->bik", a, b), t],
        einsumTrace: ["np.einsum('ii->i', a[0, :, :5])", () => nd.einsum("ii->i", nd.slice(a, 0, ":", { stop: 5 })), t],
        einsumSum: ["np.einsum('bij->j', a)", () => nd.einsum("bij->j", a), t],
        einsumThree: ["np.einsum('i,ij,j->', v, b, r[:, 0])", () => nd.einsum("i,ij,j->", v, b, nd.slice(r, ":", 0)), t],
        outer: ["np.outer(v, b[0])", () => nd.outer(v, nd.slice(b, 0)), t],
      });
    });
  }
});
