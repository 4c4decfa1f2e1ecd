// A graph built from fromZarr and run after its source was written (changed-sources.ts):
// refused before anything runs, whether the write changed the metadata, wrote another
// computation over the array, or wrote a region of it, and whether the graph is computed,
// persisted or written; a graph whose source is unchanged runs.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import { refuseChangedSources } from "../../src/array/changed-sources.js";
import { readZarrSource } from "../../src/array/zarr-source-identity.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { makeTempDirectory } from "../zarr/python-anchor.js";

const ramp = (length: number, offset = 0) => ta.fromArray(new NDArray(Float64Array.from({ length }, (_, i) => offset + i), [length]), { chunks: [10] });

describe("a graph whose Zarr source was written after fromZarr opened it", () => {
  let temp: { path: string; remove(): Promise<void> };
  let case_ = 0;
  const executor = new LocalExecutor();
  before(async () => {
    temp = await makeTempDirectory("array-changed-sources");
  });
  after(() => temp.remove());

  async function built(): Promise<{ store: string; sum: ta.Array; doubled: ta.Array }> {
    const store = path.join(temp.path, `case-${case_++}.zarr`);
    await ramp(40).toZarr(store, { executor });
    const source = await ta.fromZarr(store);
    return { store, sum: source.sum(), doubled: source.mul(2) };
  }

  const refusal = (what: RegExp) => (error: Error) => {
    assert.equal(error.name, "ZarrArrayChangedError", String(error));
    assert.match(error.message, /was written after fromZarr opened it/);
    assert.match(error.message, what);
    assert.match(error.message, /Call fromZarr again/);
    return true;
  };

  it("runs while the source is unchanged", async () => {
    const { sum } = await built();
    assert.equal((await sum.compute({ executor })).item(), (39 * 40) / 2);
  });

  it("is refused after a region write into the source: compute, persist and toZarr", async () => {
    const { store, sum, doubled } = await built();
    await ramp(10, 100).toZarr(store, { region: [{ start: 0, stop: 10 }], executor });
    await assert.rejects(sum.compute({ executor }), refusal(/a region write changed its data/));
    await assert.rejects(sum.persist({ executor }), refusal(/a region write changed its data/));
    const output = path.join(temp.path, `case-${case_++}-out.zarr`);
    await assert.rejects(doubled.toZarr(output, { executor }), refusal(/a region write changed its data/));
    assert.equal(existsSync(output), false, "the refused toZarr created its target");
    // Opened again, the array as it is now.
    assert.equal((await (await ta.fromZarr(store)).sum().compute({ executor })).item(), (39 * 40) / 2 + 1000);
  });

  // toZarr's refusal comes before anything is written or deleted (store.ts), and before an
  // existing target's.
  it("refuses an overwrite before the old target is touched", async () => {
    const { store, doubled } = await built();
    const output = path.join(temp.path, `case-${case_++}-out.zarr`);
    await ramp(40, 500).toZarr(output, { executor });
    await ramp(10, 100).toZarr(store, { region: [{ start: 0, stop: 10 }], executor });
    await assert.rejects(doubled.toZarr(output, { overwrite: true, executor }), refusal(/a region write changed its data/));
    const kept = await (await ta.fromZarr(output)).compute({ executor });
    assert.deepEqual([...kept.data], Array.from({ length: 40 }, (_, i) => 500 + i), "the refused overwrite changed the old target");
  });

  it("is refused for its changed source before an existing target is refused", async () => {
    const { store, doubled } = await built();
    const output = path.join(temp.path, `case-${case_++}-out.zarr`);
    await ramp(40).toZarr(output, { executor });
    await ramp(10, 100).toZarr(store, { region: [{ start: 0, stop: 10 }], executor });
    await assert.rejects(doubled.toZarr(output, { executor }), refusal(/a region write changed its data/));
  });

  it("is refused after another computation of the same layout was written over the source", async () => {
    const { store, sum } = await built();
    await ramp(40, 1).toZarr(store, { overwrite: true, executor });
    await assert.rejects(sum.compute({ executor }), refusal(/another computation was written over it/));
  });

  it("is refused after the source was replaced with another layout", async () => {
    const { store, sum } = await built();
    await ta.ones([40], { chunks: [20], dtype: "int32" }).toZarr(store, { overwrite: true, executor });
    await assert.rejects(sum.compute({ executor }), refusal(/its metadata changed/));
  });

  it("reads each source's identity once, however many times and through however many fromZarr calls the graph uses it", async () => {
    const { store } = await built();
    const x = await ta.fromZarr(store);
    let graph = x;
    for (let i = 0; i < 50; i++) graph = graph.add(x);
    for (let i = 0; i < 50; i++) graph = graph.add(await ta.fromZarr(store));
    const reads: string[] = [];
    await refuseChangedSources([graph, x.mul(2)], async (ref) => {
      reads.push(ref.path);
      return readZarrSource(ref);
    });
    assert.deepEqual(reads, [store]);
    assert.equal((await graph.sum().compute({ executor })).item(), 101 * ((39 * 40) / 2));
  });

  it("with two sources, refuses naming the one that changed", async () => {
    const first = await built();
    const second = await built();
    const a = await ta.fromZarr(first.store);
    const b = await ta.fromZarr(second.store);
    const graph = a.mul(2).add(b.get({ start: 0, stop: 40 }).mul(3)).sum();
    await ramp(10, 100).toZarr(second.store, { region: [{ start: 0, stop: 10 }], executor });
    await assert.rejects(graph.compute({ executor }), (error: Error) => {
      refusal(/a region write changed its data/)(error);
      assert.ok(error.message.startsWith(`${second.store} was written after`), error.message);
      assert.ok(!error.message.includes(first.store), error.message);
      return true;
    });
  });
});
