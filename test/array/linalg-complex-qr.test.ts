/**
 * ta.linalg.tsqr / ta.linalg.qr of chunked complex64 / complex128 matrices against Dask
 * 2022.12 on the same chunks: tall-and-skinny over 12 row blocks (uneven last block) through
 * tsqr, short-and-fat through sfqr (Qᴴ·A_j for the further column blocks). Dask's blocks call
 * NumPy's LAPACK QR, whose conventions tessera's complex QR follows, so Q and R are compared
 * (sfqr's R with NumPy's: Dask 2022.12 multiplies by Qᵀ, not Qᴴ, there, a deliberate difference)
 * by value: within 1e-13 (complex128) / 2e-6 (complex64, LAPACK's float32 c-routines in Dask)
 * of the largest magnitude; Q's columns orthonormal, R upper with a real diagonal and Q·R = A
 * within the same bounds. A 2 × 1 LocalCluster
 * sample checks the same bits come from workers.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import type * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertCloseArray, randomComplex } from "../ndarray/complex-compare.js";
import { assertQrProperties } from "../ndarray/complex-qr-properties.js";

const tolerance = { complex64: 2e-6, complex128: 1e-13 } as const;

describe("chunked QR of complex matrices against Dask", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: tsqr over 12 row blocks and sfqr over column blocks`, async () => {
      const tall = randomComplex([47, 5], dtype, 81);
      const wide = randomComplex([5, 30], dtype, 82);
      const x = ta.fromArray(tall, { chunks: [4, 5] });
      const y = ta.fromArray(wide, { chunks: [5, 7] });
      const [tq, tr] = ta.linalg.tsqr(x);
      const [qq, qr] = ta.linalg.qr(x);
      const [sq, sr] = ta.linalg.qr(y);
      const lazy: Record<string, [string, ta.Array]> = {
        tsqrQ: ["da.linalg.tsqr(da.from_array(tall, chunks=(4, 5)))[0]", tq],
        tsqrR: ["da.linalg.tsqr(da.from_array(tall, chunks=(4, 5)))[1]", tr],
        qrQ: ["da.linalg.qr(da.from_array(tall, chunks=(4, 5)))[0]", qq],
        qrR: ["da.linalg.qr(da.from_array(tall, chunks=(4, 5)))[1]", qr],
        sfqrQ: ["da.linalg.qr(da.from_array(wide, chunks=(5, 7)))[0]", sq],
        // Dask 2022.12's sfqr forms R's further blocks as Qᵀ·A_j, without the conjugate (its
        // complex Q·R is not A); tessera's Qᴴ·A_j gives NumPy's R, which it is held to.
        sfqrR: ["da.from_array(np.linalg.qr(wide)[1], chunks=(5, (7, 7, 7, 7, 2)))", sr],
      };
      const expected = evaluatePython({ tall, wide }, Object.fromEntries(Object.entries(lazy).map(([label, [python]]) => [label, python])));
      const computed: Record<string, nd.NDArray> = {};
      for (const [label, [, array]] of Object.entries(lazy)) {
        const reference = expected[label];
        assert.ok(reference.array, `${label}: Dask raised ${reference.error}`);
        assert.equal(array.dtype, reference.array.dtype, `${label}: dtype`);
        assert.deepEqual(array.chunks, reference.chunks, `${label}: chunks`);
        computed[label] = await array.compute();
        assertCloseArray(computed[label], reference.array, label, tolerance[dtype]);
      }
      assertQrProperties(tall, computed.tsqrQ, computed.tsqrR, tolerance[dtype], `${dtype} tsqr`);
      assertQrProperties(wide, computed.sfqrQ, computed.sfqrR, tolerance[dtype], `${dtype} sfqr`);
    });
  }

});

describeOnCluster("chunked complex QR", () => {
  const x = ta.fromArray(randomComplex([43, 4], "complex128", 91), { chunks: [4, 4] });
  const y = ta.fromArray(randomComplex([4, 21], "complex64", 92), { chunks: [4, 5] });
  return [...ta.linalg.tsqr(x), ...ta.linalg.qr(y)];
});
