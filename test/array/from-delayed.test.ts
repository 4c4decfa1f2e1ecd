// ta.fromDelayed and x.toDelayed on the local executor: the declared shape and dtype checked
// when the block is computed (Dask passes a mismatch on), NaN sizes, the block grid of
// toDelayed and its round trip, and arrays computed with Delayed in one graph.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Delayed, compute, delayed, persist } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { assertSameArray } from "./python-eval.js";

const load = (n: number, dtype: string) => nd.astype(nd.arange(n), dtype as nd.DType);
const calls = () => (globalThis as unknown as { fromDelayedCalls?: number }).fromDelayedCalls ?? 0;
const countedLoad = (n: number) => {
  const scope = globalThis as unknown as { fromDelayedCalls?: number };
  scope.fromDelayedCalls = (scope.fromDelayedCalls ?? 0) + 1;
  return nd.arange(n);
};

describe("ta.fromDelayed", () => {
  beforeEach(() => { (globalThis as unknown as { fromDelayedCalls?: number }).fromDelayedCalls = 0; });

  it("makes a one-block array of the declared shape and dtype (float64 by default)", async () => {
    const x = ta.fromDelayed(delayed(load)(12, "int16"), [12], { dtype: "int16" });
    assert.deepEqual(x.chunks, [[12]]);
    assert.equal(x.dtype, "int16");
    assertSameArray(await x.mul(2).compute(), nd.multiply(load(12, "int16"), 2), "2x");
    assert.equal(ta.fromDelayed(delayed(load)(3, "float64"), [3]).dtype, "float64");
    assert.match(ta.fromDelayed(delayed(1), [3]).name, /^from-value-[0-9a-f]{32}$/);
    assert.equal(ta.fromDelayed(delayed(1), [3], { name: "tile" }).name, "tile");
  });

  it("refuses a computed block whose shape or dtype is not the declared one, naming both", async () => {
    const wrongShape = ta.fromDelayed(delayed(load)(5, "float64"), [6]);
    await assert.rejects(wrongShape.compute(), /declared shape \[6\] and dtype float64, but the delayed value has shape \[5\] and dtype float64/);
    const wrongDtype = ta.fromDelayed(delayed(load)(6, "int32"), [6], { dtype: "float32" });
    await assert.rejects(wrongDtype.sum().compute(), /declared shape \[6\] and dtype float32, but the delayed value has shape \[6\] and dtype int32/);
    const wrongNdim = ta.fromDelayed(delayed(load)(6, "float64"), [6, 1]);
    await assert.rejects(wrongNdim.compute(), /declared shape \[6, 1\].*has shape \[6\]/);
    const notArray = ta.fromDelayed(delayed(7), [1]);
    await assert.rejects(notArray.compute(), /declared shape \[1\] and dtype float64, but the delayed value is a number \(7\)/);
  });

  it("takes NaN sizes (known once computed), as Dask allows", async () => {
    const x = ta.fromDelayed(delayed(load)(7, "float64"), [NaN]);
    assert.ok(Number.isNaN(x.shape[0]));
    assertSameArray(await x.add(1).compute(), nd.add(load(7, "float64"), 1), "x + 1");
    assert.deepEqual((await x.computeChunkSizes()).chunks, [[7]]);
    // A NaN size accepts any length; a known axis beside it is still checked.
    const y = ta.fromDelayed(delayed((n: number) => nd.zeros([n, 3])) (4), [NaN, 2]);
    await assert.rejects(y.compute(), /declared shape \[NaN, 2\].*has shape \[4, 3\]/);
  });

  it("stacks and concatenates per-tile loads into a chunked array", async () => {
    const lengths = [5, 3, 5, 2, 5];
    const tiles = lengths.map((n) => ta.fromDelayed(delayed(load)(n, "float32"), [n], { dtype: "float32" }));
    const whole = ta.concatenate(tiles);
    assert.deepEqual(whole.chunks, [lengths]);
    assertSameArray(await whole.compute(), nd.concatenate(lengths.map((n) => load(n, "float32"))), "concatenate");
    const same = Array.from({ length: 4 }, () => ta.fromDelayed(delayed(load)(6, "uint8"), [6], { dtype: "uint8" }));
    assertSameArray(await ta.stack(same, 1).compute(), nd.stack(Array.from({ length: 4 }, () => load(6, "uint8")), 1), "stack");
  });

  it("computes an array and the Delayed it reads in one graph, the Delayed once", async () => {
    const source = delayed(countedLoad)(8);
    const x = ta.fromDelayed(source, [8]);
    const [values, raw, doubled] = await compute(x.mul(3), source, source.mul(2));
    assertSameArray(values as nd.NDArray, nd.multiply(nd.arange(8), 3), "3x");
    assertSameArray(raw as nd.NDArray, nd.arange(8), "the delayed value");
    assertSameArray(doubled as nd.NDArray, nd.multiply(nd.arange(8), 2), "the delayed value doubled");
    assert.equal(calls(), 1);
  });

  it("reads a persisted Delayed without running it again", async () => {
    const executor = new LocalExecutor();
    const [kept] = await persist(delayed(countedLoad)(5), { executor });
    const x = ta.fromDelayed(kept as Delayed, [5]);
    assertSameArray(await x.compute({ executor }), nd.arange(5), "from the persisted value");
    await x.sum().compute({ executor });
    assert.equal(calls(), 1);
  });
});

describe("x.toDelayed", () => {
  it("gives one Delayed per block, nested as the block grid, each its block's values", async () => {
    const data = nd.reshape(nd.arange(11 * 7), [11, 7]);
    const x = ta.fromArray(data, { chunks: [4, 3] }).add(1);
    const blocks = x.toDelayed() as Delayed[][];
    assert.deepEqual([blocks.length, blocks[0].length], [3, 3]);
    const values = (await compute(...blocks.flat())) as nd.NDArray[];
    const offsets = [0, 4, 8, 11];
    const columns = [0, 3, 6, 7];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const expected = nd.add(nd.slice(data, { start: offsets[i], stop: offsets[i + 1] }, { start: columns[j], stop: columns[j + 1] }), 1);
        assertSameArray(values[i * 3 + j], nd.ascontiguousarray(expected), `block ${i},${j}`);
      }
    }
    assert.equal(blocks[1][2].key, `('${x.name}', 1, 2)`);
  });

  it("round-trips through delayed processing and fromDelayed back to the array's values", async () => {
    const x = ta.random([10, 9], { chunks: [4, 4], seed: 5 });
    const twice = delayed((b: nd.NDArray) => nd.multiply(b, 2), { pure: true });
    const rows = (x.toDelayed() as Delayed[][]).map((row, i) =>
      row.map((block, j) => ta.fromDelayed(twice(block), [x.chunks[0][i], x.chunks[1][j]])));
    const back = ta.block(rows);
    assert.deepEqual(back.chunks, x.chunks);
    assertSameArray(await back.compute(), await x.mul(2).compute(), "2x through delayed");
  });

  it("gives a 0-d array's one Delayed, and a persisted array's blocks", async () => {
    const total = ta.arange(10, { chunks: 3 }).sum();
    const only = total.toDelayed();
    assert.ok(only instanceof Delayed);
    assert.equal(((await only.compute()) as nd.NDArray).item(), 45);
    const executor = new LocalExecutor();
    const kept = await ta.arange(10, { chunks: 4 }).persist({ executor });
    const blocks = kept.toDelayed() as Delayed[];
    assertSameArray((await blocks[2].compute({ executor })) as nd.NDArray, nd.arange(8, 10), "the persisted last block");
  });

  it("passes a lazy array among delayed arguments as its whole value, as Dask passes a dask array", async () => {
    const data = nd.reshape(nd.arange(30), [6, 5]);
    const x = ta.fromArray(data, { chunks: [2, 2] });
    const total = delayed((a: nd.NDArray) => Number(nd.sum(a).item()));
    assert.equal(await total(x).compute(), 435);
    const shapes = delayed((parts: { a: nd.NDArray; b: nd.NDArray[] }) => [parts.a.shape, parts.b[0].shape]);
    assert.deepEqual(await shapes({ a: x, b: [x.transpose()] }).compute(), [[6, 5], [5, 6]]);
    const whole = delayed(x);
    assert.ok(whole instanceof Delayed);
    assert.equal(whole.key, delayed(x).key, "the array's own one block, not a task copying it");
    assertSameArray((await whole.compute()) as nd.NDArray, data, "delayed(x)");
    // One block of unknown size is already whole; several must have their sizes computed first (to be rechunked into one).
    const unknown = ta.fromDelayed(delayed(nd.arange)(4), [NaN]);
    assert.equal(await total(unknown).compute(), 6);
    const [spread] = ta.nonzero(ta.fromArray(nd.arange(10), { chunks: 3 }));
    assert.throws(() => total(spread), /delayed: the array \S+ has unknown chunk sizes .*call x.computeChunkSizes\(\) first.*: an array among a delayed call's arguments is its whole value/);
    assert.equal(await total(await spread.computeChunkSizes()).compute(), 45);
  });
});
