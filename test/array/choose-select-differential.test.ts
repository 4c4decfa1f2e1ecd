// Seeded differential test of choose and select (eager and chunked) against NumPy 1.24 (values bit
// for bit, dtype, shape) and Dask 2022.12 (chunks): every dtype, broadcast operands, random
// chunkings with many blocks. DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { checkAgainstNumpyAndDask } from "./numpy-dask-cases.js";
import { Inputs, integer, numberDtypes, pick, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 200);

interface Case {
  label: string;
  numpy: string;
  dask: string;
  eager: () => nd.NDArray;
  ours: () => ta.Array;
}

type Input = ReturnType<Inputs["add"]>;

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 2, 3, 5]));
  shape[integer(rng, 0, ndim - 1)] = integer(rng, 10, 30);
  // Some operands drop leading axes or have length 1 where the result has more: they broadcast.
  const operand = (dtype: nd.DType, options: { small?: number } = {}): Input => {
    const s = shape.slice(rng() < 0.2 ? integer(rng, 0, ndim - 1) : 0).map((n) => (rng() < 0.15 ? 1 : n));
    const values = options.small !== undefined ? nd.astype(nd.floor(nd.multiply(nd.random(s, { seed: integer(rng, 0, 1e6) }), options.small)), dtype) : randomArray(rng, dtype, s, { specials: true });
    return inputs.add(values, s.map((n) => randomChunks(rng, n)));
  };
  const k = integer(rng, 1, 4);
  const dtype = pick(rng, numberDtypes);
  const choiceDtype = (): nd.DType => (rng() < 0.7 ? dtype : pick(rng, numberDtypes));
  if (rng() < 0.5) {
    // At least two choices: Dask 2022.12 infers choose's dtype from an index of ones, which fails with one (object dtype).
    const n = Math.max(k, 2);
    const a = operand(pick(rng, ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64"] as nd.DType[]), { small: n });
    const choices = Array.from({ length: n }, () => operand(choiceDtype()));
    return {
      label: `c${index}_choose_${n}`, numpy: `np.choose(${a.name}, [${choices.map((c) => c.name).join(", ")}])`,
      dask: `da.choose(${a.py}, [${choices.map((c) => c.py).join(", ")}])`,
      eager: () => nd.choose(inputs.arrays[a.name], choices.map((c) => inputs.arrays[c.name])),
      ours: () => ta.choose(a.lazy(), choices.map((c) => c.lazy())),
    };
  }
  // Dask's select runs blockwise over the first choice's axes: give every operand the result's shape there.
  const full = (d: nd.DType, bool = false): Input => inputs.add(bool ? nd.greater(nd.random(shape, { seed: integer(rng, 0, 1e6) }), 0.6) : randomArray(rng, d, shape, { specials: true }), shape.map((n) => randomChunks(rng, n)));
  const conds = Array.from({ length: k }, () => full("bool", true));
  const choices = Array.from({ length: k }, () => full(choiceDtype()));
  const fallback = rng() < 0.5 ? 0 : integer(rng, 0, 1);
  return {
    label: `c${index}_select_${k}`, numpy: `np.select([${conds.map((c) => c.name).join(", ")}], [${choices.map((c) => c.name).join(", ")}], ${fallback})`,
    dask: `da.select([${conds.map((c) => c.py).join(", ")}], [${choices.map((c) => c.py).join(", ")}], ${fallback})`,
    eager: () => nd.select(conds.map((c) => inputs.arrays[c.name]), choices.map((c) => inputs.arrays[c.name]), fallback),
    ours: () => ta.select(conds.map((c) => c.lazy()), choices.map((c) => c.lazy()), fallback),
  };
}

describe(`choose and select against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: NumPy's values, dtype and shape (eager and chunked); Dask's chunks`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    await checkAgainstNumpyAndDask(cases, inputs.arrays, { seed });
  });

  it("refuses bad input by name, and an index out of range as NumPy does", async () => {
    const a = nd.array([0, 2, 1], { dtype: "int8" });
    const c = [nd.zeros([3]), nd.ones([3])];
    assert.throws(() => nd.choose(a, c), /choose: invalid entry in choice array \(2 with 2 choices\)/);
    assert.throws(() => nd.choose(nd.zeros([3]), c), /choose: a must hold integers that int64 holds, got float64/);
    assert.throws(() => nd.choose(nd.zeros([3], { dtype: "uint64" }), c), /Cannot cast array data from dtype\('uint64'\) to dtype\('int64'\)/);
    assert.throws(() => nd.choose(a, [c[0], 3 as never]), /choose: choices\[1\] is not an NDArray/);
    assert.throws(() => nd.select([nd.zeros([3])], [c[0]]), /select: invalid entry 0 in condlist: should be boolean ndarray/);
    assert.throws(() => nd.select([], []), /select: select with an empty condition list is not possible/);
    assert.throws(() => nd.select([nd.zeros([3], { dtype: "bool" })], c), /select: list of cases must be same length as list of conditions/);
    const lazyA = ta.fromArray(a, { chunks: 1 });
    await assert.rejects(ta.choose(lazyA, c.map((x) => ta.fromArray(x, { chunks: 2 }))).compute(), /invalid entry in choice array/);
    assert.throws(() => ta.choose(lazyA, [c[0] as never]), /choose: choices\[0\] is not a lazy array/);
    assert.throws(() => ta.choose(ta.fromArray(nd.zeros([3])), []), /choose: a must hold integers/);
    assert.throws(() => ta.select([lazyA], [lazyA]), /select: invalid entry 0 in condlist/);
    assert.throws(() => ta.select([], []), /select: select with an empty condition list/);
  });
});

describeOnCluster("choose and select", () => {
  const rng = rngOf(seed);
  const a = ta.fromArray(nd.astype(nd.floor(nd.multiply(nd.random([37, 9], { seed: 4 }), 3)), "int64"), { chunks: [4, 2] });
  const choices = [0, 1, 2].map(() => ta.fromArray(randomArray(rng, "float64", [37, 9], { specials: true }), { chunks: [5, 3] }));
  return [ta.choose(a, choices), ta.select([a.eq(0), a.eq(2)], [choices[0], choices[1]], -1)];
});
