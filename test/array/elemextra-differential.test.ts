// Seeded differential test of the lazy ufuncs square … isclose / allclose (elemextra-cases.ts)
// against NumPy 1.24 (values bit for bit, cbrt / exp2 / logaddexp / logaddexp2 within 4 ulps;
// dtype, shape, refusals) and Dask 2022.12 (chunks), every dtype in turn, many blocks. Then the
// refusals by name, and allclose on a LocalCluster of 2 workers × 1 thread.
// TESSERA_FUZZ_SEED=n reruns another seed, TESSERA_FUZZ_CASES=n sets the number of cases (700).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { Inputs, rngOf } from "./differential-inputs.js";
import { drawElemextraCase } from "./elemextra-cases.js";
import { checkUfuncCases } from "./ufunc-case-check.js";
import { useCluster2x1 } from "./cluster-sample.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);
const count = Number(process.env.TESSERA_FUZZ_CASES ?? 700);

describe(`lazy square … allclose against NumPy and Dask (seed ${seed})`, () => {
  it("every dtype, broadcasting, scalars on either side, near-equal pairs: NumPy's values, dtypes and refusals, Dask's chunks", async () => {
    const rng = rngOf(seed);
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawElemextraCase(rng, inputs, i));
    const { problems, refused, manyBlocks, computed } = await checkUfuncCases(cases, inputs);
    let closeTrue = 0;
    let closeFalse = 0;
    for (const { label, result } of computed) {
      if (!/_(isclose|allclose)_/.test(label)) continue;
      for (const v of result.toTypedArray()) {
        if (v) closeTrue++;
        else closeFalse++;
      }
    }
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} cases differ (seed ${seed}; TESSERA_FUZZ_SEED=${seed} reruns):\n${problems.slice(0, 30).join("\n")}`);
    // The draw must reach refusals (positive of bool), many-block graphs and both isclose answers, or it says little.
    assert.ok(refused > 0 && refused < cases.length / 4, `${refused} refusals`);
    assert.ok(manyBlocks > cases.length / 10, `${manyBlocks} cases of ≥ 16 blocks`);
    assert.ok(closeTrue > 100 && closeFalse > 100, `isclose: ${closeTrue} true, ${closeFalse} false`);
  });

  it("refuses unknown options, bad tolerances and option objects where NumPy's keywords would be, naming them", () => {
    const x = ta.fromArray(nd.random([10], { seed: 1 }), { chunks: 3 });
    assert.throws(() => ta.isclose(x, x, { rtl: 1 } as never), /isclose: unknown option "rtl"; isclose takes rtol, atol, equalNan/);
    assert.throws(() => ta.isclose(x, x, { rtol: -1e-5 }), /isclose: rtol must be a finite number ≥ 0, got -0.00001/);
    assert.throws(() => ta.allclose(x, x, { atol: NaN }), /allclose: atol must be a finite number ≥ 0, got NaN/);
    assert.throws(() => ta.allclose(x, x, { atol: "1" as never }), /allclose: atol must be a finite number ≥ 0, got "1"/);
    assert.throws(() => ta.isclose(x, x, { equalNan: 1 as never }), /isclose: equalNan must be true or false/);
    assert.throws(() => ta.nanToNum(x, { copy: false } as never), /nanToNum: unknown option "copy"; nanToNum takes nan, posinf, neginf/);
    assert.throws(() => ta.nanToNum(x, { nan: "0" as never }), /nanToNum: nan must be a number, got "0"/);
    assert.throws(() => ta.positive(x.gt(0.5)), /positive: not supported for bool/);
    assert.throws(() => (ta.fmod as unknown as (...a: unknown[]) => ta.Array)(x, 2, { out: x }), /fmod takes 2 operands and no options.*"out"/);
    assert.throws(() => (ta.cbrt as unknown as (...a: unknown[]) => ta.Array)(x, { dtype: "float32" }), /cbrt takes 1 operand/);
    assert.throws(() => (nd.square as unknown as (...a: unknown[]) => nd.NDArray)(nd.zeros([2]), { where: true }), /nd\.square\(a\) takes at most 1 argument; got also an object with \["where"\]/);
    assert.throws(() => nd.isclose(nd.zeros([2]), 0, { atol: -1 }), /isclose: atol must be a finite number ≥ 0/);
  });

  it("eager allclose is a boolean; isclose is asymmetric as NumPy's (b is the reference)", () => {
    assert.equal(nd.allclose(nd.array([1, NaN]), nd.array([1, NaN])), false);
    assert.equal(nd.allclose(nd.array([1, NaN]), nd.array([1, NaN]), { equalNan: true }), true);
    assert.equal(nd.allclose(nd.zeros([0]), 5), true);
    // |a − b| = 1 ≤ rtol·|b|: with rtol 0.5 true for b = 2, false for b = 1 ... as np.isclose(1, 2, rtol=0.5) and np.isclose(2, 1, rtol=0.5).
    assert.equal(nd.isclose(1, 2, { rtol: 0.5, atol: 0 }).item(), true);
    assert.equal(nd.isclose(2, 1, { rtol: 0.4, atol: 0 }).item(), false);
  });
});

describe("allclose on a LocalCluster of 2 workers × 1 thread", () => {
  const client = useCluster2x1();

  it("allclose over 40 blocks reduces every block's isclose: one element far off makes it false", async () => {
    const data = nd.random([40, 30], { seed: 5 });
    const near = nd.multiply(data, 1 + 1e-7);
    const far = nd.copy(near);
    far.set([37, 29], 2);
    const x = ta.fromArray(data, { chunks: [5, 6] });
    assert.ok(x.blockKeys().length >= 40);
    assert.equal((await ta.allclose(x, ta.fromArray(near, { chunks: [7, 5] })).compute({ executor: client() })).item(), true);
    assert.equal((await ta.allclose(x, ta.fromArray(far, { chunks: [7, 5] })).compute({ executor: client() })).item(), false);
  });
});
