/**
 * Chunked complex var / std, cumsum / cumprod and matrix products over many blocks (13 along
 * axis 0, uneven last blocks). cumsum / cumprod and the products are checked against Dask
 * 2022.12 on the same chunks (chunks equal; cumsum bit for bit; cumprod to the last bit: NumPy's
 * complex128 multiply of strided operands, such as Dask's carry times the last column of a
 * block, runs its scalar loop, which x86-64 builds fuse (fma), and tessera's elementwise
 * multiply does not; products within the dot-product bound). var / std against NumPy: Dask 2022.12's moment_chunk sums complex blocks
 * with dtype float64, dropping the imaginary part (its var of complex is wrong; fixed in later
 * Dask), so tessera's tree (complex totals, |x − mean|² moments) is held to np.var. A 2 × 1
 * LocalCluster sample checks the same bits arrive from workers.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertCloseArray, randomComplex, randomReal } from "../ndarray/complex-compare.js";

const sums = { complex64: 4e-7, complex128: 1e-15 } as const;
const products = { complex64: 2e-6, complex128: 1e-14 } as const;

type Cases = Record<string, [string, ta.Array, number?]>;

async function compare(inputs: Record<string, nd.NDArray>, cases: Cases, checkChunks: boolean): Promise<void> {
  const expected = evaluatePython(inputs, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
  for (const [label, [, lazy, tolerance]] of Object.entries(cases)) {
    const reference = expected[label];
    assert.ok(reference.array, `${label}: Python raised ${reference.error}`);
    assert.equal(lazy.dtype, reference.array.dtype, `${label}: dtype`);
    if (checkChunks) assert.deepEqual(lazy.chunks, reference.chunks, `${label}: chunks`);
    assertCloseArray(await lazy.compute(), reference.array, label, tolerance ?? 0);
  }
}

describe("chunked complex var, std, cumsum, cumprod and products", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: var and std over 13 blocks equal NumPy's`, async () => {
      const z = randomComplex([37, 8, 3], dtype, 71);
      const x = ta.fromArray(z, { chunks: [3, 5, 2] });
      const t = sums[dtype];
      await compare({ z }, {
        all: ["np.var(z)", x.var(), t],
        axis0: ["np.var(z, axis=0, ddof=1)", x.var({ axis: 0, ddof: 1 }), t],
        axes: ["np.std(z, axis=(0, 2), keepdims=True)", x.std({ axis: [0, 2], keepdims: true }), t],
        inner: ["np.std(z, axis=1)", ta.std(x, { axis: 1 }), t],
        // splitEvery 2: three tree levels of combines over the 13 blocks.
        tree: ["np.var(z, axis=0)", ta.var(x, { axis: 0, splitEvery: 2 }), t],
        // The complex mean shifted far from 0: the per-block centring keeps the variance exact.
        shifted: ["np.var(z + (1e4 - 3e4j), axis=0)", ta.var(x.add(ta.fromArray(nd.full([1], { re: 1e4, im: -3e4 }, dtype))), { axis: 0 }), t * 1e4],
      }, false);
    });

    it(`${dtype}: cumsum and cumprod over 13 blocks equal Dask's`, async () => {
      const z = randomComplex([37, 8], dtype, 81);
      const x = ta.fromArray(z, { chunks: [3, 5] });
      const dz = "da.from_array(z, chunks=(3, 5))";
      const t = sums[dtype];
      await compare({ z }, {
        sum0: [`${dz}.cumsum(axis=0)`, ta.cumsum(x, 0)],
        sum1: [`${dz}.cumsum(axis=1)`, ta.cumsum(x, { axis: 1 })],
        flat: [`da.cumsum(${dz})`, ta.cumsum(x)],
        prod0: [`(${dz} / 8).cumprod(axis=0)`, ta.cumprod(x.div(8), 0), t],
        prod1: [`(${dz} / 8).cumprod(axis=1)`, ta.cumprod(x.div(8), 1), t],
      }, true);
    });

    it(`${dtype}: matmul, dot, tensordot, vdot and einsum over many blocks match Dask`, async () => {
      const a = randomComplex([37, 11], dtype, 91);
      const b = randomComplex([11, 6], dtype, 92);
      const part = dtype === "complex64" ? "float32" : "float64";
      const f = randomReal([11, 6], part, 93);
      const x = ta.fromArray(a, { chunks: [3, 4] });
      const y = ta.fromArray(b, { chunks: [4, 5] });
      const r = ta.fromArray(f, { chunks: [4, 5] });
      const da = "da.from_array(a, chunks=(3, 4))";
      const db = "da.from_array(b, chunks=(4, 5))";
      const df = "da.from_array(f, chunks=(4, 5))";
      const t = products[dtype];
      await compare({ a, b, f }, {
        matmul: [`${da} @ ${db}`, ta.matmul(x, y), t],
        matmulReal: [`${da} @ ${df}`, ta.matmul(x, r), t],
        dot: [`da.dot(${da}, ${db})`, ta.dot(x, y), t],
        gram: [`da.tensordot(${da}, da.conj(${da}), axes=([0], [0]))`, ta.tensordot(x, ta.conj(x), [[0], [0]]), t],
        vdot: [`da.vdot(${da}, ${da} * (1 - 2j))`, ta.vdot(x, x.mul(ta.fromArray(nd.full([1], { re: 1, im: -2 }, dtype)))), t],
        vdotRealFirst: [`da.vdot(${df}, ${db})`, ta.vdot(r, y), t],
        einsum: [`da.einsum('ij,jk->ik', ${da}, ${db})`, ta.einsum("ij,jk->ik", x, y), t],
        einsumRows: [`da.einsum('ij,ij->i', ${da}, da.conj(${da}))`, ta.einsum("ij,ij->i", x, ta.conj(x)), t],
      }, true);
    });
  }

  it("refuses what stays unsupported, naming it", () => {
    const x = ta.fromArray(randomComplex([12, 4], "complex128", 3), { chunks: 3 });
    assert.throws(() => ta.nancumsum(x, 0), /nancumsum does not support complex input \(complex128\)/);
    assert.throws(() => ta.cumprod(x, { axis: 0, dtype: "float64" }), /cumprod with dtype float64 does not support complex input \(complex128\)/);
    assert.throws(() => ta.moment(x, 3), /moment does not support complex input \(complex128\)/);
    const tall = ta.fromArray(randomComplex([12, 4], "complex128", 4), { chunks: [3, 4] });
    const square = ta.fromArray(randomComplex([8, 8], "complex128", 5), { chunks: 4 });
    assert.throws(() => ta.linalg.svdCompressed(tall, 2), /svdCompressed does not support complex input \(complex128\)/);
    assert.throws(() => ta.linalg.lstsq(tall, tall), /lstsq does not support complex input \(complex128\)/);
    for (const [name, call] of Object.entries({
      solve: () => ta.linalg.solve(square, square), inv: () => ta.linalg.inv(square), lu: () => ta.linalg.lu(square),
      cholesky: () => ta.linalg.cholesky(square), solveTriangular: () => ta.linalg.solveTriangular(square, square),
    })) {
      assert.throws(call, new RegExp(`${name} does not support complex input \\(complex128\\)`), name);
    }
  });
});

describeOnCluster("chunked complex var, cumprod and matmul", () => {
  const x = ta.fromArray(randomComplex([31, 7], "complex128", 101), { chunks: [3, 4] });
  return [x.var({ axis: 0 }), ta.cumprod(x.div(6), 0), ta.matmul(x, ta.conj(x.T)), ta.vdot(x, x)];
});
