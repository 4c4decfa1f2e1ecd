// reshape, concatenate and stack (issue 12 item 2) against Dask (chunks) and NumPy (values),
// on several dtypes and chunkings.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { reshapeRechunk } from "../../src/array/reshape-chunks.js";
import { lowerArrays } from "../../src/array/lower.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

const dtypes: nd.DType[] = ["float32", "int16", "bool"];
function valuesOf(dtype: nd.DType, shape: number[], seed: number): nd.NDArray {
  const uniform = nd.random(shape, { seed });
  return dtype === "bool" ? nd.greater(uniform, 0.5) : nd.astype(nd.multiply(uniform, 1000), dtype);
}

// [input shape, input chunks (Python), new shape, Dask can do it]
const reshapes: Array<[number[], number[][], number[], boolean]> = [
  [[10, 12], [[4, 4, 2], [5, 5, 2]], [120], true],
  [[10, 12], [[4, 4, 2], [5, 5, 2]], [2, 5, 12], true],
  [[10, 12], [[3, 7], [12]], [5, 2, 3, 4], true],
  [[120], [[7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8]], [10, 12], true],
  [[4, 6, 5], [[1, 1, 1, 1], [6], [5]], [24, 5], true],
  [[4, 6, 5], [[1, 1, 1, 1], [2, 2, 2], [5]], [24, 5], true],
  [[4, 6, 5], [[2, 2], [3, 3], [5]], [4, 30], true],
  [[1, 10, 1, 12], [[1], [4, 6], [1], [6, 6]], [10, 12], true],
  [[10, 12], [[10], [12]], [3, 40], true],
  [[10, 12], [[4, 4, 2], [5, 5, 2]], [-1, 3, 4], true],
  [[10, 12], [[4, 4, 2], [5, 5, 2]], [-1, 4], false],
  [[10, 12], [[4, 4, 2], [5, 5, 2]], [12, 10], false],
  [[6, 5], [[2, 2, 2], [3, 2]], [10, 3], false],
  [[0, 5], [[0], [2, 2, 1]], [5, 0], false],
];

const pythonChunks = (chunks: number[][]): string => `(${chunks.map((c) => `(${c.join(", ")},)`).join(", ")},)`;

describe("reshape", () => {
  for (const dtype of dtypes) {
    it(`equals NumPy's values and Dask's chunks (${dtype})`, async () => {
      const data = Object.fromEntries(reshapes.map(([shape], i) => [`x${i}`, valuesOf(dtype, shape, 60 + i)]));
      const expressions: Record<string, string> = {};
      reshapes.forEach(([, chunks, newShape, dask], i) => {
        expressions[`r${i}`] = dask ? `da.from_array(x${i}, chunks=${pythonChunks(chunks)}).reshape(${JSON.stringify(newShape)})` : `x${i}.reshape(${JSON.stringify(newShape)})`;
      });
      const reference = evaluatePython(data, expressions);
      for (const [i, [shape, chunks, newShape, dask]] of reshapes.entries()) {
        const label = `[${shape}] in ${JSON.stringify(chunks)} → [${newShape}]`;
        const expected = reference[`r${i}`];
        assert.equal(expected.error, undefined, `${label}: ${expected.error}`);
        const reshaped = ta.fromArray(data[`x${i}`], { chunks }).reshape(newShape);
        assertSameArray(await reshaped.compute(), expected.array as nd.NDArray, label);
        if (dask) assert.deepEqual(reshaped.chunks, expected.chunks, `${label}: chunks`);
      }
    });
  }

  it("plans what Dask refuses through one flat axis, and Dask does refuse it", () => {
    assert.equal(reshapeRechunk([6, 5], [10, 3], [[2, 2, 2], [3, 2]]), undefined);
    const reference = evaluatePython({ x: nd.zeros([6, 5]) }, { r: "da.from_array(x, chunks=2).reshape((10, 3))" });
    assert.match(reference.r.error as string, /NotImplementedError/);
  });

  it("gives NumPy's C-order result when the input has empty chunks ([1, 1, 0, 2], as Dask allows)", async () => {
    // The plan pairs output blocks with input blocks one by one; empty ones used to shift the pairing.
    const data = nd.reshape(nd.arange(0, 4 * 6 * 9, 1, "int32"), [4, 6, 9]);
    for (const chunks of [[[1, 1, 0, 2], 3, [1, 2, 3, 2, 1]], [4, [0, 6, 0], [9, 0]]] as ta.ChunkSpec[]) {
      const x = ta.fromArray(data, { chunks });
      for (const shape of [[216], [2, 108], [24, 9], [4, 54]]) {
        assertSameArray(await x.reshape(shape).compute(), nd.reshape(data, shape), `${JSON.stringify(chunks)} → [${shape.join(", ")}]`);
      }
    }
  });

  it("takes the new shape as one list or as separate lengths, as NumPy does (x.reshape(6, 1))", async () => {
    const data = nd.reshape(nd.arange(0, 6, 1, "float64"), [3, 2]);
    const x = ta.fromArray(data, { chunks: 1 });
    assertSameArray(await x.reshape(6, 1).compute(), nd.reshape(data, [6, 1]), "reshape(6, 1)");
    assertSameArray(await x.reshape(-1, 3).compute(), nd.reshape(data, [2, 3]), "reshape(-1, 3)");
    assert.deepEqual(x.transpose(1, 0).shape, [2, 3]);
    assert.throws(() => x.reshape([6] as never, 1), /must be a list of non-negative integers/);
  });

  it("refuses shapes that do not fit, naming them", () => {
    const x = ta.zeros([10, 12], { chunks: 5 });
    assert.throws(() => x.reshape([7, -1]), (e: Error) => e instanceof InvalidOptionError && /cannot reshape an array of shape \[10, 12\] \(size 120\) into shape \[7, -1\]/.test(e.message));
    assert.throws(() => x.reshape([-1, -1]), /can only have one -1/);
    assert.throws(() => x.reshape([2.5, 48]), /must be a list of non-negative integers/);
  });
});

describe("concatenate and stack", () => {
  it("equal NumPy's values and Dask's chunks, promoting dtypes and dropping empty inputs", async () => {
    const a = valuesOf("int16", [4, 6], 71);
    const b = valuesOf("float32", [3, 6], 72);
    const c = valuesOf("bool", [5, 6], 73);
    const empty = nd.zeros([0, 6], "uint8");
    const d = valuesOf("int16", [4, 2], 74);
    const reference = evaluatePython({ a, b, c, empty, d }, {
      rows: "da.concatenate([da.from_array(a, chunks=(3, 4)), da.from_array(b, chunks=(2, 3)), da.from_array(empty, chunks=(1, 6)), da.from_array(c, chunks=(5, 5))], axis=0)",
      columns: "da.concatenate([da.from_array(a, chunks=(2, 6)), da.from_array(d, chunks=(1, 1))], axis=-1)",
      stacked: "da.stack([da.from_array(a, chunks=(3, 4)), da.from_array(a * 2, chunks=(2, 2))], axis=1)",
      single: "da.concatenate([da.from_array(a, chunks=-1)], axis=0)",
    });
    const rows = ta.concatenate([ta.fromArray(a, { chunks: [3, 4] }), ta.fromArray(b, { chunks: [2, 3] }), ta.fromArray(empty, { chunks: [1, 6] }), ta.fromArray(c, { chunks: [5, 5] })]);
    const columns = ta.concatenate([ta.fromArray(a, { chunks: [2, 6] }), ta.fromArray(d, { chunks: [1, 1] })], -1);
    const aa = ta.fromArray(a, { chunks: [3, 4] });
    const stacked = ta.stack([aa, ta.fromArray(a, { chunks: [2, 2] }).mul(2)], 1);
    const single = ta.concatenate([ta.fromArray(a, { chunks: -1 })]);
    for (const [label, lazy] of [["rows", rows], ["columns", columns], ["stacked", stacked], ["single", single]] as const) {
      const expected = reference[label];
      assertSameArray(await lazy.compute(), expected.array as nd.NDArray, label);
      assert.deepEqual(lazy.chunks, expected.chunks, `${label}: chunks`);
    }
  });

  it("reads a halo across the joined inputs (a region spanning two arrays)", async () => {
    const a = valuesOf("float32", [6, 5], 75);
    const b = valuesOf("float32", [4, 5], 76);
    const joined = ta.concatenate([ta.fromArray(a, { chunks: 3 }), ta.fromArray(b, { chunks: 2 })]);
    const whole = nd.concatenate([a, b]);
    const shifted = joined.mapOverlap((block: nd.NDArray) => nd.copy(block), { depth: 2, boundary: "periodic" });
    assertSameArray(await shifted.compute(), whole, "identity through halos");
    assertSameArray(await joined.rechunk([7, 5]).compute(), whole, "rechunk across the join");
    assertSameArray(await joined.get({ start: 4, stop: 8 }).compute(), nd.slice(whole, { start: 4, stop: 8 }), "slice across the join");
  });

  it("costs no task of its own: halos over a join need as many tasks as over one array", () => {
    const a = ta.zeros([6, 8], { chunks: [3, 4] });
    const b = ta.ones([6, 8], { chunks: [3, 4] });
    const joined = ta.concatenate([a, b]);
    const plain = ta.zeros([12, 8], { chunks: [3, 4] });
    const filter = (x: ta.Array) => x.mapOverlap((block: nd.NDArray) => nd.copy(block), { depth: 1, boundary: "nearest" });
    const tasks = (x: ta.Array) => lowerArrays([x], () => false, (node) => (node as ta.Array).blockKeys()).graph.size;
    assert.equal(tasks(filter(joined)), tasks(filter(plain)));
  });

  it("refuses what NumPy refuses, naming it", () => {
    const a = ta.zeros([4, 6], { chunks: 2 });
    assert.throws(() => ta.concatenate([a, ta.zeros([4, 5])], 0), /along dimension 1, the array at index 0 has size 6 and the array at index 1 has size 5/);
    assert.throws(() => ta.concatenate([a, ta.zeros([4])]), /same number of dimensions/);
    assert.throws(() => ta.concatenate([a], 2), /axis 2 is out of bounds for arrays of 2 axes/);
    assert.throws(() => ta.concatenate([]), /needs a non-empty list of arrays/);
    assert.throws(() => ta.concatenate([a, nd.zeros([4, 6]) as never]), /item 1 is not a tessera array/);
    assert.throws(() => ta.stack([a, ta.zeros([4, 5])]), /stack: all input arrays must have the same shape/);
    assert.throws(() => ta.stack([a], 3), /axis 3 is out of bounds for arrays of 3 axes/);
  });
});
