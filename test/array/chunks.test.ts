// Chunk specifications as Dask reads them (the dict form of rechunk, null keeping an axis) and
// zero-size arrays through the lazy layer, against Dask and NumPy.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { config } from "../../src/config/index.js";
import { rechunkNode } from "../../src/array/rechunk.js";
import type { RechunkExpr } from "../../src/array/views.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

const data = nd.astype(nd.multiply(nd.random([10, 12], { seed: 21 }), 1000), "int32");

describe("rechunk", () => {
  it("takes Dask's dict form { axis: size | -1 | null | list | byte size } and keeps missing axes (issue 12 item 1)", async () => {
    const specs: Array<[ta.ChunkSpec, string]> = [
      [{ 0: 4 }, "{0: 4}"],
      [{ 1: -1 }, "{1: -1}"],
      [{ 0: [3, 7], 1: 5 }, "{0: (3, 7), 1: 5}"],
      [{ "-1": 6 }, "{-1: 6}"],
      [{ 0: null, 1: 12 }, "{0: None, 1: 12}"],
      [[null, 6], "(None, 6)"],
      [{ 0: "160B" }, "{0: '160B'}"],
      [[-1, "auto"], "(-1, 'auto')"],
    ];
    const reference = evaluatePython({ data }, Object.fromEntries(specs.map(([, python], i) => [`r${i}`, `da.from_array(data, chunks=(3, 5)).rechunk(${python})`])));
    const x = ta.fromArray(data, { chunks: [3, 5] });
    for (const [i, [spec, python]] of specs.entries()) {
      const rechunked = x.rechunk(spec);
      const expected = reference[`r${i}`];
      assert.equal(expected.error, undefined, `rechunk(${python}): ${expected.error}`);
      assert.deepEqual(rechunked.chunks, expected.chunks, `rechunk(${python}) chunks`);
      assertSameArray(await rechunked.compute(), data, `rechunk(${python}) values`);
    }
  });

  it("refuses dict keys that are not axes and sizes that are not sizes, naming them", () => {
    const x = ta.fromArray(data, { chunks: [3, 5] });
    for (const [spec, pattern] of [
      [{ 2: 4 }, /key "2" is not an axis of an array with 2 axes/],
      [{ a: 3 }, /key "a" is not an axis/],
      [{ 0: 0 }, /chunk size 0 for axis 0 must be a positive integer/],
      [{ 0: [3, 3] }, /chunks for axis 0 \[3, 3\] must be non-negative integers summing to 10/],
      [{ 0: "lots" }, /cannot parse "lots" as a byte size/],
      [{ 0: "1KiB", 1: "2KiB" }, /two different byte targets/],
      [[4], /has 1 entries; the array has 2 axes/],
    ] as Array<[ta.ChunkSpec, RegExp]>) {
      assert.throws(() => x.rechunk(spec), (error: Error) => error instanceof InvalidOptionError && pattern.test(error.message), JSON.stringify(spec));
    }
  });
});

describe("the array.chunk-size config key", () => {
  it("sets the target of \"auto\" chunks and the rechunk planner's block limit, as Dask's does", () => {
    const expressions = {
      // dask.config.set (da.core.config) without `with` stays set for the expressions after it, in order.
      set: "da.core.config.set({'array.chunk-size': '256KiB'}) and 0",
      auto: "da.ones((3000, 2000), chunks='auto')",
      autoAxis: "da.ones((3000, 2000), chunks=(-1, 'auto'))",
      rechunked: "da.ones((3000, 2000), chunks='auto').rechunk({0: 'auto', 1: 40})",
      reset: "da.core.config.set({'array.chunk-size': '128MiB'}) and 0",
    };
    const reference = evaluatePython({}, expressions);
    assert.equal(reference.set.error, undefined, reference.set.error);
    const override = config.set({ "array.chunk-size": "256KiB" });
    try {
      const x = ta.ones([3000, 2000], { chunks: "auto" });
      assert.deepEqual(x.chunks, reference.auto.chunks, "auto chunks under 256KiB");
      assert.deepEqual(ta.ones([3000, 2000], { chunks: [-1, "auto"] }).chunks, reference.autoAxis.chunks, "(-1, auto) under 256KiB");
      assert.deepEqual(x.rechunk({ 0: "auto", 1: 40 }).chunks, reference.rechunked.chunks, "rechunk auto under 256KiB");
    } finally {
      override.dispose();
    }
    // Back to the default: 128 MiB holds the whole 48 MB array in one chunk.
    assert.deepEqual(ta.ones([3000, 2000], { chunks: "auto" }).chunks, [[3000], [2000]]);
  });

  it("limits the rechunk planner's intermediate blocks (Dask's block_size_limit default)", () => {
    // (1, 200) → (200, 1) chunks of float64 is all-to-all: under 128 MiB the planner puts one
    // 200 × 200 (320 kB) chunking in between; under 100 KiB that step does not fit.
    const stepOf = (): string => {
      const rechunked = rechunkNode(ta.ones([200, 200], { chunks: [1, 200] }), [[200], Array<number>(200).fill(1)]);
      return (rechunked.expr as RechunkExpr).input.name;
    };
    assert.match(stepOf(), /^rechunk-merge-/);
    const override = config.set({ "array.chunk-size": "100KiB" });
    try {
      assert.doesNotMatch(stepOf(), /^rechunk-merge-/);
    } finally {
      override.dispose();
    }
  });
});

describe("zero-size arrays", () => {
  it("create, compute, broadcast, slice and reduce with NumPy's results and Dask's chunks", async () => {
    const empty = nd.zeros([0, 5], "float32");
    const x = ta.zeros([0, 5], { chunks: [2, 2], dtype: "float32" });
    const reference = evaluatePython({ empty }, {
      chunks: "da.zeros((0, 5), chunks=(2, 2), dtype='float32')",
      addedChunks: "da.zeros((0, 5), chunks=(2, 2), dtype='float32') + da.ones(5, chunks=2, dtype='float32')",
      added: "empty + np.ones(5, dtype='float32')",
      sum0: "empty.sum(axis=0)",
      sum: "empty.sum()",
      prod: "empty.prod()",
      mean1: "empty.mean(axis=1)",
      max: "empty.max()",
      transposed: "empty.T[1:4]",
    });
    assert.deepEqual(x.chunks, reference.chunks.chunks);
    assertSameArray(await x.compute(), reference.chunks.array as nd.NDArray, "compute");
    const added = x.add(ta.ones([5], { chunks: 2, dtype: "float32" }));
    assert.deepEqual(added.chunks, reference.addedChunks.chunks, "a zero-length axis is one empty chunk after broadcasting too");
    assertSameArray(await added.compute(), reference.added.array as nd.NDArray, "add");
    assertSameArray(await x.sum({ axis: 0 }).compute(), reference.sum0.array as nd.NDArray, "sum axis 0");
    assertSameArray(await x.sum().compute(), nd.astype(reference.sum.array as nd.NDArray, "float32"), "sum");
    assertSameArray(await x.prod().compute(), nd.astype(reference.prod.array as nd.NDArray, "float32"), "prod");
    assertSameArray(await x.mean({ axis: 1 }).compute(), reference.mean1.array as nd.NDArray, "mean axis 1");
    assertSameArray(await x.T.get({ start: 1, stop: 4 }).compute(), reference.transposed.array as nd.NDArray, "transpose and slice");
    assert.match(reference.max.error as string, /zero-size array/);
    // Refused when the graph is built, before anything runs (NumPy raises at the call too).
    assert.throws(() => x.max(), /zero-size array to reduction operation max which has no identity \(axis 0 has length 0\)/);
    assert.deepEqual((await ta.fromArray(nd.zeros([3, 0, 2])).rechunk({ 0: 1 }).compute()).shape, [3, 0, 2]);
  });
});
