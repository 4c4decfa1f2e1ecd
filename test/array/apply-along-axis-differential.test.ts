// Seeded differential test of applyAlongAxis and applyOverAxes: eager nd.* against NumPy 1.24's
// apply_along_axis / apply_over_axes and lazy ta.* against Dask 2022.12's (values bit for bit,
// dtype, shape, Dask's chunks), over every number dtype, 1–3 axes with many blocks, negative
// axes, functions giving scalars, lanes and 2-d results, with further arguments, shapes found on
// Dask's test lane or given. Then refusals: closures (naming the variable), a declared shape the
// lanes do not give, axes out of range, unknown options.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { Inputs, integer, numberDtypes, pick, pyTuple, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 100);

interface LaneCase {
  js: nd.LaneFunction;
  py: string;
  args?: number[];
  /** The lane result's shape for a lane of length n, when Dask's test lane would get it wrong. */
  shape?: (n: number) => number[];
}

const laneFunctions: LaneCase[] = [
  { js: function total(v) { return nd.sum(v); }, py: "np.sum" },
  { js: function largest(v) { return nd.max(v); }, py: "np.max" },
  { js: function average(v) { return nd.mean(v); }, py: "np.mean" },
  { js: function scaled(v, k) { return nd.multiply(v, k as never); }, py: "lambda v, k: v * k", args: [3], shape: (n) => [n] },
  { js: function constant() { return 1.5; }, py: "lambda v: 1.5" },
  { js: function running(v) { return nd.cumsum(v); }, py: "np.cumsum", shape: (n) => [n] },
  { js: function twice(v) { return nd.stack([v, nd.negative(v)]); }, py: "lambda v: np.stack([v, -v])", shape: (n) => [2, n] },
];

interface Case {
  label: string;
  numpy: string;
  dask: string;
  eager: () => nd.NDArray;
  lazy: () => ta.Array;
}

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes.filter((d) => d !== "bool"));
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, 1, 5));
  shape[integer(rng, 0, ndim - 1)] = integer(rng, 16, 40);
  const chunks = shape.map((n) => (n >= 16 && rng() < 0.6 ? Array.from({ length: Math.ceil(n / 2) }, (_, i) => Math.min(2, n - i * 2)) : randomChunks(rng, n)));
  const values = randomArray(rng, dtype, shape, { specials: rng() < 0.3, small: true });
  const x = inputs.add(values, chunks);
  if (rng() < 0.25) {
    const axes = Array.from({ length: ndim }, (_, a) => a).filter(() => rng() < 0.6);
    if (axes.length === 0) axes.push(ndim - 1);
    const reducer = pick(rng, ["sum", "max"] as const);
    return {
      label: `c${index}_over_${reducer}_${dtype}_${shape.join("x")}`,
      numpy: `np.apply_over_axes(np.${reducer}, ${x.name}, ${pyTuple(axes)})`,
      dask: `da.apply_over_axes(lambda a, i: da.${reducer}(a, axis=i, split_every=4), ${x.py}, ${pyTuple(axes)})`,
      eager: () => nd.applyOverAxes((a, axis) => nd[reducer](a, { axis }), values, axes),
      lazy: () => ta.applyOverAxes((a, axis) => ta[reducer](a, { axis, splitEvery: 4 }), x.lazy(), axes),
    };
  }
  const lane = pick(rng, laneFunctions);
  const axis = integer(rng, 0, ndim - 1) - (rng() < 0.3 ? ndim : 0);
  const length = shape[axis < 0 ? axis + ndim : axis];
  const laneShape = lane.shape?.(length);
  const pyArgs = lane.args ? `, ${lane.args.join(", ")}` : "";
  const pyShape = laneShape ? `, shape=${pyTuple(laneShape)}` : "";
  return {
    label: `c${index}_along_${lane.js.name}_${dtype}_${shape.join("x")}_axis${axis}`,
    numpy: `np.apply_along_axis(${lane.py}, ${axis}, ${x.name}${pyArgs})`,
    dask: `da.apply_along_axis(${lane.py}, ${axis}, ${x.py}${pyArgs}${pyShape})`,
    eager: () => nd.applyAlongAxis(lane.js, axis, values, { args: lane.args ?? [] }),
    lazy: () => ta.applyAlongAxis(lane.js, axis, x.lazy(), { args: lane.args ?? [], ...(laneShape ? { shape: laneShape } : {}) }),
  };
}

describe(`applyAlongAxis and applyOverAxes against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: eager equals NumPy; lazy equals Dask, with Dask's chunks`, async () => {
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
      assertSameArray(c.eager(), numpy.array, `${where}: eager vs NumPy`);
      const lazy = c.lazy();
      assertSameArray(await lazy.compute(), dask.array, `${where}: lazy vs Dask`);
      assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask`);
    }
  });

  it("refuses closures by the variable's name, wrong declared shapes, bad axes and unknown options", async () => {
    const x = ta.fromArray(nd.reshape(nd.arange(24), [2, 3, 4]), { chunks: [1, 2, 2] });
    const factor = 3;
    assert.throws(() => ta.applyAlongAxis((v) => nd.multiply(v, factor), 0, x), /uses "factor" from its surroundings/);
    assert.throws(() => ta.applyAlongAxis((v) => nd.sum(v), 3, x), /applyAlongAxis: axis 3 is out of bounds for array of dimension 3/);
    assert.throws(() => nd.applyAlongAxis((v) => nd.sum(v), -4, nd.ones([2, 3, 4])), /applyAlongAxis: axis -4 is out of bounds/);
    assert.throws(() => ta.applyAlongAxis((v) => nd.sum(v), 0, x, { splitEvery: 2 } as never), /applyAlongAxis: unknown option "splitEvery"/);
    assert.throws(() => nd.applyAlongAxis((v) => nd.sum(v), 0, nd.ones([2, 3]), { shape: [1] } as never), /applyAlongAxis: unknown option "shape"/);
    // Dask's test lane has length 1, so cumsum's shape comes out [1]: the blocks say otherwise.
    await assert.rejects(ta.applyAlongAxis((v) => nd.cumsum(v), 1, x).compute(), /gave lanes of shape \[3\] where shape \[1\] was declared/);
    assert.throws(() => nd.applyOverAxes((a) => nd.sum(a), nd.ones([2, 3]), 0), /applyOverAxes: the function must either keep the number of axes \(2\) or reduce it by one, got 0/);
    assert.throws(() => ta.applyOverAxes((a) => ta.sum(a), x, [0]), /applyOverAxes: func must either preserve dimensionality/);
    assert.throws(() => ta.applyOverAxes((a, axis) => ta.sum(a, { axis }), x, [5]), /applyOverAxes: axis 5 is out of bounds/);
  });
});

describeOnCluster("applyAlongAxis over 2 × 8 blocks", () => {
  const x = ta.fromArray(nd.random([16, 6], { seed: 5 }), { chunks: [2, 3] });
  return [ta.applyAlongAxis(function spread(v, k) { return nd.multiply(nd.subtract(nd.max(v), nd.min(v)), k as never); }, 1, x, { args: [2] })];
}, "gives the local executor's bits (the function travels by its source)");
