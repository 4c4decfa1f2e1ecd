// Seeded differential test of topk and argtopk against Dask 2022.12 (values bit for bit but −0
// read as 0, dtype, shape, chunks), 1–3 axes with 8 blocks or more along the axis in most
// cases, every number dtype, NaN and ±inf (NaN orders above all, as NumPy's partition and sort),
// k of either sign up to the axis' length, splitEvery 2–5 given to both. argtopk's inputs hold
// distinct values (which of equal values' indices is kept is NumPy introselect's choice). Then the
// graph: every level its own tasks, no task joining more than splitEvery partials; refusals;
// one run on a LocalCluster.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { Inputs, integer, numberDtypes, pick, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 150);

const withoutNegativeZero = (a: nd.NDArray): nd.NDArray => (a.dtype === "float32" || a.dtype === "float64" ? nd.add(a, 0) : a);

/** Distinct values of `dtype`: a shuffled 0 … size − 1, shifted and scaled. */
function distinctArray(rng: Rng, dtype: nd.DType, shape: number[]): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = integer(rng, 0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return nd.astype(nd.reshape(nd.array(order.map((v) => (dtype.startsWith("float") ? (v - size / 2) / 4 : v))), shape), dtype);
}

interface Case {
  label: string;
  dask: string;
  /** NumPy's argsort-based answer, where Dask's argtopk fails (|k| reaching the joined length). */
  numpy: string;
  lazy: () => ta.Array;
}

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const arg = rng() < 0.4;
  const dtypes = arg ? (["int16", "int32", "uint32", "int64", "float32", "float64"] as nd.DType[]) : numberDtypes.filter((d) => d !== "bool");
  const dtype = pick(rng, dtypes);
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, 1, 4));
  const axis = integer(rng, 0, ndim - 1) - (rng() < 0.3 ? ndim : 0);
  const along = axis < 0 ? axis + ndim : axis;
  shape[along] = integer(rng, 1, 60);
  const chunks = shape.map((n, d) => (d === along && n >= 8 && rng() < 0.75 ? Array.from({ length: Math.ceil(n / integer(rng, 1, Math.floor(n / 8))) }, () => 0) : randomChunks(rng, n)));
  // Many blocks along the axis: equal blocks of size ⌈n / count⌉.
  if (chunks[along].length > 0 && chunks[along][0] === 0) {
    const size = Math.ceil(shape[along] / chunks[along].length);
    chunks[along] = Array.from({ length: Math.ceil(shape[along] / size) }, (_, i) => Math.min(size, shape[along] - i * size));
  }
  const values = arg ? distinctArray(rng, dtype, shape) : randomArray(rng, dtype, shape, { specials: rng() < 0.6, small: rng() < 0.5 });
  const x = inputs.add(values, chunks);
  const magnitude = integer(rng, 1, shape[along]);
  const k = rng() < 0.5 ? magnitude : -magnitude;
  const splitEvery = integer(rng, 2, 5);
  const fn = arg ? "argtopk" : "topk";
  return {
    label: `c${index}_${fn}_${dtype}_${shape.join("x")}_axis${axis}_k${k}_blocks${chunks[along].length}`,
    dask: `da.${fn}(${x.py}, ${k}, axis=${axis}, split_every=${splitEvery})`,
    numpy: k > 0 ? `np.flip(np.argsort(${x.name}, axis=${axis}), axis=${axis}).take(np.arange(${k}), axis=${axis})` : `np.argsort(${x.name}, axis=${axis}).take(np.arange(${-k}), axis=${axis})`,
    lazy: () => ta[fn](x.lazy(), k, { axis, splitEvery }),
  };
}

/** The lowered graph's tasks (linear chains fused, as they run). */
function tasksOf(array: ta.Array): Array<{ key: string; deps: string[] }> {
  const { graph } = lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys());
  return [...graph.tasks.entries()].map(([key, task]) => ({ key, deps: [...task.deps] }));
}

describe(`topk and argtopk against Dask (seed ${seed})`, () => {
  it(`${count} random cases: Dask's values, dtype and chunks`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    const python = evaluatePython(inputs.arrays, Object.fromEntries(cases.flatMap((c) => [[c.label, c.dask], [`${c.label}_np`, c.numpy]])));
    let manyBlocks = 0;
    for (const c of cases) {
      const where = `${c.label} (seed ${seed}: ${c.dask})`;
      const lazy = c.lazy();
      const dask = python[c.label];
      if (dask.error?.includes("too many values to unpack") && c.label.includes("argtopk")) {
        const numpy = python[`${c.label}_np`];
        assertSameArray(await lazy.compute(), numpy.array as nd.NDArray, `${where}: lazy vs NumPy's argsort (Dask's argtopk fails here)`);
        continue;
      }
      assert.ok(dask.array, `${where}: Dask refused: ${dask.error}`);
      assertSameArray(withoutNegativeZero(await lazy.compute()), withoutNegativeZero(dask.array), `${where}: lazy vs Dask`);
      assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask`);
      if (Number(c.label.split("_blocks")[1]) >= 8) manyBlocks++;
    }
    assert.ok(manyBlocks >= count / 3, `only ${manyBlocks} cases with 8 blocks or more along the axis`);
  });

  it("joins at most splitEvery partials per task, one level of tasks after another", () => {
    const x = ta.fromArray(nd.random([3, 100], { seed: 1 }), { chunks: [1, 4] });
    for (const splitEvery of [2, 3, 5, 16]) {
      const tasks = tasksOf(ta.topk(x, 7, { splitEvery }));
      const fanIn = new Map(tasks.map((task) => [task.key, task.deps.length]));
      const most = Math.max(...tasks.map((task) => task.deps.length));
      assert.equal(most, splitEvery, `splitEvery ${splitEvery}: the largest fan-in is ${most}`);
      // Tree levels: a task joining partials that other tasks joined (25 blocks per lane need ⌈log_s 25⌉ levels).
      const upper = tasks.filter((task) => task.deps.length > 1 && task.deps.some((dep) => (fanIn.get(dep) ?? 0) > 1));
      assert.equal(upper.length > 0, splitEvery < 25, `splitEvery ${splitEvery}: ${upper.length} tasks join joined partials`);
    }
  });

  it("refuses k = 0, |k| above the length, a bad axis, bool and unknown options, by name", () => {
    const x = ta.fromArray(nd.random([4, 10], { seed: 2 }), { chunks: 3 });
    assert.throws(() => ta.topk(x, 0), /topk: k must be a non-zero integer/);
    assert.throws(() => ta.argtopk(x, -11), /argtopk: \|k\| = 11 is more than the 10 elements along axis 1/);
    assert.throws(() => ta.topk(x, 5, { axis: 0 }), /topk: \|k\| = 5 is more than the 4 elements along axis 0/);
    assert.throws(() => ta.topk(x, 2, { axis: 2 }), /topk: axis 2 is out of bounds for array of dimension 2/);
    assert.throws(() => ta.topk(x, 2, { split_every: 4 } as never), /topk: unknown option "split_every"/);
    assert.throws(() => ta.topk(x, 2, { splitEvery: 1 }), /topk: splitEvery must be an integer ≥ 2/);
    assert.throws(() => ta.topk(ta.fromArray(nd.ones([4], "bool")), 2), /topk: bool arrays have no order/);
  });
});

describeOnCluster("topk and argtopk over 2 × 20 blocks", () => {
  const x = ta.fromArray(nd.random([2, 400], { seed: 7 }), { chunks: [1, 20] });
  return [ta.topk(x, 9, { splitEvery: 3 }), ta.argtopk(x, -6, { splitEvery: 4 })];
});
