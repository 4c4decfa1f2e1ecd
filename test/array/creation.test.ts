// Lazy arange, linspace and the *_like functions (issue 12 item 2): NumPy's values whatever the
// chunking (Dask's own blocks restart the arithmetic and differ from NumPy in the last bits),
// Dask's chunks for *_like.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

describe("arange and linspace", () => {
  it("give NumPy's values bit for bit with regular, irregular and single chunks, where Dask's differ", async () => {
    const cases: Array<[string, ta.Array, string]> = [
      ["arange float64", ta.arange(-2.5, 3.1, 0.37, { chunks: 4 }), "np.arange(-2.5, 3.1, 0.37)"],
      ["arange float32 irregular", ta.arange(1, 50, 1.9, { chunks: [[3, 10, 1, 12]], dtype: "float32" }), "np.arange(1, 50, 1.9, dtype='float32')"],
      ["arange int16 wrapping", ta.arange(0, 100000, 7, { chunks: 5000, dtype: "int16" }), "np.arange(0, 100000, 7, dtype='int16')"],
      ["arange uint8 single chunk", ta.arange(250, 300, 3, { chunks: -1, dtype: "uint8" }), "np.arange(250, 300, 3, dtype='uint8')"],
      ["arange(stop)", ta.arange(10, { chunks: 3 }), "np.arange(10, dtype=float)"],
      ["arange descending int64", ta.arange(10, -10, -3, { chunks: 2, dtype: "int64" }), "np.arange(10, -10, -3, dtype='int64')"],
      ["linspace", ta.linspace(-3.3, 7.1, 50, { chunks: 7 }), "np.linspace(-3.3, 7.1, 50)"],
      ["linspace no endpoint float32", ta.linspace(0.1, 0.7, 9, { endpoint: false, dtype: "float32", chunks: [[2, 7]] }), "np.linspace(0.1, 0.7, 9, endpoint=False, dtype='float32')"],
      ["linspace uint8 from negatives", ta.linspace(-3, 7, 5, { dtype: "uint8", chunks: 2 }), "np.linspace(-3, 7, 5, dtype='uint8')"],
      ["linspace one sample", ta.linspace(5, -5, 1), "np.linspace(5, -5, 1)"],
      ["linspace empty", ta.linspace(0, 1, 0), "np.linspace(0, 1, 0)"],
    ];
    const reference = evaluatePython({}, {
      ...Object.fromEntries(cases.map(([, , python], i) => [`c${i}`, python])),
      daskArange: "da.arange(-2.5, 3.1, 0.37, chunks=4)",
    });
    for (const [i, [label, lazy]] of cases.entries()) assertSameArray(await lazy.compute(), reference[`c${i}`].array as nd.NDArray, label);
    const daskValues = reference.daskArange.array as nd.NDArray;
    assert.ok(difference(daskValues, reference.c0.array as nd.NDArray) > 0, "Dask's chunked arange differs from NumPy's here, tessera's does not");
  });

  it("refuse bad arguments by name", () => {
    assert.throws(() => ta.arange(0, 10, 0), (e: Error) => e instanceof InvalidOptionError && /step must not be 0/.test(e.message));
    assert.throws(() => ta.arange(0, 2 ** 52, 1), /arange: shape \[4503599627370496\] in chunks of at most \[16777216\] makes 268435456 blocks/);
    assert.throws(() => ta.arange(0, 2 ** 60, 1), /arange: shape \[1152921504606847000\] must hold non-negative integers of at most 2\^53 − 1/);
    assert.throws(() => ta.arange(1, 2, 3, 4 as never), /expected \(stop\), \(start, stop\) or \(start, stop, step\), got 4 numbers/);
    assert.throws(() => ta.arange(0, 5, { dtype: "bool" }), /a bool range is not supported/);
    assert.throws(() => ta.linspace(0, Infinity, 3), /start and stop must be finite numbers/);
    assert.throws(() => ta.linspace(0, 1, -2), /number of samples -2/);
  });
});

function difference(a: nd.NDArray, b: nd.NDArray): number {
  let count = 0;
  for (let i = 0; i < a.size; i++) if (a.data[i] !== b.data[i]) count++;
  return count;
}

describe("zerosLike, onesLike, fullLike, emptyLike", () => {
  it("take the shape, chunks and dtype of their model, as Dask's *_like", async () => {
    const model = ta.ones([5, 6], { chunks: [2, 4], dtype: "int16" });
    const eager = nd.ones([3, 4], "int16");
    const reference = evaluatePython({ eager }, {
      zeros: "da.zeros_like(da.ones((5, 6), chunks=(2, 4), dtype='int16'))",
      full: "da.full_like(da.ones((5, 6), chunks=(2, 4), dtype='int16'), 2.7)",
      ones: "da.ones_like(da.ones((5, 6), chunks=(2, 4), dtype='int16'), dtype='float32', chunks=3)",
      fullEager: "da.full_like(eager, -4)",
    });
    const cases: Array<[string, ta.Array]> = [
      ["zeros", ta.zerosLike(model)], ["full", ta.fullLike(model, 2.7)], ["ones", ta.onesLike(model, { dtype: "float32", chunks: 3 })],
      ["fullEager", ta.fullLike(eager, -4)],
    ];
    for (const [label, lazy] of cases) {
      assertSameArray(await lazy.compute(), reference[label].array as nd.NDArray, label);
      assert.deepEqual(lazy.chunks, reference[label].chunks, `${label}: chunks`);
    }
    assertSameArray(await ta.emptyLike(model).compute(), nd.zeros([5, 6], "int16"), "emptyLike gives zeros");
    assertSameArray(await ta.zerosLike(ta.zeros([0, 3])).compute(), nd.zeros([0, 3]), "zero-size model");
  });

  it("refuse values the dtype cannot hold and models that are not arrays", () => {
    const model = ta.ones([5], { dtype: "uint8" });
    assert.throws(() => ta.fullLike(model, 300), /300 is out of bounds for uint8/);
    assert.throws(() => ta.fullLike(model, NaN), /cannot store NaN in an integer dtype/);
    assert.throws(() => ta.zerosLike([1, 2] as never), /zeros_like: expected a tessera array or an NDArray/);
    assert.throws(() => ta.fullLike(model, "1" as never), /the fill value must be a number/);
  });
});

describe("creation options", () => {
  it("are refused when unknown, naming the option, instead of falling back to the defaults", () => {
    const data = nd.zeros([4, 4], "float64");
    assert.throws(() => ta.fromArray(data, { chunk: 2 } as never), (e: Error) => e instanceof InvalidOptionError && /fromArray: unknown option "chunk"; fromArray takes chunks/.test(e.message));
    assert.throws(() => ta.zeros([4, 4], { chunk: 2 } as never), /zeros: unknown option "chunk"; zeros takes chunks, dtype/);
    assert.throws(() => ta.ones([4, 4], { seed: 2 } as never), /ones: unknown option "seed"/);
    assert.throws(() => ta.fromArray(data, null as never), /fromArray: options must be an object/);
    assert.deepEqual(ta.random([4, 4], { chunks: 2, seed: 1, dtype: "float64" }).chunks, [[2, 2], [2, 2]]);
    // Dask's *_like take dtype and chunks here; a misspelt dtype must not give the model's dtype.
    const model = ta.ones([4, 4], { chunks: 2 });
    assert.throws(() => ta.zerosLike(model, { dtyp: "float32" } as never), /zeros_like: unknown option "dtyp"; zeros_like takes dtype, chunks/);
    assert.throws(() => ta.fullLike(model, 1, { shape: [2] } as never), /full_like: unknown option "shape"/);
    assert.throws(() => ta.onesLike(model, { order: "F" } as never), /ones_like: unknown option "order"/);
    assert.throws(() => ta.emptyLike(model, { chunk: 2 } as never), /empty_like: unknown option "chunk"/);
  });
});

describe("full", () => {
  it("takes the value's dtype (bool, int64 for a bigint, float64 for a number) unless given, as NumPy's full", async () => {
    const reference = evaluatePython({}, { bool: "da.full((5,), True, chunks=2)", big: "da.full((5,), 7, chunks=2)", given: "da.full((5,), 2.7, dtype='int16', chunks=2)" });
    const cases: Array<[string, ta.Array]> = [["bool", ta.full([5], true, { chunks: 2 })], ["big", ta.full([5], 7n, { chunks: 2 })], ["given", ta.full([5], 2.7, { dtype: "int16", chunks: 2 })]];
    for (const [label, lazy] of cases) {
      assertSameArray(await lazy.compute(), reference[label].array as nd.NDArray, label);
      assert.equal(lazy.dtype, (reference[label].array as nd.NDArray).dtype, `${label}: dtype`);
    }
    assert.equal(ta.full([2], 3).dtype, "float64", "a JS number is float64 (3 and 3.0 are one value)");
  });

  it("refuses, before any task, a value that is not a number, bigint or boolean or that the dtype cannot hold", () => {
    // Before: an object filled NaN and a string "3" filled 3, without a word.
    assert.throws(() => ta.full([2], { value: 3 } as never), { name: "InvalidOptionError", message: /full: the fill value must be a number, bigint or boolean, got \{"value":3\}/ });
    assert.throws(() => ta.full([2], "3" as never), /full: the fill value must be a number, bigint or boolean, got "3"/);
    assert.throws(() => ta.full([2], 300, { dtype: "uint8" }), /full: 300 is out of bounds for uint8/);
    assert.throws(() => ta.full([2], NaN, { dtype: "int32" }), /cannot store NaN in an integer dtype/);
  });
});
