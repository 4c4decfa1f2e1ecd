// Seeded differential test of the lazy bitwise, logical and two-operand float ufuncs and the
// and/or/xor/invert methods (bitwise-cases.ts) against NumPy 1.24 (values bit for bit, arctan2
// within 4 ulps; dtype, shape, refusals) and Dask 2022.12 (chunks), every dtype pair included.
// Then a threshold pipeline on a LocalCluster of 2 workers × 1 thread: `((x > a) & (x < b)).sum()`
// over many blocks equals NumPy's count, and the mask's blocks equal the local executor's.
// TESSERA_FUZZ_SEED=n reruns another seed, TESSERA_FUZZ_CASES=n sets the number of cases (400).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { mismatch } from "./differential-compare.js";
import { Inputs, rngOf } from "./differential-inputs.js";
import { drawBitwiseCase } from "./bitwise-cases.js";
import { checkUfuncCases } from "./ufunc-case-check.js";
import { useCluster2x1 } from "./cluster-sample.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);
const count = Number(process.env.TESSERA_FUZZ_CASES ?? 400);

describe(`lazy bitwise and float two-operand ufuncs against NumPy and Dask (seed ${seed})`, () => {
  it("every dtype pair, broadcasting, scalars on either side, the mask methods: NumPy's values, dtypes and refusals, Dask's chunks", async () => {
    const rng = rngOf(seed);
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawBitwiseCase(rng, inputs, i));
    const { problems, refused, manyBlocks } = await checkUfuncCases(cases, inputs);
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} cases differ (seed ${seed}; TESSERA_FUZZ_SEED=${seed} reruns):\n${problems.slice(0, 30).join("\n")}`);
    // The draw must reach both outcomes and many-block graphs, or the test says little.
    assert.ok(refused > 0 && refused < cases.length / 2, `${refused} refusals`);
    assert.ok(manyBlocks > cases.length / 10, `${manyBlocks} cases of ≥ 16 blocks`);
  });

  it("refuses a float mask operand and an options argument, naming them", () => {
    const x = ta.fromArray(nd.random([10], { seed: 1 }), { chunks: 3 });
    assert.throws(() => x.and(x.gt(0.5)), /bitwiseAnd \(np\.bitwise_and\): not supported for float64/);
    assert.throws(() => x.gt(0.5).or(0.5), /bitwiseOr \(np\.bitwise_or\): not supported for float64/);
    assert.throws(() => x.invert(), /invert \(np\.invert\): not supported for float64/);
    assert.throws(() => (ta.leftShift as unknown as (...a: unknown[]) => ta.Array)(x.gt(0), 1, { out: x }), /leftShift takes 2 operands and no options.*"out"/);
    assert.throws(() => (ta.invert as unknown as (...a: unknown[]) => ta.Array)(x.gt(0), { where: x }), /invert takes 1 operand/);
    assert.throws(() => x.gt(0.5).xor(undefined as never), /bitwiseXor: operand 1 must be a tessera array or a scalar, got undefined/);
  });
});

describe("a threshold pipeline on a LocalCluster of 2 workers × 1 thread", () => {
  const data = nd.subtract(nd.multiply(nd.random([45, 37], { seed: 11 }), 100), 50);
  useCluster2x1();

  it("((x > a) & (x < b)).sum() over 50 blocks equals NumPy's, and ~, |, ^ of the masks give NumPy's blocks", async () => {
    const x = ta.fromArray(data, { chunks: [5, 4] });
    assert.ok(x.blockKeys().length >= 16);
    const band = x.gt(-10).and(x.lt(20));
    const combined = band.invert().or(x.gt(40)).xor(x.lt(-45));
    const reference = evaluatePython({ x: data }, { count: "((x > -10) & (x < 20)).sum()", combined: "(~((x > -10) & (x < 20)) | (x > 40)) ^ (x < -45)" });
    const total = await band.sum().compute();
    assert.equal(total.dtype, "int64");
    assert.equal(total.item(), (reference.count.array as nd.NDArray).item());
    assert.ok(Number(total.item()) > 0 && Number(total.item()) < data.size);
    assert.equal(mismatch({ ulps: 0 }, await combined.compute(), reference.combined), null);
  });
});
