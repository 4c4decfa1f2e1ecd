// Differential test of ta.applyGufunc against Dask 2022.12's da.apply_gufunc: values bit for bit,
// dtype, shape and Dask's chunks, for the signatures (i)->(), (i)->(i), (i),(i)->(),
// (m,n),(n,p)->(m,p), ()->(), two outputs, a new output dimension with outputSizes, loop
// dimensions that broadcast (length 1, fewer loop dimensions) over uneven chunks and many blocks,
// axes / axis / keepdims, vectorize and allowRechunk; with functions by source and built-ins.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { Inputs, randomArray, rngOf } from "./differential-inputs.js";

const rng = rngOf(20261205);
const inputs = new Inputs();
const uneven = (n: number, size: number) => Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));
const input = (dtype: nd.DType, shape: number[], chunks: number[][]) => {
  const x = inputs.add(randomArray(rng, dtype, shape, { small: true }), chunks);
  return { py: x.py, lazy: x.lazy };
};

interface Case {
  label: string;
  dask: string;
  lazy: () => ta.Array;
}

const first = (result: ta.Array | ta.Array[]): ta.Array => (Array.isArray(result) ? result[0] : result);
const part = (result: ta.Array | ta.Array[], i: number): ta.Array => {
  assert.ok(Array.isArray(result), "several outputs give a list");
  return result[i];
};

const total = function total(a: nd.NDArray) { return nd.sum(a, { axis: -1 }); };
const cumulative = function cumulative(a: nd.NDArray) { return nd.cumsum(a, { axis: -1 }); };
const dotLast = function dotLast(a: nd.NDArray, b: nd.NDArray) { return nd.sum(nd.multiply(a, b), { axis: -1 }); };
const stats = function stats(a: nd.NDArray) { return [nd.mean(a, { axis: -1 }), nd.max(a, { axis: -1 })]; };
const spread = function spread(a: nd.NDArray) { return nd.stack([a, nd.multiply(a, 2), nd.negative(a)], -1); };
const outerOne = function outerOne(a: nd.NDArray, b: nd.NDArray) { return nd.multiply(nd.expandDims(a, -1), b); };
const doubled = function doubled(v: nd.NDArray) { return nd.multiply(v, 2); };
const squared = function squared(v: nd.NDArray) { return nd.multiply(v, v); };
const scaled = function scaled(a: nd.NDArray, options: { k: number }) { return nd.multiply(nd.sum(a, { axis: -1 }), options.k); };

const x1 = input("float64", [23, 7], [uneven(23, 5), [7]]);
const x1i = input("int32", [23, 7], [uneven(23, 5), [7]]);
const a3 = input("float64", [4, 13, 5], [[1, 2, 1], uneven(13, 3), [5]]);
const b2 = input("float64", [13, 5], [uneven(13, 3), [5]]);
const b1 = input("float32", [1, 13, 5], [[1], uneven(13, 3), [5]]);
const m = input("float64", [10, 3, 4], [uneven(10, 3), [3], [4]]);
const n = input("float64", [4, 2], [[4], [2]]);
const e = input("int16", [17, 9], [uneven(17, 4), uneven(9, 2)]);
const r1 = input("float64", [30, 6], [uneven(30, 7), [6]]);
const r2 = input("float64", [30, 6], [uneven(30, 4), [6]]);
const c = input("float64", [8, 20], [[4, 4], uneven(20, 5)]);
const t = input("float64", [7, 5, 12], [[7], [2, 2, 1], uneven(12, 3)]);
const u = input("float64", [6, 4], [uneven(6, 2), [4]]);
const w = input("uint8", [11, 3], [uneven(11, 2), [3]]);
const one = input("float64", [23, 1], [uneven(23, 5), [1]]);
const none = input("float64", [0, 4], [[0], [4]]);

const cases: Case[] = [
  { label: "sum_i_float64", dask: `da.apply_gufunc(lambda a: np.sum(a, axis=-1), "(i)->()", ${x1.py})`, lazy: () => first(ta.applyGufunc(total, "(i)->()", x1.lazy())) },
  { label: "sum_i_int32", dask: `da.apply_gufunc(lambda a: np.sum(a, axis=-1), "(i)->()", ${x1i.py})`, lazy: () => first(ta.applyGufunc(total, "(i)->()", x1i.lazy())) },
  // Dask declares float32 but hands the function's int64 blocks; tessera casts them to what it declares.
  { label: "sum_given_dtype", dask: `da.apply_gufunc(lambda a: np.sum(a, axis=-1), "(i)->()", ${x1i.py}, output_dtypes="float32").map_blocks(lambda b: b.astype("float32"))`, lazy: () => first(ta.applyGufunc(total, "(i)->()", x1i.lazy(), { outputDtypes: "float32" })) },
  { label: "cumsum_i_i", dask: `da.apply_gufunc(lambda a: np.cumsum(a, axis=-1), "(i)->(i)", ${x1.py})`, lazy: () => first(ta.applyGufunc(cumulative, "(i)->(i)", x1.lazy())) },
  { label: "dot_fewer_loop_dims", dask: `da.apply_gufunc(lambda a, b: np.sum(a * b, axis=-1), "(i),(i)->()", ${a3.py}, ${b2.py})`, lazy: () => first(ta.applyGufunc(dotLast, "(i),(i)->()", [a3.lazy(), b2.lazy()])) },
  { label: "dot_length_one_loop", dask: `da.apply_gufunc(lambda a, b: np.sum(a * b, axis=-1), "(i),(i)->()", ${b1.py}, ${a3.py})`, lazy: () => first(ta.applyGufunc(dotLast, "(i),(i)->()", [b1.lazy(), a3.lazy()])) },
  { label: "matmul_builtin", dask: `da.apply_gufunc(np.matmul, "(m,n),(n,p)->(m,p)", ${m.py}, ${n.py})`, lazy: () => first(ta.applyGufunc(nd.matmul, "(m,n),(n,p)->(m,p)", [m.lazy(), n.lazy()])) },
  { label: "elementwise_scalar_core", dask: `da.apply_gufunc(lambda v: v * 2, "()->()", ${e.py})`, lazy: () => first(ta.applyGufunc(doubled, "()->()", e.lazy())) },
  { label: "two_outputs_mean", dask: `da.apply_gufunc(lambda a: (np.mean(a, axis=-1), np.max(a, axis=-1)), "(i)->(),()", ${x1i.py})[0]`, lazy: () => part(ta.applyGufunc(stats, "(i)->(),()", x1i.lazy()), 0) },
  { label: "two_outputs_max", dask: `da.apply_gufunc(lambda a: (np.mean(a, axis=-1), np.max(a, axis=-1)), "(i)->(),()", ${x1i.py})[1]`, lazy: () => part(ta.applyGufunc(stats, "(i)->(),()", x1i.lazy()), 1) },
  { label: "new_output_dim", dask: `da.apply_gufunc(lambda a: np.stack([a, a * 2, -a], axis=-1), "(i)->(i,j)", ${u.py}, output_sizes={"j": 3})`, lazy: () => first(ta.applyGufunc(spread, "(i)->(i,j)", u.lazy(), { outputSizes: { j: 3 } })) },
  { label: "allow_rechunk_loop", dask: `da.apply_gufunc(lambda a, b: np.sum(a * b, axis=-1), "(i),(i)->()", ${r1.py}, ${r2.py}, allow_rechunk=True)`, lazy: () => first(ta.applyGufunc(dotLast, "(i),(i)->()", [r1.lazy(), r2.lazy()], { allowRechunk: true })) },
  { label: "allow_rechunk_core", dask: `da.apply_gufunc(lambda a: np.sum(a, axis=-1), "(i)->()", ${c.py}, allow_rechunk=True)`, lazy: () => first(ta.applyGufunc(total, "(i)->()", c.lazy(), { allowRechunk: true })) },
  { label: "axes_first", dask: `da.apply_gufunc(lambda a: np.sum(a, axis=-1), "(i)->()", ${t.py}, axes=[0])`, lazy: () => first(ta.applyGufunc(total, "(i)->()", t.lazy(), { axes: [0] })) },
  { label: "axes_cumsum_moved", dask: `da.apply_gufunc(lambda a: np.cumsum(a, axis=-1), "(i)->(i)", ${t.py}, axes=[(0,), (1,)])`, lazy: () => first(ta.applyGufunc(cumulative, "(i)->(i)", t.lazy(), { axes: [[0], [1]] })) },
  { label: "axes_matmul", dask: `da.apply_gufunc(np.matmul, "(m,n),(n,p)->(m,p)", ${m.py}, ${n.py}, axes=[(1, 2), (0, 1), (0, 2)])`, lazy: () => first(ta.applyGufunc(nd.matmul, "(m,n),(n,p)->(m,p)", [m.lazy(), n.lazy()], { axes: [[1, 2], [0, 1], [0, 2]] })) },
  { label: "axis_dot", dask: `da.apply_gufunc(lambda a, b: np.sum(a * b, axis=-1), "(i),(i)->()", ${t.py}, ${t.py}, axis=0)`, lazy: () => first(ta.applyGufunc(dotLast, "(i),(i)->()", [t.lazy(), t.lazy()], { axis: 0 })) },
  { label: "keepdims_axis", dask: `da.apply_gufunc(lambda a: np.sum(a, axis=-1), "(i)->()", ${t.py}, axis=0, keepdims=True)`, lazy: () => first(ta.applyGufunc(total, "(i)->()", t.lazy(), { axis: 0, keepdims: true })) },
  { label: "keepdims_last", dask: `da.apply_gufunc(lambda a: np.sum(a, axis=-1), "(i)->()", ${x1.py}, keepdims=True)`, lazy: () => first(ta.applyGufunc(total, "(i)->()", x1.lazy(), { keepdims: true })) },
  { label: "vectorize_outer", dask: `da.apply_gufunc(lambda a, b: np.outer(a, b), "(i),(j)->(i,j)", ${a3.py}, ${n.py}[:, 0], vectorize=True)`, lazy: () => first(ta.applyGufunc(outerOne, "(i),(j)->(i,j)", [a3.lazy(), n.lazy().get(":", 0)], { vectorize: true })) },
  { label: "vectorize_scalar", dask: `da.apply_gufunc(lambda v: v * v, "()->()", ${w.py}, vectorize=True)`, lazy: () => first(ta.applyGufunc(squared, "()->()", w.lazy(), { vectorize: true })) },
  { label: "vectorize_dtype", dask: `da.apply_gufunc(lambda v: v * v, "()->()", ${w.py}, vectorize=True, output_dtypes="int16")`, lazy: () => first(ta.applyGufunc(squared, "()->()", w.lazy(), { vectorize: true, outputDtypes: "int16" })) },
  { label: "vectorize_two_outputs", dask: `da.apply_gufunc(lambda a: (np.mean(a), np.max(a)), "(i)->(),()", ${x1.py}, vectorize=True)[1]`, lazy: () => part(ta.applyGufunc(function both(a: nd.NDArray) { return [nd.mean(a), nd.max(a)]; }, "(i)->(),()", x1.lazy(), { vectorize: true }), 1) },
  { label: "core_length_one", dask: `da.apply_gufunc(lambda a, b: np.sum(a * b, axis=-1), "(i),(i)->()", ${x1.py}, ${one.py})`, lazy: () => first(ta.applyGufunc(dotLast, "(i),(i)->()", [x1.lazy(), one.lazy()])) },
  { label: "whitespace_signature", dask: `da.apply_gufunc(np.matmul, " ( m, n ) ,(n,p)\t->  (m , p) ", ${m.py}, ${n.py})`, lazy: () => first(ta.applyGufunc(nd.matmul, " ( m, n ) ,(n,p)\t->  (m , p) ", [m.lazy(), n.lazy()])) },
  { label: "trailing_commas", dask: `da.apply_gufunc(lambda a: np.sum(a, axis=-1), "(i,),->()", ${x1.py})`, lazy: () => first(ta.applyGufunc(total, "(i,),->()", x1.lazy())) },
  { label: "no_inputs", dask: `da.apply_gufunc(lambda: np.float64(3.5), "->()", output_dtypes=float)`, lazy: () => first(ta.applyGufunc(function constant() { return 3.5; }, "->()", [], { outputDtypes: "float64" })) },
  { label: "vectorize_empty_loop", dask: `da.apply_gufunc(lambda a: np.sum(a), "(i)->()", ${none.py}, vectorize=True, output_dtypes=float)`, lazy: () => first(ta.applyGufunc(function whole(a: nd.NDArray) { return nd.sum(a); }, "(i)->()", none.lazy(), { vectorize: true, outputDtypes: "float64" })) },
  // Dask's otypes: the first element's result (an int here) does not fix the output dtype.
  { label: "vectorize_otypes", dask: `da.apply_gufunc(lambda v: 0.5 if v > 0 else 0, "()->()", ${x1.py} - 0.5, vectorize=True, output_dtypes=float)`, lazy: () => first(ta.applyGufunc(function halfOrZero(v: nd.NDArray) { return (v.item() as number) > 0 ? 0.5 : 0n; }, "()->()", x1.lazy().sub(0.5), { vectorize: true, outputDtypes: "float64" })) },
  // Dask infers the dtype on blocks of ones of shape (1, …, 1): float32 here, whatever the blocks give.
  { label: "inference_on_ones", dask: `da.apply_gufunc(lambda a: np.sum(a, axis=-1).astype("float32") if a.shape[-1] == 1 else np.sum(a, axis=-1), "(i)->()", ${x1.py}).map_blocks(lambda b: b.astype("float32"))`, lazy: () => first(ta.applyGufunc(function sumOnes(a: nd.NDArray) { return a.shape[a.ndim - 1] === 1 ? nd.astype(nd.sum(a, { axis: -1 }), "float32") : nd.sum(a, { axis: -1 }); }, "(i)->()", x1.lazy())) },
  { label: "kwargs", dask: `da.apply_gufunc(lambda a, k: np.sum(a, axis=-1) * k, "(i)->()", ${x1.py}, k=3)`, lazy: () => first(ta.applyGufunc(scaled, "(i)->()", x1.lazy(), {}, { k: 3 })) },
  { label: "gufunc_class", dask: `da.gufunc(lambda a: np.sum(a, axis=-1), signature="(i)->()", output_dtypes=float)(${c.py}, allow_rechunk=True)`, lazy: () => first(ta.gufunc(total, "(i)->()", { outputDtypes: "float64" })(c.lazy(), { allowRechunk: true })) },
  { label: "as_gufunc", dask: `da.as_gufunc("(i)->(),()", axis=0)(lambda a: (np.mean(a, axis=-1), np.max(a, axis=-1)))(${t.py})[0]`, lazy: () => part(ta.asGufunc("(i)->(),()", { axis: 0 })(stats)(t.lazy()), 0) },
];

describe("applyGufunc against Dask's apply_gufunc", () => {
  const expected = evaluatePython(inputs.arrays, Object.fromEntries(cases.map((k) => [k.label, k.dask])));
  for (const k of cases) {
    it(`${k.label}: values, dtype, shape and chunks as Dask's`, async () => {
      const reference = expected[k.label];
      assert.equal(reference.error, undefined, `Dask raised: ${reference.error}`);
      const lazy = k.lazy();
      assert.deepEqual(lazy.chunks.map((sizes) => [...sizes]), reference.chunks, `${k.label}: chunks`);
      assert.equal(lazy.dtype, reference.array?.dtype, `${k.label}: dtype`);
      assertSameArray(await lazy.compute(), reference.array as nd.NDArray, k.label);
    });
  }
});

describe("applyGufunc over unknown loop sizes (a boolean mask's rows), as Dask's", () => {
  const values = randomArray(rngOf(7), "float64", [40, 6], { small: true });
  const chunks = [uneven(40, 6), [6]];
  const rows = () => { const v = ta.fromArray(values, { chunks }); return v.get(v.get(":", 0).gt(0)); };
  const py = `(lambda v: v[v[:, 0] > 0])(da.from_array(xm, chunks=${"((6, 6, 6, 6, 6, 6, 4), (6,))"}))`;
  const expected = evaluatePython({ xm: values }, {
    sum: `da.apply_gufunc(lambda a: np.sum(a, axis=-1), "(i)->()", ${py})`,
    cumsum: `da.apply_gufunc(lambda a: np.cumsum(a, axis=-1), "(i)->(i)", ${py})`,
    max: `da.apply_gufunc(lambda a: (np.mean(a, axis=-1), np.max(a, axis=-1)), "(i)->(),()", ${py})[1]`,
  });
  const lazy: Record<string, () => ta.Array> = {
    sum: () => first(ta.applyGufunc(total, "(i)->()", rows())),
    cumsum: () => first(ta.applyGufunc(cumulative, "(i)->(i)", rows())),
    max: () => part(ta.applyGufunc(stats, "(i)->(),()", rows()), 1),
  };
  for (const [label, make] of Object.entries(lazy)) {
    it(`${label}: unknown chunks where Dask's are, values as Dask's`, async () => {
      const out = make();
      assert.deepEqual(out.chunks.map((sizes) => sizes.map((size) => (Number.isNaN(size) ? null : size))), expected[label].chunks);
      assertSameArray(await out.compute(), expected[label].array as nd.NDArray, label);
    });
  }
});

describeOnCluster("applyGufunc with two outputs by source, a built-in and a vectorized function", () => {
  const outputs = ta.applyGufunc(stats, "(i)->(),()", x1i.lazy()) as ta.Array[];
  return [
    ...outputs, first(ta.applyGufunc(nd.matmul, "(m,n),(n,p)->(m,p)", [m.lazy(), n.lazy()])),
    first(ta.applyGufunc(outerOne, "(i),(j)->(i,j)", [a3.lazy(), n.lazy().get(":", 0)], { vectorize: true })),
  ];
});
