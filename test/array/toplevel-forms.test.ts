// The top-level forms (asarray, asanyarray, array, rechunk, transpose, shape, ndim, rollaxis,
// toZarr) against Dask 2022.12 / NumPy 1.24: chunks, shapes, values, and refusals.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { config } from "../../src/config/index.js";
import { evaluatePython, assertSameArray } from "./python-eval.js";

const X = nd.reshape(nd.arange(24, { dtype: "float64" }), [4, 6]);
const Q = nd.reshape(nd.arange(120, { dtype: "int32" }), [2, 3, 4, 5]);

describe("asarray, asanyarray, array", () => {
  const python = evaluatePython({ X }, {
    asarray_chunks: "da.asarray(X, chunks=(3, 4))",
    asanyarray: "da.asanyarray(X)",
    array_ndmin: "da.array(da.from_array(X, chunks=2), ndmin=4)",
    array_dtype: "da.array(da.from_array(X, chunks=2), dtype='f4')",
    stacked: "da.asarray([da.from_array(X, chunks=2), da.from_array(X + 1, chunks=2)])",
    asarray_bytes: "da.asarray(X, chunks='64B')",
  });

  it("an NDArray becomes one source with the given chunks (asarray) or one block (asanyarray), as Dask's", async () => {
    for (const [label, ours] of [["asarray_chunks", ta.asarray(X, { chunks: [3, 4] })], ["asanyarray", ta.asanyarray(X)]] as const) {
      assert.deepEqual(ours.chunks, python[label].chunks, `${label} chunks`);
      assertSameArray(await ours.compute(), python[label].array as nd.NDArray, label);
    }
  });

  it("asarray takes Dask's chunk specs (a byte target here)", () => {
    assert.deepEqual(ta.asarray(X, { chunks: "64B" }).chunks, python.asarray_bytes.chunks);
  });

  it("array: ndmin adds length-1 axes in front, dtype casts", async () => {
    const base = ta.fromArray(X, { chunks: 2 });
    for (const [label, ours] of [["array_ndmin", ta.array(base, { ndmin: 4 })], ["array_dtype", ta.array(base, { dtype: "float32" })]] as const) {
      assert.deepEqual(ours.chunks, python[label].chunks, `${label} chunks`);
      assertSameArray(await ours.compute(), python[label].array as nd.NDArray, label);
    }
  });

  it("a list of lazy arrays is stacked; a lazy array comes back as it is", async () => {
    const base = ta.fromArray(X, { chunks: 2 });
    const stacked = ta.asarray([base, base.add(1)]);
    assert.deepEqual(stacked.chunks, python.stacked.chunks);
    assertSameArray(await stacked.compute(), python.stacked.array as nd.NDArray, "stacked");
    assert.equal(ta.asarray(base), base);
    assert.equal(ta.asanyarray(base), base);
    assert.equal(ta.asarray(base, { dtype: "float64" }), base);
  });

  it("casts a lazy array to a given dtype (Dask 2022.12 ignores dtype there; NumPy's asarray casts)", async () => {
    const base = ta.fromArray(X, { chunks: 2 });
    const cast = ta.asarray(base, { dtype: "int16" });
    assert.equal(cast.dtype, "int16");
    assertSameArray(await cast.compute(), nd.astype(X, "int16"), "cast");
  });

  it("nested lists and numbers become arrays as nd.array makes them (JavaScript numbers are float64)", async () => {
    assertSameArray(await ta.asarray([[1, 2], [3, 4]]).compute(), nd.array([[1, 2], [3, 4]]), "nested");
    assert.equal(ta.asarray([[1, 2]], { dtype: "uint8" }).dtype, "uint8");
    assert.deepEqual(ta.asarray(5).shape, []);
  });

  // Dask makes a string (or object) array of these, dtypes tessera does not have: refused by name.
  it("refuses values that are not numbers, bools or arrays of them", () => {
    for (const [value, message] of [
      ["abc", /cannot make an array of string/], [{ a: 1 }, /cannot make an array of an object \(Object\)/], [null, /cannot make an array of null/],
      [[ta.fromArray(X), 3], /a list mixing tessera arrays with other values/],
    ] as const) assert.throws(() => ta.asarray(value), (e: Error) => e instanceof InvalidOptionError && message.test(e.message), String(message));
    assert.throws(() => ta.asarray(X, { chunk: 3 } as never), /unknown option "chunk"/);
    assert.throws(() => ta.asanyarray(X, { chunks: 3 } as never), /unknown option "chunks"/);
    assert.throws(() => ta.array(X, { ndmin: -1 }), /ndmin must be a non-negative integer/);
  });
});

// array.chunk-size is honoured: asarray's default "auto" chunks an in-memory array to it, while
// asanyarray keeps one block whatever it says (Dask's from_array(a, chunks=a.shape)).
describe("asarray / asanyarray under array.chunk-size", () => {
  it("asarray splits to the configured target, asanyarray keeps one block, as Dask's", async () => {
    const big = nd.reshape(nd.arange(300 * 400, { dtype: "float64" }), [300, 400]);
    const reference = evaluatePython({ big }, {
      set: "da.core.config.set({'array.chunk-size': '256KiB'}) and 0",
      asarray: "da.asarray(big)",
      asanyarray: "da.asanyarray(big)",
      nested: "da.asarray(big.tolist())",
      reset: "da.core.config.set({'array.chunk-size': '128MiB'}) and 0",
    });
    assert.equal(reference.set.error, undefined, reference.set.error);
    const override = config.set({ "array.chunk-size": "256KiB" });
    try {
      const x = ta.asarray(big);
      assert.deepEqual(x.chunks, reference.asarray.chunks, "asarray auto chunks under 256KiB");
      assert.ok(x.chunks[0].length >= 2, "several blocks");
      assertSameArray(await x.compute(), reference.asarray.array as nd.NDArray, "asarray values");
      assert.deepEqual(ta.asanyarray(big).chunks, reference.asanyarray.chunks, "asanyarray one block");
      assert.deepEqual(ta.asarray(big.toArray()).chunks, reference.nested.chunks, "a nested list under 256KiB");
    } finally {
      override.dispose();
    }
    assert.deepEqual(ta.asarray(big).chunks, [[300], [400]], "128MiB default: one block");
  });
});

describe("rechunk, transpose, shape, ndim", () => {
  const x = ta.fromArray(nd.astype(Q, "float64"), { chunks: [1, 2, 3, 5] });
  it("are the methods' results", async () => {
    assert.deepEqual(ta.rechunk(x, [2, 3, 2, 5]).chunks, x.rechunk([2, 3, 2, 5]).chunks);
    assert.equal(ta.rechunk(x, [2, 3, 2, 5]).name, x.rechunk([2, 3, 2, 5]).name);
    assert.equal(ta.transpose(x).name, x.transpose().name);
    assert.deepEqual(ta.transpose(x, [1, 0, 3, 2]).shape, [3, 2, 5, 4]);
    assert.deepEqual(ta.shape(x), [2, 3, 4, 5]);
    assert.equal(ta.ndim(x), 4);
    assertSameArray(await ta.transpose(x, [3, 1, 0, 2]).compute(), nd.transpose(nd.astype(Q, "float64"), [3, 1, 0, 2]), "transpose");
  });
  it("refuse as Dask does (axes that do not match, rechunk options it does not take)", () => {
    assert.throws(() => ta.transpose(x, [1, 0]), /transpose: axes don't match array/);
    assert.throws(() => ta.rechunk(x, 2, { balance: true }), /rechunk: option "balance" is not supported/);
    assert.throws(() => ta.shape(Q as never), /expected a tessera array/);
  });
});

describe("rollaxis against NumPy's np.rollaxis", () => {
  const pairs: Array<[number, number]> = [];
  for (let axis = -4; axis < 4; axis++) for (let start = -5; start <= 5; start++) pairs.push([axis, start]);
  const python = evaluatePython({ Q }, Object.fromEntries(pairs.map(([a, s]) => [`r_${a + 4}_${s + 5}`, `np.rollaxis(Q, ${a}, ${s})`])));
  it(`every axis of a 4-d array with every start from -5 to 5 (${pairs.length} cases): NumPy's shape and values, or its refusal`, async () => {
    const x = ta.fromArray(Q, { chunks: [1, 2, 3, 2] });
    for (const [axis, start] of pairs) {
      const numpy = python[`r_${axis + 4}_${start + 5}`];
      if (numpy.error) {
        assert.match(numpy.error, /'start' arg requires -4 <= start < 5/);
        assert.throws(() => ta.rollaxis(x, axis, start), /rollaxis: 'start' arg requires -4 <= start < 5, but -?\d was passed in/);
        continue;
      }
      assertSameArray(await ta.rollaxis(x, axis, start).compute(), numpy.array as nd.NDArray, `rollaxis(${axis}, ${start})`);
    }
    assert.throws(() => ta.rollaxis(x, 4), /rollaxis/);
  });
});

describe("toZarr as a function", () => {
  it("writes what the method writes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-toplevel-"));
    try {
      const x = ta.fromArray(X, { chunks: [3, 4] });
      await ta.toZarr(x, join(dir, "a.zarr"));
      assertSameArray(await (await ta.fromZarr(join(dir, "a.zarr"))).compute(), X, "round trip");
      assert.deepEqual((await ta.fromZarr(join(dir, "a.zarr"))).chunks, [[3, 1], [4, 2]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
