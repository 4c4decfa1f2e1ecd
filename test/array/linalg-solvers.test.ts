// ta.linalg.solve / inv / cholesky / lstsq against dask.array.linalg 2022.12 on seeded
// well-conditioned matrices (diagonal raised; SPD as BᵀB + n·I) with 1 to 4 blocks per axis:
// chunks and dtypes exactly, values within 64·N²·ε·max(1, ‖expected‖_max) (block LU, Cholesky
// and QR solves are backward stable; with condition numbers ≲ 10 the forward errors of both
// sides stay inside). Singular and indefinite matrices fail at compute time, as in Dask; bad
// chunkings and shapes are refused by name. A LocalCluster 2 × 1 run gives the local bits.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { pyChunks, rngOf } from "./differential-inputs.js";
import { evaluatePython, type PythonResult } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertClose, epsilonOf, maxAbs, randomMatrix, spdMatrix } from "../ndarray/linalg-matrices.js";

/** `precision`: the dtype whose ε bounds the error (float32 where any input is float32: Dask factors it in float32). */
async function compare(label: string, lazy: ta.Array, expected: PythonResult, n: number, precision: nd.DType = "float64"): Promise<void> {
  assert.equal(expected.error, undefined, `${label}: Dask raised ${expected.error}`);
  assert.deepEqual(lazy.chunks.map((axis) => [...axis]), expected.chunks, `${label}: chunks`);
  const actual = await lazy.compute();
  const reference = expected.array as nd.NDArray;
  assert.equal(actual.dtype, reference.dtype, `${label}: dtype`);
  assertClose(actual, reference, 64 * n * n * epsilonOf(actual.dtype === "float32" ? "float32" : precision) * Math.max(1, maxAbs(reference)), label);
}

const vector = (rng: () => number, n: number, dtype: nd.DType = "float64") => nd.reshape(randomMatrix(rng, n, 1, dtype), [n]);

describe("ta.linalg solvers", () => {
  it("solve and inv equal Dask's block LU: chunks, dtypes, values", async () => {
    const rng = rngOf(61);
    const inputs: Record<string, nd.NDArray> = {
      a: randomMatrix(rng, 12, 12, "float64", 3), bv: vector(rng, 12), bm: randomMatrix(rng, 12, 7),
      a32: randomMatrix(rng, 8, 8, "float32", 3), b32: randomMatrix(rng, 8, 3, "float32"),
      ai: randomMatrix(rng, 9, 9, "int32", 12), bi: vector(rng, 9, "int16"),
    };
    const cases: Array<[string, string | null, number[][], number[][] | null]> = [
      ["a", "bv", [[4, 4, 4], [4, 4, 4]], [[5, 5, 2]]],
      ["a", "bm", [[3, 3, 3, 3], [3, 3, 3, 3]], [[6, 6], [3, 4]]],
      ["a", "bm", [[12], [12]], [[12], [7]]],
      ["a32", "b32", [[4, 4], [4, 4]], [[4, 4], [3]]],
      ["a32", "bm", [[4, 4], [4, 4]], [[8], [7]]],
      ["ai", "bi", [[3, 3, 3], [3, 3, 3]], [[9]]],
      ["a", null, [[3, 3, 3, 3], [3, 3, 3, 3]], null], ["a32", null, [[8], [8]], null], ["ai", null, [[3, 3, 3], [3, 3, 3]], null],
    ];
    inputs.bm8 = randomMatrix(rng, 8, 7);
    cases[4][1] = "bm8";
    // No raised diagonal: the diagonal blocks pivot through longer cycles than one swap.
    inputs.pivoting = randomMatrix(rng, 12, 12);
    cases.push(["pivoting", "bm", [[6, 6], [6, 6]], [[12], [7]]]);
    const python = evaluatePython(inputs, Object.fromEntries(cases.map(([a, b, ac, bc], i) => [`c${i}`, b === null
      ? `da.linalg.inv(da.from_array(${a}, chunks=${pyChunks(ac)}))`
      : `da.linalg.solve(da.from_array(${a}, chunks=${pyChunks(ac)}), da.from_array(${b}, chunks=${pyChunks(bc as number[][])}))`])));
    for (const [i, [a, b, ac, bc]] of cases.entries()) {
      const lazyA = ta.fromArray(inputs[a], { chunks: ac });
      const lazy = b === null ? ta.linalg.inv(lazyA) : ta.linalg.solve(lazyA, ta.fromArray(inputs[b], { chunks: bc as number[][] }));
      await compare(`${b === null ? "inv" : "solve"}(${a} ${JSON.stringify(ac)}, ${b} ${JSON.stringify(bc)})`, lazy, python[`c${i}`], inputs[a].shape[0], inputs[a].dtype);
    }
  });

  it("cholesky equals Dask's block Cholesky (upper by default, lower on request)", async () => {
    const rng = rngOf(62);
    const inputs = { s: spdMatrix(rng, 12), s32: spdMatrix(rng, 6, "float32"), si: nd.astype(spdMatrix(rng, 6), "int32") };
    const cases: Array<[keyof typeof inputs, number, boolean]> = [["s", 4, false], ["s", 3, true], ["s", 12, false], ["s32", 2, true], ["s32", 3, false], ["si", 3, true]];
    const python = evaluatePython(inputs, Object.fromEntries(cases.map(([x, c, lower], i) => [`c${i}`, `da.linalg.cholesky(da.from_array(${x}, chunks=${c}), lower=${lower ? "True" : "False"})`])));
    for (const [i, [x, c, lower]] of cases.entries()) {
      await compare(`cholesky(${x}, chunks ${c}, lower ${lower})`, ta.linalg.cholesky(ta.fromArray(inputs[x], { chunks: c }), { lower }), python[`c${i}`], inputs[x].shape[0]);
    }
  });

  it("lstsq equals da.linalg.lstsq: x, residuals, rank, s (tsqr over 8 row blocks, one block, 1-d and 2-d b)", async () => {
    const rng = rngOf(63);
    const inputs = { a: randomMatrix(rng, 40, 5), bv: vector(rng, 40), bm: randomMatrix(rng, 40, 3), one: randomMatrix(rng, 20, 4), b1: randomMatrix(rng, 20, 2), a32: randomMatrix(rng, 24, 3, "float32"), b32: vector(rng, 24, "float32") };
    const cases: Array<[keyof typeof inputs, keyof typeof inputs, number[][], number[][]]> = [
      ["a", "bv", [Array(8).fill(5), [5]], [Array(8).fill(5)]],
      ["a", "bm", [Array(8).fill(5), [5]], [Array(4).fill(10), [1, 2]]],
      ["one", "b1", [[20], [4]], [[20], [2]]],
      ["a32", "b32", [Array(8).fill(3), [3]], [Array(8).fill(3)]],
    ];
    const expressions: Record<string, string> = {};
    cases.forEach(([a, b, ac, bc], i) => { for (const part of [0, 1, 2, 3]) expressions[`c${i}-${part}`] = `da.linalg.lstsq(da.from_array(${a}, chunks=${pyChunks(ac)}), da.from_array(${b}, chunks=${pyChunks(bc)}))[${part}]`; });
    const python = evaluatePython(inputs, expressions);
    for (const [i, [a, b, ac, bc]] of cases.entries()) {
      const result = ta.linalg.lstsq(ta.fromArray(inputs[a], { chunks: ac }), ta.fromArray(inputs[b], { chunks: bc }));
      const label = `lstsq(${a} ${JSON.stringify(ac)}, ${b} ${JSON.stringify(bc)})`;
      for (const [part, value] of [result.x, result.residuals, result.rank, result.s].entries()) await compare(`${label} result ${part}`, value, python[`c${i}-${part}`], inputs[a].shape[0]);
    }
  });

  it("refuses chunkings and shapes by name; singular and indefinite matrices fail at compute time", async () => {
    const a = ta.fromArray(randomMatrix(rngOf(7), 12, 12, "float64", 3), { chunks: [4, 6] });
    assert.throws(() => ta.linalg.solve(a, ta.ones([12], { chunks: 4 })), /all chunks must be square blocks of one size.*rechunk it: x.rechunk\(4\)/);
    assert.throws(() => ta.linalg.inv(ta.fromArray(randomMatrix(rngOf(8), 10, 10), { chunks: [[4, 4, 2], [4, 4, 2]] })), /all chunks must be square blocks of one size.*x.rechunk\(5\)/);
    assert.throws(() => ta.linalg.cholesky(ta.ones([6, 4], { chunks: 2 })), /must be square, got 6 × 4/);
    assert.throws(() => ta.linalg.cholesky(ta.ones([4, 4], { chunks: 2 }), { upper: true } as never), /unknown option "upper"/);
    assert.throws(() => ta.linalg.solve(ta.ones([4, 4], { chunks: 2 }), ta.ones([5], { chunks: 5 })), /b has 5 rows, a is 4 × 4/);
    assert.throws(() => ta.linalg.lstsq(ta.ones([4, 6], { chunks: [4, 6] }), ta.ones([4], { chunks: 4 })), /fewer rows than columns \(4 × 6\)/);
    await assert.rejects(ta.linalg.solve(ta.zeros([4, 4], { chunks: 2 }), ta.ones([4], { chunks: 2 })).compute(), /singular matrix/);
    const indefinite = nd.fromTypedArray(Float64Array.of(1, 2, 0, 0, 2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1), [4, 4]);
    await assert.rejects(ta.linalg.cholesky(ta.fromArray(indefinite, { chunks: 2 })).compute(), /not positive definite/);
  });
});

describeOnCluster("ta.linalg solve, inv, cholesky and lstsq", () => {
  const rng = rngOf(64);
  const a = ta.fromArray(randomMatrix(rng, 12, 12, "float64", 3), { chunks: 4 });
  const s = ta.fromArray(spdMatrix(rng, 12), { chunks: 3 });
  const b = ta.fromArray(randomMatrix(rng, 12, 5), { chunks: [4, 2] });
  const tall = ta.fromArray(randomMatrix(rng, 48, 4), { chunks: [3, 4] });
  const y = ta.fromArray(randomMatrix(rng, 48, 2), { chunks: [6, 1] });
  const fit = ta.linalg.lstsq(tall, y);
  return [ta.linalg.solve(a, b), ta.linalg.inv(a), ta.linalg.cholesky(s), fit.x, fit.residuals, fit.rank, fit.s];
});
