import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigStore } from "../../../src/config/index.js";
import { memoryOptionsFromConfig, resolveMemoryPolicy, type MemoryPolicy } from "../../../src/worker/memory/memory-policy.js";
import { CollectionBudget } from "../../../src/worker/memory/collection-budget.js";
import { MemoryMonitor } from "../../../src/worker/memory/memory-monitor.js";
import { createLogger } from "../../../src/core/log.js";
import { FakeWorker } from "./fake-memory-host.js";

const MiB = 2 ** 20;
const defaults = memoryOptionsFromConfig(new ConfigStore({ env: {}, homeDirectory: "/nonexistent", systemDirectory: "/nonexistent" }));
/** 1000 MiB limit: target 600, spill 700, pause 800 MiB. */
const policyOf = (overrides: Partial<MemoryPolicy> = {}): MemoryPolicy => ({ ...resolveMemoryPolicy(1000 * MiB, {}, defaults), ...overrides });
const quiet = createLogger("test-collection-budget");

/** A fake clock, and collections that take `costMs` of it. */
function fakeClock() {
  const clock = { now: 0, costMs: 40 };
  return { clock, now: () => clock.now, collect: () => { clock.now += clock.costMs; } };
}

describe("CollectionBudget (Dask's ThrottledGC)", () => {
  it("runs collections requested back to back only while they take under 5% of the time", () => {
    const { clock, now, collect } = fakeClock();
    const budget = new CollectionBudget(now);
    let ran = 0;
    let collectingMs = 0;
    for (; clock.now < 10_000; clock.now += 10) {
      const before = clock.now;
      if (budget.collectIfDue(collect)) {
        ran++;
        collectingMs += clock.now - before;
      }
    }
    // A 40 ms collection waits until 5% of the time since it started exceeds 40 ms: 800 ms.
    assert.ok(collectingMs <= 0.05 * 10_000 + clock.costMs, `collections took ${collectingMs} ms of 10 s`);
    assert.ok(ran >= 10 && ran <= 13, `${ran} of ~1000 requests ran`);
  });

  it("holds cheap collections to the gap: a small heap's collect every 200 ms, as before", () => {
    const { clock, now, collect } = fakeClock();
    clock.costMs = 1;
    const budget = new CollectionBudget(now);
    let ran = 0;
    for (; clock.now < 10_000; clock.now += 10) if (budget.collectIfDue(collect)) ran++;
    assert.ok(ran >= 45 && ran <= 50, `${ran} collections in 10 s`);
  });

  it("lets an exempt collection through the budget, but not through the gap", () => {
    const { clock, now, collect } = fakeClock();
    const budget = new CollectionBudget(now);
    assert.equal(budget.collectIfDue(collect), true);
    clock.now = 300;
    assert.equal(budget.due(), false, "40 ms is more than 5% of 300 ms");
    assert.equal(budget.due(true), true);
    clock.now = 150;
    assert.equal(budget.due(true), false, "inside the 200 ms gap");
  });
});

describe("MemoryMonitor's forced collections", () => {
  /** A worker above target whose collections cost 40 ms of a fake clock; ticks every 100 ms for `ms`. */
  async function ticks(monitor: MemoryMonitor, clock: { now: number }, ms: number): Promise<void> {
    for (const end = clock.now + ms; clock.now < end; clock.now += 100) await monitor.tick();
  }

  it("above target but far from pause, collects within the budget", async () => {
    const { clock, now, collect } = fakeClock();
    const worker = Object.assign(new FakeWorker(), { rss: 650 * MiB, managed: 400 * MiB, onCollect: collect });
    const monitor = new MemoryMonitor(policyOf(), worker, quiet, now);
    await ticks(monitor, clock, 10_000);
    assert.ok(worker.collections <= 13, `${worker.collections} collections in 10 s of ticks (200 ms gap alone: 50)`);
    assert.ok(worker.collections >= 10);
  });

  it("spills once per deferred collection: bytes spilled but not yet collected are not spilled again", async () => {
    const { clock, now, collect } = fakeClock();
    // 750 MiB, spill at 700, down to the 600 target: 150 MiB to spill, in 50 MiB results.
    const worker = Object.assign(new FakeWorker(), { rss: 750 * MiB, managed: 500 * MiB, evictable: Array(8).fill(50 * MiB), spilledIsGarbage: true, onCollect: collect });
    const monitor = new MemoryMonitor(policyOf(), worker, quiet, now);
    await monitor.tick(); // collects (nothing to free), then spills 150 MiB whose collection must wait
    assert.equal(worker.collections, 1);
    assert.equal(worker.evictable.length, 5, "150 MiB spilled");
    assert.equal(worker.rss, 750 * MiB, "still counted until collected");
    await ticks(monitor, clock, 600);
    assert.equal(worker.evictable.length, 5, "nothing more spilled while the collection is deferred");
    assert.equal(worker.collections, 1);
    await ticks(monitor, clock, 400);
    assert.equal(worker.collections, 2, "the budget allowed the next one");
    assert.equal(worker.rss, 600 * MiB);
    assert.equal(worker.evictable.length, 5);
    // New results arrive: once collected, what was spilled no longer stands in for what must be.
    worker.rss = 750 * MiB;
    worker.managed += 150 * MiB;
    await monitor.tick();
    assert.equal(worker.evictable.length, 2, "150 MiB more spilled");
  });

  it("a paused worker collects every tick past the gap, whatever they cost, and resumes once its garbage falls", async () => {
    const { clock, now, collect } = fakeClock();
    const worker = Object.assign(new FakeWorker(), { rss: 900 * MiB, onCollect: collect });
    const monitor = new MemoryMonitor(policyOf({ target: false, spill: false }), worker, quiet, now);
    await monitor.tick();
    assert.deepEqual(worker.paused, [true]);
    clock.costMs = 100; // the budget alone would allow one collection in 2 s
    const before = worker.collections;
    await ticks(monitor, clock, 2000);
    const whilePaused = worker.collections - before;
    assert.ok(whilePaused >= 4, `${whilePaused} collections in 2 s of pause`);
    worker.garbage = 300 * MiB; // the client released results
    await ticks(monitor, clock, 300);
    assert.deepEqual(worker.paused, [true, false], "collected, and resumed");
    assert.equal(worker.rss, 600 * MiB);
  });

  it("a worker paused to keep room for a large task collects past the budget, and resumes once its garbage falls", async () => {
    const { clock, now, collect } = fakeClock();
    const worker = Object.assign(new FakeWorker(), { rss: 720 * MiB, evictable: [10 * MiB], onCollect: collect });
    const monitor = new MemoryMonitor(policyOf(), worker, quiet, now);
    monitor.recordTaskPeak(150 * MiB); // pauses above 700 (800 less the peak, not below spill), resumes at 650
    monitor.checkPause();
    assert.deepEqual(worker.paused, [true]);
    assert.equal(worker.collections, 1, "collected before pausing");
    // Below where it paused, above where it resumes: the 40 ms collection just run spent the budget for 800 ms.
    worker.rss = 680 * MiB;
    worker.garbage = 100 * MiB;
    clock.now += 250;
    await monitor.tick();
    assert.equal(worker.collections, 2, "a paused worker is held to the gap alone");
    assert.deepEqual(worker.paused, [true, false]);
  });

  it("at the pause level, collects right after spilling, though the tick had just collected", async () => {
    const { now, collect } = fakeClock();
    // 850 MiB, above pause (800): spills down to target (600) in 50 MiB results.
    const worker = Object.assign(new FakeWorker(), { rss: 850 * MiB, managed: 500 * MiB, evictable: Array(6).fill(50 * MiB), spilledIsGarbage: true, onCollect: collect });
    const monitor = new MemoryMonitor(policyOf(), worker, quiet, now);
    await monitor.tick();
    assert.equal(worker.collections, 2, "before spilling, and after");
    assert.equal(worker.rss, 600 * MiB);
    assert.deepEqual(worker.paused, [], "the spilled results were gone before the pause was decided");
  });

  it("collects before pausing even when the budget is spent: a pause costs more than a collection", () => {
    const { clock, now, collect } = fakeClock();
    const worker = Object.assign(new FakeWorker(), { rss: 750 * MiB, onCollect: collect });
    const monitor = new MemoryMonitor(policyOf(), worker, quiet, now);
    monitor.checkPause(); // above spill: collects
    assert.equal(worker.collections, 1);
    clock.now = 300;
    monitor.checkPause();
    assert.equal(worker.collections, 1, "above spill, below pause: the budget holds");
    worker.rss = 850 * MiB;
    worker.garbage = 200 * MiB;
    monitor.checkPause();
    assert.equal(worker.collections, 2, "at pause: collected past the budget");
    assert.deepEqual(worker.paused, [], "and the garbage was no reason to pause");
  });
});
