/**
 * A worker's admission is made just after the worker joined its scheduler, when a client's
 * first compute is already on its way: it reads the worker's own memory as it is, without a
 * full garbage collection first. That collection took 22–31 ms of CPU per worker and lowered
 * RSS by under 0.5 MiB; on the DoG (2 workers × 1 thread on 2 cores) it ran beside the first
 * task and raised the time outside tasks from 4% to 7% of the wall time (issue 11).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PerformanceObserver, constants, type PerformanceEntry } from "node:perf_hooks";
import { admissionFor, type AdmissionHost } from "../../../src/worker/memory/task-admission.js";
import { collectGarbage, enableGarbageCollection } from "../../../src/worker/memory/process-memory.js";
import { resolveMemoryPolicy } from "../../../src/worker/memory/memory-policy.js";

const MiB = 2 ** 20;

/** Full collections asked for by code (forced), as V8 reports them; natural ones are not counted. */
function watchForcedFullCollections(): { count: () => number; seenFrom: (start: number) => Promise<void>; stop: () => void } {
  const starts: number[] = [];
  let waiting: { start: number; resolve: () => void } | null = null;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: { kind: number; flags: number } }>) {
      const detail = entry.detail;
      if (!detail || detail.kind !== constants.NODE_PERFORMANCE_GC_MAJOR || (detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) === 0) continue;
      starts.push(entry.startTime);
    }
    if (waiting && starts.some((start) => start >= (waiting as { start: number }).start)) waiting.resolve();
  });
  observer.observe({ entryTypes: ["gc"] });
  return {
    count: () => starts.length,
    /** Resolves once a forced full collection that began at or after `start` was reported. */
    seenFrom: (start) => new Promise<void>((resolve) => (waiting = { start, resolve })),
    stop: () => observer.disconnect(),
  };
}

describe("a worker's admission at start", () => {
  it("reads the worker's own memory without a full collection (it would run beside the first compute)", async () => {
    assert.ok(enableGarbageCollection(), "this check needs collections it can ask for and see");
    const host: AdmissionHost = { readRss: () => 140 * MiB, evictOne: async () => 0, collectEverywhere: async () => undefined };
    const watch = watchForcedFullCollections();
    try {
      const admission = admissionFor(resolveMemoryPolicy(1024 * MiB, {}), host);
      assert.equal(admission.ownBytes, 140 * MiB, "the worker's own memory is what it reads at start");
      // A forced collection of our own marks where the admission's would have been reported:
      // V8 reports them in order, so once ours is seen, any the admission ran was seen too.
      const mark = performance.now();
      const ours = watch.seenFrom(mark);
      assert.ok(collectGarbage());
      await ours;
      assert.equal(watch.count(), 1, "only this test's own collection: making the admission collected nothing");
    } finally {
      watch.stop();
    }
  });
});
