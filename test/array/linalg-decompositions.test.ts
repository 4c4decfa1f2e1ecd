// ta.linalg.tsqr / qr / svd against dask.array.linalg 2022.12 on seeded matrices with many row
// blocks (8 to 16) and short-and-fat ones: chunks and dtypes exactly, values within
// 64·max(M, N)·ε·max(1, ‖a‖_max)·N (both sides are Householder QRs with LAPACK's signs, and
// Dask's svd_flip fixes the SVD's signs, so Q, R, U and vh are compared entry by entry; the
// matrices are well-conditioned, so the forward errors stay inside). Refusals are named, and
// a LocalCluster 2 × 1 run of a 16-row-block tsqr and svd gives the local executor's bits.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { pyChunks, rngOf } from "./differential-inputs.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertClose, assertOrthonormalColumns, epsilonOf, maxAbs, randomMatrix } from "../ndarray/linalg-matrices.js";

interface Case { shape: [number, number]; chunks: number[][]; dtype: nd.DType }

const tall: Case[] = [
  { shape: [40, 5], chunks: [Array(8).fill(5), [5]], dtype: "float64" },
  { shape: [40, 5], chunks: [[...Array(13).fill(3), 1], [5]], dtype: "float64" },
  { shape: [10, 4], chunks: [[3, 1, 6], [4]], dtype: "float64" },
  { shape: [64, 6], chunks: [Array(16).fill(4), [6]], dtype: "float32" },
  { shape: [30, 3], chunks: [Array(10).fill(3), [3]], dtype: "int32" },
];
const shortFat: Case[] = [
  { shape: [6, 40], chunks: [[6], [10, 10, 10, 10]], dtype: "float64" },
  { shape: [6, 40], chunks: [[6], [8, 12, 20]], dtype: "float32" },
  { shape: [40, 5], chunks: [[40], [5]], dtype: "float64" },
  { shape: [5, 5], chunks: [[5], [5]], dtype: "float64" },
];
// svd also takes a wide matrix of many row blocks (tsqr with M < N) and a wide one of many column blocks (the transpose's tsqr).
const svdOnly: Case[] = [
  { shape: [6, 10], chunks: [[2, 2, 2], [10]], dtype: "float64" },
  { shape: [5, 48], chunks: [[5], Array(8).fill(6)], dtype: "float64" },
];

function inputsOf(cases: Case[], seed: number): Record<string, nd.NDArray> {
  const rng = rngOf(seed);
  return Object.fromEntries(cases.map((c, i) => [`a${i}`, randomMatrix(rng, c.shape[0], c.shape[1], c.dtype)]));
}

const tolerance = (a: nd.NDArray, dtype: nd.DType) => 64 * Math.max(...a.shape) * epsilonOf(dtype) * Math.max(1, maxAbs(a)) * a.shape[1];

async function compare(label: string, lazy: ta.Array, expected: { array?: nd.NDArray; chunks?: unknown; error?: string }, tol: number): Promise<nd.NDArray> {
  assert.equal(expected.error, undefined, `${label}: Dask raised ${expected.error}`);
  assert.deepEqual(lazy.chunks.map((axis) => [...axis]), expected.chunks, `${label}: chunks`);
  const actual = await lazy.compute();
  assert.equal(actual.dtype, expected.array?.dtype, `${label}: dtype`);
  assertClose(actual, expected.array as nd.NDArray, tol, label);
  return actual;
}

describe("ta.linalg decompositions", () => {
  it("qr (tsqr for tall-and-skinny, sfqr for short-and-fat) equals da.linalg.qr", async () => {
    const cases = [...tall, ...shortFat];
    const inputs = inputsOf(cases, 51);
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => {
      for (const part of [0, 1]) expressions[`c${i}-${part}`] = `da.linalg.qr(da.from_array(a${i}, chunks=${pyChunks(c.chunks)}))[${part}]`;
    });
    const python = evaluatePython(inputs, expressions);
    for (const [i, c] of cases.entries()) {
      const a = inputs[`a${i}`];
      const [q, r] = ta.linalg.qr(ta.fromArray(a, { chunks: c.chunks }));
      const tol = tolerance(a, c.dtype === "float32" ? "float32" : "float64");
      const label = `qr ${JSON.stringify(c)}`;
      const qValues = await compare(`${label} Q`, q, python[`c${i}-0`], tol);
      await compare(`${label} R`, r, python[`c${i}-1`], tol);
      assertOrthonormalColumns(qValues, tol, label);
    }
  });

  it("tsqr equals da.linalg.tsqr on 8 to 16 row blocks", async () => {
    const inputs = inputsOf(tall, 52);
    const expressions: Record<string, string> = {};
    tall.forEach((c, i) => { for (const part of [0, 1]) expressions[`c${i}-${part}`] = `da.linalg.tsqr(da.from_array(a${i}, chunks=${pyChunks(c.chunks)}))[${part}]`; });
    const python = evaluatePython(inputs, expressions);
    for (const [i, c] of tall.entries()) {
      const [q, r] = ta.linalg.tsqr(ta.fromArray(inputs[`a${i}`], { chunks: c.chunks }));
      const tol = tolerance(inputs[`a${i}`], c.dtype === "float32" ? "float32" : "float64");
      await compare(`tsqr ${JSON.stringify(c)} Q`, q, python[`c${i}-0`], tol);
      await compare(`tsqr ${JSON.stringify(c)} R`, r, python[`c${i}-1`], tol);
    }
  });

  it("svd equals da.linalg.svd (svd_flip's signs): U, s, vh and their chunks", async () => {
    const cases = [...tall, ...shortFat, ...svdOnly];
    const inputs = inputsOf(cases, 53);
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => { for (const part of [0, 1, 2]) expressions[`c${i}-${part}`] = `da.linalg.svd(da.from_array(a${i}, chunks=${pyChunks(c.chunks)}))[${part}]`; });
    const python = evaluatePython(inputs, expressions);
    for (const [i, c] of cases.entries()) {
      const parts = ta.linalg.svd(ta.fromArray(inputs[`a${i}`], { chunks: c.chunks }));
      const tol = tolerance(inputs[`a${i}`], c.dtype === "float32" ? "float32" : "float64");
      for (const part of [0, 1, 2]) await compare(`svd ${JSON.stringify(c)} part ${part}`, parts[part], python[`c${i}-${part}`], tol);
    }
  });

  it("norm's orders 2, −2 and nuc equal da.linalg.norm's (through svd), keepdims, dtypes", async () => {
    const cases = [...tall.slice(0, 4), ...shortFat.slice(0, 2)];
    const inputs = inputsOf(cases, 55);
    const orders: Array<[2 | -2 | "nuc", string]> = [[2, "2"], [-2, "-2"], ["nuc", '"nuc"']];
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => orders.forEach(([, py], o) => { expressions[`c${i}-${o}`] = `da.linalg.norm(da.from_array(a${i}, chunks=${pyChunks(c.chunks)}), ord=${py}, keepdims=${i % 2 === 0 ? "True" : "False"})`; }));
    const python = evaluatePython(inputs, expressions);
    for (const [i, c] of cases.entries()) {
      for (const [o, [ord]] of orders.entries()) {
        const lazy = ta.linalg.norm(ta.fromArray(inputs[`a${i}`], { chunks: c.chunks }), { ord, keepdims: i % 2 === 0 });
        await compare(`norm ord ${ord} ${JSON.stringify(c)}`, lazy, python[`c${i}-${o}`], tolerance(inputs[`a${i}`], c.dtype === "float32" ? "float32" : "float64") * 10);
      }
    }
  });

  it("refuses chunkings Dask refuses, naming the rechunk, and bad input", () => {
    const both = ta.fromArray(randomMatrix(rngOf(5), 12, 6), { chunks: [3, 3] });
    assert.throws(() => ta.linalg.tsqr(both), /one block along the columns, got 2 column blocks; rechunk it: x.rechunk\(\{ 1: -1 \}\)/);
    assert.throws(() => ta.linalg.qr(both), /got 4 × 2 blocks; rechunk one axis to a single block/);
    assert.throws(() => ta.linalg.svd(both), /chunked in one dimension only.*4 × 2 blocks/);
    const narrowFirst = ta.fromArray(randomMatrix(rngOf(6), 6, 20), { chunks: [6, 4] });
    assert.throws(() => ta.linalg.qr(narrowFirst), /first column block at least as wide as the 6 rows, got 4/);
    const wide = ta.fromArray(randomMatrix(rngOf(7), 6, 10), { chunks: [2, 10] });
    assert.throws(() => ta.linalg.tsqr(wide), /at least as many rows as columns \(got 6 × 10\)/);
    assert.throws(() => ta.linalg.qr(ta.ones([4, 4, 4], { chunks: 2 })), /two dimensions/);
    assert.throws(() => ta.linalg.svd(wide, { fullMatrices: false } as never), /unknown option "fullMatrices"/);
    assert.throws(() => ta.linalg.tsqr(nd.ones([4, 2], "float64") as never), /needs a tessera array/);
  });
});

describeOnCluster("ta.linalg.tsqr and svd over 16 row blocks", () => {
  const x = ta.fromArray(randomMatrix(rngOf(54), 96, 5), { chunks: [6, 5] });
  const [q, r] = ta.linalg.tsqr(x);
  const [u, s, vh] = ta.linalg.svd(x);
  return [q, r, u, s, vh];
});
