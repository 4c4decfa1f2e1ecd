// Seeded differential test of ta.moment against Dask 2022.12's da.moment: dtype, shape and
// chunks exact; order 2 (squares only) bit for bit, as var; orders 3–5 within 1e-9 of the scale
// mean(|x − mean|^order)·N / (N − ddof) — NumPy's power on AVX-512 machines is SVML's, which is
// not correctly rounded (tessera's is, as glibc's), and Pébay's combination can cancel what
// those last bits differ by; orders 0 and 1 (1 and 0 by definition). 1–3 axes, many blocks,
// several reduced axes, ddof, keepdims, dtype, splitEvery; NaN propagates. Then a NumPy identity:
// for one block, order k equals np.mean((x − x.mean())**k) (scipy.stats.moment's definition).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { roundedIntegerPower } from "../../src/ndarray/moment-order-partials.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { Inputs, integer, numberDtypes, pick, pyBool, pyTuple, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 120);

interface Case {
  label: string;
  order: number;
  dask: string;
  scale: string;
  lazy: () => ta.Array;
}

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes.filter((d) => d !== "bool"));
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, 1, 5));
  shape[integer(rng, 0, ndim - 1)] = integer(rng, 16, 48);
  const chunks = shape.map((n) => (n >= 16 && rng() < 0.6 ? Array.from({ length: Math.ceil(n / 2) }, (_, i) => Math.min(2, n - i * 2)) : randomChunks(rng, n)));
  const values = randomArray(rng, dtype, shape, { specials: rng() < 0.15, small: rng() < 0.7 });
  const x = inputs.add(values, chunks);
  const axes = Array.from({ length: ndim }, (_, a) => a).filter(() => rng() < 0.5);
  const axis = rng() < 0.2 ? undefined : axes.length === 1 && rng() < 0.5 ? axes[0] : axes.length === 0 ? [integer(rng, 0, ndim - 1)] : axes;
  const order = pick(rng, [0, 1, 2, 2, 3, 3, 4, 5]);
  const ddof = rng() < 0.3 ? integer(rng, 0, 2) : 0;
  const keepdims = order >= 2 && rng() < 0.3;
  const floatDtype = rng() < 0.15 && order >= 2 ? "float32" : undefined;
  const splitEvery = integer(rng, 2, 6);
  const pyAxis = axis === undefined ? "None" : typeof axis === "number" ? String(axis) : pyTuple(axis);
  const options = `axis=${pyAxis}, ddof=${ddof}, keepdims=${pyBool(keepdims)}, split_every=${splitEvery}${floatDtype ? `, dtype="${floatDtype}"` : ""}`;
  return {
    label: `c${index}_moment${order}_${dtype}_${shape.join("x")}`,
    order,
    dask: `da.moment(${x.py}, ${order}, ${options})`,
    scale: `np.mean(np.abs(${x.name} - np.mean(${x.name}, axis=${pyAxis}, keepdims=True))**${order}, axis=${pyAxis}, keepdims=${pyBool(keepdims)}) * 1e-9 * np.sum(np.ones_like(${x.name}, dtype=float), axis=${pyAxis}, keepdims=${pyBool(keepdims)}) / np.maximum(np.sum(np.ones_like(${x.name}, dtype=float), axis=${pyAxis}, keepdims=${pyBool(keepdims)}) - ${ddof}, 1)`,
    lazy: () => ta.moment(x.lazy(), order, { ...(axis === undefined ? {} : { axis }), ddof, keepdims, splitEvery, ...(floatDtype ? { dtype: floatDtype } : {}) }),
  };
}

/** Equal within `tolerance` element by element, NaN and ±inf where the reference has them. */
function assertWithin(actual: nd.NDArray, expected: nd.NDArray, tolerance: nd.NDArray, label: string): void {
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  const a = nd.astype(actual, "float64").toTypedArray() as Float64Array;
  const b = nd.astype(expected, "float64").toTypedArray() as Float64Array;
  const t = nd.astype(nd.broadcastTo(tolerance, expected.shape), "float64").toTypedArray() as Float64Array;
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(b[i]) || !Number.isFinite(t[i])) {
      assert.ok(Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])) || !Number.isFinite(t[i]), `${label}: [${i}] is ${a[i]}, Dask gives ${b[i]}`);
      continue;
    }
    // float32 results: the tolerance is at least a few float32 ulps.
    const bound = Math.max(t[i], actual.dtype === "float32" ? 4 * 2 ** -23 * Math.abs(b[i]) : 0);
    assert.ok(Math.abs(a[i] - b[i]) <= bound, `${label}: [${i}] is ${a[i]}, Dask gives ${b[i]} (bound ${bound})`);
  }
}

describe(`moment against Dask (seed ${seed})`, () => {
  it(`${count} random cases: Dask's chunks and dtype; order 2 bit for bit, higher orders within the bound`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    const python = evaluatePython(inputs.arrays, Object.fromEntries(cases.flatMap((c) => [[c.label, c.dask], [`${c.label}_scale`, c.scale]])));
    let exact = 0;
    for (const c of cases) {
      const dask = python[c.label];
      const where = `${c.label} (seed ${seed}: ${c.dask})`;
      assert.ok(dask.array, `${where}: Dask refused: ${dask.error}`);
      const lazy = c.lazy();
      const result = await lazy.compute();
      assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask`);
      if (c.order <= 2) {
        assertSameArray(result, dask.array, `${where}: lazy vs Dask`);
        exact++;
      } else {
        assertWithin(result, dask.array, python[`${c.label}_scale`].array as nd.NDArray, `${where}: lazy vs Dask`);
      }
    }
    assert.ok(exact >= count / 4, `only ${exact} cases compared bit for bit`);
  });

  it("matches NumPy's definition on one block, and glibc's correctly rounded powers", async () => {
    const values = nd.random([50], { seed: 11 });
    const inputs = new Inputs();
    const x = inputs.add(values, [[50]]);
    const python = evaluatePython(inputs.arrays, { m3: `np.mean((${x.name} - ${x.name}.mean())**3)`, p: `np.array([__import__("math").pow(v, 3) for v in ${x.name} - 0.37])` });
    const m3 = (await ta.moment(x.lazy(), 3).compute()).item() as number;
    const reference = (python.m3.array as nd.NDArray).item() as number;
    assert.ok(Math.abs(m3 - reference) <= 1e-15, `moment 3 is ${m3}, NumPy's mean of cubes ${reference}`);
    const shifted = Array.from(values.toTypedArray() as Float64Array, (v) => v - 0.37);
    assert.deepEqual(shifted.map((v) => roundedIntegerPower(v, 3)), Array.from((python.p.array as nd.NDArray).toTypedArray() as Float64Array));
  });

  it("refuses a bad order and unknown options, by name", () => {
    const x = ta.fromArray(nd.random([10], { seed: 1 }), { chunks: 3 });
    assert.throws(() => ta.moment(x, -1), /moment: order must be an integer ≥ 0, got -1/);
    assert.throws(() => ta.moment(x, 2.5), /moment: order must be an integer ≥ 0/);
    assert.throws(() => ta.moment(x, 3, { split_every: 2 } as never), /moment: unknown option "split_every"/);
    assert.throws(() => ta.moment(x, 0, { axis: 1 }), /moment: axis 1 is out of bounds/);
    assert.throws(() => ta.moment(x, 3, { dtype: "int32" }), /moment: the moments accumulate in their result dtype, which must be float32 or float64, got int32/);
  });
});

describeOnCluster("moment of orders 2–4 over 2 × 16 blocks", () => {
  const x = ta.fromArray(nd.random([4, 64], { seed: 9 }), { chunks: [2, 4] });
  return [ta.moment(x, 2, { axis: 1, splitEvery: 3 }), ta.moment(x, 3, { splitEvery: 4 }), ta.moment(x, 4, { axis: [0, 1], ddof: 1 })];
}, "gives the local executor's bits (the moment partials travel between workers unchanged)");
