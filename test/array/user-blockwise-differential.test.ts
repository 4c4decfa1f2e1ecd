// ta.blockwise against Dask 2022.12's da.blockwise on the same bytes and chunks: values and
// dtype (exact: the inputs are small multiples of 1/4, so every sum is exact), chunks, and the
// graph (tasks, and the distinct input blocks each reads, as dask.core.get_dependencies finds
// them). Several blocks per axis with uneven last chunks throughout.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython, assertSameArray } from "./python-eval.js";
import { pyChunks, randomArray, rngOf } from "./differential-inputs.js";
import { ownTasks } from "./own-tasks.js";
import { describeOnCluster } from "./cluster-sample.js";

const rng = rngOf(20261206);
const data = {
  A: randomArray(rng, "float64", [13, 11], { small: true }),
  B: randomArray(rng, "float64", [11, 9], { small: true }),
  C: randomArray(rng, "float64", [13, 11], { small: true }),
  v: randomArray(rng, "float64", [17], { small: true }),
  u: randomArray(rng, "float64", [17], { small: true }),
  w: randomArray(rng, "int32", [7], { small: true }),
  I: randomArray(rng, "int32", [12, 12], { small: true }),
  Y: randomArray(rng, "float64", [11], { small: true }),
  Z: randomArray(rng, "float64", [1, 11], { small: true }),
  S: randomArray(rng, "float64", [1], { small: true }),
};
type Name = keyof typeof data;
const chunks: Record<Name, number[][]> = {
  A: [[4, 4, 4, 1], [3, 3, 3, 2]], B: [[3, 3, 3, 2], [2, 4, 3]], C: [[5, 5, 3], [4, 7]], v: [[5, 5, 5, 2]], u: [[6, 6, 5]],
  w: [[3, 3, 1]], I: [[4, 4, 4], [4, 4, 4]], Y: [[3, 3, 3, 2]], Z: [[1], [11]], S: [[1]],
};
const lazy = (name: Name) => ta.fromArray(data[name], { chunks: chunks[name] });
const py = (name: Name) => `da.from_array(${name}, chunks=${pyChunks(chunks[name])})`;

function outer(x: nd.NDArray, y: nd.NDArray) {
  return nd.multiply(nd.reshape(x, [x.shape[0], 1]), nd.reshape(y, [1, y.shape[0]]));
}
function dots(xs: nd.NDArray[], ys: nd.NDArray[]) {
  let r = nd.matmul(xs[0], ys[0]);
  for (let i = 1; i < xs.length; i++) r = nd.add(r, nd.matmul(xs[i], ys[i]));
  return r;
}
function sequenceDot(as: nd.NDArray[], bs: nd.NDArray[]) {
  let r = nd.sum(nd.multiply(as[0], bs[0]));
  for (let i = 1; i < as.length; i++) r = nd.add(r, nd.sum(nd.multiply(as[i], bs[i])));
  return r;
}
function scaledRowSums(xs: nd.NDArray[], ys: nd.NDArray[]) {
  let r = nd.add(0, nd.multiply(nd.sum(xs[0], { axis: 1 }), ys[0])); // 0 + …, as Python's sum() starts (so -0 sums to +0)
  for (let k = 1; k < xs.length; k++) r = nd.add(r, nd.multiply(nd.sum(xs[k], { axis: 1 }), ys[k]));
  return r;
}
function scaleBySum(x: nd.NDArray, v: nd.NDArray) {
  return nd.multiply(x, nd.sum(v));
}
function spread(a: nd.NDArray) {
  return nd.multiply(nd.reshape(a, [a.shape[0], 1]), nd.ones([1, 5]));
}
function twice(x: nd.NDArray) {
  return nd.concatenate([x, x], 0);
}

interface Case { label: string; ours: () => ta.Array; dask: string; graph?: boolean }
const cases: Case[] = [
  { label: "add_aligned", ours: () => ta.blockwise(nd.add, "ij", [lazy("A"), "ij", lazy("C"), "ij"]), dask: `da.blockwise(np.add, 'ij', ${py("A")}, 'ij', ${py("C")}, 'ij')`, graph: true },
  { label: "transpose", ours: () => ta.blockwise(nd.transpose, "ji", [lazy("A"), "ij"]), dask: `da.blockwise(np.transpose, 'ji', ${py("A")}, 'ij')`, graph: true },
  { label: "transpose_int32", ours: () => ta.blockwise(nd.transpose, "ji", [lazy("I"), "ij"]), dask: `da.blockwise(np.transpose, 'ji', ${py("I")}, 'ij')` },
  { label: "outer", ours: () => ta.blockwise(outer, "ij", [lazy("v"), "i", lazy("w"), "j"]), dask: `da.blockwise(np.outer, 'ij', ${py("v")}, 'i', ${py("w")}, 'j')`, graph: true },
  { label: "matmul_concatenate", ours: () => ta.blockwise(nd.matmul, "ik", [lazy("A"), "ij", lazy("B"), "jk"], { concatenate: true }), dask: `da.blockwise(np.dot, 'ik', ${py("A")}, 'ij', ${py("B")}, 'jk', concatenate=True)`, graph: true },
  { label: "matmul_lists", ours: () => ta.blockwise(dots, "ik", [lazy("A"), "ij", lazy("B"), "jk"], { dtype: "float64" }), dask: `da.blockwise(lambda xs, ys: sum(np.dot(a, b) for a, b in zip(xs, ys)), 'ik', ${py("A")}, 'ij', ${py("B")}, 'jk', dtype='f8')`, graph: true },
  { label: "inner_to_scalar", ours: () => ta.blockwise(sequenceDot, "", [lazy("v"), "i", lazy("u"), "i"], { dtype: "float64" }), dask: `da.blockwise(lambda a, b: sum((x * y).sum() for x, y in zip(a, b)), '', ${py("v")}, 'i', ${py("u")}, 'i', dtype='f8')`, graph: true },
  { label: "new_axis", ours: () => ta.blockwise(spread, "iz", [lazy("v"), "i"], { newAxes: { z: 5 } }), dask: `da.blockwise(lambda a: a[:, None] * np.ones((1, 5)), 'iz', ${py("v")}, 'i', new_axes={'z': 5})` },
  { label: "new_axis_chunks", ours: () => ta.blockwise(spread, "iz", [lazy("v"), "i"], { newAxes: { z: [5, 5] }, adjustChunks: { z: 5 } }), dask: `da.blockwise(lambda a: a[:, None] * np.ones((1, 5)), 'iz', ${py("v")}, 'i', new_axes={'z': (5, 5)}, adjust_chunks={'z': 5})`, graph: true },
  { label: "adjust_function", ours: () => ta.blockwise(twice, "ij", [lazy("A"), "ij"], { adjustChunks: { i: (n: number) => 2 * n } }), dask: `da.blockwise(lambda x: np.concatenate([x, x]), 'ij', ${py("A")}, 'ij', adjust_chunks={'i': lambda n: 2 * n})` },
  { label: "adjust_int_kwargs", ours: () => ta.blockwise(nd.sum, "ij", [lazy("A"), "ij"], { adjustChunks: { j: 1 } }, { axis: 1, keepdims: true }), dask: `da.blockwise(np.sum, 'ij', ${py("A")}, 'ij', adjust_chunks={'j': 1}, axis=1, keepdims=True)` },
  { label: "adjust_tuple", ours: () => ta.blockwise(nd.sum, "ij", [lazy("A"), "ij"], { adjustChunks: { j: [1, 1, 1, 1] } }, { axis: 1, keepdims: true }), dask: `da.blockwise(np.sum, 'ij', ${py("A")}, 'ij', adjust_chunks={'j': (1, 1, 1, 1)}, axis=1, keepdims=True)` },
  { label: "literal", ours: () => ta.blockwise(nd.add, "ij", [lazy("A"), "ij", 1234, null]), dask: `da.blockwise(np.add, 'ij', ${py("A")}, 'ij', 1234, None)` },
  { label: "literal_int32", ours: () => ta.blockwise(nd.multiply, "i", [lazy("w"), "i", 7, undefined]), dask: `da.blockwise(np.multiply, 'i', ${py("w")}, 'i', 7, None)` },
  // A lazy array with the index null: every call gets all of it, as Dask computes it whole.
  { label: "whole_lazy_literal", ours: () => ta.blockwise(scaleBySum, "ij", [lazy("A"), "ij", lazy("v"), null]), dask: `da.blockwise(lambda x, v: x * v.sum(), 'ij', ${py("A")}, 'ij', ${py("v")}, None)` },
  { label: "broadcast_vector", ours: () => ta.blockwise(nd.add, "ij", [lazy("A"), "ij", lazy("Y"), "j"]), dask: `da.blockwise(np.add, 'ij', ${py("A")}, 'ij', ${py("Y")}, 'j')`, graph: true },
  { label: "broadcast_length1", ours: () => ta.blockwise(nd.subtract, "ij", [lazy("A"), "ij", lazy("Z"), "ij"]), dask: `da.blockwise(np.subtract, 'ij', ${py("A")}, 'ij', ${py("Z")}, 'ij')`, graph: true },
  // S has one block (of length 1) along the contracted j: repeated once per block of A along j, as Dask's lists do.
  { label: "contracted_broadcast", ours: () => ta.blockwise(scaledRowSums, "i", [lazy("A"), "ij", lazy("S"), "j"], { dtype: "float64" }), dask: `da.blockwise(lambda xs, ys: sum(x.sum(axis=1) * y for x, y in zip(xs, ys)), 'i', ${py("A")}, 'ij', ${py("S")}, 'j', dtype='f8')`, graph: true },
  { label: "diagonal_ii", ours: () => ta.blockwise(nd.diagonal, "i", [lazy("I"), "ii"]), dask: `da.blockwise(np.diagonal, 'i', ${py("I")}, 'ii')`, graph: true },
  { label: "numeric_tokens", ours: () => ta.blockwise(nd.transpose, [1, 0], [lazy("A"), [0, 1]]), dask: `da.blockwise(np.transpose, (1, 0), ${py("A")}, (0, 1))` },
];

/** Dask's task count and, per task, its distinct dependencies (sorted counts). */
const daskGraph = (expression: string) =>
  `(lambda Z: np.array([len(__import__('dask').core.get_dependencies(dict(Z.dask), key=k)) for k in __import__('dask').core.flatten(Z.__dask_keys__())]))(${expression})`;

describe("ta.blockwise against Dask 2022.12's da.blockwise", () => {
  const expressions: Record<string, string> = {};
  for (const c of cases) {
    expressions[c.label] = c.dask;
    if (c.graph) expressions[`${c.label}_graph`] = daskGraph(c.dask);
  }
  const python = evaluatePython(data as unknown as Record<string, nd.NDArray>, expressions);

  for (const c of cases) {
    it(`${c.label}: Dask's values, dtype and chunks${c.graph ? ", and its tasks and their inputs" : ""}`, async () => {
      const dask = python[c.label];
      assert.ok(dask.array, `Dask refused: ${dask.error}`);
      const array = c.ours();
      assert.deepEqual(array.chunks, dask.chunks, "chunks");
      assert.equal(array.dtype, dask.array.dtype, "declared dtype");
      assertSameArray(await array.compute(), dask.array, c.label);
      if (c.graph) {
        const graph = python[`${c.label}_graph`];
        assert.ok(graph.array, `Dask's graph: ${graph.error}`);
        const theirs = Array.from(graph.array.toTypedArray() as BigInt64Array, Number).sort((a, b) => a - b);
        const ours = ownTasks(array).map((task) => task.dependencies.size).sort((a, b) => a - b);
        assert.deepEqual(ours, theirs, "tasks, and the input blocks each reads");
      }
    });
  }
});

describeOnCluster("ta.blockwise (outer product, matmul by lists and by concatenation, new axes)", () => [
  ta.blockwise(outer, "ij", [lazy("v"), "i", lazy("w"), "j"]),
  ta.blockwise(dots, "ik", [lazy("A"), "ij", lazy("B"), "jk"], { dtype: "float64" }),
  ta.blockwise(nd.matmul, "ik", [lazy("A"), "ij", lazy("B"), "jk"], { concatenate: true }),
  ta.blockwise(spread, "iz", [lazy("v"), "i"], { newAxes: { z: 5 } }),
]);
