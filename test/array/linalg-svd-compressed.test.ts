// ta.linalg.svdCompressed against dask.array.linalg.svd_compressed 2022.12. Ω cannot be Dask's
// (tessera's generator is not NumPy's RandomState), so values are compared through what the
// method promises: chunks and dtypes exactly as Dask's; on an exactly low-rank matrix both
// reconstruct A to rounding; on a noisy one our Frobenius error ‖A − U·diag(s)·Vᵀ‖ is within
// 20% of Dask's error on the same matrix (computed in the same run) and never below the optimum
// √(Σ_{i>k} σᵢ²) of the exact SVD; U and V orthonormal, svd_flip's signs, seed determinism; a
// graph in which no task reads more than one block of A; refusals; a LocalCluster 2 × 1 run.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { standardNormal } from "../../src/array/svd-compressed.js";
import { pyChunks, rngOf } from "./differential-inputs.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertOrthonormalColumns, lowRankMatrix, randomMatrix } from "../ndarray/linalg-matrices.js";

const rng = rngOf(91);
const lowRank = lowRankMatrix(rng, 120, 40, 5);
const noisy = nd.add(lowRankMatrix(rng, 150, 60, 8), nd.multiply(randomMatrix(rng, 150, 60), 0.05));
const wide = nd.add(lowRankMatrix(rng, 30, 90, 6), nd.multiply(randomMatrix(rng, 30, 90), 0.01));

function frobenius(a: nd.NDArray): number {
  return Math.sqrt((nd.ascontiguousarray(nd.astype(a, "float64")).toTypedArray() as Float64Array).reduce((sum, v) => sum + v * v, 0));
}

async function reconstructionError(a: nd.NDArray, parts: [ta.Array, ta.Array, ta.Array]): Promise<{ error: number; u: nd.NDArray; s: nd.NDArray; vh: nd.NDArray }> {
  const [u, s, vh] = await Promise.all(parts.map((p) => p.compute()));
  const approx = nd.matmul(nd.multiply(nd.astype(u, "float64"), nd.astype(s, "float64")), nd.astype(vh, "float64"));
  return { error: frobenius(nd.subtract(nd.astype(a, "float64"), approx)), u, s, vh };
}

const daskCall = (name: string, chunks: number[][], k: number, options = "") => `da.linalg.svd_compressed(da.from_array(${name}, chunks=${pyChunks(chunks)}), ${k}, seed=1${options})`;
const daskError = (name: string, call: string) => `(lambda r: np.linalg.norm(${name}.astype(np.float64) - (r[0] * r[1]) @ r[2]))(da.compute(*${call}))`;
const optimalError = (name: string, k: number) => `np.sqrt(np.sum(np.linalg.svd(${name}.astype(np.float64), compute_uv=False)[${k}:] ** 2))`;

describe("ta.linalg.svdCompressed", () => {
  it("has Dask's chunks and dtypes (row blocks, blocks on both axes, wide, float32, int32, bool, k above the subspace and above min(M, N))", () => {
    const cases: Array<{ a: nd.NDArray; chunks: number[][]; k: number }> = [
      { a: lowRank, chunks: [Array(12).fill(10), [40]], k: 5 },
      { a: noisy, chunks: [[...Array(10).fill(14), 10], [25, 25, 10]], k: 8 },
      { a: wide, chunks: [[10, 10, 10], Array(9).fill(10)], k: 6 },
      { a: nd.astype(noisy, "float32"), chunks: [Array(10).fill(15), [20, 20, 20]], k: 3 },
      { a: nd.astype(nd.multiply(noisy, 10), "int32"), chunks: [Array(10).fill(15), [30, 30]], k: 4 },
      { a: nd.greater(noisy, 0), chunks: [Array(5).fill(30), [60]], k: 4 },
      { a: lowRank, chunks: [[120], [10, 10, 10, 10]], k: 35 },
      { a: wide, chunks: [[10, 10, 10], Array(9).fill(10)], k: 50 },
    ];
    const inputs = Object.fromEntries(cases.map((c, i) => [`a${i}`, c.a]));
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => { for (const part of [0, 1, 2]) expressions[`c${i}-${part}`] = `${daskCall(`a${i}`, c.chunks, c.k)}[${part}]`; });
    const python = evaluatePython(inputs, expressions);
    cases.forEach((c, i) => {
      const parts = ta.linalg.svdCompressed(ta.fromArray(c.a, { chunks: c.chunks }), c.k, { seed: 1 });
      parts.forEach((part, p) => {
        const expected = python[`c${i}-${p}`];
        assert.equal(expected.error, undefined);
        assert.deepEqual(part.chunks.map((axis) => [...axis]), expected.chunks, `case ${i} part ${p}: chunks`);
        assert.equal(part.dtype, expected.array?.dtype, `case ${i} part ${p}: dtype`);
      });
    });
  });

  it("compressionLevel and compressionMatrix match Dask's (levels; C's chunks, dtype, orthonormal rows)", async () => {
    const levels: Array<[number, number, number?, number?]> = [[100, 10], [100, 5], [15, 10], [100, 30, 0], [100, 30, 5, 50], [40, 35, 10]];
    const expressions: Record<string, string> = {};
    levels.forEach(([n, q, over, min], i) => { expressions[`level${i}`] = `np.array(da.linalg.compression_level(${n}, ${q}${over === undefined ? "" : `, n_oversamples=${over}`}${min === undefined ? "" : `, min_subspace_size=${min}`}))`; });
    const cases: Array<{ a: nd.NDArray; chunks: number[][]; q: number; options: ta.linalg.SvdCompressedOptions; py: string }> = [
      { a: noisy, chunks: [Array(10).fill(15), [20, 20, 20]], q: 8, options: {}, py: "" },
      { a: nd.astype(noisy, "float32"), chunks: [Array(10).fill(15), [60]], q: 5, options: { iterator: "QR", nPowerIter: 1, nOversamples: 3 }, py: ', iterator="QR", n_power_iter=1, n_oversamples=3' },
      { a: wide, chunks: [[10, 10, 10], Array(9).fill(10)], q: 40, options: { nPowerIter: 1 }, py: ", n_power_iter=1" },
    ];
    const inputs = Object.fromEntries(cases.map((c, i) => [`a${i}`, c.a]));
    cases.forEach((c, i) => { expressions[`comp${i}`] = `da.linalg.compression_matrix(da.from_array(a${i}, chunks=${pyChunks(c.chunks)}), ${c.q}, seed=1${c.py})`; });
    const python = evaluatePython(inputs, expressions);
    levels.forEach(([n, q, over, min], i) => assert.equal(ta.linalg.compressionLevel(n, q, over, min), Number((python[`level${i}`].array as nd.NDArray).toTypedArray()[0]), `compression_level(${n}, ${q}, ${over}, ${min})`));
    for (const [i, c] of cases.entries()) {
      const comp = ta.linalg.compressionMatrix(ta.fromArray(c.a, { chunks: c.chunks }), c.q, { seed: 2, ...c.options });
      const expected = python[`comp${i}`];
      assert.deepEqual(comp.chunks.map((axis) => [...axis]), expected.chunks, `case ${i}: chunks`);
      assert.equal(comp.dtype, expected.array?.dtype, `case ${i}: dtype`);
      assertOrthonormalColumns(nd.transpose(await comp.compute()), c.a.dtype === "float32" ? 1e-5 : 1e-12, `case ${i}: C's rows`);
    }
    assert.throws(() => ta.linalg.compressionLevel(10, -1), /compressionLevel: q must be a non-negative integer/);
  });

  it("draws Ω from the standard normal distribution (Kolmogorov–Smirnov at the 1% level, mean, variance)", async () => {
    const z = Array.from((await standardNormal([3000, 20], [Array(10).fill(300), [20]], 11, "float64").compute()).toTypedArray() as Float64Array).sort((x, y) => x - y);
    const n = z.length;
    // Φ by the error function's Abramowitz–Stegun 7.1.26 form (|error| < 1.5e-7, far below the KS bound).
    const erf = (x: number) => {
      const t = 1 / (1 + 0.3275911 * Math.abs(x));
      const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
      return x >= 0 ? y : -y;
    };
    let d = 0;
    z.forEach((x, i) => { const cdf = 0.5 * (1 + erf(x / Math.SQRT2)); d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n)); });
    assert.ok(d < 1.63 / Math.sqrt(n), `KS statistic ${d}`);
    const mean = z.reduce((s, x) => s + x, 0) / n;
    const variance = z.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(n) && Math.abs(variance - 1) < 4 * Math.sqrt(2 / n), `mean ${mean}, variance ${variance}`);
  });

  it("is as accurate as Dask's on the same matrices: exact on low rank, near the optimum on noisy ones, both iterators", async () => {
    const cases: Array<{ name: string; a: nd.NDArray; chunks: number[][]; k: number; iterator?: "power" | "QR"; nPowerIter?: number }> = [
      { name: "lowRank", a: lowRank, chunks: [Array(12).fill(10), [20, 20]], k: 5 },
      { name: "noisy", a: noisy, chunks: [Array(10).fill(15), [20, 20, 20]], k: 8 },
      { name: "noisy", a: noisy, chunks: [Array(10).fill(15), [20, 20, 20]], k: 8, iterator: "power", nPowerIter: 2 },
      { name: "noisy", a: noisy, chunks: [Array(10).fill(15), [60]], k: 8, iterator: "QR", nPowerIter: 2 },
      { name: "wide", a: wide, chunks: [[10, 10, 10], Array(9).fill(10)], k: 6, iterator: "QR", nPowerIter: 1 },
    ];
    const inputs = { lowRank, noisy, wide };
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => {
      const options = `${c.iterator ? `, iterator="${c.iterator}"` : ""}${c.nPowerIter ? `, n_power_iter=${c.nPowerIter}` : ""}`;
      expressions[`dask${i}`] = daskError(c.name, daskCall(c.name, c.chunks, c.k, options));
      expressions[`optimal${i}`] = optimalError(c.name, c.k);
      expressions[`exact${i}`] = `np.linalg.svd(${c.name}, compute_uv=False)[:${c.k}]`;
    });
    const python = evaluatePython(inputs, expressions);
    for (const [i, c] of cases.entries()) {
      const label = `${c.name} k ${c.k} ${c.iterator ?? "power"} × ${c.nPowerIter ?? 0}`;
      const parts = ta.linalg.svdCompressed(ta.fromArray(c.a, { chunks: c.chunks }), c.k, { seed: 7, iterator: c.iterator, nPowerIter: c.nPowerIter });
      const { error, u, s, vh } = await reconstructionError(c.a, parts);
      const dask = Number((python[`dask${i}`].array as nd.NDArray).toTypedArray()[0]);
      const optimal = Number((python[`optimal${i}`].array as nd.NDArray).toTypedArray()[0]);
      const scale = frobenius(c.a);
      assert.ok(error >= optimal * (1 - 1e-9), `${label}: error ${error} below the optimum ${optimal}?`);
      assert.ok(error <= Math.max(1.2 * dask, 1e-12 * scale), `${label}: error ${error}, Dask's ${dask}, optimum ${optimal}`);
      // Each approximate singular value is at most the exact one, and close to it when the error is near the optimum.
      const exact = nd.ascontiguousarray(python[`exact${i}`].array as nd.NDArray).toTypedArray() as Float64Array;
      (s.toTypedArray() as Float64Array).forEach((value, j) => {
        assert.ok(value <= exact[j] * (1 + 1e-12) && value >= exact[j] - 2 * Math.max(error, dask), `${label}: s[${j}] ${value} vs exact ${exact[j]}`);
      });
      assertOrthonormalColumns(u, 1e-12, `${label}: U`);
      assertOrthonormalColumns(nd.transpose(vh), 1e-12, `${label}: V`);
    }
  });

  it("gives svd_flip's signs, is deterministic for a seed and differs between seeds", async () => {
    const x = ta.fromArray(noisy, { chunks: [15, 20] });
    const first = await Promise.all(ta.linalg.svdCompressed(x, 8, { seed: 3 }).map((p) => p.compute()));
    const again = await Promise.all(ta.linalg.svdCompressed(x, 8, { seed: 3 }).map((p) => p.compute()));
    first.forEach((part, i) => assertSameArray(again[i], part, `part ${i} with the same seed`));
    const other = await ta.linalg.svdCompressed(x, 8, { seed: 4 })[1].compute();
    assert.notDeepEqual(Array.from(other.toTypedArray() as Float64Array), Array.from(first[1].toTypedArray() as Float64Array), "another seed, other values");
    const rowSums = nd.sum(first[2], { axis: 1 }).toTypedArray() as Float64Array;
    rowSums.forEach((sum, j) => assert.ok(sum >= 0, `row ${j} of Vᵀ sums to ${sum}`));
    const unflipped = await Promise.all(ta.linalg.svdCompressed(x, 8, { seed: 3, coerceSigns: false }).map((p) => p.compute()));
    assertSameArray(unflipped[1], first[1], "coerceSigns leaves s alone");
    const flips = nd.sign(nd.sum(nd.multiply(unflipped[2], first[2]), { axis: 1 })).toTypedArray() as Float64Array;
    const expected = Array.from(rowSums, (_, j) => (nd.sum(unflipped[2], { axis: 1 }).toTypedArray()[j] as number) >= 0 ? 1 : -1);
    assert.deepEqual(Array.from(flips), expected, "each row flipped exactly when its sum was negative");
  });

  it("builds a graph in which no task reads more than one block of A", () => {
    const x = ta.fromArray(noisy, { chunks: [10, 20] });
    const blocks = new Set(x.blockKeys());
    assert.equal(blocks.size, 45);
    for (const options of [{}, { nPowerIter: 2 }, { iterator: "QR" as const, nPowerIter: 1 }]) {
      const parts = ta.linalg.svdCompressed(x, 8, { seed: 1, ...options });
      const { graph } = lowerArrays(parts, () => false, (node) => (node as ta.Array).blockKeys());
      let readers = 0;
      for (const task of graph.tasks.values()) {
        const read = task.deps.filter((key) => blocks.has(key)).length;
        assert.ok(read <= 1, `${task.key} reads ${read} blocks of A`);
        readers += read;
      }
      assert.ok(readers >= 2 * blocks.size, "A's blocks are read by the products, each by its own task");
    }
  });

  it("refuses what Dask refuses and what tessera cannot do, by name", () => {
    const x = ta.fromArray(noisy, { chunks: [15, 20] });
    assert.throws(() => ta.linalg.svdCompressed(x, 5, { iterator: "lanczos" as never }), /iterator must be "power" or "QR"/);
    assert.throws(() => ta.linalg.svdCompressed(x, 5, { compute: true }), /compute must be false.*persist a first/);
    assert.throws(() => ta.linalg.svdCompressed(x, 5, { n_power_iter: 2 } as never), /unknown option "n_power_iter"/);
    assert.throws(() => ta.linalg.svdCompressed(x, 0), /k \(the rank\) must be a positive integer/);
    assert.throws(() => ta.linalg.svdCompressed(x, 2.5), /k \(the rank\) must be a positive integer/);
    assert.throws(() => ta.linalg.svdCompressed(x, 5, { nPowerIter: -1 }), /nPowerIter must be a non-negative integer/);
    assert.throws(() => ta.linalg.svdCompressed(x, 5, { seed: 2 ** 41 }), /seed must be below 2\^40/);
    assert.throws(() => ta.linalg.svdCompressed(x, 5, { coerceSigns: "yes" as never }), /coerceSigns must be true or false/);
    assert.throws(() => ta.linalg.svdCompressed(ta.ones([4, 4, 4], { chunks: 2 }), 2), /must be 2-d/);
    assert.throws(() => ta.linalg.svdCompressed(noisy as never, 2), /needs a tessera array/);
  });
});

describeOnCluster("ta.linalg.svdCompressed over 10 × 3 blocks", () => ta.linalg.svdCompressed(ta.fromArray(noisy, { chunks: [15, 20] }), 8, { seed: 5, nPowerIter: 1 }));
