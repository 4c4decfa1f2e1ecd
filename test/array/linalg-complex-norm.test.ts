/**
 * ta.linalg.norm of chunked complex64 / complex128 arrays against Dask 2022.12's
 * da.linalg.norm on the same chunks (13 blocks along the long axis, uneven last blocks): every
 * vector and matrix order, axes, keepdims; the SVD orders (2, −2, "nuc") on tall-and-skinny and
 * short-and-fat matrices, through the real SVD of the block-by-block real embedding. Dask
 * computes in complex128 with a float64 result; so does tessera, and its ord 0 counts in
 * float64 where Dask's count comes out complex128 (compared with its real part). Tolerances,
 * relative to the largest value of Dask's result: 2e-15 for the sums of |z| and |z|² (Dask
 * squares |z| where tessera forms re² + im²), the SVD's c·n·ε for 2, −2 and "nuc": 1e-13
 * (complex128), 2e-6 (complex64, whose singular values Dask and tessera keep in float32).
 * A 2 × 1 LocalCluster sample checks the same bits come from workers.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import type * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertCloseArray, randomComplex } from "../ndarray/complex-compare.js";

const py = (v: unknown): string => (v === null ? "None" : v === Infinity ? "np.inf" : v === -Infinity ? "-np.inf" : typeof v === "string" ? `'${v}'` : String(v));
const singular = { complex64: 2e-6, complex128: 1e-13 } as const;

async function compare(inputs: Record<string, nd.NDArray>, cases: Record<string, [string, ta.Array, number]>): Promise<void> {
  const expected = evaluatePython(inputs, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
  for (const [label, [, lazy, tolerance]] of Object.entries(cases)) {
    const reference = expected[label];
    assert.ok(reference.array, `${label}: Dask raised ${reference.error}`);
    assert.equal(lazy.dtype, reference.array.dtype, `${label}: dtype`);
    assert.deepEqual(lazy.chunks, reference.chunks, `${label}: chunks`);
    assertCloseArray(await lazy.compute(), reference.array, label, tolerance);
  }
}

describe("ta.linalg.norm of chunked complex arrays against Dask", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: vector and matrix orders over 13 blocks`, async () => {
      const z = randomComplex([37, 8, 3], dtype, 21);
      const x = ta.fromArray(z, { chunks: [3, 5, 2] });
      const dz = "da.from_array(z, chunks=(3, 5, 2))";
      const cases: Record<string, [string, ta.Array, number]> = {};
      for (const ord of [null, 2, 1, 3, 0.5, -1, -2, Infinity, -Infinity]) {
        cases[`axis 0 ord ${String(ord)}`] = [`da.linalg.norm(${dz}, ord=${py(ord)}, axis=0)`, ta.linalg.norm(x, { ord, axis: 0 }), 2e-15];
        cases[`axis -1 ord ${String(ord)} keepdims`] = [`da.linalg.norm(${dz}, ord=${py(ord)}, axis=-1, keepdims=True)`, ta.linalg.norm(x, { ord, axis: -1, keepdims: true }), 2e-15];
      }
      cases["axis 0 ord 0"] = [`da.linalg.norm(${dz}, ord=0, axis=0).real`, ta.linalg.norm(x, { ord: 0, axis: 0 }), 0];
      for (const ord of [null, "fro", 1, -1, Infinity, -Infinity] as const) {
        cases[`axes (0, 2) ord ${String(ord)}`] = [`da.linalg.norm(${dz}, ord=${py(ord)}, axis=(0, 2))`, ta.linalg.norm(x, { ord, axis: [0, 2] }), 2e-15];
        cases[`axes (1, 0) ord ${String(ord)} keepdims`] = [`da.linalg.norm(${dz}, ord=${py(ord)}, axis=(1, 0), keepdims=True)`, ta.linalg.norm(x, { ord, axis: [1, 0], keepdims: true }), 2e-15];
      }
      cases.whole = [`da.linalg.norm(${dz}[:, :, 0])`, ta.linalg.norm(x.get(":", ":", 0)), 2e-15];
      await compare({ z }, cases);
    });

    it(`${dtype}: 2, −2 and "nuc" of tall-and-skinny (13 row blocks) and short-and-fat matrices`, async () => {
      const z = randomComplex([37, 6], dtype, 31);
      const tall = ta.fromArray(z, { chunks: [3, 6] });
      const fat = ta.fromArray(z, { chunks: [3, 6] }).T;
      const dtall = "da.from_array(z, chunks=(3, 6))";
      const cases: Record<string, [string, ta.Array, number]> = {};
      for (const ord of [2, -2, "nuc"] as const) {
        cases[`tall ord ${ord}`] = [`da.linalg.norm(${dtall}, ord=${py(ord)})`, ta.linalg.norm(tall, { ord }), singular[dtype]];
        cases[`tall ord ${ord} keepdims`] = [`da.linalg.norm(${dtall}, ord=${py(ord)}, keepdims=True)`, ta.linalg.norm(tall, { ord, keepdims: true }), singular[dtype]];
        cases[`fat ord ${ord}`] = [`da.linalg.norm(${dtall}.T, ord=${py(ord)})`, ta.linalg.norm(fat, { ord }), singular[dtype]];
      }
      await compare({ z }, cases);
    });
  }

  it("refuses an SVD norm of an array chunked along both axes, as Dask", () => {
    const x = ta.fromArray(randomComplex([12, 8], "complex128", 3), { chunks: 4 });
    assert.throws(() => ta.linalg.norm(x, { ord: 2 }), /chunked in one dimension only/);
  });
});

describeOnCluster("chunked complex norms", () => {
  const x = ta.fromArray(randomComplex([31, 5], "complex128", 41), { chunks: [3, 5] });
  return [ta.linalg.norm(x, { ord: "nuc" }), ta.linalg.norm(x, { ord: -2 }), ta.linalg.norm(x, { axis: 0 }), ta.linalg.norm(x, { ord: 1 })];
});
