/**
 * When a stored result makes the worker check its memory (rss-readings.ts): against a model
 * process whose memory grows by what is stored and up to 0.9× as much again outside the store
 * (a task's scratch buffers), the insert that takes it to a threshold is
 * always checked, while the inserts far below it read the process's memory far less often
 * than once each; above the threshold every insert is checked; a stream of inserts is never
 * unchecked for longer than the gap; a worker that never pauses never checks. And when memory
 * grows far faster than the stored results' sizes (small views of big new blocks; tasks whose
 * scratch dwarfs their results), the insert that reaches the threshold is still checked.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { RssReadings, insertGrowthBytes, rssChecks } from "../../../src/worker/server/rss-readings.js";
import { resolveMemoryPolicy } from "../../../src/worker/memory/memory-policy.js";
import { NDArray, allocate } from "../../../src/ndarray/ndarray.js";

const MB = 1e6;

/** A process whose RSS is a baseline plus the bytes stored plus `unmanaged` × those, on a clock the test moves. */
function modelProcess(baseline: number, threshold: number, maxGapMs = 10, unmanaged: () => number = () => 0) {
  const model = { rss: baseline, clock: 0, reads: 0 };
  const readings = new RssReadings(() => {
    model.reads++;
    return model.rss;
  }, threshold, maxGapMs, () => model.clock);
  /** Stores `nbytes`; when the check is due, runs it as checkPause would (one reading). */
  const store = (nbytes: number): boolean => {
    model.rss += nbytes * (1 + unmanaged());
    const due = readings.checkDue(nbytes);
    if (due) readings.read();
    return due;
  };
  return { model, readings, store };
}

describe("memory checks after stored results", () => {
  it("checks the insert that reaches the threshold, whatever the sizes, and reads far less than once per insert below it", () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const threshold = 400 * MB + random() * 400 * MB;
      const { model, readings, store } = modelProcess(80 * MB, threshold, 10, () => 0.9 * random());
      readings.read();
      let inserts = 0;
      let crossedUnchecked = false;
      while (model.rss < threshold) {
        const before = model.rss;
        const checked = store(Math.ceil(random() * (random() < 0.9 ? 0.2 : 20) * MB));
        inserts++;
        if (before < threshold && model.rss >= threshold && !checked) crossedUnchecked = true;
      }
      assert.equal(crossedUnchecked, false, `trial ${trial}: the insert that reached ${threshold} bytes was not checked`);
      assert.ok(model.reads < inserts / 4, `trial ${trial}: ${model.reads} readings for ${inserts} inserts`);
    }
  });

  it("checks every insert at or above the threshold, as the monitor did before", () => {
    const { model, readings, store } = modelProcess(500 * MB, 400 * MB);
    readings.read();
    for (let i = 0; i < 50; i++) assert.equal(store(1000), true, `insert ${i} above the threshold was not checked`);
    assert.equal(model.reads, 51);
  });

  it("leaves a stream of small inserts unchecked for at most the gap (memory may grow outside stored results)", () => {
    const { model, readings, store } = modelProcess(100 * MB, 1000 * MB, 10);
    readings.read();
    const checkedAt: number[] = [];
    for (let ms = 1; ms <= 100; ms++) {
      model.clock = ms;
      if (store(1000)) checkedAt.push(ms);
    }
    assert.deepEqual(checkedAt, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it("never checks when the worker does not pause (no limit, or pausing off)", () => {
    const { model, store } = modelProcess(100 * MB, Infinity);
    model.clock = 1e9;
    for (let i = 0; i < 10; i++) assert.equal(store(100 * MB), false);
    assert.equal(model.reads, 0);
  });

  it("checks in time when each result is a small view of a new big block (the store's size counts only the view)", () => {
    // Limit 2 GiB: spill at 1434 MiB. After a reading at 1024 MiB, results arrive within a few
    // ms, each an 8 KiB row of a new 64 MiB block that the view keeps alive.
    const MiB = 2 ** 20;
    const threshold = 1434 * MiB;
    const { model, readings } = modelProcess(1024 * MiB, threshold);
    readings.read();
    let crossedUnchecked = false;
    for (let i = 0; i < 10; i++) {
      const whole = new NDArray(allocate("float64", 8 * MiB), [8 * 1024, 1024]);
      const row = new NDArray(whole.data.subarray(0, 1024), [1024]);
      assert.equal(row.nbytes, 8 * 1024);
      const before = model.rss;
      model.rss += 64 * MiB;
      const checked = readings.checkDue(insertGrowthBytes(row, row.nbytes, 0));
      if (checked) readings.read();
      if (before < threshold && model.rss >= threshold && !checked) crossedUnchecked = true;
    }
    assert.equal(crossedUnchecked, false, "the insert that took the worker past its spill threshold was not checked");
  });

  it("checks in time when tasks' scratch outside the store is far larger than their results (the task's peak counts)", () => {
    // Each task allocates 64 MiB of scratch the compute thread has not collected yet and stores an 8-byte result.
    const MiB = 2 ** 20;
    const threshold = 1434 * MiB;
    const { model, readings } = modelProcess(1024 * MiB, threshold);
    readings.read();
    let crossedUnchecked = false;
    for (let i = 0; i < 20; i++) {
      const result = new NDArray(allocate("float64", 1), [1]);
      const before = model.rss;
      model.rss += 64 * MiB;
      const checked = readings.checkDue(insertGrowthBytes(result, result.nbytes, 64 * MiB + 8));
      if (checked) readings.read();
      if (before < threshold && model.rss >= threshold && !checked) crossedUnchecked = true;
    }
    assert.equal(crossedUnchecked, false, "the insert that took the worker past its spill threshold was not checked");
  });

  describe("as the worker wires them (rssChecks)", () => {
    const MiB = 2 ** 20;
    /** A worker with a 2 GiB limit; a process at 1024 MiB, on a clock that stands still (no gap-forced checks). */
    function workerChecks(fractions: { memorySpillFraction: number | false; memoryPauseFraction: number | false }) {
      const policy = resolveMemoryPolicy(2048 * MiB, fractions);
      const checks = rssChecks(policy, () => 1024 * MiB, () => 0);
      checks.readRss();
      return checks;
    }

    it("measures the distance to spill when spill is below pause (the monitor collects garbage there), to pause otherwise", () => {
      // Spill at 1433.6 MiB (409.6 away), pause at 1638.4 MiB (614.4 away): 2 × 250 MiB reaches only spill.
      assert.equal(workerChecks({ memorySpillFraction: 0.7, memoryPauseFraction: 0.8 }).insertDue(null, 250 * MiB, 0), true);
      assert.equal(workerChecks({ memorySpillFraction: false, memoryPauseFraction: 0.8 }).insertDue(null, 250 * MiB, 0), false);
      assert.equal(workerChecks({ memorySpillFraction: false, memoryPauseFraction: 0.8 }).insertDue(null, 310 * MiB, 0), true);
      assert.equal(workerChecks({ memorySpillFraction: 0.7, memoryPauseFraction: false }).insertDue(null, 2048 * MiB, 0), false, "a worker that never pauses never checks");
    });

    it("starts counting again at each of the monitor's readings", () => {
      const checks = workerChecks({ memorySpillFraction: 0.7, memoryPauseFraction: 0.8 });
      assert.equal(checks.insertDue(null, 150 * MiB, 0), false);
      checks.readRss(); // the monitor's tick
      assert.equal(checks.insertDue(null, 150 * MiB, 0), false, "growth before the tick was counted again after it");
      assert.equal(checks.insertDue(null, 60 * MiB, 0), true);
    });

    it("counts the task's peak and the whole buffers of the stored value", () => {
      const whole = new NDArray(allocate("float64", 32 * MiB), [32 * MiB]);
      const view = new NDArray(whole.data.subarray(0, 1), [1]);
      // The 8-byte view keeps a 256 MiB block alive: 2 × 256 MiB reaches spill, 409.6 MiB away.
      assert.equal(workerChecks({ memorySpillFraction: 0.7, memoryPauseFraction: 0.8 }).insertDue(view, 8, 0), true);
      assert.equal(workerChecks({ memorySpillFraction: 0.7, memoryPauseFraction: 0.8 }).insertDue(null, 8, 210 * MiB), true);
    });
  });
});
