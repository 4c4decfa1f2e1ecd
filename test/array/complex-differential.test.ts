/**
 * complex64 / complex128 lazy arrays against Dask 2022.12 on the same chunks: fromArray and
 * compute round trip, elementwise arithmetic with broadcasting and scalars, abs / real / imag /
 * conj / angle, moves (transpose, reshape, slicing, concatenate, rechunk, astype), reductions
 * with axis / keepdims over many uneven blocks (sum, mean, prod), and a LocalCluster 2 × 1
 * sample (complex blocks travel between processes and threads unchanged).
 * Tolerances as test/ndarray/complex-differential: 0 for moves, + − × ÷; sums and transcendental
 * functions within a few ulps of the largest magnitude.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import type * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertCloseArray, randomComplex, randomReal } from "../ndarray/complex-compare.js";

const loose = { complex64: 4e-7, complex128: 1e-15 } as const;

describe("complex lazy arrays against Dask", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: moves, arithmetic and reductions over many blocks`, async () => {
      const z = randomComplex([17, 13, 5], dtype, 51);
      const w = randomComplex([13, 1], dtype, 52);
      const f = randomReal([17, 13, 5], "float32", 53);
      const x = ta.fromArray(z, { chunks: [4, 3, 5] });
      const y = ta.fromArray(w, { chunks: [5, 1] });
      const r = ta.fromArray(f, { chunks: [6, 13, 2] });
      const dz = "da.from_array(z, chunks=(4, 3, 5))";
      const dw = "da.from_array(w, chunks=(5, 1))";
      const df = "da.from_array(f, chunks=(6, 13, 2))";
      const t = loose[dtype];
      const cases: Record<string, [string, ta.Array, number?]> = {
        roundTrip: [dz, x],
        add: [`${dz} + ${dw}`, ta.add(x, y)],
        mulReal: [`${dz} * ${df}`, ta.multiply(x, r)],
        div: [`${dz} / (${dw} + 1)`, ta.divide(x, ta.add(y, 1))],
        scalar: [`(${dz} - 2.5) * 3`, x.sub(2.5).mul(3)],
        pow: [`${dz} ** 2`, x.pow(2)],
        neg: [`-${dz}`, x.neg()],
        abs: [`abs(${dz})`, ta.abs(x), t],
        real: [`da.real(${dz})`, ta.real(x)],
        imag: [`da.imag(${dz})`, ta.imag(x)],
        conj: [`da.conj(${dz})`, ta.conj(x)],
        angle: [`da.angle(${dz}, deg=True)`, ta.angle(x, { deg: true }), t],
        transpose: [`${dz}.transpose(2, 0, 1)`, x.transpose([2, 0, 1])],
        reshape: [`${dz}.reshape(17, 65)`, x.reshape([17, 65])],
        slice: [`${dz}[3:15:2, ::-1, 1]`, x.get({ start: 3, stop: 15, step: 2 }, { step: -1 }, 1)],
        concat: [`da.concatenate([${dz}, ${dz}[:5]], axis=0)`, ta.concatenate([x, x.get({ stop: 5 })], 0)],
        rechunk: [`${dz}.rechunk((7, 13, 2))`, x.rechunk([7, 13, 2])],
        astypeReal: [`${dz}.astype("float64")`, x.astype("float64")],
        fromReal: [`${df}.astype("${dtype}")`, r.astype(dtype)],
        sum: [`${dz}.sum()`, x.sum(), t],
        sumAxis: [`${dz}.sum(axis=1, keepdims=True)`, x.sum({ axis: 1, keepdims: true }), t],
        mean: [`${dz}.mean(axis=(0, 2))`, x.mean({ axis: [0, 2] }), t],
        prod: [`(${dz} / 5).prod(axis=0)`, x.div(5).prod({ axis: 0 }), t * 4],
        equal: [`${dz} == ${dz}[:, :, ::-1]`, ta.equal(x, x.get(":", ":", { step: -1 }))],
      };
      const expected = evaluatePython({ z, w, f }, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
      for (const [label, [, lazy, tolerance]] of Object.entries(cases)) {
        const reference = expected[label];
        assert.ok(reference.array, `${label}: Dask raised ${reference.error}`);
        assert.equal(lazy.dtype, reference.array.dtype, `${label}: dtype`);
        assert.deepEqual(lazy.chunks, reference.chunks, `${label}: chunks`);
        assertCloseArray(await lazy.compute(), reference.array as nd.NDArray, label, tolerance ?? 0);
      }
    });
  }

  it("refuses what it does not support, naming it, when the graph is built or run", async () => {
    const x = ta.fromArray(randomComplex([6, 4], "complex128", 1), { chunks: 2 });
    await assert.rejects(async () => x.max().compute(), /max does not support complex input \(complex128\)/);
    assert.throws(() => ta.nancumsum(x, { axis: 0 }), /nancumsum does not support complex input \(complex128\)/);
    await assert.rejects(async () => ta.sin(x).compute(), /sin does not support complex input/);
    assert.throws(() => ta.linalg.cholesky(x), /cholesky does not support complex input \(complex128\)/);
  });
});

describeOnCluster("complex lazy arrays", () => {
  const x = ta.fromArray(randomComplex([23, 9], "complex64", 61), { chunks: [5, 4] });
  return [x.mul(x).add(1), x.sum({ axis: 0 }), x.mean(), x.T.rechunk([3, 7]), ta.abs(x)];
});
