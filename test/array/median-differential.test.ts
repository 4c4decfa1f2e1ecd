// Seeded differential test of median and nanmedian against NumPy 1.24 (eager nd.median over
// the whole array; values bit for bit, dtype, shape) and Dask 2022.12 (the lazy ta.median:
// chunks, and values block by block as Dask computes them): every dtype, 1–3 axes, one or
// several reduced axes, keepdims, NaN/±inf, random chunkings with many blocks, lanes past
// nanmedian's 600-element switch, and values past half the largest float (where NumPy's two
// nanmedian routes differ). −0 and 0 compare equal: NumPy's partition may return either.
// DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { Inputs, integer, numberDtypes, pick, pyBool, pyTuple, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 200);

/** −0 as 0, so that only NumPy's choice between equal values is forgiven. */
function withoutNegativeZero(a: nd.NDArray): nd.NDArray {
  if (a.dtype !== "float32" && a.dtype !== "float64") return a;
  return nd.add(a, 0);
}

interface Case {
  label: string;
  numpy: string;
  dask: string;
  eager: () => nd.NDArray;
  lazy: () => ta.Array;
}

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes);
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 2, 3, 4, 7]));
  if (rng() < 0.6) shape[integer(rng, 0, ndim - 1)] = integer(rng, 20, 50);
  if (rng() < 0.1) shape[integer(rng, 0, ndim - 1)] = integer(rng, 600, 700);
  const chunks = shape.map((n) => randomChunks(rng, n));
  const values = randomArray(rng, dtype, shape, { specials: rng() < 0.7 });
  if (dtype.startsWith("float") && rng() < 0.35) {
    const huge = values.toTypedArray() as Float64Array;
    for (let i = 0; i < huge.length; i += 3) huge[i] = dtype === "float32" ? 3e38 : 1.5e308;
  }
  const x = inputs.add(values, chunks);
  const axes = Array.from({ length: ndim }, (_, a) => a).filter(() => rng() < 0.5);
  if (axes.length === 0) axes.push(integer(rng, 0, ndim - 1));
  const axis = axes.length === 1 && rng() < 0.5 ? axes[0] - (rng() < 0.3 ? ndim : 0) : axes;
  const keepdims = rng() < 0.3;
  const fn = rng() < 0.5 ? "median" : "nanmedian";
  const pyAxis = typeof axis === "number" ? String(axis) : pyTuple(axis);
  const args = `axis=${pyAxis}, keepdims=${pyBool(keepdims)}`;
  return {
    label: `c${index}_${fn}_${dtype}_${shape.join("x")}`,
    numpy: `np.${fn}(${x.name}, ${args})`,
    dask: `da.${fn}(${x.py}, ${args})`,
    eager: () => nd[fn](values, { axis, keepdims }),
    lazy: () => ta[fn](x.lazy(), { axis, keepdims }),
  };
}

describe(`median and nanmedian against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: eager equals NumPy; lazy has Dask's chunks and values`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    const expressions: Record<string, string> = {};
    for (const c of cases) {
      expressions[`${c.label}_np`] = c.numpy;
      expressions[`${c.label}_da`] = c.dask;
    }
    const python = evaluatePython(inputs.arrays, expressions);
    for (const c of cases) {
      const numpy = python[`${c.label}_np`];
      const dask = python[`${c.label}_da`];
      const where = `${c.label} (seed ${seed}: ${c.dask})`;
      assert.ok(numpy.array && dask.array, `${where}: Python refused: ${numpy.error ?? dask.error}`);
      assertSameArray(withoutNegativeZero(c.eager()), withoutNegativeZero(numpy.array), `${where}: eager vs NumPy`);
      const lazy = c.lazy();
      assertSameArray(withoutNegativeZero(await lazy.compute()), withoutNegativeZero(dask.array), `${where}: lazy vs Dask`);
      assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask`);
    }
  });

  it("takes NumPy's route for each lane: (h + h) / 2 below 600 elements of an array that keeps an axis, h otherwise", async () => {
    const huge = nd.array([[1.5e308, 1.5e308, 1], [NaN, 3, NaN]]);
    const long = nd.full([2, 601], 1.5e308);
    const line = nd.array([1.5e308, 1.5e308, 1]);
    const pair = nd.array([3e38, 3e38], { dtype: "float32" });
    const python = evaluatePython({ huge, long, line, pair }, {
      a: "np.nanmedian(huge, axis=1)", b: "np.median(huge, axis=1)", c: "np.nanmedian(long, axis=1)",
      d: "np.asarray(np.nanmedian(line, axis=0))", e: "np.asarray(np.median(pair, axis=0))", f: "np.nanmedian(huge, axis=(0, 1), keepdims=True)",
    });
    const cases: Array<[string, nd.NDArray, ta.Array]> = [
      ["a", nd.nanmedian(huge, { axis: 1 }), ta.nanmedian(ta.fromArray(huge, { chunks: 1 }), { axis: 1 })],
      ["b", nd.median(huge, { axis: 1 }), ta.median(ta.fromArray(huge, { chunks: 1 }), { axis: 1 })],
      ["c", nd.nanmedian(long, { axis: 1 }), ta.nanmedian(ta.fromArray(long, { chunks: 100 }), { axis: 1 })],
      ["d", nd.nanmedian(line, { axis: 0 }), ta.nanmedian(ta.fromArray(line, { chunks: 1 }), { axis: 0 })],
      ["e", nd.median(pair, { axis: 0 }), ta.median(ta.fromArray(pair, { chunks: 1 }), { axis: 0 })],
      ["f", nd.nanmedian(huge, { axis: [0, 1], keepdims: true }), ta.nanmedian(ta.fromArray(huge, { chunks: 1 }), { axis: [0, 1], keepdims: true })],
    ];
    for (const [label, eager, lazy] of cases) {
      assertSameArray(eager, python[label].array as nd.NDArray, `${label}: eager`);
      assertSameArray(await lazy.compute(), python[label].array as nd.NDArray, `${label}: lazy`);
    }
  });

  it("eager nd.median reduces every axis by default, as NumPy", () => {
    const v = nd.array([[3, 1], [4, NaN]], { dtype: "float32" });
    const python = evaluatePython({ v }, { m: "np.asarray(np.median(v))", n: "np.asarray(np.nanmedian(v))" });
    assertSameArray(nd.median(v), python.m.array as nd.NDArray, "median");
    assertSameArray(nd.nanmedian(v), python.n.array as nd.NDArray, "nanmedian");
  });

  it("refuses bad input by name", () => {
    const x = ta.fromArray(nd.reshape(nd.arange(12), [3, 4]), { chunks: 2 });
    assert.throws(() => ta.median(x, {} as never), /median needs an axis, as Dask's does/);
    assert.throws(() => ta.nanmedian(x, { axis: 2 }), /nanmedian: axis 2 is out of bounds for an array of dimension 2/);
    assert.throws(() => ta.median(x, { axis: [0, 0] }), /median: axes \[0, 0\] repeat an axis/);
    assert.throws(() => ta.median(x, { axis: 0, overwriteInput: true } as never), /median: unknown option "overwriteInput"/);
    assert.throws(() => ta.median(x, { axis: 0, keepdims: 1 } as never), /median: keepdims must be true or false/);
    assert.throws(() => nd.median(nd.arange(3), { out: 1 } as never), /median: unknown option "out"; median takes axis, keepdims/);
  });
});

describeOnCluster("median", () => {
  const values = randomArray(rngOf(seed), "float32", [9, 41, 6], { specials: true });
  return [
    ta.median(ta.fromArray(values, { chunks: [2, 5, 3] }), { axis: 1 }),
    ta.nanmedian(ta.fromArray(values, { chunks: [4, 3, 2] }), { axis: [0, 2], keepdims: true }),
  ];
});
