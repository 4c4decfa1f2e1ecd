import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { graphShape } from "../../src/graph/graph-shape.js";
import { python } from "./python.js";

interface NumpyResult { shape: number[]; dtype: string; values: number[] }

/** Runs NumPy on the same bytes (test/fixtures/array/numpy_reductions.py). */
function numpy(dir: string, data: nd.NDArray, cases: Array<{ op: string; axis?: number | number[] | null; ddof?: number; dtype?: string }>): NumpyResult[] {
  const file = join(dir, `data-${data.dtype}.bin`);
  const bytes = data.data as unknown as ArrayBufferView;
  writeFileSync(file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return JSON.parse(python("numpy_reductions.py", file, data.dtype, data.shape.join(","), JSON.stringify(cases))) as NumpyResult[];
}

function assertClose(actual: nd.NDArray, expected: NumpyResult, what: string, tolerance = 1e-12): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  expected.values.forEach((value, i) => {
    const got = Number(actual.data[i]);
    assert.ok(Math.abs(got - value) <= tolerance * Math.max(1, Math.abs(value)), `${what}: element ${i} is ${got}, NumPy says ${value}`);
  });
}

describe("tree reductions over many blocks, against NumPy", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "tessera-reductions-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // 24 blocks along axis 0 and 9 along axis 1: with splitEvery 4 a full reduction needs three
  // combining levels, so a single pass would leave partials uncombined.
  const data = nd.random([240, 60], { seed: 21 });
  const x = ta.fromArray(data, { chunks: [10, 7] });

  it("sum, mean, max, var and std equal NumPy's, over every axis choice, with several combining levels", async () => {
    const cases = [
      { op: "sum", axis: null }, { op: "sum", axis: 0 }, { op: "mean", axis: 1 }, { op: "max", axis: 0 },
      { op: "min", axis: null }, { op: "var", axis: 0, ddof: 1 }, { op: "std", axis: [0, 1] }, { op: "prod", axis: 1 },
    ];
    const expected = numpy(dir, data, cases);
    const lazy = (c: (typeof cases)[number]) => {
      const options = { axis: c.axis, splitEvery: 4, ...(c.ddof !== undefined ? { ddof: c.ddof } : {}) };
      return (x as unknown as Record<string, (o: unknown) => ta.Array>)[c.op](options);
    };
    for (const [i, c] of cases.entries()) assertClose(await lazy(c).compute(), expected[i], `${c.op} axis ${JSON.stringify(c.axis)}`);
    // Moments of a transposed block (a strided view): the var over axis 0 of x.T is NumPy's over axis 1 of x.
    const [transposedVar] = numpy(dir, data, [{ op: "var", axis: 1 }]);
    assertClose(await x.transpose().var({ axis: 0, splitEvery: 4 }).compute(), transposedVar, "var of x.T over axis 0");
    // The tree really has levels: 24 → 6 → 2 → 1 along axis 0.
    const { graph } = lowerArrays([x.sum({ axis: 0, splitEvery: 4 })], () => false, (node) => (node as ta.Array).blockKeys());
    assert.equal(graph.size, 24 * 9 + 6 * 9 + 2 * 9 + 9);
  });

  it("takes NumPy's dtype for sum and prod (uint8 wraps), and a float dtype for mean", async () => {
    const bytes = nd.astype(nd.multiply(nd.random([300, 8], { seed: 5 }), 255), "uint8");
    const cases = [{ op: "sum", axis: null, dtype: "uint8" }, { op: "sum", axis: 0, dtype: "int16" }, { op: "prod", axis: 1, dtype: "uint8" }, { op: "mean", axis: 0, dtype: "float32" }, { op: "sum", axis: 0 }];
    const expected = numpy(dir, bytes, cases);
    const y = ta.fromArray(bytes, { chunks: [13, 3] });
    assertClose(await y.sum({ dtype: "uint8", splitEvery: 3 }).compute(), expected[0], "sum uint8");
    assertClose(await y.sum({ axis: 0, dtype: "int16" }).compute(), expected[1], "sum int16");
    assertClose(await y.prod({ axis: 1, dtype: "uint8" }).compute(), expected[2], "prod uint8");
    assertClose(await y.mean({ axis: 0, dtype: "float32" }).compute(), expected[3], "mean float32", 1e-6);
    assertClose(await y.sum({ axis: 0 }).compute(), expected[4], "sum (uint64 accumulator)");
  });

  it("refuses options it does not act on, naming them", () => {
    assert.throws(() => x.max({ dtype: "float32" } as never), /max: unknown option "dtype"; max takes axis, keepdims, splitEvery/);
    assert.throws(() => x.sum({ ddof: 1 }), /sum: unknown option "ddof"/);
    assert.throws(() => x.sum({ split_every: 4 } as never), /unknown option "split_every" \(spelled splitEvery here\)/);
    assert.throws(() => x.sum({ out: null, where: true } as never), /unknown option "out"/);
    assert.throws(() => x.mean({ dtype: "int32" }), /mean: dtype must be float32 or float64, got int32/);
    assert.throws(() => x.sum({ dtype: "complex256" }), /sum: dtype: unknown dtype "complex256"/);
    assert.throws(() => nd.max(data, { axis: 0, dtype: "float32" } as never), /max: unknown option "dtype"/);
  });

  it("reads splitEvery as Dask's split_every and refuses bad values by name", () => {
    const volume = ta.ones([64, 64, 64], { chunks: 4 });
    const fanIn = (array: ta.Array) => graphShape(lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys()).graph).maxFanIn;
    assert.equal(fanIn(volume.sum()), 8, "16 over three axes: ⌊16^(1/3)⌋ = 2 per axis");
    assert.equal(fanIn(volume.sum({ axis: 0 })), 16, "16 along one axis");
    assert.equal(fanIn(volume.sum({ axis: [0, 1], splitEvery: 64 })), 64, "64 over two axes: 8 × 8");
    assert.equal(fanIn(volume.sum({ axis: [0, 2], splitEvery: { 0: 16 } })), 32, "a reduced axis left out combines 2 at a time");
    assert.equal(fanIn(volume.max({ axis: -1, splitEvery: { [-1]: 3 } })), 3, "negative axes count from the end");
    assert.throws(() => volume.sum({ splitEvery: 1 }), /sum: splitEvery must be an integer ≥ 2 \(partials combined per task\), got 1/);
    assert.throws(() => volume.sum({ splitEvery: 2.5 }), /splitEvery must be an integer ≥ 2.*got 2\.5/);
    assert.throws(() => volume.sum({ splitEvery: "4" } as never), /splitEvery must be an integer ≥ 2 or an object/);
    assert.throws(() => volume.sum({ splitEvery: { 3: 4 } }), /splitEvery names axis 3, which does not exist \(the array has 3 axes\)/);
    assert.throws(() => volume.sum({ axis: 0, splitEvery: { 1: 4 } }), /splitEvery names axis 1, which this reduction does not reduce/);
    assert.throws(() => volume.sum({ splitEvery: { 0: 1 } }), /splitEvery for axis 0 must be an integer ≥ 2/);
    assert.throws(() => volume.sum({ axis: 3 }), /sum: axis 3 is out of bounds for an array of 3 axes/);
    assert.throws(() => volume.mean({ axis: [0, -4] }), /mean: axis -4 is out of bounds/);
    // np.sum(x, axis=(0, -3)) and Dask's: ValueError: duplicate value in 'axis'.
    assert.throws(() => volume.sum({ axis: [0, -3] }), /sum: duplicate value in axis \[0,-3\]/);
    assert.throws(() => ta.nanmean(volume, { axis: [1, 1] }), /nanmean: duplicate value in axis/);
    assert.throws(() => volume.max({ axis: 1.5 }), /max: axis must be an integer, got 1.5/);
  });
});

describe("reductions: NumPy's corners found by the differential test (reduction-differential.test.ts)", () => {
  it("refuses min / max / arg reductions over an empty axis when the graph is built, even where the result is empty", () => {
    const empty = ta.zeros([0, 0, 52], { chunks: [[0], [0], [2, 50]] });
    assert.throws(() => empty.max({ axis: 1 }), { name: "InvalidOptionError", message: /max: zero-size array .*\(axis 1 has length 0\)/ });
    assert.throws(() => ta.nanmin(empty, { axis: [2, 0] }), /nanmin: zero-size array/);
    assert.throws(() => empty.argmax({ axis: 0 }), /argmax: zero-size array/);
    assert.deepEqual(empty.max({ axis: 2 }).shape, [0, 0]);
    assert.deepEqual(empty.sum({ axis: 1 }).shape, [0, 52]);
  });

  it("nanvar / nanstd of integers are var / std as NumPy's: inf where n − ddof = 0 and the deviations are not all 0", async () => {
    const ints = ta.fromArray(nd.fromTypedArray(new Uint8Array([3, 5, 4, 4]), [2, 2], { dtype: "uint8" }), { chunks: [1, 2] });
    const [nanvar, nanstd, floats] = await ta.compute([
      ta.nanvar(ints, { axis: 0, ddof: 2 }), ta.nanstd(ints, { axis: 0, ddof: 2 }), ta.nanvar(ints.astype("float64"), { axis: 0, ddof: 2 }),
    ]);
    // np.nanvar(np.array([[3, 5], [4, 4]], np.uint8), axis=0, ddof=2) → [inf, inf]; float input → [nan, nan].
    assert.deepEqual([...nanvar.toTypedArray()], [Infinity, Infinity]);
    assert.deepEqual([...nanstd.toTypedArray()], [Infinity, Infinity]);
    assert.deepEqual([...floats.toTypedArray()].map(Number.isNaN), [true, true]);
  });

  it("combines 8 or more float partials in NumPy's pairwise order, as Dask's np.sum over them (a left-to-right fold loses the ones)", async () => {
    const values = nd.fromTypedArray(new Float64Array([1e16, 1, 1, 1, 1, 1, 1, 1]), [8]);
    const grid = nd.reshape(nd.concatenate([values, values]), [4, 4]);
    const [sum, nansum, sum2d] = await ta.compute([
      ta.fromArray(values, { chunks: [1] }).sum({ splitEvery: 8 }),
      ta.nansum(ta.fromArray(values, { chunks: [1] }), { splitEvery: 8 }),
      ta.fromArray(grid, { chunks: [1, 1] }).sum({ splitEvery: 16 }),
    ]);
    // da.from_array(v, chunks=1).sum(split_every=8) and np.sum(v): 1e16 + 6; folding the partials gives 1e16.
    assert.equal(sum.item(), 1e16 + 6);
    assert.equal(nansum.item(), 1e16 + 6);
    assert.equal(sum2d.item(), 2e16 + 12);
  });

  it("nanmin / nanmax combine the partials laid out as Dask's np.nanmax over them, so a zero's sign is Dask's", async () => {
    const zeros = ta.fromArray(nd.fromTypedArray(new Float64Array([0, -0, -0, 0]), [2, 2]), { chunks: [1, 2] });
    const [nanmax, nanmin] = await ta.compute([ta.nanmax(zeros, { axis: 0 }), ta.nanmin(zeros, { axis: 0 })]);
    // np.nanmax([[0., -0.], [-0., 0.]], axis=0) → [-0., 0.], and Dask's np.nanmax over its per-block partials; nanmin likewise.
    assert.deepEqual([...nanmax.toTypedArray()].map((v) => Object.is(v, -0)), [true, false]);
    assert.deepEqual([...nanmin.toTypedArray()].map((v) => Object.is(v, -0)), [true, false]);
    // da.nanmax(da.from_array(np.array([0., -0.]), chunks=1)) → 0. (fmax.reduce keeps the first).
    const flat = await ta.nanmax(ta.fromArray(nd.fromTypedArray(new Float64Array([0, -0])), { chunks: [1] })).compute();
    assert.ok(Object.is(flat.item(), 0));
  });
});

