// ta.reduction against Dask 2022.12's da.reduction on the same bytes, chunks and split_every:
// values and dtype (exact: small multiples of 1/4), chunks, and the tree (tasks, and the
// partials or blocks each reads, as dask.core.get_dependencies finds them). 23 blocks along
// axis 0 and uneven last chunks, splitEvery 2 and 3 (several levels), every axis form, keepdims,
// concatenate true and false, a multi-field partial (mean from { n, t }) and outputSize 2.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython, assertSameArray } from "./python-eval.js";
import { pyChunks, pyAxis, pyBool, pySplitEvery, randomArray, rngOf } from "./differential-inputs.js";
import { ownTasks } from "./own-tasks.js";
import { describeOnCluster } from "./cluster-sample.js";

const rng = rngOf(20261207);
const data = { F: randomArray(rng, "float64", [45, 23], { small: true }), I: randomArray(rng, "int32", [45, 23], { small: true }) };
const chunks = [Array.from({ length: 23 }, (_, i) => (i < 22 ? 2 : 1)), [5, 5, 5, 5, 3]];
const lazy = (name: "F" | "I") => ta.fromArray(data[name], { chunks });
const py = (name: "F" | "I") => `da.from_array(${name}, chunks=${pyChunks(chunks)})`;

type Options = { axis?: number | number[]; keepdims?: boolean; splitEvery?: number | Record<number, number> };
interface Partial { n: nd.NDArray; t: nd.NDArray }
function meanChunk(x: nd.NDArray, o: { axis: number[]; keepdims: boolean }): Partial {
  return { n: nd.sum(nd.ones(x.shape), o), t: nd.sum(x, o) };
}
function meanCombine(parts: unknown[], o: { axis: number[]; keepdims: boolean }): Partial {
  const flat = parts.flat(Infinity) as Partial[];
  let { n, t } = flat[0];
  for (const p of flat.slice(1)) [n, t] = [nd.add(n, p.n), nd.add(t, p.t)];
  return o.keepdims ? { n, t } : { n: nd.squeeze(n, o.axis), t: nd.squeeze(t, o.axis) };
}
function meanAggregate(parts: unknown[], o: { axis: number[]; keepdims: boolean }): nd.NDArray {
  const flat = parts.flat(Infinity) as Partial[];
  let { n, t } = flat[0];
  for (const p of flat.slice(1)) [n, t] = [nd.add(n, p.n), nd.add(t, p.t)];
  const mean = nd.divide(t, n);
  return o.keepdims ? mean : nd.squeeze(mean, o.axis);
}
function minMax(x: nd.NDArray, o: { axis: number[]; keepdims: boolean }): nd.NDArray {
  return nd.concatenate([nd.min(x, o), nd.max(x, o)], o.axis[0]);
}

// computing_meta: Dask runs the functions on empty meta arrays first; dict partials return the meta then, as its mean_chunk does.
/** The four corners (2 × 2) of a 2-d block: the whole array's corners only if partials are joined in their places. */
function corners(x: nd.NDArray): nd.NDArray {
  const rows = nd.take(x, [0, x.shape[0] - 1], { axis: 0 });
  return nd.take(rows, [0, rows.shape[1] - 1], { axis: 1 });
}
const pyCorners = "lambda x, axis, keepdims: x[np.ix_([0, -1], [0, -1])]";

const pyMeanChunk = "lambda x, axis, keepdims, computing_meta=False: x if computing_meta else {'n': np.sum(np.ones_like(x), axis=axis, keepdims=keepdims), 't': np.sum(x, axis=axis, keepdims=keepdims)}";
const pyFlat = "list(__import__('dask').core.flatten(p))";
const pyMeanCombine = `lambda p, axis, keepdims, computing_meta=False: p if computing_meta else (lambda f: {'n': sum(d['n'] for d in f), 't': sum(d['t'] for d in f)})(${pyFlat})`;
const pyMeanAggregate = `lambda p, axis, keepdims, computing_meta=False: p if computing_meta else (lambda f: (lambda m: m if keepdims else np.squeeze(m, axis=axis))(sum(d['t'] for d in f) / sum(d['n'] for d in f)))(${pyFlat})`;
const pyMinMax = "lambda x, axis, keepdims: np.concatenate([np.min(x, axis=axis, keepdims=keepdims), np.max(x, axis=axis, keepdims=keepdims)], axis=axis[0])";

interface Case { label: string; ours: () => ta.Array; dask: string }
const pyOptions = (o: Options) => `axis=${pyAxis(o.axis)}, keepdims=${pyBool(o.keepdims ?? false)}, split_every=${pySplitEvery(o.splitEvery ?? 16)}`;
const forms: Options[] = [
  { splitEvery: 2 }, { axis: 0, splitEvery: 3 }, { axis: 1, keepdims: true, splitEvery: 2 }, { axis: [0, 1], keepdims: true, splitEvery: 4 },
  { axis: -1, splitEvery: 3 }, { axis: [1, 0], splitEvery: { 0: 3, 1: 2 } }, { axis: 0, keepdims: true }, { axis: [], splitEvery: 2 },
];
const cases: Case[] = forms.flatMap((o, i) => [
  { label: `sum_${i}`, ours: () => ta.reduction(lazy("F"), nd.sum, nd.sum, { ...o, dtype: "float64" }), dask: `da.reduction(${py("F")}, np.sum, np.sum, dtype='f8', ${pyOptions(o)})` },
  // With no reduced axis the aggregate gets the partial itself, not a list (Dask's too): not for these lambdas.
  ...(Array.isArray(o.axis) && o.axis.length === 0 ? [] : [{ label: `mean_${i}`, ours: () => ta.reduction(lazy("F"), meanChunk, meanAggregate, { ...o, dtype: "float64", combine: meanCombine, concatenate: false }), dask: `da.reduction(${py("F")}, ${pyMeanChunk}, ${pyMeanAggregate}, combine=${pyMeanCombine}, concatenate=False, dtype='f8', ${pyOptions(o)})` }]),
]);
cases.push(
  { label: "max_int32", ours: () => ta.reduction(lazy("I"), nd.max, nd.max, { axis: 0, dtype: "int32", splitEvery: 3 }), dask: `da.reduction(${py("I")}, np.max, np.max, axis=0, dtype='i4', split_every=3)` },
  { label: "min_max_output_size", ours: () => ta.reduction(lazy("F"), minMax, minMax, { axis: 0, keepdims: true, outputSize: 2, dtype: "float64", splitEvery: 3 }), dask: `da.reduction(${py("F")}, ${pyMinMax}, ${pyMinMax}, axis=0, keepdims=True, output_size=2, dtype='f8', split_every=3)` },
  { label: "corners", ours: () => ta.reduction(lazy("F"), corners, corners, { axis: [0, 1], keepdims: true, outputSize: 2, dtype: "float64", splitEvery: { 0: 3, 1: 2 } }), dask: `da.reduction(${py("F")}, ${pyCorners}, ${pyCorners}, axis=(0, 1), keepdims=True, output_size=2, dtype='f8', split_every={0: 3, 1: 2})` },
  { label: "sum_default_split", ours: () => ta.reduction(lazy("F"), nd.sum, nd.sum, { axis: 0, dtype: "float64" }), dask: `da.reduction(${py("F")}, np.sum, np.sum, axis=0, dtype='f8', split_every=16)` },
);

/** Per task of the reduction's own layers (not the source's), its distinct dependencies. */
const daskTree = (expression: string) =>
  `(lambda R: (lambda dsk: np.array(sorted(len(__import__('dask').core.get_dependencies(dsk, key=k)) for n, layer in R.dask.layers.items() if not n.startswith('array') for k in layer)))(dict(R.dask)))(${expression})`;

/** Ours, with each join task (concatenate) folded into the call that reads it, as Dask composes them. */
function ourTree(array: ta.Array): number[] {
  const tasks = ownTasks(array);
  const joins = new Map(tasks.filter((t) => t.key.endsWith("-concatenate")).map((t) => [t.key, t.dependencies]));
  return tasks.filter((t) => !joins.has(t.key)).map((t) => new Set([...t.dependencies].flatMap((d) => [...(joins.get(d) ?? [d])])).size).sort((a, b) => a - b);
}

describe("ta.reduction against Dask 2022.12's da.reduction", () => {
  const expressions: Record<string, string> = {};
  for (const c of cases) {
    expressions[c.label] = c.dask;
    expressions[`${c.label}_tree`] = daskTree(c.dask);
  }
  const python = evaluatePython(data, expressions);
  for (const c of cases) {
    it(`${c.label}: Dask's values, dtype, chunks and tree`, async () => {
      const dask = python[c.label];
      assert.ok(dask.array, `Dask refused: ${dask.error}`);
      const array = c.ours();
      assert.deepEqual(array.chunks, dask.chunks, "chunks");
      assertSameArray(await array.compute(), dask.array, c.label);
      const tree = python[`${c.label}_tree`];
      assert.ok(tree.array, `Dask's tree: ${tree.error}`);
      assert.deepEqual(ourTree(array), Array.from(tree.array.toTypedArray() as BigInt64Array, Number).sort((a, b) => a - b), "tasks and their inputs");
    });
  }

  it("max over int32 with concatenate false and its own combine equals NumPy's max for every axis form", async () => {
    const whole = nd.max(data.I, { axis: [0], keepdims: true });
    const ours = await ta.reduction(lazy("I"), nd.max, function maxOfLists(parts: unknown[]) {
      return nd.max(nd.concatenate(parts.flat(Infinity) as nd.NDArray[], 0), { axis: [0], keepdims: true });
    }, { axis: 0, keepdims: true, dtype: "int32", concatenate: false, splitEvery: 2 }).compute();
    assertSameArray(ours, whole, "max");
  });
});

describeOnCluster("ta.reduction (sum by concatenation, mean from { n, t } partials, outputSize 2)", () => [
  ta.reduction(lazy("F"), nd.sum, nd.sum, { axis: 0, dtype: "float64", splitEvery: 3 }),
  ta.reduction(lazy("F"), meanChunk, meanAggregate, { dtype: "float64", combine: meanCombine, concatenate: false, splitEvery: 2 }),
  ta.reduction(lazy("F"), minMax, minMax, { axis: 0, keepdims: true, outputSize: 2, dtype: "float64", splitEvery: 3 }),
]);
