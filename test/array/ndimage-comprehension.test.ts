// The chunked labeledComprehension (dask-image's ndmeasure.labeled_comprehension) against the
// eager one on the whole array, whose values come in C order (scipy's order within a label is
// that of an unstable argsort: unspecified), with order-sensitive functions (a position-weighted
// sum, the first and last value, the positions with passPositions); order-free ones against scipy.ndimage 1.10 itself. On 6 × 7 × 5 blocks with labels
// chunked unlike the values, index lists with absent labels, repeats and 0, the label and index
// forms (none, labels only, one label), output dtypes; the same on a LocalCluster 2 × 1 (the
// local executor's bits); refusals.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { integer } from "./differential-inputs.js";
import { evaluatePython } from "./python-eval.js";
import { seededRandom } from "../ndimage/helpers.js";
import { describeOnCluster } from "./cluster-sample.js";

const shape = [18, 21, 15];
const rng = seededRandom(20261205);
const size = shape.reduce((a, b) => a * b, 1);
const x = nd.astype(nd.fromTypedArray(Float64Array.from({ length: size }, () => integer(rng, 0, 999)), shape), "uint16");
// Boxes of 4 × 5 × 3 cells labelled −1, 0, 1…6 across many block borders.
const l = nd.fromTypedArray(Int32Array.from({ length: size }, (_, p) => {
  const [z, y, c] = [Math.floor(p / (shape[1] * shape[2])), Math.floor(p / shape[2]) % shape[1], p % shape[2]];
  return ((Math.floor(z / 4) * 7 + Math.floor(y / 5) * 3 + Math.floor(c / 3)) % 8) - 1;
}), shape);

const weighted = (v: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * (i + 1);
  return s;
};
const ends = (v: Float64Array): number => v[0] * 1000 + v[v.length - 1];
const spread = (v: Float64Array): number => Math.max(...v) - Math.min(...v) + v.length / 8;
// Order-sensitive in its positions: the first value's position and the positions' order-weighted sum.
const firstAt = (v: Float64Array, p: Float64Array): number => {
  let s = p[0] * 1e6;
  for (let i = 0; i < p.length; i++) s += (p[i] % 97) * (i + 1) + v[i];
  return s;
};
// Order-free: what scipy's unspecified order within a label cannot change.
const valueTimesPosition = (v: Float64Array, p: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * p[i];
  return s;
};

type Case = { label: string; eager: () => number | nd.NDArray; lazy: () => ta.Array };
function cases(lx: ta.Array, ll: ta.Array): Case[] {
  return [
    { label: "weighted, list with absent, repeated and 0", eager: () => ndimage.labeledComprehension(x, l, [3, 9, 1, 3, 0, 6], weighted, "float64", -1.5), lazy: () => ta.ndimage.labeledComprehension(lx, ll, [3, 9, 1, 3, 0, 6], weighted, "float64", -1.5) },
    { label: "ends, int32 output", eager: () => ndimage.labeledComprehension(x, l, [1, 2, 5], ends, "int32", 7), lazy: () => ta.ndimage.labeledComprehension(lx, ll, [1, 2, 5], ends, "int32", 7) },
    { label: "weighted, one label", eager: () => ndimage.labeledComprehension(x, l, 4, weighted, "float64", 0), lazy: () => ta.ndimage.labeledComprehension(lx, ll, 4, weighted, "float64", 0) },
    { label: "ends, labels only", eager: () => ndimage.labeledComprehension(x, l, undefined, ends, "float64", 0), lazy: () => ta.ndimage.labeledComprehension(lx, ll, undefined, ends, "float64", 0) },
    { label: "positions, list", eager: () => ndimage.labeledComprehension(x, l, [2, 9, 6, 0], firstAt, "float64", -1, true), lazy: () => ta.ndimage.labeledComprehension(lx, ll, [2, 9, 6, 0], firstAt, "float64", -1, { passPositions: true }) },
    { label: "positions, labels only", eager: () => ndimage.labeledComprehension(x, l, undefined, firstAt, "float64", 0, true), lazy: () => ta.ndimage.labeledComprehension(lx, ll, undefined, firstAt, "float64", 0, { passPositions: true }) },
    { label: "positions, no labels", eager: () => ndimage.labeledComprehension(x, undefined, undefined, firstAt, "float64", 0, true), lazy: () => ta.ndimage.labeledComprehension(lx, undefined, undefined, firstAt, "float64", 0, { passPositions: true }) },
    { label: "weighted, no labels", eager: () => ndimage.labeledComprehension(x, undefined, undefined, weighted, "float64", 0), lazy: () => ta.ndimage.labeledComprehension(lx, undefined, undefined, weighted, "float64", 0) },
  ];
}

const lazyX = () => ta.fromArray(x, { chunks: [3, 3, 3] });
const lazyL = () => ta.fromArray(l, { chunks: [4, 3, 5] });

describe("chunked labeledComprehension", () => {
  it("equals the eager one on the whole array (values in C order) in every label and index form", async () => {
    for (const c of cases(lazyX(), lazyL())) {
      const eager = c.eager();
      const expected = typeof eager === "number" ? nd.fromTypedArray(Float64Array.of(eager), []) : eager;
      const actual = await c.lazy().compute();
      assert.deepEqual([...actual.shape], [...expected.shape], `${c.label}: shape`);
      assert.deepEqual(Array.from(nd.astype(actual, "float64").data as Float64Array), Array.from(nd.astype(expected, "float64").data as Float64Array), c.label);
      if (typeof eager !== "number") assert.equal(actual.dtype, eager.dtype, `${c.label}: dtype`);
    }
  });

  it("equals scipy's with a function of the values' set (scipy's order within a label is unspecified)", async () => {
    const python = evaluatePython({ x, l }, {
      list: "np.asarray(ndi.labeled_comprehension(x, l, [3, 9, 1, 0], lambda v: float(v.max()) - float(v.min()) + len(v) / 8, np.float64, -2.0))",
      labelsOnly: "np.asarray(ndi.labeled_comprehension(x, l, None, lambda v: float(v.max()) - float(v.min()) + len(v) / 8, np.float64, 0))",
      positions: "np.asarray(ndi.labeled_comprehension(x, l, [3, 9, 1, 0], lambda v, p: float((v.astype(np.float64) * p).sum()), np.float64, -2.0, pass_positions=True))",
    });
    const list = await ta.ndimage.labeledComprehension(lazyX(), lazyL(), [3, 9, 1, 0], spread, "float64", -2).compute();
    assert.deepEqual(Array.from(list.data as Float64Array), Array.from(python.list.array?.data as Float64Array));
    const labelsOnly = await ta.ndimage.labeledComprehension(lazyX(), lazyL(), undefined, spread, "float64", 0).compute();
    assert.deepEqual(Array.from(labelsOnly.data as Float64Array), Array.from(python.labelsOnly.array?.data as Float64Array));
    const positions = await ta.ndimage.labeledComprehension(lazyX(), lazyL(), [3, 9, 1, 0], valueTimesPosition, "float64", -2, { passPositions: true }).compute();
    assert.deepEqual(Array.from(positions.data as Float64Array), Array.from(python.positions.array?.data as Float64Array));
  });

  it("refuses what it cannot run, naming it", async () => {
    const lx = ta.fromArray(x, { chunks: [3, 3, 3] });
    const ll = ta.fromArray(l, { chunks: [3, 3, 3] });
    const offset = 3;
    assert.throws(() => ta.ndimage.labeledComprehension(lx, ll, [1], (v: Float64Array) => v[0] + offset, "float64", 0), /closure|captures|offset/);
    assert.throws(() => ta.ndimage.labeledComprehension(lx, ll, [1], "sum" as never, "float64", 0), /labeledComprehension: fn must be a function/);
    assert.throws(() => ta.ndimage.labeledComprehension(lx, ll, [1], weighted, "float128" as never, 0), /labeledComprehension: outDtype "float128" is not a dtype/);
    assert.throws(() => ta.ndimage.labeledComprehension(lx, ll, [1], weighted, "float64", 0, { positions: true } as never), /labeledComprehension: unknown option "positions"; labeledComprehension takes splitEvery, maxValues, passPositions/);
    assert.throws(() => ta.ndimage.labeledComprehension(lx, ll, [1], weighted, "float64", 0, { passPositions: 1 } as never), /labeledComprehension: passPositions must be true or false, got 1/);
    await assert.rejects(ta.ndimage.labeledComprehension(lx, ll, [1, 2], weighted, "float64", 0, { maxValues: 10 }).compute(), /more than maxValues = 10 values/);
  });
});

describeOnCluster("chunked labeledComprehension (the user's function runs on the workers)", () => cases(lazyX(), lazyL()).map((c) => c.lazy()));
