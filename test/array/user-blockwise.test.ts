// ta.blockwise's refusals (each where Dask 2022.12 raises too, checked against it), options
// that Dask has and tessera refuses rather than answer wrongly, names, and dtype inference.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { evaluatePython } from "./python-eval.js";

const x = ta.fromArray(nd.reshape(nd.arange(30, { dtype: "float64" }), [5, 6]), { chunks: [2, 4] });
const y = ta.fromArray(nd.reshape(nd.arange(30, { dtype: "float64" }), [5, 6]), { chunks: [3, 2] });
const X = "da.from_array(np.arange(30.).reshape(5, 6), chunks=(2, 4))";

const refusals: Array<{ label: string; ours: () => unknown; dask?: string; message: RegExp }> = [
  { label: "repeated", ours: () => ta.blockwise(nd.add, "ii", [x, "ij"]), dask: `da.blockwise(np.add, 'ii', ${X}, 'ij')`, message: /Repeated elements not allowed in output index/ },
  { label: "unknown", ours: () => ta.blockwise(nd.add, "ik", [x, "ij"]), dask: `da.blockwise(np.add, 'ik', ${X}, 'ij')`, message: /Unknown dimension \["k"\]/ },
  { label: "ndim", ours: () => ta.blockwise(nd.add, "i", [x, "i"]), dask: `da.blockwise(np.add, 'i', ${X}, 'i')`, message: /Index string "i" does not match array dimension 2/ },
  { label: "adjust_length", ours: () => ta.blockwise(nd.add, "ij", [x, "ij"], { adjustChunks: { i: [1, 1] } }), dask: `da.blockwise(np.add, 'ij', ${X}, 'ij', adjust_chunks={'i': (1, 1)})`, message: /Dimension 0 has 3 blocks, adjust_chunks specified with 2 blocks/ },
  { label: "adjust_kind", ours: () => ta.blockwise(nd.add, "ij", [x, "ij"], { adjustChunks: { i: "x" as never } }), dask: `da.blockwise(np.add, 'ij', ${X}, 'ij', adjust_chunks={'i': 'x'})`, message: /adjust_chunks values must be callable, int, or tuple/ },
  { label: "lengths", ours: () => ta.blockwise(nd.add, "i", [x.get(0), "i", ta.ones([5], { chunks: 2 }), "i"]), dask: `da.blockwise(np.add, 'i', ${X}[0], 'i', da.ones(5, chunks=2), 'i')`, message: /do not add up to the same length/ },
  // Dask pairs differing chunks by position here (blocks of different shapes meet); refused.
  { label: "unaligned", ours: () => ta.blockwise(nd.add, "ij", [x, "ij", y.rechunk([2, 3]), "ij"], { alignArrays: false }), message: /Chunks do not align along index "j": \[4,2\] and \[3,3\].*alignArrays: true/ },
  { label: "block_counts", ours: () => ta.blockwise(nd.add, "ij", [x, "ij", y, "ij"], { alignArrays: false }), message: /Chunks do not align along index "i"/ },
  { label: "meta", ours: () => ta.blockwise(nd.add, "ij", [x, "ij"], { meta: nd.zeros([0, 0]) }), message: /meta is not supported/ },
  { label: "option", ours: () => ta.blockwise(nd.add, "ij", [x, "ij"], { new_axes: {} } as never), message: /unknown option "new_axes"/ },
  { label: "odd_args", ours: () => ta.blockwise(nd.add, "ij", [x, "ij", y]), message: /alternate arrays and index strings/ },
  { label: "not_array", ours: () => ta.blockwise(nd.add, "ij", [nd.ones([5, 6]), "ij"]), message: /argument 0 has index "ij" but is not a tessera array/ },
  { label: "new_axis_clash", ours: () => ta.blockwise(nd.add, "ij", [x, "ij"], { newAxes: { j: 3 } }), message: /newAxes names index \["j"\], which argument 0 already has/ },
  { label: "new_axis_unused", ours: () => ta.blockwise(nd.add, "ij", [x, "ij"], { newAxes: { k: 3 } }), message: /newAxes names \["k"\], which the output index "ij" lacks/ },
  { label: "adjust_negative", ours: () => ta.blockwise(nd.add, "ij", [x, "ij"], { adjustChunks: { i: (n: number) => n - 3 } }), message: /chunk sizes must be non-negative integers/ },
  { label: "concatenate_kind", ours: () => ta.blockwise(nd.add, "ij", [x, "ij"], { concatenate: "yes" as never }), message: /concatenate must be true or false/ },
  { label: "lazy_kwarg", ours: () => ta.blockwise(nd.add, "ij", [x, "ij"], {}, { other: y }), message: /fnOptions.other is a tessera array; pass it in args with an index/ },
  { label: "no_dtype", ours: () => ta.blockwise(function listing(a: nd.NDArray) { return [a]; }, "ij", [x, "ij"]), message: /returned object, not an NDArray.*pass \{ dtype \}/ },
];

describe("ta.blockwise refusals", () => {
  const python = evaluatePython({}, Object.fromEntries(refusals.filter((r) => r.dask).map((r) => [r.label, r.dask as string])));
  for (const r of refusals) {
    it(`${r.label}: refused by name${r.dask ? ", as Dask refuses it" : ""}`, () => {
      assert.throws(r.ours, (error: Error) => error instanceof InvalidOptionError && r.message.test(error.message), r.label);
      if (r.dask) assert.ok(python[r.label].error, `Dask accepted ${r.dask}`);
    });
  }
});

describe("ta.blockwise names and dtypes", () => {
  it("names the output <function>-<hash> (Dask's), token= as prefix, name= whole; the same call gives the same name", () => {
    const a = ta.blockwise(nd.add, "ij", [x, "ij", 1, null]);
    assert.match(a.name, /^add-[0-9a-f]+$/);
    assert.equal(ta.blockwise(nd.add, "ij", [x, "ij", 1, null]).name, a.name);
    assert.notEqual(ta.blockwise(nd.add, "ij", [x, "ij", 2, null]).name, a.name);
    assert.match(ta.blockwise(nd.add, "ij", [x, "ij", 1, null], { token: "plus" }).name, /^plus-[0-9a-f]+$/);
    assert.equal(ta.blockwise(nd.add, "ij", [x, "ij", 1, null], { name: "mine" }).name, "mine");
  });

  it("infers the dtype by running the function on tiny blocks, lists of them for contracted letters", async () => {
    const ints = ta.fromArray(nd.arange(10, { dtype: "int16" }), { chunks: 3 });
    assert.equal(ta.blockwise(nd.add, "i", [ints, "i", ints, "i"]).dtype, "int16");
    assert.equal(ta.blockwise(nd.sqrt, "i", [ints, "i"]).dtype, "float32");
    const total = ta.blockwise(function total(parts: nd.NDArray[]) { return nd.sum(nd.concatenate(parts)); }, "", [ints, "i"]);
    assert.equal(total.dtype, "int64");
    assert.equal((await total.compute()).item(), 45n);
  });

  it("with alignArrays false, takes arrays whose chunks already agree (a length-1 axis broadcasts)", async () => {
    const row = ta.fromArray(nd.ones([1, 6]), { chunks: [1, 4] });
    const sum = ta.blockwise(nd.add, "ij", [x, "ij", row, "ij"], { alignArrays: false });
    const expected = nd.add(await x.compute(), 1);
    assert.deepEqual(Array.from((await sum.compute()).toTypedArray() as Float64Array), Array.from(expected.toTypedArray() as Float64Array));
  });

  it("refuses arrays of unknown chunk sizes until they are computed", async () => {
    const unknown = x.get(x.gt(10));
    assert.throws(() => ta.blockwise(nd.negative, "i", [unknown, "i"]), /unknown chunk sizes; call computeChunkSizes\(\) first/);
    const known = await unknown.computeChunkSizes();
    assert.deepEqual(Array.from((await ta.blockwise(nd.negative, "i", [known, "i"]).compute()).toTypedArray() as Float64Array), Array.from({ length: 19 }, (_, i) => -(i + 11)));
  });
});

