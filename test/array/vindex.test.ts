/**
 * x.vindex(...) (src/array/vindex.ts): pointwise indexing with broadcasting, equal to Dask
 * 2022.12's x.vindex[...] in values, dtype, shape and chunks, on arrays of many blocks per
 * axis; the graph holds one block per slice task (the merge holds only the points); Dask's
 * refusals are refusals here. And Dask's Array methods that are ta functions
 * (src/array/array-methods.ts), against the same methods of Dask's arrays.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";

const volume = nd.random([23, 37, 41], { seed: 3, dtype: "float32" });
const chunks = [2, 4, 5];
const lazy = () => ta.fromArray(volume, { chunks });
const daskVolume = "da.from_array(v, chunks=(2, 4, 5))";

/** A deterministic spread of points over the volume (repeats and negative positions included). */
function points(count: number, size: number, seed: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    const p = (i * 7919 + seed * 104729) % size;
    return i % 5 === 0 ? p - size : p;
  });
}

const i0 = points(40, 23, 1);
const i1 = points(40, 37, 2);
const i2 = points(40, 41, 3);
const grid = [[3, -1, 7], [0, 22, 11]];
const py = (values: unknown): string => JSON.stringify(values);

const cases: Array<{ label: string; index: ta.VindexItem[]; python: string }> = [
  { label: "three point lists", index: [i0, i1, i2], python: `${py(i0)}, ${py(i1)}, ${py(i2)}` },
  { label: "two lists, a slice between", index: [i0, ":", i2], python: `${py(i0)}, :, ${py(i2)}` },
  { label: "one list (then two whole axes)", index: [i1.map((v) => (v + 37) % 23)], python: py(i1.map((v) => (v + 37) % 23)) },
  { label: "an integer and two lists", index: [5, i1, i2], python: `5, ${py(i1)}, ${py(i2)}` },
  { label: "a partial slice and two lists", index: [{ start: 3, stop: 19, step: 2 }, i1.map((v) => (v + 37) % 37), [4]], python: `3:19:2, ${py(i1.map((v) => (v + 37) % 37))}, [4]` },
  { label: "a 2-d list broadcast against a column", index: [grid, "...", [[0], [40]]], python: `${py(grid)}, ..., [[0], [40]]` },
  { label: "an int64 NDArray and an ellipsis", index: ["...", nd.fromTypedArray(BigInt64Array.from([1n, -2n, 30n]), [3], { dtype: "int64" })], python: "..., np.array([1, -2, 30])" },
  { label: "a 0-d index array", index: [nd.fromTypedArray(Int32Array.from([4]), [], { dtype: "int32" }), 0], python: "np.array(4, dtype=np.int32), 0" },
  { label: "no points", index: [[], [], []], python: "[], [], []" },
];

describe("x.vindex", () => {
  const python = evaluatePython({ v: volume }, Object.fromEntries(cases.map((c, i) => [`c${i}`, `${daskVolume}.vindex[${c.python}]`])));

  for (const [i, c] of cases.entries()) {
    it(`equals Dask's values, shape and chunks: ${c.label}`, async () => {
      const expected = python[`c${i}`];
      assert.equal(expected.error, undefined, `Dask raised ${expected.error}`);
      const result = lazy().vindex(...c.index);
      // Dask keeps the empty chunk a slice leaves (3:19:2 of 2-chunks); tessera drops it (README).
      assert.deepEqual(result.chunks, expected.chunks!.map((sizes) => sizes.filter((n) => n !== 0 || sizes.length === 1)), "chunks");
      assertSameArray(await result.compute(), expected.array!, c.label);
    });
  }

  it("keeps every dtype (uint8, int64, bool) and reads arrays of one block", async () => {
    const inputs = { u: nd.astype(nd.multiply(volume, 255), "uint8"), l: nd.astype(nd.multiply(volume, 1e6), "int64"), b: nd.greater(volume, 0.5) };
    const expressions = Object.fromEntries(Object.keys(inputs).map((k) => [k, `da.from_array(${k}, chunks=(23, 37, 41)).vindex[${py(i0)}, ${py(i1)}, ${py(i2)}]`]));
    const expected = evaluatePython(inputs, expressions);
    for (const [k, array] of Object.entries(inputs)) {
      assertSameArray(await ta.fromArray(array, { chunks: [23, 37, 41] }).vindex(i0, i1, i2).compute(), expected[k].array!, k);
    }
  });

  it("slices each block it touches in a task that holds that block, and merges only the points", () => {
    const result = lazy().vindex(i0, ":", i2);
    const { graph } = lowerArrays([result], () => false, (node) => (node as ta.Array).blockKeys(), Infinity);
    const slices = [...graph.tasks.values()].filter((task) => task.key.includes("-slice-"));
    const touched = new Set(i0.map((v, p) => `${Math.floor(((v + 23) % 23) / 2)},${Math.floor(((i2[p] + 41) % 41) / 5)}`)).size;
    const middleBlocks = Math.ceil(37 / 4);
    assert.equal(slices.length, touched * middleBlocks, "one slice task per touched block and block of the sliced axis");
    const merges = [...graph.tasks.values()].filter((task) => task.key.startsWith(`('${result.name}'`));
    assert.equal(merges.length, middleBlocks, "one merge per block of the sliced axis");
    // A slice task reads one block (its source block fused in, or as its one dependency); a merge slices nothing.
    const stepsOf = (task: { fn: unknown; args: unknown[] }): string[] => {
      const fused = (task.args[0] as { steps?: Array<{ fn: { builtin?: string } }> })?.steps;
      return fused ? fused.map((step) => step.fn.builtin ?? "") : [(task.fn as { builtin?: string }).builtin ?? ""];
    };
    for (const task of slices) {
      assert.ok(task.deps.length <= 1, `${task.key} reads one block`);
      assert.equal(stepsOf(task).filter((fn) => fn === "ndarray.vindexSlice").length, 1, `${task.key} slices one block`);
      assert.ok(stepsOf(task).filter((fn) => fn === "graph.identity").length <= 1, `${task.key} holds at most one source block`);
    }
    for (const task of merges) assert.ok(!stepsOf(task).includes("ndarray.vindexSlice"), `${task.key} merges only`);
  });

  it("refuses what Dask refuses, naming it", () => {
    const x = lazy();
    const refusals: Array<[() => unknown, RegExp]> = [
      [() => x.vindex(null as never, [1]), /None \(np.newaxis\)/],
      // Not Dask's (Python has no misspelt slice): a { strat: 1 } slice read as ":" before.
      [() => x.vindex({ strat: 1 } as never, [1]), /vindex index 0 slice: unknown option "strat"; vindex index 0 slice takes start, stop, step/],
      [() => x.vindex([true, false] as never), /boolean/],
      [() => x.vindex(nd.greater(nd.zeros([3]), 0)), /boolean/],
      [() => x.vindex(nd.zeros([2]), [1, 2]), /must be of integer type/],
      [() => x.vindex([1.5, 2]), /must be of integer type/],
      [() => x.vindex(ta.fromArray(nd.zeros([2], "int32"), { chunks: [1] }) as never), /lazy arrays; compute the index first/],
      [() => x.vindex([23], [0]), /out of bounds for indexing along axis 0 of size 23: 23/],
      [() => x.vindex([0], [-38]), /out of bounds for indexing along axis 1 of size 37/],
      [() => x.vindex({ start: 1 }, ":"), /at least one non-slice/],
      [() => x.vindex([0, 1], [0, 1, 2]), /could not be broadcast together with shapes \(2,\) \(3,\)/],
      [() => x.vindex([0], [0], [0], [0]), /too many indices/],
      [() => x.vindex("...", [0], "..."), /single ellipsis/],
      [() => x.vindex([[0, 1], [2]]), /ragged/],
      [() => ta.fromArray(nd.complex(volume, volume), { chunks }).vindex([0]), /complex64 is not supported; index the real and imaginary parts/],
    ];
    for (const [call, message] of refusals) assert.throws(call, (error: unknown) => error instanceof InvalidOptionError && message.test(error.message), String(message));
    assert.equal(x.vindex(":", ":", "..."), x, "whole slices give the array");
  });
});

describe("Dask's Array methods that are ta functions", () => {
  const c = nd.complex(volume, nd.multiply(volume, -2));
  const expressions: Record<string, string> = {
    cumsum: `${daskVolume}.cumsum(axis=1)`,
    cumprod: `${daskVolume}.cumprod(0)`,
    topk: `${daskVolume}.topk(3)`,
    argtopk: `${daskVolume}.argtopk(-2, axis=0)`,
    moment: `${daskVolume}.moment(3, axis=2)`,
    ravel: `${daskVolume}.ravel()`,
    flatten: `${daskVolume}.flatten()`,
    swapaxes: `${daskVolume}.swapaxes(0, 2)`,
    repeat: `${daskVolume}.repeat(2, axis=1)`,
    trace: `${daskVolume}.trace(offset=1)`,
    real: "da.from_array(c, chunks=(2, 4, 5)).real",
    imag: "da.from_array(c, chunks=(2, 4, 5)).imag",
    conj: "da.from_array(c, chunks=(2, 4, 5)).conj()",
  };
  const python = evaluatePython({ v: volume, c }, expressions);
  const x = lazy();
  const z = ta.fromArray(c, { chunks });
  const ours: Record<string, () => ta.Array> = {
    cumsum: () => x.cumsum({ axis: 1 }),
    cumprod: () => x.cumprod(0),
    topk: () => x.topk(3),
    argtopk: () => x.argtopk(-2, { axis: 0 }),
    moment: () => x.moment(3, { axis: 2 }),
    ravel: () => x.ravel(),
    flatten: () => x.flatten(),
    swapaxes: () => x.swapaxes(0, 2),
    repeat: () => x.repeat(2, 1),
    trace: () => x.trace({ offset: 1 }),
    real: () => z.real,
    imag: () => z.imag,
    conj: () => z.conj(),
  };
  for (const name of Object.keys(expressions)) {
    it(`x.${name} equals Dask's`, async () => {
      assert.equal(python[name].error, undefined, `Dask raised ${python[name].error}`);
      const result = ours[name]();
      assert.deepEqual(result.chunks, python[name].chunks, "chunks");
      // float32 sums in another order (ta.moment and ta.trace sum as their own tests state): a few float32 ulps.
      if (name !== "moment" && name !== "trace") assertSameArray(await result.compute(), python[name].array!, name);
      else {
        const [a, e] = [(await result.compute()).toArray() as number[][], python[name].array!.toArray() as number[][]];
        a.flat().forEach((v, i) => assert.ok(Math.abs(v - e.flat()[i]) <= 4e-7 * Math.max(1, Math.abs(e.flat()[i])), `${name} ${i}: ${v} vs ${e.flat()[i]}`));
      }
    });
  }

  it("itemsize, npartitions, copy and choose", async () => {
    assert.equal(x.itemsize, 4);
    assert.equal(x.npartitions, 12 * 10 * 9);
    assert.equal(x.copy(), x, "arrays are immutable: copy is the array, as in Dask");
    const pick = ta.fromArray(nd.astype(nd.multiply(volume, 2), "int64"), { chunks }).choose([x, x.neg()]);
    assertSameArray(await pick.compute(), await ta.choose(ta.fromArray(nd.astype(nd.multiply(volume, 2), "int64"), { chunks }), [x, x.neg()]).compute(), "choose");
  });
});

describeOnCluster("x.vindex over many blocks", () => [lazy().vindex(i0, i1, i2), lazy().vindex(grid, "...", [[0], [40]]), lazy().vindex(i0, ":", i2)]);
