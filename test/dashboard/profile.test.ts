import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { addStack, emptyProfile, mergeProfile, readProfileSamples, type ProfileNode } from "../../src/protocol/profile-tree.js";
import { ProfileStore } from "../../src/scheduler/server/profile-store.js";
import { profileToTrees } from "../../src/worker/executor/thread-profiler.js";
import { ThreadPool } from "../../src/worker/executor/thread-pool.js";
import { functionRefOf } from "../../src/graph/function-travel.js";
import { sleep } from "../../src/core/clock.js";

const frame = (name: string, line = 1) => ({ name, filename: "file:///job.js", line });

function findFrame(node: ProfileNode, name: string): ProfileNode | undefined {
  if (node.name === name) return node;
  for (const child of Object.values(node.children)) {
    const found = findFrame(child, name);
    if (found) return found;
  }
  return undefined;
}

describe("profile trees", () => {
  it("count samples inclusively along each stack and merge by identifier", () => {
    const a = emptyProfile();
    addStack(a, [frame("main"), frame("filter"), frame("convolve")]);
    addStack(a, [frame("main"), frame("filter")]);
    const b = emptyProfile();
    addStack(b, [frame("main"), frame("store")], 3);
    mergeProfile(a, b);
    assert.equal(a.count, 5);
    const main = a.children["main;file:///job.js;1"];
    assert.equal(main.count, 5);
    assert.equal(main.children["filter;file:///job.js;1"].count, 2);
    assert.equal(main.children["filter;file:///job.js;1"].children["convolve;file:///job.js;1"].count, 1);
    assert.equal(main.children["store;file:///job.js;1"].count, 3);
  });

  it("refuses malformed samples from the network", () => {
    const tree = emptyProfile();
    addStack(tree, [frame("f")]);
    assert.ok(readProfileSamples({ intervalMs: 10, entries: [{ time: 1, prefix: "inc", tree }] }));
    assert.equal(readProfileSamples({ intervalMs: 10, entries: [{ time: 1, prefix: "inc", tree: { identifier: "root" } }] }), null);
    assert.equal(readProfileSamples({ intervalMs: -1, entries: [] }), null);
    let deep: ProfileNode = emptyProfile();
    for (let i = 0; i < 1100; i++) deep = { ...emptyProfile(), identifier: `f${i}`, children: { x: deep } };
    assert.equal(readProfileSamples({ intervalMs: 10, entries: [{ time: 1, prefix: "p", tree: deep }] }), null, "too deep");
  });
});

describe("attributing V8 samples to tasks", () => {
  // root → run → { filterKernel, storeKernel }; (idle) under root
  const profile = {
    nodes: [
      { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 }, children: [2, 5] },
      { id: 2, callFrame: { functionName: "run", url: "file:///w.js", lineNumber: 9 }, children: [3, 4] },
      { id: 3, callFrame: { functionName: "filterKernel", url: "file:///k.js", lineNumber: 19 } },
      { id: 4, callFrame: { functionName: "storeKernel", url: "file:///k.js", lineNumber: 39 } },
      { id: 5, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
    ],
    startTime: 1_000_000,
    // sample times 1_000_010, _020, …
    samples: [3, 3, 5, 4, 4, 4, 5, 3],
    timeDeltas: [10, 10, 10, 10, 10, 10, 10, 10],
  };

  it("gives each sample to the task running at its time, grouped by prefix, idle dropped", () => {
    const trees = profileToTrees(profile, [
      { prefix: "filter", start: 1_000_005, stop: 1_000_025 },
      { prefix: "store", start: 1_000_035, stop: 1_000_065 },
    ]);
    assert.deepEqual([...trees.keys()].sort(), ["filter", "store"]);
    const filter = trees.get("filter") as ProfileNode;
    assert.equal(filter.count, 2);
    assert.equal(findFrame(filter, "filterKernel")?.count, 2);
    assert.equal(findFrame(filter, "filterKernel")?.line, 20, "lines are 1-based");
    const store = trees.get("store") as ProfileNode;
    assert.equal(store.count, 3);
    assert.equal(findFrame(store, "run")?.count, 3);
    assert.equal(findFrame(store, "filterKernel"), undefined, "the last sample falls after every task");
  });
});

describe("the scheduler's profile store", () => {
  const tree = (name: string, n: number) => {
    const t = emptyProfile();
    addStack(t, [frame(name)], n);
    return t;
  };

  it("merges entries in a time range, by prefix and per worker", () => {
    const store = new ProfileStore();
    assert.ok(store.add("tcp://w1", { intervalMs: 5, entries: [{ time: 100, prefix: "inc", tree: tree("inc", 4) }, { time: 100, prefix: "sum", tree: tree("sum", 1) }] }));
    assert.ok(store.add("tcp://w2", { intervalMs: 5, entries: [{ time: 102, prefix: "inc", tree: tree("inc", 6) }] }));
    assert.equal(store.add("tcp://w2", { nonsense: true }), false);
    const all = store.query();
    assert.equal(all.tree.count, 11);
    assert.equal(all.intervalMs, 5);
    assert.deepEqual(all.prefixes, { inc: 10, sum: 1 });
    assert.equal(all.byWorker["tcp://w1"].count, 5);
    assert.deepEqual(all.timeline, [[100, 5], [102, 6]]);
    assert.equal(store.query({ prefix: "inc" }).tree.count, 10);
    assert.equal(store.query({ since: 101 }).tree.count, 6);
    assert.equal(store.query({ worker: "tcp://w1", prefix: "inc" }).tree.count, 4);
  });

  it("keeps a bounded number of entries", () => {
    const store = new ProfileStore(10);
    for (let i = 0; i < 40; i++) store.add("w", { intervalMs: 10, entries: [{ time: i, prefix: "p", tree: tree("f", 1) }] });
    assert.ok(store.size <= 13);
    assert.equal(store.query().timeline.at(-1)?.[0], 39, "the newest entries stay");
  });
});

describe("sampling a real compute thread", () => {
  it("finds the task's own function in the samples of its prefix, and only while tasks run", async () => {
    const pool = new ThreadPool(1, [], { intervalMs: 1, cycleMs: 100 });
    try {
      const spin = functionRefOf(function spinForMilliseconds(ms: number) {
        const end = Date.now() + ms;
        let x = 0;
        while (Date.now() < end) x += Math.sqrt(x + 1);
        return x;
      });
      const began = Date.now();
      await pool.run("('spin-kernel', 0)", spin, [300]);
      await pool.run("('other-kernel', 0)", spin, [100]);
      const busyMs = Date.now() - began;
      await sleep(600); // idle: the thread flushes on its timer; idle time must not be sampled
      const entries = pool.takeProfile();
      const byPrefix = new Map(entries.map((e) => [e.prefix, e.tree]));
      assert.deepEqual([...byPrefix.keys()].sort(), ["other-kernel", "spin-kernel"]);
      const spinTree = byPrefix.get("spin-kernel") as ProfileNode;
      const own = findFrame(spinTree, "spinForMilliseconds");
      assert.ok(own && own.count >= 100, `expected ≥ 100 samples of spinForMilliseconds at 1 ms, got ${own?.count}`);
      const total = entries.reduce((n, e) => n + e.tree.count, 0);
      assert.ok(total <= busyMs * 1.3, `${total} samples in ${busyMs} ms busy + 600 ms idle: idle time was sampled`);
      assert.ok((byPrefix.get("spin-kernel") as ProfileNode).count > (byPrefix.get("other-kernel") as ProfileNode).count);
      assert.deepEqual(pool.takeProfile(), [], "taken samples are not given twice");
    } finally {
      await pool.close();
    }
  });
});
