// dask.delayed on the local executor: chains, a 64-leaf fan-in, keys (pure, impure, named),
// nout, traverse, item/attribute/method access, arithmetic, persist, and compute of several
// Delayed in one graph where a shared dependency runs once.
import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Delayed, compute, delayed, persist } from "../../src/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import type { ComputeOptions } from "../../src/graph/executor.js";
import type { TaskGraph } from "../../src/graph/task-graph.js";
import * as nd from "../../src/ndarray/index.js";

/** Counts its calls in the process (the local executor runs tasks here): self-contained, so it travels by source. */
const counted = (x: number) => {
  const scope = globalThis as unknown as { delayedCalls?: number };
  scope.delayedCalls = (scope.delayedCalls ?? 0) + 1;
  return x * 10;
};
const calls = () => (globalThis as unknown as { delayedCalls?: number }).delayedCalls ?? 0;

/** A LocalExecutor that records each graph it is handed. */
class RecordingExecutor extends LocalExecutor {
  graphs: TaskGraph[] = [];
  override compute(graph: TaskGraph, keys: readonly string[], options?: ComputeOptions): Promise<unknown[]> {
    this.graphs.push(graph);
    return super.compute(graph, keys, options);
  }
}

const inc = (x: number) => x + 1;
const add = (a: number, b: number) => a + b;

describe("delayed on the local executor", () => {
  beforeEach(() => { (globalThis as unknown as { delayedCalls?: number }).delayedCalls = 0; });

  it("runs a chain of 50 calls, each reading the one before", async () => {
    const lazyInc = delayed(inc);
    let value: Delayed = delayed(0);
    for (let i = 0; i < 50; i++) value = lazyInc(value);
    assert.ok(value instanceof Delayed);
    assert.equal(await value.compute(), 50);
    assert.equal(value.dask.size, 51, "50 calls and the wrapped 0");
  });

  it("sums 64 delayed leaves by a tree of pairwise adds (fan-in)", async () => {
    const lazyAdd = delayed(add);
    let level: Delayed[] = Array.from({ length: 64 }, (_, i) => delayed(inc)(i));
    while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => lazyAdd(level[2 * i], level[2 * i + 1]));
    assert.equal(await level[0].compute(), (64 * 65) / 2);
    assert.equal(level[0].dask.size, 64 + 63);
  });

  it("gives pure calls one key for equal inputs and impure calls a fresh key each", () => {
    const pureInc = delayed(inc, { pure: true });
    assert.equal(pureInc(1).key, pureInc(1).key);
    assert.notEqual(pureInc(1).key, pureInc(2).key);
    assert.match(pureInc(1).key, /^inc-[0-9a-f]{32}$/);
    const impure = delayed(inc);
    assert.notEqual(impure(1).key, impure(1).key);
    // Pure keys follow the arguments as they travel: a nested Delayed by its key, an NDArray by its bytes.
    const a = delayed(3, { pure: true });
    assert.equal(pureInc([a, nd.zeros([2])]).key, pureInc([delayed(3, { pure: true }), nd.zeros([2])]).key);
    assert.notEqual(pureInc(nd.zeros([2])).key, pureInc(nd.ones([2])).key);
    // Two functions of one name but different bodies are different tasks.
    const other = delayed((x: number) => x + 2, { pure: true });
    const same = delayed((x: number) => x + 1, { pure: true });
    assert.notEqual(other(1).key, same(1).key);
  });

  it("names a value's key, a function's token and a call's key", async () => {
    assert.equal(delayed(5, { name: "five" }).key, "five");
    // As Dask's delayed(f, name=): the function's name feeds the token of its pure calls.
    const named = delayed(inc, { pure: true, name: "incA" });
    assert.notEqual(named(1).key, delayed(inc, { pure: true, name: "incB" })(1).key);
    assert.equal(named(1).key, delayed(inc, { pure: true, name: "incA" })(1).key);
    const call = delayed(inc).callWith({ name: "load-1" })(41);
    assert.equal(call.key, "load-1");
    assert.equal(await call.compute(), 42);
  });

  it("unpacks nout outputs by destructuring and unpack()", async () => {
    const split = delayed((x: number) => [x, x * 2, x * 3], { nout: 3 });
    const [a, b, c] = split(2);
    assert.deepEqual(await compute(a, b, c), [2, 4, 6]);
    assert.equal(split(1).unpack().length, 3);
    const none = delayed(() => [], { nout: 0 })();
    assert.deepEqual([...none], []);
    const one = delayed((x: number) => [x], { nout: 1 });
    assert.equal(await one(7).unpack()[0].compute(), 7);
    const [p, q] = delayed((x: number) => [x, -x]).callWith({ nout: 2 })(4);
    assert.deepEqual(await compute(p, q), [4, -4]);
  });

  it("destructures the first outputs of a huge nout without making all of them (Dask's __iter__ yields them one by one)", async () => {
    const [first, second] = delayed((x: number) => [x, x + 1], { nout: 2 ** 32 - 1 })(5);
    assert.notEqual(first.key, second.key);
    await assert.rejects(compute(first, second), /declared with nout: 4294967295 but returned an array of length 2/);
  });

  it("finds Delayed inside arrays and plain objects, and only at the top level with traverse: false", async () => {
    const total = delayed((parts: { xs: number[]; y: { z: number } }) => parts.xs.reduce((s, v) => s + v, 0) + parts.y.z);
    const value = total({ xs: [delayed(1), 2, delayed(inc)(2)], y: { z: delayed(10) } });
    assert.equal(value.dependencies.length, 3);
    assert.equal(await value.compute(), 16);
    const wrapped = delayed([delayed(inc)(1), { k: delayed(5) }]);
    assert.deepEqual(await wrapped.compute(), [2, { k: 5 }]);
    const flat = delayed((a: number, xs: number[]) => a + xs.length, { traverse: false });
    const result = flat(delayed(4), [1, 2, 3]);
    assert.equal(result.dependencies.length, 1, "the top-level Delayed is a dependency");
    assert.equal(await result.compute(), 7);
  });

  it("computes several Delayed in one graph, running a shared dependency once", async () => {
    const executor = new RecordingExecutor();
    const shared = delayed(counted)(4);
    const left = delayed(inc)(shared);
    const right = delayed((x: number) => x * 2)(shared);
    assert.deepEqual(await compute(left, right, shared, { executor }), [41, 80, 40]);
    assert.equal(calls(), 1, "the shared dependency ran once");
    assert.equal(executor.graphs.length, 1, "one graph");
    // Computed one by one, each compute runs it again (as Dask).
    await left.compute({ executor });
    assert.equal(calls(), 2);
  });

  it("persists a value so later computations read it instead of running it again", async () => {
    const executor = new LocalExecutor();
    const source = delayed(counted)(1);
    const kept = await source.persist({ executor });
    assert.equal(kept.key, source.key);
    assert.equal(calls(), 1);
    assert.equal(await delayed(inc)(kept).compute({ executor }), 11);
    const [alsoKept] = await persist(kept, { executor });
    assert.equal(await (alsoKept as Delayed).compute({ executor }), 10);
    assert.equal(calls(), 1, "the persisted value was not computed again");
  });

  it("reads items, attributes and methods, and does arithmetic, as tasks", async () => {
    const record = delayed({ a: [5, 6, 7], name: "tile" });
    assert.equal(await record.get("a").get(-1).compute(), 7);
    assert.equal(await record.get("name").getattr("length").compute(), 4);
    assert.equal(await record.get("name").getattr("toUpperCase").call().compute(), "TILE");
    assert.equal(await record.get("a").getattr("indexOf").call(delayed(6)).compute(), 1);
    const block = delayed(nd.arange(6));
    assert.deepEqual(await block.getattr("shape").compute(), [6]);
    assert.equal(record.get("a").key, record.get("a").key, "item access is pure");
    const x = delayed(6);
    assert.equal(await x.add(2).mul(x).sub(1).div(4).compute(), (((6 + 2) * 6) - 1) / 4);
    const sum = await block.add(block).compute() as nd.NDArray;
    assert.deepEqual([...sum.data], [0, 2, 4, 6, 8, 10]);
  });

  it("calls built-ins and NDArray kernels as delayed functions", async () => {
    const tiles = Array.from({ length: 4 }, (_, i) => delayed(nd.full)([3], i));
    const total = delayed((...blocks: nd.NDArray[]) => blocks.reduce((s, b) => nd.add(s, b)))(...tiles);
    assert.match(tiles[0].key, /^full-/);
    assert.deepEqual([...((await total.compute()) as nd.NDArray).data], [6, 6, 6]);
  });

  it("gives back a Delayed it is handed, and wraps other values", async () => {
    const d = delayed(1);
    assert.equal(delayed(d), d);
    assert.equal(await delayed(null).compute(), null);
    assert.match(delayed("text").key, /^string-/);
    assert.match(delayed([1]).key, /^list-/);
  });

  it("gives back a delayed function it is handed, or the function with further options (not the wrapper, which cannot travel)", async () => {
    const wrapped = delayed(inc);
    assert.equal(delayed(wrapped), wrapped);
    assert.equal(await delayed(wrapped)(1).compute(), 2);
    const pure = delayed(wrapped, { pure: true });
    assert.equal(pure(1).key, pure(1).key);
    assert.notEqual(wrapped(1).key, wrapped(1).key, "the first wrapping stays impure");
    const [a, b] = delayed(delayed((x: number) => [x, -x]), { nout: 2 })(3);
    assert.deepEqual(await compute(a, b), [3, -3]);
  });
});
