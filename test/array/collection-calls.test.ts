// ta.compute / ta.persist of several arrays: tessera's list and Dask's argument spelling give the
// same results from one graph; anything that is not a tessera array is refused by position.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";

describe("ta.compute and ta.persist of several arrays", () => {
  const x = ta.fromArray(nd.reshape(nd.arange(24), [4, 6]), { chunks: 2 });
  const a = x.sum({ axis: 0 });
  const b = x.max();

  it("take a list or Dask's arguments, with options after either", async () => {
    const listed = await ta.compute([a, b]);
    const spread = await ta.compute(a, b);
    const withOptions = await ta.compute(a, b, { retries: 0 });
    for (const result of [spread, withOptions]) {
      assert.deepEqual(result.map((r) => r.toArray()), listed.map((r) => r.toArray()));
    }
    assert.deepEqual(listed[0].toArray(), [36, 40, 44, 48, 52, 56]);
    assert.deepEqual((await ta.compute(a))[0].toArray(), listed[0].toArray());
    assert.deepEqual(await ta.compute(), []);
  });

  it("persist takes both spellings too", async () => {
    const executor = new LocalExecutor();
    const [p, q] = await ta.persist(a, b, { executor });
    assert.deepEqual((await p.compute({ executor })).toArray(), [36, 40, 44, 48, 52, 56]);
    assert.equal((await q.compute({ executor })).toArray(), 23);
    const [r] = await ta.persist([a], { executor });
    assert.deepEqual((await r.compute({ executor })).toArray(), [36, 40, 44, 48, 52, 56]);
  });

  it("refuses what is not a tessera array, by position, and a list followed by more arrays", async () => {
    await assert.rejects(() => ta.compute(a, nd.ones([2]) as never), /compute: argument 1 is not a tessera array or a Delayed \(wrap an NDArray with ta.fromArray\)/);
    await assert.rejects(() => ta.compute([a, 3 as never]), /compute: argument 1 is not a tessera array/);
    await assert.rejects(() => ta.compute([a], {}, b as never), /compute: give the arrays as one list and then the options/);
    await assert.rejects(() => ta.persist([a], "fast" as never), /persist: options must be an object, got "fast"/);
    await assert.rejects(() => ta.compute(a, { retry: 2 } as never), /retry/);
  });
});
