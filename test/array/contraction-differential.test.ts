// Chunked tensordot, dot, matmul and outer against NumPy 1.24 (values, dtype, shape: exact for
// integers and bool, within k·eps·Σ|a||b| for floats, see test/ndarray/contraction-cases.ts)
// and Dask 2022.12 (chunks). Seeded random shapes and chunkings, every dtype, ≥ 8 blocks along
// the contracted axis. Dask's dtype is not compared: its contractions sum small integers and
// bool into int64 (its sum's default), where NumPy (and tessera) keep int32 / bool.
// Then the graph: no task sums more than splitEvery partial products. DIFFERENTIAL_SEED=n
// reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { graphShape } from "../../src/graph/graph-shape.js";
import { evaluatePython } from "./python-eval.js";
import { pyChunks, rngOf } from "./differential-inputs.js";
import { assertContractionClose, drawContraction, pythonBound, pythonNanTerms, type ContractionCase } from "../ndarray/contraction-cases.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 150);

function lazyOf(c: ContractionCase): ta.Array {
  const x = ta.fromArray(c.a, { chunks: c.chunksA });
  const y = ta.fromArray(c.b, { chunks: c.chunksB });
  if (c.op === "tensordot") return ta.tensordot(x, y, c.axes);
  if (c.op === "dot") return x.dot(y);
  if (c.op === "matmul") return x.matmul(y);
  return ta.outer(x, y);
}

const fanIn = (array: ta.Array): number => graphShape(lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys()).graph).maxFanIn;

describe(`chunked contractions against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: NumPy's values, dtype and shape; Dask's chunks`, async () => {
    const cases = Array.from({ length: count }, (_, i) => drawContraction(rngOf(seed + 7919 + i), i));
    const inputs: Record<string, nd.NDArray> = {};
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => {
      inputs[`a${i}`] = c.a;
      inputs[`b${i}`] = c.b;
      expressions[`${c.label}_np`] = c.python(`a${i}`, `b${i}`, "np");
      expressions[`${c.label}_bound`] = pythonBound(c, `a${i}`, `b${i}`);
      expressions[`${c.label}_nan`] = pythonNanTerms(c, `a${i}`, `b${i}`);
      expressions[`${c.label}_da`] = c.python(`da.from_array(a${i}, chunks=${pyChunks(c.chunksA)})`, `da.from_array(b${i}, chunks=${pyChunks(c.chunksB)})`, "da");
    });
    const python = evaluatePython(inputs, expressions);
    let contractedBlocks = 0;
    for (const c of cases) {
      const where = `${c.label} (seed ${seed})`;
      const numpy = python[`${c.label}_np`];
      const bound = python[`${c.label}_bound`];
      const nanTerms = python[`${c.label}_nan`];
      const dask = python[`${c.label}_da`];
      assert.ok(numpy.array && bound.array && nanTerms.array && dask.array, `${where}: Python refused: ${numpy.error ?? bound.error ?? nanTerms.error ?? dask.error}`);
      const lazy = lazyOf(c);
      assertContractionClose(await lazy.compute(), numpy.array, bound.array, nanTerms.array, c.k, `${where}: lazy vs NumPy`);
      assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask`);
      if (c.k >= 24) contractedBlocks++;
    }
    assert.ok(contractedBlocks >= count / 2, `only ${contractedBlocks} cases contract a long, many-block axis`);
  });

  it("sums 40 blocks of partial products with at most splitEvery per task", async () => {
    const a = ta.random([6, 400], { chunks: [3, 10], seed: 1 });
    const b = ta.random([400, 5], { chunks: [10, 5], seed: 2 });
    assert.equal(fanIn(a.matmul(b, { splitEvery: 4 })), 4);
    assert.equal(fanIn(a.matmul(b)), 16, "Dask's default split_every");
    assert.equal(fanIn(ta.tensordot(a, b, 1, { splitEvery: 5 })), 5);
    assert.equal(fanIn(a.dot(b, { splitEvery: 3 })), 3);
    // Over two contracted axes, the total fan-in stays within splitEvery (⌊16^(1/2)⌋ per axis).
    const cube = ta.random([40, 40, 3], { chunks: [4, 4, 3], seed: 3 });
    assert.ok(fanIn(ta.tensordot(cube, cube, [[0, 1], [0, 1]])) <= 16);
    // A 1-d operand's length-1 axis is summed with the k-blocks: all of splitEvery stays on k.
    const v = ta.random([400], { chunks: 10, seed: 4 });
    assert.equal(fanIn(v.matmul(b)), 16);
    assert.equal(fanIn(a.matmul(v)), 16);
    // The contracted axis takes the common refinement of both chunkings (Dask's unify_chunks):
    // cuts every 10 and every 16 along 400 make 60 blocks, so 2 × 60 × 1 partial products, as Dask.
    const c = ta.random([400, 5], { chunks: [16, 5], seed: 5 });
    // (Each product is fused into the first level of the sum: its task is that level's partial.)
    const products = (array: ta.Array) => [...lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys()).graph.tasks.keys()].filter((key) => /^(matmul|tensordot)-[0-9a-f]+-partial-0-/.test(key)).length;
    assert.equal(products(a.matmul(c)), 120);
    assert.equal(products(ta.tensordot(a, c, 1)), 120);
    const expected = nd.matmul(await a.compute(), await b.compute());
    const got = await a.matmul(b, { splitEvery: 2 }).compute();
    const far = (got.toTypedArray() as Float64Array).findIndex((v, i) => Math.abs(v - (expected.toTypedArray()[i] as number)) > 400 * 2 ** -52 * 400);
    assert.equal(far, -1, "the tree's sum equals the eager product within 400·eps·Σ|a||b|");
  });

  it("refuses bad input by name", () => {
    const a = ta.ones([4, 6], { chunks: 2 });
    const b = ta.ones([5, 3], { chunks: 2 });
    assert.throws(() => a.matmul(b), /matmul: Input operand 1 has a mismatch in its core dimension 0/);
    assert.throws(() => a.dot(b), /dot: shapes \(4,6\) and \(5,3\) not aligned/);
    assert.throws(() => ta.tensordot(a, b, [[1], [0]]), /tensordot: shape-mismatch for sum: axis 1 of a has length 6, axis 0 of b has length 5/);
    assert.throws(() => ta.tensordot(a, a, [[2], [0]]), /tensordot: axis 2 is out of bounds for a with 2 axes/);
    assert.throws(() => a.matmul(a.T, { split_every: 4 } as never), /matmul: unknown option "split_every"; matmul takes splitEvery/);
    assert.throws(() => a.matmul(a.T, { splitEvery: 1 }), /matmul: splitEvery must be an integer ≥ 2/);
    assert.throws(() => ta.tensordot(a, a.T, 1, { splitEvery: 2.5 }), /tensordot: splitEvery must be an integer ≥ 2/);
    assert.throws(() => a.matmul(nd.ones([6, 2]) as never), /matmul: operand b must be a tessera\/array Array \(wrap an NDArray with fromArray\)/);
    assert.throws(() => ta.outer(3 as never, a), /outer: operand a must be a tessera\/array Array/);
    assert.throws(() => ta.tensordot(a, a.T, [[1], [0]], { axes: 1 } as never), /tensordot: unknown option "axes"/);
    assert.throws(() => a.matmul(ta.ones([2, 3, 3], { chunks: 2 }).get(0, 0)), /matmul: Input operand 1 has a mismatch/);
  });
});
