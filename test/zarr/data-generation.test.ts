// A node's data generation (zarr/data-generation.ts): what every region write records,
// which fromZarr's block names include, so that data changed under unchanged metadata gets
// new names. Recorded before the write's first chunk and again after its last (or its
// failure); deterministic (a job run again keeps its names, so its resumable steps resume);
// never by a write refused before it starts; deleted with the old keys when the array is
// replaced; a tessera file, never taken for a Zarr key.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import type { ComputeOptions, PersistedKeys } from "../../src/graph/executor.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import type { TaskGraph } from "../../src/graph/task-graph.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { isTesseraEntry } from "../../src/zarr/node-files.js";
import { readDataGeneration, readRegion } from "../../src/zarr/index.js";
import { makeTempDirectory } from "./python-anchor.js";

/** A LocalExecutor that records the generation on disk when the tasks are submitted, and may then fail. */
class SubmissionSpy extends LocalExecutor {
  readonly seen: Array<string | undefined> = [];
  constructor(private readonly store: string, private readonly failure?: Error) {
    super();
  }
  override async persist(graph: TaskGraph, keys: readonly string[], options?: ComputeOptions): Promise<PersistedKeys> {
    this.seen.push(await readDataGeneration({ path: this.store }));
    if (this.failure) throw this.failure;
    return super.persist(graph, keys, options);
  }
}

const ramp = (length: number, offset = 0) => ta.fromArray(new NDArray(Float64Array.from({ length }, (_, i) => offset + i), [length]), { chunks: [10] });

describe("a Zarr array's data generation", () => {
  let temp: { path: string; remove(): Promise<void> };
  let case_ = 0;
  const local = new LocalExecutor();
  before(async () => {
    temp = await makeTempDirectory("zarr-generation");
  });
  after(() => temp.remove());

  async function created(): Promise<string> {
    const store = path.join(temp.path, `case-${case_++}.zarr`);
    await ramp(40).toZarr(store, { executor: local });
    assert.equal(await readDataGeneration({ path: store }), undefined, "a toZarr that creates the array records its token, not a generation");
    return store;
  }

  it("is recorded before a region write's tasks are submitted, and renewed once they are done", async () => {
    const store = await created();
    const spy = new SubmissionSpy(store);
    await ramp(20, 100).toZarr(store, { region: [{ start: 10, stop: 30 }], executor: spy });
    const after = await readDataGeneration({ path: store });
    assert.equal(spy.seen.length, 1);
    assert.match(spy.seen[0] ?? "", /^[0-9a-f]{32}$/);
    assert.match(after ?? "", /^[0-9a-f]{32}$/);
    assert.notEqual(after, spy.seen[0]);
    assert.deepEqual([...(await readRegion({ path: store }, [10], [12])).data], [100, 101]);
    // store() is a region write too (its whole target): a new generation again.
    await ta.store([ramp(40, 7)], [store], { executor: local });
    assert.notEqual(await readDataGeneration({ path: store }), after);
  });

  it("is deterministic: the same writes from the same state give the same generation, the very last write again keeps it", async () => {
    const first = await created();
    const write = (store: string, offset: number) => ramp(20, offset).toZarr(store, { region: [{ start: 10, stop: 30 }], executor: local });
    await write(first, 100);
    const once = await readDataGeneration({ path: first });
    // The array made again as it was (its generation goes with the old keys), the same write into it.
    await ramp(40).toZarr(first, { overwrite: true, executor: local });
    await write(first, 200);
    await ramp(40).toZarr(first, { overwrite: true, executor: local });
    await write(first, 100);
    assert.equal(await readDataGeneration({ path: first }), once, "the same write from the same state");
    await write(first, 100);
    assert.equal(await readDataGeneration({ path: first }), once, "the last write again rewrites the same bytes");
    await write(first, 200);
    const other = await readDataGeneration({ path: first });
    assert.notEqual(other, once);
    await write(first, 100);
    assert.notEqual(await readDataGeneration({ path: first }), once, "A, B, A: not the state after the first A (B may have written where A did not)");
  });

  it("lets a job run twice resume its later steps: a region write, then a resumable toZarr of what it wrote", async () => {
    const source = await created();
    const output = path.join(temp.path, `case-${case_++}-out.zarr`);
    const job = async () => {
      await ramp(20, 100).toZarr(source, { region: [{ start: 10, stop: 30 }], executor: local });
      const derived = (await ta.fromZarr(source)).mul(2);
      await derived.toZarr(output, { resume: true, executor: local });
      return derived.name;
    };
    const firstName = await job();
    assert.equal(await job(), firstName, "the second run's names differ: its resume is refused");
    assert.deepEqual([...(await readRegion({ path: output }, [9], [12])).data], [18, 200, 202]);
  });

  it("is renewed when a region write fails after its tasks were submitted (chunks may have been written)", async () => {
    const store = await created();
    const spy = new SubmissionSpy(store, new Error("a task failed"));
    await assert.rejects(ramp(10).toZarr(store, { region: [{ start: 0, stop: 10 }], executor: spy }), /a task failed/);
    const after = await readDataGeneration({ path: store });
    assert.ok(spy.seen[0] !== undefined && after !== undefined);
    assert.notEqual(after, spy.seen[0]);
    // The same write, finished this time: the failed one's state was not its result.
    await ramp(10).toZarr(store, { region: [{ start: 0, stop: 10 }], executor: local });
    assert.notEqual(await readDataGeneration({ path: store }), after);
  });

  it("is not recorded by a region write refused before it starts", async () => {
    const store = await created();
    await assert.rejects(ramp(10).astype("int32").toZarr(store, { region: [{ start: 0, stop: 10 }], executor: local }), /cast it first/);
    assert.equal(await readDataGeneration({ path: store }), undefined);
    // Refused after its leases were taken: two regions of one call sharing a chunk.
    const regions = [[{ start: 0, stop: 10 }], [{ start: 5, stop: 15 }]];
    await assert.rejects(ta.store([ramp(10), ramp(10)], [store, store], { regions, safeChunks: false, executor: local }), /must not share a chunk/);
    assert.equal(await readDataGeneration({ path: store }), undefined);
  });

  it("is deleted with the old keys when the array is replaced; other files stay", async () => {
    const store = await created();
    await ramp(10).toZarr(store, { region: [{ start: 0, stop: 10 }], executor: local });
    assert.ok(existsSync(path.join(store, ".tessera-generation")));
    await writeFile(path.join(store, "notes.txt"), "mine");
    await ramp(40, 5).toZarr(store, { overwrite: true, executor: local });
    assert.equal(existsSync(path.join(store, ".tessera-generation")), false);
    assert.ok(existsSync(path.join(store, "notes.txt")));
    assert.equal(await readDataGeneration({ path: store }), undefined);
  });

  it("is tessera's own file: a directory left with only it is no one else's", async () => {
    assert.equal(isTesseraEntry(".tessera-generation"), true);
    // An array whose metadata and chunks someone removed by hand, its generation left behind.
    const store = path.join(temp.path, "leftover.zarr");
    await mkdir(store);
    await writeFile(path.join(store, ".tessera-generation"), "0123456789abcdef0123456789abcdef");
    await ramp(20).toZarr(store, { executor: local });
    assert.deepEqual([...(await readRegion({ path: store }, [0], [3])).data], [0, 1, 2]);
  });
});
