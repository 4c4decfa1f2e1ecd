/**
 * nd.linalg.qr of complex64 / complex128 matrices against NumPy 1.24 (LAPACK zgeqrf + zungqr):
 * tall, wide and square, every mode, strided views, a real-valued complex matrix and a 1 × 1
 * with a complex entry (whose reflector makes R real and negative, as zlarfg). Q and R are
 * compared with NumPy's values (the same reflector conventions, so the same phases), within
 * 1e-13 (complex128) / 2e-6 (complex64: cgeqrf works in float32, tessera in float64 rounded
 * once) of the largest magnitude; and Q unitary, R upper triangular with a real diagonal,
 * Q·R = A, within the same bounds, including a rank-deficient matrix whose trailing Q columns
 * NumPy and tessera may choose differently.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray, randomComplex } from "./complex-compare.js";
import { assertQrProperties } from "./complex-qr-properties.js";

const tolerance = { complex64: 2e-6, complex128: 1e-13 } as const;

describe("nd.linalg.qr of complex matrices against NumPy", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: tall, wide, square, every mode`, () => {
      const tall = randomComplex([9, 5], dtype, 61);
      const wide = randomComplex([4, 7], dtype, 62);
      const square = randomComplex([6, 6], dtype, 63);
      const big = randomComplex([14, 11], dtype, 64);
      const part = dtype === "complex64" ? "float32" : "float64";
      const realValued = nd.complex(nd.slice(nd.real(tall), ":", { stop: 4 }), nd.zeros([9, 4], part));
      const one = nd.complex(nd.array([[0.5]], { dtype: part }), nd.array([[2]], { dtype: part }));
      const inputs = { tall, wide, square, big, realValued, one };
      const cases: Record<string, [string, () => nd.NDArray]> = {};
      for (const name of Object.keys(inputs) as Array<keyof typeof inputs>) {
        const a = inputs[name];
        cases[`${name} q`] = [`np.linalg.qr(${name})[0]`, () => nd.linalg.qr(a).q];
        cases[`${name} r`] = [`np.linalg.qr(${name})[1]`, () => nd.linalg.qr(a).r];
        cases[`${name} complete q`] = [`np.linalg.qr(${name}, mode='complete')[0]`, () => nd.linalg.qr(a, { mode: "complete" }).q];
        cases[`${name} complete r`] = [`np.linalg.qr(${name}, mode='complete')[1]`, () => nd.linalg.qr(a, { mode: "complete" }).r];
        cases[`${name} mode r`] = [`np.linalg.qr(${name}, mode='r')`, () => nd.linalg.qr(a, { mode: "r" })];
      }
      cases["view q"] = ["np.linalg.qr(big.T[::-2, 1:])[0]", () => nd.linalg.qr(nd.slice(nd.transpose(big), { step: -2 }, { start: 1 })).q];
      cases["view r"] = ["np.linalg.qr(big.T[::-2, 1:])[1]", () => nd.linalg.qr(nd.slice(nd.transpose(big), { step: -2 }, { start: 1 })).r];
      const expected = evaluatePython(inputs, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
      for (const [label, [, run]] of Object.entries(cases)) {
        const reference = expected[label];
        assert.ok(reference.array, `${label}: NumPy raised ${reference.error}`);
        assertCloseArray(run(), reference.array, label, tolerance[dtype]);
      }
      for (const name of Object.keys(inputs) as Array<keyof typeof inputs>) {
        const { q, r } = nd.linalg.qr(inputs[name]);
        assertQrProperties(inputs[name], q, r, tolerance[dtype], `${dtype} ${name}`);
        const complete = nd.linalg.qr(inputs[name], { mode: "complete" });
        assertQrProperties(inputs[name], complete.q, complete.r, tolerance[dtype], `${dtype} ${name} complete`);
      }
    });
  }

  it("a rank-deficient matrix: Q unitary, R upper, Q·R = A", () => {
    const base = randomComplex([8, 3], "complex128", 71);
    // Columns 3 and 4 are combinations of the first three: rank 3 of 5.
    const a = nd.concatenate([base, nd.matmul(base, randomComplex([3, 2], "complex128", 72))], 1);
    const { q, r } = nd.linalg.qr(a);
    assertQrProperties(a, q, r, 1e-13, "rank 3");
    const zero = nd.zeros([4, 3], "complex128");
    const z = nd.linalg.qr(zero);
    assertQrProperties(zero, z.q, z.r, 1e-13, "zero matrix");
  });
});
