/**
 * nd.linalg.svd of complex64 / complex128 matrices against NumPy 1.24 (LAPACK zgesdd): tall,
 * wide, square, rank-deficient, zero, real-valued and 1 × 1 matrices, fullMatrices on and
 * off, computeUv off. s (real, the halves' dtype) is compared with NumPy's within 1e-13
 * (complex128) / 2e-6 (complex64: cgesdd in float32) of the largest singular value; u and vh
 * (each singular vector is unique only up to a phase) by their shapes and dtypes against
 * NumPy's, uᴴu = I and vh·vhᴴ = I, and u[:, :k]·diag(s)·vh[:k] = a, within 10× those bounds.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray, randomComplex } from "./complex-compare.js";
import { assertSvdProperties } from "./complex-qr-properties.js";

const tolerance = { complex64: 2e-6, complex128: 1e-13 } as const;

describe("nd.linalg.svd of complex matrices against NumPy", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: singular values, shapes, and u·diag(s)·vh = a`, () => {
      const part = dtype === "complex64" ? "float32" : "float64";
      const base = randomComplex([8, 3], dtype, 75);
      const inputs: Record<string, nd.NDArray> = {
        tall: randomComplex([9, 5], dtype, 71),
        wide: randomComplex([4, 7], dtype, 72),
        square: randomComplex([6, 6], dtype, 73),
        big: randomComplex([30, 12], dtype, 74),
        rankDeficient: nd.concatenate([base, nd.matmul(base, randomComplex([3, 2], dtype, 76))], 1),
        zero: nd.zeros([3, 2], dtype),
        realValued: nd.complex(nd.real(randomComplex([5, 4], dtype, 77)), nd.zeros([5, 4], part)),
        one: nd.complex(nd.array([[0.5]], { dtype: part }), nd.array([[-2]], { dtype: part })),
      };
      const cases: Record<string, string> = {};
      for (const name of Object.keys(inputs)) {
        cases[`${name} s`] = `np.linalg.svd(${name}, compute_uv=False)`;
        cases[`${name} u`] = `np.linalg.svd(${name})[0]`;
        cases[`${name} vh`] = `np.linalg.svd(${name})[2]`;
        cases[`${name} reduced u`] = `np.linalg.svd(${name}, full_matrices=False)[0]`;
        cases[`${name} reduced vh`] = `np.linalg.svd(${name}, full_matrices=False)[2]`;
      }
      const expected = evaluatePython(inputs, cases);
      for (const [name, a] of Object.entries(inputs)) {
        const s = nd.linalg.svd(a, { computeUv: false });
        const reference = expected[`${name} s`].array;
        assert.ok(reference, `${name}: NumPy raised ${expected[`${name} s`].error}`);
        assertCloseArray(s, reference, `${dtype} ${name} s`, tolerance[dtype]);
        for (const fullMatrices of [true, false]) {
          const f = nd.linalg.svd(a, { fullMatrices });
          const prefix = fullMatrices ? "" : "reduced ";
          for (const [part, value] of [["u", f.u], ["vh", f.vh]] as const) {
            const numpy = expected[`${name} ${prefix}${part}`].array;
            assert.ok(numpy);
            assert.equal(value.dtype, numpy.dtype, `${name} ${prefix}${part} dtype`);
            assert.deepEqual(value.shape, numpy.shape, `${name} ${prefix}${part} shape`);
          }
          assertCloseArray(f.s, reference, `${dtype} ${name} ${prefix}s with u`, tolerance[dtype]);
          assertSvdProperties(a, f.u, f.s, f.vh, tolerance[dtype], `${dtype} ${name} ${prefix}`);
        }
      }
    });
  }

  it("refuses NaN and inf as NumPy's LinAlgError", () => {
    const a = nd.complex(nd.array([[1, NaN], [0, 1]]), nd.zeros([2, 2]));
    assert.throws(() => nd.linalg.svd(a), /svd: array must not contain infs or NaNs/);
  });
});
