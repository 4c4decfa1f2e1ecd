// Chunked einsum against NumPy 1.24 (values, dtype, shape: exact for integers and bool, within
// (K + n)·eps·Σ|terms| for floats, see test/ndarray/einsum-cases.ts) and Dask 2022.12 (chunks).
// Seeded random subscripts, chunkings and every dtype, ≥ 8 blocks along a contracted letter.
// (Dask raises where one operand repeats a letter over axes chunked differently; tessera
// refines them, and those cases are compared with NumPy only.)
// Dask's dtype is not compared: its einsum sums small integers and bool into int64 (its sum's
// default), where NumPy (and tessera) keep the operands' dtype. Then the graph: no task sums
// more than splitEvery partials. DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { graphShape } from "../../src/graph/graph-shape.js";
import { evaluatePython } from "./python-eval.js";
import { pyChunks, rngOf } from "./differential-inputs.js";
import { assertContractionClose } from "../ndarray/contraction-cases.js";
import { drawEinsum, pythonEinsum, pythonTermBound } from "../ndarray/einsum-cases.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 150);

const graphOf = (array: ta.Array) => lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys()).graph;
const fanIn = (array: ta.Array): number => graphShape(graphOf(array)).maxFanIn;

describe(`chunked einsum against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: NumPy's values, dtype and shape; Dask's chunks`, async () => {
    const cases = Array.from({ length: count }, (_, i) => drawEinsum(rngOf(seed + 7877 + i), i));
    const inputs: Record<string, nd.NDArray> = {};
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => {
      const names = c.operands.map((operand, j) => {
        inputs[`x${i}_${j}`] = operand;
        return `x${i}_${j}`;
      });
      expressions[`${c.label}_np`] = pythonEinsum(c, names, "np");
      expressions[`${c.label}_bound`] = pythonTermBound(c, names);
      expressions[`${c.label}_da`] = pythonEinsum(c, names.map((name, j) => `da.from_array(${name}, chunks=${pyChunks(c.chunks[j])})`), "da");
    });
    const python = evaluatePython(inputs, expressions);
    let manyBlocks = 0;
    let daskCompared = 0;
    for (const c of cases) {
      const where = `${c.label} (seed ${seed})`;
      const numpy = python[`${c.label}_np`];
      const bound = python[`${c.label}_bound`];
      const dask = python[`${c.label}_da`];
      assert.ok(numpy.array && bound.array, `${where}: NumPy refused: ${numpy.error ?? bound.error}`);
      const lazy = ta.einsum(c.subscripts, ...c.operands.map((operand, j) => ta.fromArray(operand, { chunks: c.chunks[j] })));
      assertContractionClose(await lazy.compute(), numpy.array, bound.array, nd.zeros(bound.array.shape), c.k, `${where}: lazy vs NumPy`);
      if (dask.chunks) {
        assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask`);
        daskCompared++;
      } else {
        // Dask 2022.12 does not unify the chunks of one operand's repeated letter ("ii" chunked
        // (2, 3) × (3, 2)): its blockwise raises. tessera refines them; no other case may differ.
        const repeats = c.subscripts.split("->")[0].split(",").some((term) => new Set(term.replace(/[^A-Za-z]/g, "")).size < term.replace(/[^A-Za-z]/g, "").length);
        assert.ok(repeats, `${where}: Dask refused: ${dask.error}`);
      }
      if (c.contractedBlocks >= 8) manyBlocks++;
    }
    assert.ok(manyBlocks >= count / 3, `only ${manyBlocks} cases contract a letter of ≥ 8 blocks`);
    assert.ok(daskCompared >= count * 0.75, `Dask gave chunks for only ${daskCompared} cases`);
  });

  it("sums 40 blocks of partials with at most splitEvery per task", async () => {
    const a = ta.random([6, 400], { chunks: [3, 10], seed: 1 });
    const b = ta.random([400, 5], { chunks: [10, 5], seed: 2 });
    assert.equal(fanIn(ta.einsum("ij,jk->ik", a, b, { splitEvery: 4 })), 4);
    assert.equal(fanIn(ta.einsum("ij,jk", a, b)), 16, "Dask's default split_every");
    assert.equal(fanIn(ta.einsum("ij->i", a, { splitEvery: 3 })), 3);
    // Two contracted letters share splitEvery as Dask's sum does (⌊3^(1/2)⌋ → 2 per axis, at least 2).
    assert.equal(fanIn(ta.einsum("ij->", a, { splitEvery: 3 })), 4);
    // Two contracted letters: the total fan-in stays within splitEvery.
    const cube = ta.random([40, 40, 3], { chunks: [4, 4, 3], seed: 3 });
    assert.ok(fanIn(ta.einsum("ijk,ijl->kl", cube, cube)) <= 16);
    // The contracted letter takes the common refinement of both chunkings (Dask's unify_chunks):
    // cuts every 10 and every 16 along 400 make 60 blocks, so 2 × 60 × 1 block einsums.
    const c = ta.random([400, 5], { chunks: [16, 5], seed: 5 });
    const partials = [...graphOf(ta.einsum("ij,jk->ik", a, c)).tasks.keys()].filter((key) => /^einsum-[0-9a-f]+-partial-0-/.test(key) || /^einsum-partial-/.test(key)).length;
    assert.equal(partials, 120);
    const expected = nd.matmul(await a.compute(), await b.compute());
    const got = await ta.einsum("ij,jk->ik", a, b, { splitEvery: 2 }).compute();
    const far = (got.toTypedArray() as Float64Array).findIndex((v, i) => Math.abs(v - (expected.toTypedArray()[i] as number)) > 400 * 2 ** -52 * 400);
    assert.equal(far, -1, "the tree's sum equals the eager product within 400·eps·Σ|a||b|");
  });

  it("refuses bad input by name", () => {
    const a = ta.ones([4, 6], { chunks: 2 });
    assert.throws(() => ta.einsum("ij,jk", a, ta.ones([5, 3], { chunks: 2 })), /einsum: operands could not be broadcast together: subscript 'j' has length 6/);
    assert.throws(() => ta.einsum("ij->k", a), /einsum: einstein sum subscripts string included output subscript 'k'/);
    assert.throws(() => ta.einsum("ij,jk", a), /einsum: more operands provided to einstein sum function than specified in the subscripts string \(the subscripts name 2 operands, 1 given\)/);
    assert.throws(() => ta.einsum("ij->", a, { splitEvery: 1 }), /einsum: splitEvery must be an integer ≥ 2/);
    assert.throws(() => ta.einsum("ij->", a, { split_every: 4 } as never), /einsum: unknown option "split_every"; einsum takes dtype, splitEvery/);
    assert.throws(() => ta.einsum("ij->", a, { dtype: "int8" }), /einsum: operand 0 dtype could not be cast from float64 to int8 according to the rule 'safe'/);
    assert.throws(() => ta.einsum("ij,jk", a, nd.ones([6, 2]) as never), /einsum: operand 1 must be a tessera\/array Array \(wrap an NDArray with fromArray\)/);
    assert.throws(() => ta.einsum("ij"), /einsum: at least one operand/);
  });

  it("gives a repeated letter's axes the refinement of their chunks (Dask 2022.12 raises there)", async () => {
    const x = nd.reshape(nd.arange(25, { dtype: "int32" }), [5, 5]);
    const diagonal = ta.einsum("ii->i", ta.fromArray(x, { chunks: [[2, 3], [3, 2]] }));
    assert.deepEqual(diagonal.chunks, [[2, 1, 2]]);
    assert.deepEqual([...(await diagonal.compute()).toTypedArray()], [0, 6, 12, 18, 24]);
    const trace = ta.einsum("ii", ta.fromArray(x, { chunks: [[1, 4], [4, 1]] }), { splitEvery: 2 });
    assert.equal((await trace.compute()).item(), 60);
  });

  it("computes in `dtype` and keeps NumPy's view case", async () => {
    const x = nd.array([[100, 100], [100, 100]], { dtype: "int8" });
    const a = ta.fromArray(x, { chunks: 1 });
    assert.deepEqual([...(await ta.einsum("ij,jk", a, a, { dtype: "int16" }).compute()).toTypedArray()], [20000, 20000, 20000, 20000]);
    assert.deepEqual([...(await ta.einsum("ij,jk", a, a).compute()).toTypedArray()], [32, 32, 32, 32], "int8 wraps: 20000 mod 256");
    const view = ta.einsum("ii->i", a, { dtype: "float64" });
    assert.equal(view.dtype, "int8");
    assert.deepEqual([...(await view.compute()).toTypedArray()], [100, 100]);
  });
});
