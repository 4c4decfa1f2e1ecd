import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigStore } from "../../../src/config/index.js";
import { memoryOptionsFromConfig, resolveMemoryPolicy, thresholdBytes, type MemoryPolicy } from "../../../src/worker/memory/memory-policy.js";
import { MemoryMonitor, WindowMinimum, decideMemoryAction, pauseLevels } from "../../../src/worker/memory/memory-monitor.js";
import { FakeWorker } from "./fake-memory-host.js";
import { createLogger } from "../../../src/core/log.js";

const MiB = 2 ** 20;
// Defaults only: no config files or environment of the machine running the tests.
const defaults = memoryOptionsFromConfig(new ConfigStore({ env: {}, homeDirectory: "/nonexistent", systemDirectory: "/nonexistent" }));

describe("the memory policy", () => {
  it("has Dask's defaults from the configuration", () => {
    const policy = resolveMemoryPolicy(1000 * MiB, {}, defaults);
    assert.deepEqual(
      { target: policy.target, spill: policy.spill, pause: policy.pause, terminate: policy.terminate, maxSpill: policy.maxSpillBytes, monitor: policy.monitorIntervalMs },
      { target: 0.6, spill: 0.7, pause: 0.8, terminate: 0.95, maxSpill: false, monitor: 100 },
    );
    assert.equal(thresholdBytes(policy, "pause"), 800 * MiB);
    assert.equal(thresholdBytes(resolveMemoryPolicy(0, {}, defaults), "pause"), Infinity, "no limit, no thresholds");
  });

  it("lets options override the configuration, and false switch a step off", () => {
    const policy = resolveMemoryPolicy(1000 * MiB, { memoryTargetFraction: false, memorySpillFraction: false, maxSpill: "2GB", memoryMonitorInterval: "50ms", pauseTimeout: null }, defaults);
    assert.equal(policy.target, false);
    assert.equal(policy.spill, false);
    assert.equal(policy.maxSpillBytes, 2e9);
    assert.equal(policy.monitorIntervalMs, 50);
    assert.equal(policy.pauseTimeoutMs, null);
    assert.equal(thresholdBytes(policy, "target"), Infinity);
  });

  it("refuses fractions out of order, naming both", () => {
    assert.throws(() => resolveMemoryPolicy(GiB(), { memorySpillFraction: 0.5 }, defaults),
      /memory fractions are out of order: spill \(0\.5\) is below target \(0\.6\).*target ≤ spill ≤ pause ≤ terminate/);
    assert.throws(() => resolveMemoryPolicy(GiB(), { memoryTerminateFraction: 0.7 }, defaults), /terminate \(0\.7\) is below pause \(0\.8\)/);
    // A step switched off is skipped in the comparison.
    assert.doesNotThrow(() => resolveMemoryPolicy(GiB(), { memorySpillFraction: false, memoryPauseFraction: 0.65 }, defaults));
  });

  it("refuses values that are not fractions, sizes or durations", () => {
    assert.throws(() => resolveMemoryPolicy(GiB(), { memoryPauseFraction: 1.5 }, defaults), /pause fraction 1\.5 is not a fraction above 0 and at most 1/);
    assert.throws(() => resolveMemoryPolicy(GiB(), { memoryTargetFraction: 0 }, defaults), /target fraction 0 is not a fraction/);
    assert.throws(() => resolveMemoryPolicy(GiB(), { memoryTargetFraction: "lots" as unknown as number }, defaults), /target fraction "lots"/);
    assert.throws(() => resolveMemoryPolicy(GiB(), { maxSpill: "much" }, defaults), /maxSpill: cannot parse "much" as a byte size/);
    assert.throws(() => resolveMemoryPolicy(GiB(), { memoryMonitorInterval: "often" }, defaults), /memoryMonitorInterval: cannot parse "often"/);
    assert.throws(() => resolveMemoryPolicy(GiB(), { spillCompression: "lz77" as never }, defaults), /spillCompression "lz77" is not one of/);
  });
});

function GiB(): number {
  return 2 ** 30;
}

function policyOf(overrides: Partial<MemoryPolicy> = {}): MemoryPolicy {
  return { ...resolveMemoryPolicy(1000 * MiB, {}, defaults), ...overrides };
}

describe("decideMemoryAction", () => {
  const policy = policyOf();
  const table: Array<[string, number, boolean, number, boolean | null]> = [
    ["below everything", 500, false, 0, null],
    ["above target only: nothing by process memory", 650, false, 0, null],
    ["above spill: spill down to target", 750, false, 150, null],
    ["above pause: pause and spill", 850, false, 250, true],
    ["still above pause while paused: no change", 850, true, 250, null],
    ["back at pause: resume", 800, true, 200, false],
  ];
  for (const [name, rssMiB, paused, spillMiB, pause] of table) {
    it(name, () => assert.deepEqual(decideMemoryAction(policy, { rss: rssMiB * MiB, paused }), { spillBytes: spillMiB * MiB, pause }));
  }

  it("spills down to the spill threshold when target is off, and never pauses when pause is off", () => {
    assert.deepEqual(decideMemoryAction(policyOf({ target: false }), { rss: 750 * MiB, paused: false }), { spillBytes: 50 * MiB, pause: null });
    assert.deepEqual(decideMemoryAction(policyOf({ pause: false }), { rss: 990 * MiB, paused: false }).pause, null);
  });
});

describe("room for the next task (the largest recent task peak, kept free below pause)", () => {
  // 1000 MiB limit: target 600, spill 700, pause 800.
  const policy = policyOf();
  const levels = (reserveMiB: number) => {
    const { pauseAt, resumeAt } = pauseLevels(policy, reserveMiB * MiB);
    return [pauseAt / MiB, resumeAt / MiB];
  };

  it("pauses once the next task could pass pause, never below spill, and resumes never below target", () => {
    assert.deepEqual(levels(0), [800, 800], "no task measured yet: Dask's rule");
    assert.deepEqual(levels(50), [750, 750]);
    assert.deepEqual(levels(150), [700, 650]);
    assert.deepEqual(levels(500), [700, 600]);
    assert.deepEqual(pauseLevels(policyOf({ pause: false }), 150 * MiB), { pauseAt: Infinity, resumeAt: Infinity });
    assert.deepEqual(pauseLevels(policyOf({ spill: false }), 150 * MiB), { pauseAt: 800 * MiB, resumeAt: 800 * MiB }, "spill off: nothing would make the room");
  });

  it("decides by those levels while memory can fall, and by Dask's pause threshold when nothing can lower it", () => {
    const decide = (rssMiB: number, paused: boolean, canLower: boolean) => decideMemoryAction(policy, { rss: rssMiB * MiB, paused, taskReserve: 150 * MiB, canLower });
    assert.deepEqual(decide(720, false, true), { spillBytes: 120 * MiB, pause: true }, "above spill with a 150 MiB task to come");
    assert.deepEqual(decide(720, false, false).pause, null, "nothing to spill, nothing running: pausing would wait for nothing");
    assert.deepEqual(decide(680, true, true), { spillBytes: 30 * MiB, pause: null }, "paused: spills down to where the next task fits");
    assert.deepEqual(decide(640, true, true), { spillBytes: 0, pause: false });
    assert.deepEqual(decide(680, true, false), { spillBytes: 30 * MiB, pause: false }, "nothing can lower it: resumes at pause");
    assert.deepEqual(decide(850, true, false).pause, null, "above pause the pause holds, as in Dask");
  });

  it("a worker that measured a large task pauses early, spills while paused, and resumes once the next fits or nothing more can fall", async () => {
    let now = 0;
    const worker = Object.assign(new FakeWorker(), { rss: 690 * MiB, managed: 200 * MiB, evictable: [50 * MiB, 20 * MiB] });
    const monitor = new MemoryMonitor(policyOf(), worker, createLogger("test-memory-monitor"), () => now);
    monitor.recordTaskPeak(150 * MiB);
    monitor.checkPause();
    assert.deepEqual(worker.paused, [], "below spill: no pause");
    worker.rss = 710 * MiB;
    monitor.checkPause();
    assert.deepEqual(worker.paused, [true], "above spill, a 150 MiB task would pass pause (800)");
    await monitor.tick();
    assert.equal(worker.rss, 640 * MiB, "spilled both results (to get under 650, where the task fits)");
    assert.deepEqual(worker.paused, [true, false]);

    // Nothing left to spill: a pause above spill ends at once, at Dask's threshold.
    worker.rss = 760 * MiB;
    worker.running = true;
    now = 1000;
    monitor.checkPause();
    assert.deepEqual(worker.paused, [true, false], "nothing to spill (a running task only adds memory): no early pause");
    // With garbage to collect in the threads, the pause waits for two collections, then resumes.
    worker.rss = 810 * MiB;
    monitor.checkPause();
    assert.deepEqual(worker.paused, [true, false, true], "above pause: paused, as in Dask");
    worker.rss = 760 * MiB;
    now = 1300;
    await monitor.tick();
    assert.deepEqual(worker.paused, [true, false, true], "a collection was just asked for: its garbage may still fall");
    now = 1600;
    await monitor.tick();
    assert.deepEqual(worker.paused, [true, false, true, false], "two collections later, nothing can fall: resumes at pause");
  });

  it("forgets a task's peak after 30 s", async () => {
    let now = 0;
    const worker = Object.assign(new FakeWorker(), { rss: 720 * MiB, evictable: [10 * MiB] });
    const monitor = new MemoryMonitor(policyOf(), worker, createLogger("test-memory-monitor"), () => now);
    monitor.recordTaskPeak(100 * MiB);
    monitor.checkPause();
    assert.deepEqual(worker.paused, [true], "720 + 100 would pass pause (800)");
    now = 31_000;
    await monitor.tick();
    assert.equal(worker.rss, 710 * MiB);
    assert.deepEqual(worker.paused, [true, false], "the peak is forgotten: 710 is under pause again, the pause ends");
  });
});

describe("WindowMinimum", () => {
  it("is the least value of the last window", () => {
    const window = new WindowMinimum(10);
    assert.equal(window.add(0, 5), 5);
    assert.equal(window.add(1, 7), 5);
    assert.equal(window.add(5, 3), 3);
    assert.equal(window.add(14, 9), 3);
    assert.equal(window.add(16, 8), 8, "the 3 from t=5 is older than 10");
  });
});

describe("MemoryMonitor", () => {
  const quiet = createLogger("test-memory-monitor");

  it("spills least recently used results until process memory is back under target", async () => {
    const worker = Object.assign(new FakeWorker(), { rss: 750 * MiB, managed: 400 * MiB, evictable: [100 * MiB, 100 * MiB, 100 * MiB] });
    await new MemoryMonitor(policyOf(), worker, quiet).tick();
    assert.equal(worker.rss, 550 * MiB, "two results (200 MiB) were enough to go from 750 to below 600");
    assert.deepEqual(worker.paused, []);
  });

  it("collects garbage before deciding to pause, and pauses only if memory is still high", async () => {
    const worker = Object.assign(new FakeWorker(), { rss: 850 * MiB, garbage: 100 * MiB });
    const monitor = new MemoryMonitor(policyOf({ spill: false }), worker, quiet);
    await monitor.tick();
    assert.deepEqual(worker.paused, [], "dead buffers are no reason to pause");
    worker.rss = 900 * MiB;
    monitor.checkPause();
    assert.deepEqual(worker.paused, [true], "checked between ticks too, after a result is stored");
    worker.rss = 700 * MiB;
    await monitor.tick();
    assert.deepEqual(worker.paused, [true, false]);
  });

  it("collects garbage between ticks once memory is above spill, so that dead buffers do not reach the pause threshold", () => {
    // 1000 MiB limit: spill at 700, pause at 800. Between ticks, a stored result finds 750 MiB, 100 of them dead.
    const worker = Object.assign(new FakeWorker(), { rss: 750 * MiB, garbage: 100 * MiB });
    const monitor = new MemoryMonitor(policyOf(), worker, quiet);
    monitor.checkPause();
    assert.equal(worker.rss, 650 * MiB, "collected at once, not on the next tick");
    assert.deepEqual(worker.paused, []);
    const below = Object.assign(new FakeWorker(), { rss: 650 * MiB, garbage: 100 * MiB });
    new MemoryMonitor(policyOf(), below, quiet).checkPause();
    assert.equal(below.rss, 650 * MiB, "below spill, between ticks, nothing is collected");
  });

  it("lowers the managed target by the process's own baseline", async () => {
    const worker = Object.assign(new FakeWorker(), { rss: 300 * MiB, managed: 200 * MiB });
    await new MemoryMonitor(policyOf(), worker, quiet).tick();
    assert.equal(worker.target, 500 * MiB, "600 MiB target less 100 MiB of runtime");
  });

  it("reports a pause that cannot end by itself once, after the timeout, and not while work is running", async () => {
    let now = 0;
    const worker = Object.assign(new FakeWorker(), { rss: 900 * MiB, running: true });
    const monitor = new MemoryMonitor(policyOf({ target: false, spill: false, pauseTimeoutMs: 1000 }), worker, quiet, () => now);
    await monitor.tick();
    assert.deepEqual(worker.paused, [true]);
    now = 5000;
    await monitor.tick();
    assert.deepEqual(worker.stuck, [], "a running task may still free memory");
    worker.running = false;
    now = 5500;
    await monitor.tick();
    assert.deepEqual(worker.stuck, []);
    now = 6100;
    await monitor.tick();
    now = 9000;
    await monitor.tick();
    assert.equal(worker.stuck.length, 1);
    assert.match(worker.stuck[0], /paused for 1 s at 900\.00 MiB of its 0\.98 GiB memory limit \(pause at 80%\) with nothing left to spill \(spilling is off\)/);
    assert.match(worker.stuck[0], /Raise memoryLimit, turn spilling on, or release results you no longer need$/);
  });

  it("with spilling off, collects garbage while paused, so results released after a stuck pause let the worker resume", async () => {
    let now = 0;
    const worker = Object.assign(new FakeWorker(), { rss: 900 * MiB });
    const monitor = new MemoryMonitor(policyOf({ target: false, spill: false, pauseTimeoutMs: 1000 }), worker, quiet, () => now);
    await monitor.tick();
    now = 2000;
    await monitor.tick();
    assert.deepEqual(worker.paused, [true]);
    assert.equal(worker.stuck.length, 1);
    // The client releases the results: their buffers are garbage until someone collects.
    worker.garbage = 400 * MiB;
    now = 2500;
    await monitor.tick();
    assert.equal(worker.rss, 500 * MiB, "the paused worker collected the released results");
    assert.deepEqual(worker.paused, [true, false], "and resumed");
  });

  /** Paused past the timeout with nothing to spill; returns the stuck message. */
  async function stuckMessage(policy: MemoryPolicy, worker: FakeWorker): Promise<string> {
    let now = 0;
    const monitor = new MemoryMonitor(policy, worker, quiet, () => now);
    await monitor.tick();
    now = 2000;
    await monitor.tick();
    assert.equal(worker.stuck.length, 1);
    return worker.stuck[0];
  }

  it("names a full spill disk as the cause of a stuck pause, and says what to do about it", async () => {
    const worker = Object.assign(new FakeWorker(), { rss: 900 * MiB, stoppedBecause: "spill directory /local/tessera-worker-x/storage is full (1.00 MiB free, ENOSPC writing a spill file)" });
    const message = await stuckMessage(policyOf({ pauseTimeoutMs: 1000 }), worker);
    assert.match(message, /with nothing left to spill \(spilling stopped: spill directory \/local\/tessera-worker-x\/storage is full \(1\.00 MiB free, ENOSPC writing a spill file\)\)/);
    assert.match(message, /Free space in the spill directory or give the workers a larger node-local localDirectory \(--local-directory\), raise memoryLimit, or release results you no longer need$/);
    assert.doesNotMatch(message, /turn spilling on/);
  });

  it("does not tell a worker that spills to turn spilling on", async () => {
    const capped = await stuckMessage(policyOf({ pauseTimeoutMs: 1000, maxSpillBytes: 2 ** 30 }), Object.assign(new FakeWorker(), { rss: 900 * MiB }));
    assert.match(capped, /with nothing left to spill; the results it holds are still wanted\. Raise memoryLimit or maxSpill \(now 1\.00 GiB\), or release results you no longer need$/);
    const uncapped = await stuckMessage(policyOf({ pauseTimeoutMs: 1000 }), Object.assign(new FakeWorker(), { rss: 900 * MiB }));
    assert.match(uncapped, /Raise memoryLimit, or release results you no longer need$/);
  });
});
