/**
 * nd.linalg.norm of complex64 / complex128 arrays against NumPy 1.24's np.linalg.norm: every
 * vector order (|z|, counts, p-norms) and matrix order (Frobenius, column / row sums of |z|, and
 * 2, −2, "nuc" from the singular values), axes given, reversed and negative, keepdims, stacks of
 * matrices. The result is real, in the dtype of the complex halves (float32 for complex64).
 * Tolerances, relative to the largest value of NumPy's result: sums of |z| or |z|² within the
 * summation bound (NumPy dots the halves by BLAS or sums pairwise, blocked differently): 2e-6 for
 * complex64, 2e-15 for complex128; the singular-value norms within the SVD's c·n·ε (tessera
 * takes the float64 SVD of the real embedding; NumPy's cgesdd works in float32): 2e-6 / 1e-13.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray, randomComplex } from "./complex-compare.js";

const sums = { complex64: 2e-6, complex128: 2e-15 } as const;
const singular = { complex64: 2e-6, complex128: 1e-13 } as const;
const py = (v: unknown): string => (v === null ? "None" : v === Infinity ? "np.inf" : v === -Infinity ? "-np.inf" : typeof v === "string" ? `'${v}'` : String(v));

describe("nd.linalg.norm of complex arrays against NumPy", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: every order, axis form and keepdims`, () => {
      const v = randomComplex([17], dtype, 11);
      const m = randomComplex([9, 6], dtype, 12);
      const s = randomComplex([4, 7, 5], dtype, 13);
      // Zeros (and a pure-imaginary element) for the count of ord 0.
      const zeros = nd.complex(nd.array([0, 1, 0, 0, -2, 0], { dtype: dtype === "complex64" ? "float32" : "float64" }), nd.array([0, 0, 3, 0, 0, 0], { dtype: dtype === "complex64" ? "float32" : "float64" }));
      const cases: Record<string, [string, () => nd.NDArray, number]> = {};
      for (const ord of [null, 2, 1, 0, 3, 0.5, -1, -2, Infinity, -Infinity]) {
        cases[`v ord ${String(ord)}`] = [`np.linalg.norm(v, ord=${py(ord)})`, () => nd.linalg.norm(v, { ord }), sums[dtype]];
        cases[`s axis 1 ord ${String(ord)} keepdims`] = [`np.linalg.norm(s, ord=${py(ord)}, axis=1, keepdims=True)`, () => nd.linalg.norm(s, { ord, axis: 1, keepdims: true }), sums[dtype]];
        cases[`zeros ord ${String(ord)}`] = [`np.linalg.norm(zeros, ord=${py(ord)})`, () => nd.linalg.norm(zeros, { ord }), sums[dtype]];
      }
      for (const ord of [null, "fro", 1, -1, Infinity, -Infinity, 2, -2, "nuc"] as const) {
        const t = ord === 2 || ord === -2 || ord === "nuc" ? singular[dtype] : sums[dtype];
        cases[`m ord ${String(ord)}`] = [`np.linalg.norm(m, ord=${py(ord)})`, () => nd.linalg.norm(m, { ord }), t];
        cases[`m.T ord ${String(ord)}`] = [`np.linalg.norm(m, ord=${py(ord)}, axis=(1, 0))`, () => nd.linalg.norm(m, { ord, axis: [1, 0] }), t];
        cases[`s axes (2, 0) ord ${String(ord)}`] = [`np.linalg.norm(s, ord=${py(ord)}, axis=(2, 0))`, () => nd.linalg.norm(s, { ord, axis: [2, 0] }), t];
        cases[`s axes (-2, -1) ord ${String(ord)} keepdims`] = [`np.linalg.norm(s, ord=${py(ord)}, axis=(-2, -1), keepdims=True)`, () => nd.linalg.norm(s, { ord, axis: [-2, -1], keepdims: true }), t];
      }
      cases["s whole"] = ["np.linalg.norm(s)", () => nd.linalg.norm(s), sums[dtype]];
      cases["s whole keepdims"] = ["np.linalg.norm(s, keepdims=True)", () => nd.linalg.norm(s, { keepdims: true }), sums[dtype]];
      cases["strided view"] = ["np.linalg.norm(s[:, ::-2, 1:], ord='nuc', axis=(0, 1))", () => nd.linalg.norm(nd.slice(s, ":", { step: -2 }, { start: 1 }), { ord: "nuc", axis: [0, 1] }), singular[dtype]];
      const expected = evaluatePython({ v, m, s, zeros }, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
      for (const [label, [, run, tolerance]] of Object.entries(cases)) {
        const reference = expected[label];
        assert.ok(reference.array, `${label}: NumPy raised ${reference.error}`);
        assertCloseArray(run(), reference.array, label, tolerance);
      }
    });
  }

  it("a complex matrix's singular values are its own, not its real part's (1 + i times a real matrix)", () => {
    // (1 + i)·A has the singular values of A times √2; its real part alone would give A's.
    const a = nd.array([[3, 1], [0, 2], [1, 1]], { dtype: "float64" });
    const z = nd.complex(a, a);
    const root2 = Math.SQRT2;
    for (const ord of [2, -2, "nuc"] as const) {
      const real = Number(nd.linalg.norm(a, { ord }).toTypedArray()[0]);
      const complex = Number(nd.linalg.norm(z, { ord }).toTypedArray()[0]);
      assert.ok(Math.abs(complex - root2 * real) <= 1e-14 * complex, `ord ${ord}: ${complex} vs √2 · ${real}`);
    }
  });

  it("refuses the orders NumPy refuses, for complex too", () => {
    const z = randomComplex([3, 4], "complex128", 3);
    assert.throws(() => nd.linalg.norm(nd.slice(z, 0), { ord: "nuc" }), /invalid norm order "nuc" for vectors/);
    assert.throws(() => nd.linalg.norm(z, { ord: 3 }), /invalid norm order 3 for matrices/);
  });
});
