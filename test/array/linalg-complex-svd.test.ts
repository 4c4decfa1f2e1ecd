/**
 * ta.linalg.svd of chunked complex64 / complex128 matrices against Dask 2022.12 on the same
 * chunks: tall-and-skinny over 12 row blocks (uneven last block) and short-and-fat over 10
 * column blocks, with and without svd_flip (coerceSigns). s (real) equals Dask's within 1e-13
 * (complex128) / 2e-6 (complex64) of the largest; u and vh have Dask's dtypes and chunks,
 * orthonormal columns / rows and u·diag(s)·vh = a within 10× those bounds (each singular
 * vector is unique up to a phase: tessera's small SVD is one-sided Jacobi, NumPy's zgesdd).
 * svdCompressed of complex stays refused by name. A 2 × 1 LocalCluster sample checks the
 * same bits come from workers.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { svdFlipSigns } from "../../src/ndarray/tsqr-partials.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertCloseArray, randomComplex } from "../ndarray/complex-compare.js";
import { assertSvdProperties } from "../ndarray/complex-qr-properties.js";

const tolerance = { complex64: 2e-6, complex128: 1e-13 } as const;

describe("chunked SVD of complex matrices against Dask", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: tall-and-skinny and short-and-fat`, async () => {
      const tall = randomComplex([47, 5], dtype, 83);
      const wide = randomComplex([4, 38], dtype, 84);
      const cases = {
        tall: [ta.fromArray(tall, { chunks: [4, 5] }), tall, "da.from_array(tall, chunks=(4, 5))", true],
        tallUnflipped: [ta.fromArray(tall, { chunks: [4, 5] }), tall, "da.from_array(tall, chunks=(4, 5))", false],
        wide: [ta.fromArray(wide, { chunks: [4, 4] }), wide, "da.from_array(wide, chunks=(4, 4))", true],
      } as const;
      const python: Record<string, string> = {};
      for (const [name, [, , d, flip]] of Object.entries(cases)) {
        for (const [i, part] of ["u", "s", "vh"].entries()) python[`${name} ${part}`] = `da.linalg.svd(${d}, coerce_signs=${flip ? "True" : "False"})[${i}]`;
      }
      const expected = evaluatePython({ tall, wide }, python);
      for (const [name, [x, a, , flip]] of Object.entries(cases)) {
        const [u, s, vh] = ta.linalg.svd(x, { coerceSigns: flip });
        for (const [part, lazy] of [["u", u], ["s", s], ["vh", vh]] as const) {
          const reference = expected[`${name} ${part}`];
          assert.ok(reference.array, `${name} ${part}: Dask raised ${reference.error}`);
          assert.equal(lazy.dtype, reference.array.dtype, `${name} ${part}: dtype`);
          assert.deepEqual(lazy.chunks, reference.chunks, `${name} ${part}: chunks`);
        }
        const [uc, sc, vhc] = await ta.compute(u, s, vh);
        assertCloseArray(sc, expected[`${name} s`].array!, `${dtype} ${name} s`, tolerance[dtype]);
        assertSvdProperties(a, uc, sc, vhc, tolerance[dtype], `${dtype} ${name}`);
      }
    });
  }

  it("svd_flip's signs of complex sums: NumPy's lexicographic z ≥ 0, as Dask's", async () => {
    const sums = nd.complex(nd.array([[1, -1, 0, 0, 0, -2]]), nd.array([[0, 5, 1, -1, 0, -3]]));
    const signs = svdFlipSigns(sums);
    assert.equal(signs.dtype, "complex128");
    assert.deepEqual(Array.from(nd.ascontiguousarray(signs).toStorage() as Float64Array), [1, 0, -1, 0, 1, 0, -1, 0, 1, 0, -1, 0]);
    // With coerceSigns every row of vh sums to a complex number ≥ 0 (lexicographically).
    const x = ta.fromArray(randomComplex([40, 10], "complex128", 5), { chunks: [4, 10] });
    const vh = await ta.linalg.svd(x)[2].compute();
    const rowSums = nd.ascontiguousarray(nd.sum(vh, { axis: 1 })).toStorage();
    for (let i = 0; i < 10; i++) assert.ok(Number(rowSums[2 * i]) > 0 || (Number(rowSums[2 * i]) === 0 && Number(rowSums[2 * i + 1]) >= 0), `row ${i}`);
  });

  it("refuses svdCompressed of complex by name, when the graph is built", () => {
    const x = ta.fromArray(randomComplex([20, 4], "complex128", 3), { chunks: [4, 4] });
    assert.throws(() => ta.linalg.svdCompressed(x, 2), /svdCompressed does not support complex input \(complex128\)/);
  });
});

describeOnCluster("chunked complex SVD", () => {
  const x = ta.fromArray(randomComplex([43, 4], "complex128", 93), { chunks: [4, 4] });
  return ta.linalg.svd(x);
});
