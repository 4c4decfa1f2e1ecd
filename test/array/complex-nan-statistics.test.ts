/**
 * Chunked nansum, nanprod, nanmean, nanvar and nanstd of complex64 / complex128 arrays over 13
 * blocks along axis 0 (uneven last blocks), with NaN in either half and all-NaN slices.
 * nansum / nanprod / nanmean against Dask 2022.12 on the same chunks (chunks equal); nanvar /
 * nanstd against NumPy's np.nanvar / np.nanstd: Dask 2022.12's moment_chunk sums complex blocks
 * with dtype float64, dropping the imaginary part (its nanvar of complex is wrong, as its var;
 * fixed in later Dask), so tessera's tree (complex totals, |x − mean|² moments, NaN skipped)
 * is held to NumPy. moment of complex stays refused: Dask 2022.12's is wrong the same way and
 * NumPy has none. Tolerances, relative to the largest magnitude of the reference: the
 * summation bound, 4e-7 (complex64) / 1e-15 (complex128), 1e-14 for the products of
 * complex128 (2e-6 complex64). A 2 × 1 LocalCluster sample checks the same bits come from workers.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import type * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertCloseArray } from "../ndarray/complex-compare.js";
import { complexWithNaN } from "../ndarray/complex-nan-inputs.js";

const sums = { complex64: 4e-7, complex128: 1e-15 } as const;
const products = { complex64: 2e-6, complex128: 1e-14 } as const;
const quiet = (python: string): string => `(lambda w: (w.simplefilter('ignore'), ${python})[1])(__import__('warnings'))`;

async function compare(inputs: Record<string, nd.NDArray>, cases: Record<string, [string, ta.Array, number, boolean]>): Promise<void> {
  const expected = evaluatePython(inputs, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, quiet(python)])));
  for (const [label, [, lazy, tolerance, checkChunks]] of Object.entries(cases)) {
    const reference = expected[label];
    assert.ok(reference.array, `${label}: Python raised ${reference.error}`);
    assert.equal(lazy.dtype, reference.array.dtype, `${label}: dtype`);
    if (checkChunks) assert.deepEqual(lazy.chunks, reference.chunks, `${label}: chunks`);
    assertCloseArray(await lazy.compute(), reference.array, label, tolerance);
  }
}

describe("chunked complex NaN-ignoring reductions", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: over 13 blocks, NaN in either half`, async () => {
      const z = complexWithNaN([37, 6, 4], dtype, 23);
      const x = ta.fromArray(z, { chunks: [3, 4, 3] });
      const dz = "da.from_array(z, chunks=(3, 4, 3))";
      const t = sums[dtype];
      await compare({ z }, {
        sum: [`da.nansum(${dz})`, ta.nansum(x), t, true],
        sum0: [`da.nansum(${dz}, axis=0)`, ta.nansum(x, { axis: 0 }), t, true],
        prod0: [`da.nanprod(${dz} / 6, axis=0)`, ta.nanprod(x.div(6), { axis: 0 }), products[dtype], true],
        mean: [`da.nanmean(${dz})`, ta.nanmean(x), t, true],
        mean0: [`da.nanmean(${dz}, axis=0, keepdims=True)`, ta.nanmean(x, { axis: 0, keepdims: true }), t, true],
        // Axis 1 holds an all-NaN slice: NaN + NaN j as NumPy's 0 / 0.
        mean1: [`da.nanmean(${dz}, axis=1)`, ta.nanmean(x, { axis: 1 }), t, true],
        var: ["np.nanvar(z)", ta.nanvar(x), t, false],
        var0: ["np.nanvar(z, axis=0, ddof=1)", ta.nanvar(x, { axis: 0, ddof: 1 }), t, false],
        var1: ["np.nanvar(z, axis=1)", ta.nanvar(x, { axis: 1 }), t, false],
        varTree: ["np.nanvar(z, axis=(0, 2), keepdims=True)", ta.nanvar(x, { axis: [0, 2], keepdims: true, splitEvery: 2 }), t, false],
        std: ["np.nanstd(z, axis=0)", ta.nanstd(x, { axis: 0 }), t, false],
        stdPast: ["np.nanstd(z[:2], axis=0, ddof=2)", ta.nanstd(x.get({ stop: 2 }), { axis: 0, ddof: 2 }), t, false],
      });
    });
  }

  it("refuses what stays unsupported, naming it", () => {
    const x = ta.fromArray(complexWithNaN([12, 4], "complex128", 3), { chunks: 3 });
    assert.throws(() => ta.moment(x, 3), /moment does not support complex input \(complex128\)/);
    assert.throws(() => ta.nanvar(x, { dtype: "float64" }), /nanvar: dtype float64 with complex input \(complex128\) is not supported/);
  });
});

describeOnCluster("chunked complex nanvar and nanmean", () => {
  const x = ta.fromArray(complexWithNaN([31, 5], "complex128", 101), { chunks: [3, 2] });
  return [ta.nanvar(x, { axis: 0 }), ta.nanstd(x), ta.nanmean(x, { axis: 1 }), ta.nansum(x, { axis: 0 })];
});
