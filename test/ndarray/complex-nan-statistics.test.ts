/**
 * nansum, nanprod, nanmean, nanvar and nanstd of complex64 / complex128 arrays against NumPy
 * 1.24: an element counts as NaN when its real or imaginary part is NaN (np.isnan), all-NaN
 * slices, ddof at and past the count, axes, keepdims, strided views. Results: complex for the
 * sum, product and mean, real (the halves' dtype) for the variance and deviation.
 * Tolerances, relative to the largest magnitude of NumPy's result: the summation bound (NumPy
 * blocks its pairwise sums differently): 4e-7 (complex64), 1e-15 (complex128); the products
 * fold in NumPy's order: 2e-6 / 1e-14.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray } from "./complex-compare.js";
import { complexWithNaN } from "./complex-nan-inputs.js";

const sums = { complex64: 4e-7, complex128: 1e-15 } as const;
const products = { complex64: 2e-6, complex128: 1e-14 } as const;

describe("complex NaN-ignoring reductions against NumPy", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: nansum, nanprod, nanmean, nanvar, nanstd`, () => {
      const z = complexWithNaN([6, 5, 4], dtype, 17);
      const small = nd.divide(z, 6);
      const t = sums[dtype];
      const cases: Record<string, [string, () => nd.NDArray, number]> = {
        sum: ["np.nansum(z)", () => nd.nansum(z), t],
        sum1: ["np.nansum(z, axis=1)", () => nd.nansum(z, { axis: 1 }), t],
        sumKeep: ["np.nansum(z, axis=(0, 2), keepdims=True)", () => nd.nansum(z, { axis: [0, 2], keepdims: true }), t],
        sumWiden: ["np.nansum(z, axis=0, dtype=np.complex128)", () => nd.nansum(z, { axis: 0, dtype: "complex128" }), t],
        prod1: ["np.nanprod(small, axis=1)", () => nd.nanprod(small, { axis: 1 }), products[dtype]],
        prod2: ["np.nanprod(small, axis=-1, keepdims=True)", () => nd.nanprod(small, { axis: -1, keepdims: true }), products[dtype]],
        mean: ["np.nanmean(z)", () => nd.nanmean(z), t],
        mean1: ["np.nanmean(z, axis=1)", () => nd.nanmean(z, { axis: 1 }), t],
        meanKeep: ["np.nanmean(z, axis=(0, 1), keepdims=True)", () => nd.nanmean(z, { axis: [0, 1], keepdims: true }), t],
        var: ["np.nanvar(z)", () => nd.nanvar(z), t],
        var1: ["np.nanvar(z, axis=1)", () => nd.nanvar(z, { axis: 1 }), t],
        varDdof: ["np.nanvar(z, axis=-1, ddof=1)", () => nd.nanvar(z, { axis: -1, ddof: 1 }), t],
        // ddof reaching the count of a slice: NaN there (NumPy's isbad).
        varPast: ["np.nanvar(z[:, :2], axis=1, ddof=2)", () => nd.nanvar(nd.slice(z, ":", { stop: 2 }), { axis: 1, ddof: 2 }), t],
        varKeep: ["np.nanvar(z, axis=(0, 2), keepdims=True)", () => nd.nanvar(z, { axis: [0, 2], keepdims: true }), t],
        varView: ["np.nanvar(z.transpose(2, 0, 1)[:, ::-2], axis=0)", () => nd.nanvar(nd.slice(nd.transpose(z, [2, 0, 1]), ":", { step: -2 }), { axis: 0 }), t],
        std: ["np.nanstd(z, axis=0, ddof=1)", () => nd.nanstd(z, { axis: 0, ddof: 1 }), t],
        stdAll: ["np.nanstd(z)", () => nd.nanstd(z), t],
      };
      const expected = evaluatePython({ z, small }, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, `(lambda w: (w.simplefilter('ignore'), ${python})[1])(__import__('warnings'))`])));
      for (const [label, [, run, tolerance]] of Object.entries(cases)) {
        const reference = expected[label];
        assert.ok(reference.array, `${label}: NumPy raised ${reference.error}`);
        assertCloseArray(run(), reference.array, label, tolerance);
      }
    });
  }

  it("an element is NaN when either half is: (NaN + 1j) and (1 + NaN j) are both skipped", () => {
    const z = nd.complex(nd.array([NaN, 1, 3]), nd.array([1, NaN, 1]));
    assert.deepEqual(nd.nansum(z).getComplex(), { re: 3, im: 1 });
    assert.deepEqual(nd.nanmean(z).getComplex(), { re: 3, im: 1 });
    assert.equal(nd.nanvar(z).get(), 0);
  });

  it("refuses a dtype for the variance of complex, as var does", () => {
    const z = complexWithNaN([3, 4], "complex128", 5);
    assert.throws(() => nd.nanvar(z, { dtype: "float64" }), /nanvar: dtype float64 with complex input \(complex128\) is not supported/);
    assert.throws(() => nd.nanstd(z, { dtype: "complex128" }), /nanstd: dtype complex128 with complex input/);
    assert.throws(() => nd.nanmin(z), /nanmin does not support complex input \(complex128\)/);
    assert.throws(() => nd.nanargmax(z), /nanargmax does not support complex input \(complex128\)/);
  });
});
