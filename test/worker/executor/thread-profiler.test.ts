import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mergeProfile, type ProfileNode } from "../../../src/protocol/profile-tree.js";
import { Worker } from "node:worker_threads";
import { profileToTrees } from "../../../src/worker/executor/thread-profiler.js";
import { ThreadPool } from "../../../src/worker/executor/thread-pool.js";
import { functionRefOf } from "../../../src/graph/function-travel.js";

function findFrame(node: ProfileNode, name: string): ProfileNode | undefined {
  if (node.name === name) return node;
  for (const child of Object.values(node.children)) {
    const found = findFrame(child, name);
    if (found) return found;
  }
  return undefined;
}

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
    // sample times 1_000_010, _020, …: two in filter, one between the tasks (the thread's own
    // code), three in store then one idle in store, one after every task
    samples: [3, 3, 2, 4, 4, 4, 5, 3],
    timeDeltas: [10, 10, 10, 10, 10, 10, 10, 10],
  };

  it("gives each sample to the task running at its time, grouped by prefix; idle and between-task samples dropped", () => {
    const trees = profileToTrees(profile, [
      { prefix: "filter", start: 1_000_005, stop: 1_000_025 },
      { prefix: "store", start: 1_000_035, stop: 1_000_075 },
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

describe("sampling a real compute thread", () => {
  /** Polls the pool for samples its thread sent (no event says they arrived). */
  async function samplesArrived(pool: ThreadPool, into: Map<string, ProfileNode>): Promise<void> {
    const deadline = Date.now() + 60_000; // hang guard: the idle thread flushes every cycle (100 ms)
    for (;;) {
      const entries = pool.takeProfile();
      assert.deepEqual(pool.takeProfile(), [], "taken samples are not given twice");
      for (const entry of entries) {
        const kept = into.get(entry.prefix);
        if (kept) mergeProfile(kept, entry.tree);
        else into.set(entry.prefix, entry.tree);
      }
      if (entries.length > 0) return;
      if (Date.now() > deadline) throw new Error("the compute thread sent no samples within 60 s");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it("names each task's own function under its prefix, in proportion to its work, and samples only while tasks run", async () => {
    const intervalMs = 1;
    const pool = new ThreadPool(1, [], { intervalMs, cycleMs: 100 });
    try {
      // Work counted in iterations, not in time, so that a loaded machine changes how long it
      // takes, not how much of it each kernel does: the heavy one does three times the other's.
      const heavy = functionRefOf(function spinHeavily(n: number) {
        let x = 0;
        for (let i = 0; i < 3 * n; i++) x += Math.sqrt(x + i);
        return x;
      });
      const light = functionRefOf(function spinLightly(n: number) {
        let x = 0;
        for (let i = 0; i < n; i++) x += Math.sqrt(x + i);
        return x;
      });
      const trees = new Map<string, ProfileNode>();
      let busySeconds = 0;
      const ownSamples = () => findFrame(trees.get("heavy-kernel") ?? { children: {} } as ProfileNode, "spinHeavily")?.count ?? 0;
      // Until the profile holds 100 samples of the heavy kernel's own function (at 1 ms,
      // about 0.1 s of its running); between rounds the thread idles until it flushes.
      for (let round = 0; ownSamples() < 100; round++) {
        for (const [prefix, fn] of [["heavy-kernel", heavy], ["light-kernel", light]] as const) {
          const result = await pool.run(`('${prefix}', ${round})`, fn, [2_000_000]);
          assert.ok(result.ok, JSON.stringify(result));
          busySeconds += result.stop - result.start;
        }
        await samplesArrived(pool, trees);
      }
      assert.deepEqual([...trees.keys()].sort(), ["heavy-kernel", "light-kernel"]);
      const heavyTree = trees.get("heavy-kernel") as ProfileNode;
      const lightTree = trees.get("light-kernel") as ProfileNode;
      assert.equal(findFrame(heavyTree, "spinLightly"), undefined, "the light kernel's samples are not given to the heavy one");
      assert.equal(findFrame(lightTree, "spinHeavily"), undefined, "nor the other way round");
      assert.ok(findFrame(lightTree, "spinLightly"), "the light kernel's own function is named too");
      const share = heavyTree.count / (heavyTree.count + lightTree.count);
      assert.ok(share > 0.6, `the kernel doing three quarters of the work has ${(share * 100).toFixed(0)}% of the samples`);
      // The sampler cannot take more samples than there were intervals while tasks ran;
      // idle time between rounds (up to a cycle each) would add to the count if it were sampled.
      const total = heavyTree.count + lightTree.count;
      const mostWhileBusy = (busySeconds * 1000) / intervalMs;
      assert.ok(total <= mostWhileBusy * 1.3 + 10, `${total} samples in ${(busySeconds * 1000).toFixed(0)} ms of tasks: idle time was sampled`);
    } finally {
      await pool.close();
    }
  });
});

describe("starting the profiler", () => {
  /**
   * In a thread of its own (no other profile running there, as in a compute thread): primes a
   * ThreadProfiler or not, lets V8's events arrive, runs two tasks, and reports its cold starts.
   */
  async function coldStartsInFreshThread(primed: boolean): Promise<number> {
    const moduleUrl = new URL("../../../src/worker/executor/thread-profiler.js", import.meta.url).href;
    const source = `
      const { parentPort } = require("node:worker_threads");
      import(${JSON.stringify(moduleUrl)}).then(async ({ ThreadProfiler }) => {
        // A cycle longer than the test: the idle timer never ends the keepalive here.
        const profiler = new ThreadProfiler({ intervalMs: 10, cycleMs: 600000 }, () => {});
        if (${primed}) profiler.prime();
        await new Promise((resolve) => setImmediate(resolve));
        for (let task = 0; task < 2; task++) {
          profiler.taskStarted("t");
          profiler.taskFinished();
          profiler.flush();
        }
        const coldStarts = profiler.coldStarts;
        profiler.close();
        parentPort.postMessage(coldStarts);
      });`;
    const thread = new Worker(source, { eval: true });
    try {
      return await new Promise<number>((resolve, reject) => {
        thread.once("message", resolve);
        thread.once("error", reject);
      });
    } finally {
      await thread.terminate();
    }
  }

  it("a primed thread's first task starts nothing from scratch (V8 confirmed the keepalive at start-up)", async () => {
    assert.equal(await coldStartsInFreshThread(true), 0);
    assert.equal(await coldStartsInFreshThread(false), 1, "without priming, the first task starts the profiler from nothing, the second rides on its keepalive");
  });
});
