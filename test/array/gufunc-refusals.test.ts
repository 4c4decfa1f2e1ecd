// What applyGufunc, gufunc and asGufunc refuse, with Dask 2022.12's messages where Dask refuses
// the same call (checked by running Dask on it), and the refusals Dask lacks: unknown options,
// meta, closures, keyword arguments with vectorize, blocks of the wrong shape or count, unknown
// chunk sizes. Also: one task per block runs the function, however many outputs are computed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { evaluatePython } from "./python-eval.js";
import { Inputs, pyChunks } from "./differential-inputs.js";

const inputs = new Inputs();
const ramp = (shape: number[]) => nd.reshape(nd.arange(0, shape.reduce((a, b) => a * b, 1)), shape);
const c = inputs.add(ramp([8, 20]), [[4, 4], [5, 5, 5, 5]]);
const x = inputs.add(ramp([5, 4]), [[2, 2, 1], [4]]);
const y = inputs.add(ramp([6, 4]), [[2, 2, 2], [4]]);
const z = inputs.add(ramp([5, 3]), [[2, 2, 1], [3]]);
const r1 = inputs.add(ramp([30, 6]), [[7, 7, 7, 7, 2], [6]]);
const r2 = inputs.add(ramp([30, 6]), [[4, 4, 4, 4, 4, 4, 4, 2], [6]]);
const mat = inputs.add(ramp([10, 3, 4]), [[3, 3, 3, 1], [3], [4]]);

const total = function total(a: nd.NDArray) { return nd.sum(a, { axis: -1 }); };
const dotLast = function dotLast(a: nd.NDArray, b: nd.NDArray) { return nd.sum(nd.multiply(a, b), { axis: -1 }); };
const stats = function stats(a: nd.NDArray) { return [nd.mean(a, { axis: -1 }), nd.max(a, { axis: -1 })]; };
const sum = "lambda a: np.sum(a, axis=-1)";
const dot = "lambda a, b: np.sum(a * b, axis=-1)";
const pyStats = "lambda a: (np.mean(a, axis=-1), np.max(a, axis=-1))";

interface Refusal {
  label: string;
  /** The same call in Dask, when Dask refuses it too; its message must match `dask`. */
  python?: string;
  dask?: RegExp;
  call: () => unknown;
  ours: RegExp;
}

const refusals: Refusal[] = [
  { label: "multi_chunk_core", python: `da.apply_gufunc(${sum}, "(i)->()", ${c.py})`, dask: /Core dimension `'i'` consists of multiple chunks/, call: () => ta.applyGufunc(total, "(i)->()", c.lazy()), ours: /Core dimension `'i'` consists of multiple chunks\. To fix, rechunk into a single chunk along this dimension or set `allowRechunk: true`/ },
  ...["(i)->", "(i->()", "(i)(j)->()", "i->()", "(i)->()->()", "(i-j)->()", "(i)->(),", "(i)->(j),,(k)"].map((signature, k) => ({
    label: `bad_signature_${k}`, python: `da.apply_gufunc(${sum}, ${JSON.stringify(signature)}, ${x.py}, output_dtypes=float)`, dask: /Not a valid gufunc signature/,
    call: () => ta.applyGufunc(total, signature, x.lazy(), { outputDtypes: "float64" }), ours: new RegExp(`not a valid gufunc signature: ${JSON.stringify(signature).replace(/[()]/g, "\\$&")}`),
  })),
  { label: "vectorize_numpy_grammar", python: `da.apply_gufunc(${sum}, "(i,)->()", ${x.py}, vectorize=True, output_dtypes=float)`, dask: /not a valid gufunc signature/, call: () => ta.applyGufunc(total, "(i,)->()", x.lazy(), { vectorize: true }), ours: /vectorize: not a valid gufunc signature: \(i,\)->\(\)/ },
  { label: "missing_output_sizes", python: `da.apply_gufunc(lambda a: a, "(i)->(j)", ${x.py}, output_dtypes=float)`, dask: /KeyError: 'j'/, call: () => ta.applyGufunc(total, "(i)->(j)", x.lazy(), { outputDtypes: "float64" }), ours: /output core dimension 'j' is not a core dimension of any input; give its size in outputSizes/ },
  { label: "one_dtype_two_outputs", python: `da.apply_gufunc(${pyStats}, "(i)->(),()", ${x.py}, output_dtypes=float)`, dask: /'type' object is not iterable/, call: () => ta.applyGufunc(stats, "(i)->(),()", x.lazy(), { outputDtypes: "float64" }), ours: /For a function with 2 outputs, must give a tuple or list for `outputDtypes`, not a single item/ },
  { label: "three_dtypes_two_outputs", python: `da.apply_gufunc(${pyStats}, "(i)->(),()", ${x.py}, output_dtypes=(float, float, float))`, dask: /list of 2 items/, call: () => ta.applyGufunc(stats, "(i)->(),()", x.lazy(), { outputDtypes: ["float64", "float64", "float64"] }), ours: /must give a tuple or list of 2 items for `outputDtypes`, not 3/ },
  // Dask means to refuse this ("must give a single item") but its check is passed by: it reads
  // (float, float) as one float64. Two dtypes for one output are a mistake: refused.
  { label: "two_dtypes_one_output", call: () => ta.applyGufunc(total, "(i)->()", x.lazy(), { outputDtypes: ["float64", "float64"] }), ours: /For a function with one output, must give a single item for `outputDtypes`/ },
  { label: "loop_lengths", python: `da.apply_gufunc(${dot}, "(i),(i)->()", ${x.py}, ${y.py})`, dask: /Dimension `'__loopdim0__'` with different lengths in arrays/, call: () => ta.applyGufunc(dotLast, "(i),(i)->()", [x.lazy(), y.lazy()]), ours: /Dimension `'__loopdim0__'` with different lengths in arrays \(5, 6\)/ },
  { label: "core_lengths", python: `da.apply_gufunc(${dot}, "(i),(i)->()", ${x.py}, ${z.py})`, dask: /Dimension `'i'` with different lengths in arrays/, call: () => ta.applyGufunc(dotLast, "(i),(i)->()", [x.lazy(), z.lazy()]), ours: /Dimension `'i'` with different lengths in arrays \(4, 3\)/ },
  { label: "loop_chunks", python: `da.apply_gufunc(${dot}, "(i),(i)->()", ${r1.py}, ${r2.py})`, dask: /Dimension `'__loopdim0__'` with different chunksize present/, call: () => ta.applyGufunc(dotLast, "(i),(i)->()", [r1.lazy(), r2.lazy()]), ours: /Dimension `'__loopdim0__'` with different chunksize present/ },
  { label: "argument_count", python: `da.apply_gufunc(${dot}, "(i),(i)->()", ${x.py}, output_dtypes=float)`, dask: /requires 2 arguments, but 1 given/, call: () => ta.applyGufunc(dotLast, "(i),(i)->()", x.lazy(), { outputDtypes: "float64" }), ours: /According to `signature`, `func` requires 2 arguments, but 1 given/ },
  { label: "keepdims_core_output", python: `da.apply_gufunc(lambda a: a, "(i)->(i)", ${x.py}, keepdims=True)`, dask: /`keepdims` can only be used for scalar outputs/, call: () => ta.applyGufunc(total, "(i)->(i)", x.lazy(), { keepdims: true }), ours: /`keepdims` can only be used for scalar outputs/ },
  { label: "axis_and_axes", python: `da.apply_gufunc(${sum}, "(i)->()", ${x.py}, axis=0, axes=[0])`, dask: /Only one of `axis` or `axes`/, call: () => ta.applyGufunc(total, "(i)->()", x.lazy(), { axis: 0, axes: [0] }), ours: /Only one of `axis` or `axes` keyword arguments should be given/ },
  { label: "axis_two_core_dims", python: `da.apply_gufunc(np.matmul, "(m,n),(n,p)->(m,p)", ${mat.py}, ${mat.py}, axis=0)`, dask: /`axis` can be used only, if one core dimension is present/, call: () => ta.applyGufunc(nd.matmul, "(m,n),(n,p)->(m,p)", [mat.lazy(), mat.lazy()], { axis: 0 }), ours: /`axis` can be used only, if one core dimension is present/ },
  { label: "axes_count", python: `da.apply_gufunc(np.matmul, "(m,n),(n,p)->(m,p)", ${mat.py}, ${mat.py}, axes=[(0, 1), (0, 1)])`, dask: /number of `axes` entries is not equal the number of input and output arguments/, call: () => ta.applyGufunc(nd.matmul, "(m,n),(n,p)->(m,p)", [mat.lazy(), mat.lazy()], { axes: [[0, 1], [0, 1]] }), ours: /The number of `axes` entries is not equal the number of input and output arguments/ },
  { label: "axes_entry_length", python: `da.apply_gufunc(${sum}, "(i)->()", ${x.py}, axes=[(0, 1)])`, dask: /entries for argument #0 is not equal the number of respective input core dimensions/, call: () => ta.applyGufunc(total, "(i)->()", x.lazy(), { axes: [[0, 1]] }), ours: /entries for argument #0 is not equal the number of respective input core dimensions/ },
  { label: "vectorize_kwargs", python: `da.apply_gufunc(${sum}, "(i)->()", ${x.py}, vectorize=True, k=2)`, dask: /wrong number of positional arguments/, call: () => ta.applyGufunc(total, "(i)->()", x.lazy(), { vectorize: true }, { k: 2 }), ours: /with vectorize, np\.vectorize takes further keyword arguments as more vectorized arguments/ },
  { label: "dtype_inference", python: `da.apply_gufunc(lambda a: a.nonexistent(), "(i)->()", ${x.py})`, dask: /`dtype` inference failed/, call: () => ta.applyGufunc(function broken() { throw new Error("no"); }, "(i)->()", x.lazy()), ours: /`dtype` inference failed in `apply_gufunc`\. Please specify the dtype explicitly using the `outputDtypes` option\. Original error: no/ },
  { label: "as_gufunc_unknown_option", python: `da.as_gufunc("(i)->()", output_dtype=float)`, dask: /Unsupported keyword argument/, call: () => ta.asGufunc("(i)->()", { outputDtype: "float64" } as never), ours: /asGufunc: unknown option "outputDtype"/ },
  // Dask hands unknown keywords to the function (and takes meta); tessera refuses them by name.
  { label: "unknown_option", call: () => ta.applyGufunc(total, "(i)->()", x.lazy(), { outputDtype: "float64" } as never), ours: /applyGufunc: unknown option "outputDtype"; applyGufunc takes axes, axis, keepdims, outputDtypes, outputSizes, vectorize, allowRechunk/ },
  { label: "meta", call: () => ta.applyGufunc(total, "(i)->()", x.lazy(), { meta: nd.zeros([0]) } as never), ours: /meta is not taken.*give the output dtypes as outputDtypes/ },
  { label: "gufunc_meta", call: () => ta.gufunc(total, "(i)->()", { meta: nd.zeros([0]) } as never), ours: /gufunc: meta is not taken/ },
  { label: "gufunc_call_option", call: () => ta.gufunc(total, "(i)->()")(x.lazy(), { axis: 0 } as never), ours: /unknown option "axis"; gufunc\(total\) takes allowRechunk/ },
  { label: "closure", call: () => { const k = 3; return ta.applyGufunc(function closure(a: nd.NDArray) { return nd.multiply(a, k); }, "()->()", x.lazy()); }, ours: /function closure uses "k" from its surroundings/ },
  { label: "vectorize_builtin", call: () => ta.applyGufunc(nd.outer, "(i),(j)->(i,j)", [x.lazy(), x.lazy()], { vectorize: true }), ours: /the built-in "ndarray\.outer"; on chunked arrays it travels by its source/ },
  { label: "not_an_array", call: () => ta.applyGufunc(total, "(i)->()", nd.zeros([3]) as never), ours: /argument #0 must be a chunked array \(ta\.Array\); wrap an NDArray with ta\.fromArray/ },
  { label: "fn_options_unsendable", call: () => ta.applyGufunc(total, "(i)->()", x.lazy(), { outputDtypes: "float64" }, { k: x.lazy() }), ours: /applyGufunc: the function's options: .*the part at \.k is an instance of LazyArray/ },
  { label: "output_sizes_contradict_inputs", call: () => ta.applyGufunc(total, "(i)->(i)", x.lazy(), { outputSizes: { i: 3 } }), ours: /outputSizes gives core dimension 'i' size 3, but the inputs have it with size 4/ },
  { label: "output_sizes_type", call: () => ta.applyGufunc(total, "(i)->(j)", x.lazy(), { outputSizes: { j: -1 } }), ours: /outputSizes\.j must be a non-negative integer/ },
  { label: "axes_out_of_range", call: () => ta.applyGufunc(total, "(i)->()", x.lazy(), { axes: [2] }), ours: /`axes` entry 2 of argument #0 is out of bounds for an array of 2 dimensions/ },
  { label: "unknown_core_sizes", call: () => ta.applyGufunc(total, "(i)->()", x.lazy().get(x.lazy().gt(3))), ours: /has unknown chunk sizes.*call x\.computeChunkSizes\(\) first.*its core dimensions \(i\) need known sizes/ },
  { label: "unknown_loop_sizes_two_inputs", call: () => { const rows = x.lazy().get(x.lazy().get(":", 0).gt(3)); return ta.applyGufunc(dotLast, "(i),(i)->()", [rows, rows]); }, ours: /has unknown chunk sizes.*computeChunkSizes\(\) first.*with several inputs the loop dimensions are matched by their sizes/ },
  { label: "unknown_loop_sizes_moved_axes", call: () => ta.applyGufunc(total, "(i)->()", x.lazy().get(x.lazy().get(":", 0).gt(3)), { axes: [0] }), ours: /unknown chunk sizes.*computeChunkSizes\(\) first/ },
];

describe("applyGufunc refusals", () => {
  const withDask = refusals.filter((r) => r.python !== undefined);
  const dask = evaluatePython(inputs.arrays, Object.fromEntries(withDask.map((r) => [r.label, r.python as string])));
  for (const refusal of refusals) {
    it(`${refusal.label}: refused${refusal.python ? ", as Dask refuses it" : ""}`, () => {
      assert.throws(refusal.call, refusal.ours);
      if (refusal.python) assert.match(dask[refusal.label].error ?? "(Dask did not raise)", refusal.dask as RegExp);
    });
  }
});

describe("applyGufunc blocks the function gets wrong", () => {
  it("a block of the wrong shape fails its task, naming both shapes", async () => {
    const wrong = ta.applyGufunc(function keeps(a: nd.NDArray) { return a; }, "(i)->()", ta.fromArray(ramp([5, 4]), { chunks: [[2, 2, 1], [4]] }), { outputDtypes: "float64" }) as ta.Array;
    await assert.rejects(wrong.compute(), /applyGufunc\(keeps\): the function returned a block of shape \[2, 4\] for its output, where the block's loop shape and the core sizes give \[2\]/);
  });
  it("each block has the declared dtype (Dask's blocks keep the function's)", async () => {
    const declared = ta.applyGufunc(total, "(i)->()", ta.fromArray(ramp([5, 4]), { chunks: [[2, 2, 1], [4]] }), { outputDtypes: "float32" }) as ta.Array;
    const seen = declared.mapBlocks(function dtypeSeen(b: nd.NDArray) { return nd.full([...b.shape], b.dtype === "float32" ? 1 : 0); }, { dtype: "float64" });
    assert.deepEqual([...(await seen.compute()).toTypedArray()], [1, 1, 1, 1, 1]);
  });
  it("one array where the signature has two outputs fails the tasks", async () => {
    const [first] = ta.applyGufunc(total, "(i)->(),()", ta.fromArray(ramp([5, 4]), { chunks: [[2, 2, 1], [4]] }), { outputDtypes: ["float64", "float64"] }) as ta.Array[];
    await assert.rejects(first.compute(), /the signature has 2 outputs, so the function must return a list of 2 arrays, got object/);
  });
});

describe("vectorize's errors inside the tasks, as np.vectorize's", () => {
  const inner = new Inputs();
  const a = inner.add(ramp([5, 4]), [[2, 2, 1], [4]]);
  const b = inner.add(ramp([5, 1]), [[2, 2, 1], [1]]);
  const python = evaluatePython(inner.arrays, {
    inconsistent: `da.apply_gufunc(${dot}, "(i),(i)->()", ${a.py}, ${b.py}, vectorize=True, output_dtypes=float)`,
    outputs: `da.apply_gufunc(lambda v: (np.sum(v), np.sum(v)), "(i)->()", ${a.py}, vectorize=True, output_dtypes=float)`,
  });
  it("core sizes 4 and 1 (Dask lets them through to np.vectorize, which refuses them)", async () => {
    assert.match(python.inconsistent.error ?? "", /inconsistent size for core dimension 'i': 1 vs 4/);
    const lazy = ta.applyGufunc(dotLast, "(i),(i)->()", [a.lazy(), b.lazy()], { vectorize: true, outputDtypes: "float64" }) as ta.Array;
    await assert.rejects(lazy.compute(), /inconsistent size for core dimension 'i': 1 vs 4/);
  });
  it("two results for one output", async () => {
    assert.match(python.outputs.error ?? "", /wrong number of outputs from pyfunc: expected 1, got 2/);
    const lazy = ta.applyGufunc(function pair(v: nd.NDArray) { return [nd.sum(v), nd.sum(v)]; }, "(i)->()", a.lazy(), { vectorize: true, outputDtypes: "float64" }) as ta.Array;
    await assert.rejects(lazy.compute(), /wrong number of outputs from pyfunc: expected 1, got 2/);
  });
});

describe("applyGufunc's graph", () => {
  const userCalls = (arrays: ta.Array[], source: string): number => {
    const { graph } = lowerArrays(arrays, () => false, (node) => (node as ta.Array).blockKeys());
    let calls = 0;
    const count = (fn: unknown) => { if (fn !== null && typeof fn === "object" && "source" in fn && String(fn.source).includes(source)) calls++; };
    for (const task of graph.tasks.values()) {
      count(task.fn);
      if ("builtin" in task.fn && task.fn.builtin === "graph.fused") for (const step of (task.args[0] as { steps: Array<{ fn: unknown }> }).steps) count(step.fn);
    }
    return calls;
  };
  it("two outputs computed together run the function once per block (7 blocks, 7 calls)", () => {
    const x7 = ta.fromArray(ramp([20, 4]), { chunks: [[3, 3, 3, 3, 3, 3, 2], [4]] });
    const outputs = ta.applyGufunc(stats, "(i)->(),()", x7) as ta.Array[];
    assert.equal(userCalls(outputs, "function stats"), 7);
    assert.equal(userCalls([outputs[1]], "function stats"), 7);
    const single = ta.applyGufunc(total, "(i)->()", x7) as ta.Array;
    assert.equal(userCalls([single], "function total"), 7);
  });
  it(`Dask's chunks for a 2-d loop grid: ${pyChunks([[3, 3], [2, 2]])} style, one chunk per core axis`, () => {
    const grid = ta.fromArray(ramp([6, 4, 5]), { chunks: [[3, 3], [2, 2], [5]] });
    const out = ta.applyGufunc(function widen(a: nd.NDArray) { return nd.stack([a, a], -1); }, "(i)->(i,k)", grid, { outputSizes: { k: 2 } }) as ta.Array;
    assert.deepEqual(out.chunks, [[3, 3], [2, 2], [5], [2]]);
  });
});
