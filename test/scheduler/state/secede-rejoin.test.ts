/**
 * The scheduler's count of seceded tasks (Dask's long_running): a task that secedes holds no
 * thread slot, so the worker gets more work; once it rejoins it holds one again, so the
 * scheduler must stop handing its slot to others (pure scheduler state, events only).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Harness } from "./harness.js";

const loads = Array.from({ length: 10 }, (_, i) => ({ key: `load-${i}` }));

/** One 1-thread worker (two root slots at saturation 1.1) running `parent`, with ten loads queued behind it. */
function busyWorker(): Harness {
  const h = new Harness();
  h.addWorker("w1", 1);
  h.submit([{ key: "parent" }], ["parent"]);
  h.start("parent");
  h.submit(loads, loads.map((l) => l.key));
  return h;
}

describe("scheduler state: seceded tasks and rejoin", () => {
  it("gives a seceded task's slot to a queued task, and takes it back into account after rejoin", () => {
    const h = busyWorker();
    const worker = h.state.workers.get("w1")!;
    assert.equal(worker.processing.size, 2, "two root slots: parent and one load");
    h.send({ type: "task-long-running", address: "w1", key: "parent", now: h.now });
    assert.equal(worker.longRunningCount, 1);
    assert.equal(worker.processing.size, 3, "the seceded parent's slot went to another load");

    h.send({ type: "task-rejoined", address: "w1", key: "parent", now: h.now });
    assert.equal(worker.longRunningCount, 0, "the rejoined parent counts against the worker's slots again");
    assert.equal(h.state.tasks.get("parent")!.longRunning, false);

    const queuedBefore = h.state.queued.size;
    h.finish("load-0");
    assert.equal(worker.processing.size, 2, "a finished load's slot is not refilled: parent and load-1 fill both slots");
    assert.equal(h.state.queued.size, queuedBefore, "nothing more was handed to the full worker");
    h.finish("load-1");
    assert.equal(worker.processing.size, 2, "now one slot is free again and a queued load takes it");
    assert.equal(h.state.queued.size, queuedBefore - 1);
  });

  it("ignores a rejoin for a task that never seceded, or that another worker runs", () => {
    const h = busyWorker();
    h.addWorker("w2", 1);
    const worker = h.state.workers.get("w1")!;
    h.send({ type: "task-rejoined", address: "w1", key: "parent", now: h.now });
    assert.equal(worker.longRunningCount, 0, "never seceded: nothing to take back");
    h.send({ type: "task-long-running", address: "w1", key: "parent", now: h.now });
    h.send({ type: "task-rejoined", address: "w2", key: "parent", now: h.now });
    assert.equal(worker.longRunningCount, 1, "w2 does not run parent: its rejoin is stale");
    h.send({ type: "task-rejoined", address: "w1", key: "ghost", now: h.now });
    assert.equal(worker.longRunningCount, 1);
    h.finish("parent");
    assert.equal(worker.longRunningCount, 0, "a seceded task that ends is taken off the count");
  });
});
