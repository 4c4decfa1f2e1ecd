// ta.linalg.solveTriangular and ta.linalg.lu against dask.array.linalg 2022.12 (solve_triangular,
// lu) with 6 to 10 blocks per axis, uneven chunks where Dask allows them (solve_triangular),
// b 1-d and 2-d of several column blocks, mixed dtypes: chunks and dtypes exactly, values within
// 64·n·ε·(max|b|·10) for the solves (well-conditioned triangles: the diagonal raised to n/2)
// and entry by entry for P, L and U (Dask's block LU pivots inside each diagonal block, a
// deterministic choice both sides make). Refusals by name; a singular diagonal block fails at
// compute time; a LocalCluster 2 × 1 run of both.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { pyChunks, rngOf } from "./differential-inputs.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { lowerArrays } from "../../src/array/lower.js";
import { assertClose, epsilonOf, randomMatrix } from "../ndarray/linalg-matrices.js";

const rng = rngOf(71);
const pyBool = (v: boolean) => (v ? "True" : "False");

async function compare(label: string, lazy: ta.Array, expected: { array?: nd.NDArray; chunks?: unknown; error?: string }, tol: number): Promise<void> {
  assert.equal(expected.error, undefined, `${label}: Dask raised ${expected.error}`);
  assert.deepEqual(lazy.chunks.map((axis) => [...axis]), expected.chunks, `${label}: chunks`);
  assert.equal(lazy.dtype, expected.array?.dtype, `${label}: dtype`);
  const actual = await lazy.compute();
  assert.equal(actual.dtype, expected.array?.dtype, `${label}: computed dtype`);
  assertClose(actual, expected.array as nd.NDArray, tol, label);
}

describe("ta.linalg.solveTriangular", () => {
  it("equals da.linalg.solve_triangular: lower and upper, b 1-d and 2-d, uneven chunks, dtypes", async () => {
    const even = Array(10).fill(3);
    const uneven = [4, 4, 4, 4, 4, 4, 3, 3];
    const inputs: Record<string, nd.NDArray> = {
      a: randomMatrix(rng, 30, 30, "float64", 15),
      a32: randomMatrix(rng, 30, 30, "float32", 15),
      ai: randomMatrix(rng, 30, 30, "int32", 40),
      b1: nd.reshape(randomMatrix(rng, 30, 1), [30]),
      b2: randomMatrix(rng, 30, 7),
      b32: randomMatrix(rng, 30, 5, "float32"),
      bi: randomMatrix(rng, 30, 4, "int32"),
    };
    const cases: Array<{ a: string; b: string; chunks: number[]; bColumns?: number[]; lower: boolean }> = [
      { a: "a", b: "b2", chunks: even, bColumns: [3, 4], lower: false },
      { a: "a", b: "b2", chunks: even, bColumns: [7], lower: true },
      { a: "a", b: "b1", chunks: uneven, lower: true },
      { a: "a", b: "b1", chunks: uneven, lower: false },
      { a: "a32", b: "b32", chunks: uneven, bColumns: [2, 2, 1], lower: true },
      { a: "a32", b: "b2", chunks: even, bColumns: [7], lower: false },
      { a: "ai", b: "bi", chunks: even, bColumns: [4], lower: true },
      { a: "ai", b: "b32", chunks: uneven, bColumns: [5], lower: false },
    ];
    const expressions: Record<string, string> = {};
    const bChunks = (c: (typeof cases)[number]) => (c.bColumns ? [c.chunks, c.bColumns] : [c.chunks]);
    cases.forEach((c, i) => { expressions[`c${i}`] = `da.linalg.solve_triangular(da.from_array(${c.a}, chunks=${pyChunks([c.chunks, c.chunks])}), da.from_array(${c.b}, chunks=${pyChunks(bChunks(c))}), lower=${pyBool(c.lower)})`; });
    const python = evaluatePython(inputs, expressions);
    for (const [i, c] of cases.entries()) {
      const x = ta.linalg.solveTriangular(ta.fromArray(inputs[c.a], { chunks: [c.chunks, c.chunks] }), ta.fromArray(inputs[c.b], { chunks: bChunks(c) }), { lower: c.lower });
      await compare(JSON.stringify(c), x, python[`c${i}`], 64 * 30 * epsilonOf(x.dtype) * 10);
    }
  });

  it("refuses what Dask refuses (and what would fail in its tasks) by name; a zero on the diagonal fails at compute time", async () => {
    const a = ta.fromArray(randomMatrix(rng, 12, 12, "float64", 6), { chunks: 4 });
    const b = ta.fromArray(randomMatrix(rng, 12, 2), { chunks: [4, 2] });
    assert.throws(() => ta.linalg.solveTriangular(a, ta.fromArray(randomMatrix(rng, 12, 2), { chunks: [3, 2] })), /a.chunks\[1\] and b.chunks\[0\] must be equal.*rechunk b/);
    assert.throws(() => ta.linalg.solveTriangular(a, ta.ones([10], { chunks: 5 })), /a.shape\[1\] and b.shape\[0\] must be equal, got 12 and 10/);
    assert.throws(() => ta.linalg.solveTriangular(a, ta.ones([12, 2, 2], { chunks: 4 })), /b must be 1 or 2 dimensional/);
    assert.throws(() => ta.linalg.solveTriangular(ta.ones([4, 4, 4], { chunks: 2 }), b), /a must be 2 dimensional/);
    assert.throws(() => ta.linalg.solveTriangular(ta.fromArray(randomMatrix(rng, 12, 12), { chunks: [[6, 6], [4, 4, 4]] }), b), /diagonal blocks must be square/);
    assert.throws(() => ta.linalg.solveTriangular(a, b, { trans: 1 } as never), /unknown option "trans"/);
    assert.throws(() => ta.linalg.solveTriangular(a, b, { lower: "no" as never }), /lower must be true or false/);
    const zeroDiagonal = ta.fromArray(nd.multiply(randomMatrix(rng, 12, 12, "float64", 6), nd.fromTypedArray(Float64Array.from({ length: 12 }, (_, i) => (i === 5 ? 0 : 1)), [12])), { chunks: 4 });
    await assert.rejects(ta.linalg.solveTriangular(zeroDiagonal, b).compute(), /singular matrix/);
  });
});

describe("ta.linalg.lu", () => {
  it("equals da.linalg.lu: P, L and U block by block, 6 to 10 blocks per axis, dtypes", async () => {
    const cases: Array<{ n: number; c: number; dtype: nd.DType }> = [
      { n: 24, c: 4, dtype: "float64" }, { n: 30, c: 3, dtype: "float64" }, { n: 16, c: 16, dtype: "float64" },
      { n: 16, c: 4, dtype: "float32" }, { n: 18, c: 3, dtype: "int32" },
    ];
    const inputs = Object.fromEntries(cases.map((c, i) => [`a${i}`, randomMatrix(rng, c.n, c.n, c.dtype)]));
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => { for (const part of [0, 1, 2]) expressions[`c${i}-${part}`] = `da.linalg.lu(da.from_array(a${i}, chunks=${c.c}))[${part}]`; });
    const python = evaluatePython(inputs, expressions);
    for (const [i, c] of cases.entries()) {
      const parts = ta.linalg.lu(ta.fromArray(inputs[`a${i}`], { chunks: c.c }));
      const tol = 64 * c.n * epsilonOf(c.dtype === "float32" ? "float32" : "float64") * 100;
      for (const [p, part] of parts.entries()) await compare(`lu ${JSON.stringify(c)} part ${p}`, part, python[`c${i}-${p}`], tol);
    }
  });

  it("refuses what Dask refuses, naming the rechunk", () => {
    assert.throws(() => ta.linalg.lu(ta.ones([12, 8], { chunks: 4 })), /must be square, got 12 × 8/);
    assert.throws(() => ta.linalg.lu(ta.ones([12, 12], { chunks: 5 })), /square blocks of one size.*rechunk it: x.rechunk\(4\)/);
    assert.throws(() => ta.linalg.lu(ta.ones([4, 4, 4], { chunks: 2 })), /dimension must be 2/);
    assert.throws(() => ta.linalg.lu(nd.eye(3) as never), /needs a tessera array/);
  });
});

describe("ta.linalg.lu and solveTriangular graphs", () => {
  it("have no task reading more than three blocks (10 × 10 blocks; Dask's sums read up to 10)", () => {
    const a = ta.fromArray(randomMatrix(rngOf(74), 30, 30, "float64", 15), { chunks: 3 });
    const b = ta.fromArray(randomMatrix(rngOf(75), 30, 4), { chunks: [3, 2] });
    const { graph } = lowerArrays([...ta.linalg.lu(a), ta.linalg.solveTriangular(a, b), ta.linalg.solveTriangular(a, b, { lower: true })], () => false, (node) => (node as ta.Array).blockKeys());
    assert.ok(graph.tasks.size > 1000, `${graph.tasks.size} tasks`);
    for (const task of graph.tasks.values()) assert.ok(task.deps.length <= 3, `${task.key} reads ${task.deps.length} blocks`);
  });
});

describeOnCluster("ta.linalg.lu and solveTriangular over 8 × 8 blocks", () => {
  const a = ta.fromArray(randomMatrix(rngOf(72), 32, 32, "float64", 16), { chunks: 4 });
  const b = ta.fromArray(randomMatrix(rngOf(73), 32, 6), { chunks: [4, 3] });
  return [...ta.linalg.lu(a), ta.linalg.solveTriangular(a, b, { lower: true }), ta.linalg.solveTriangular(a, b)];
});
