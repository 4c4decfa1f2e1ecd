/**
 * Which compute-tasks may wait a moment to share a write (src/scheduler/policy/dispatch-urgency.ts):
 * only those for a worker that already has a task queued behind each thread and several
 * milliseconds of expected work on hand; a worker that is idle, about to be, or running only
 * tiny tasks gets its task at the end of the turn.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { SchedulerCommand } from "../../../src/scheduler/state/commands.js";
import { Harness } from "../state/harness.js";

type ToWorker = Extract<SchedulerCommand, { type: "to-worker" }>;

/** The compute-tasks of `commands`, as [key, may wait]. */
function dispatches(commands: SchedulerCommand[]): Array<[string, boolean]> {
  return commands
    .filter((c): c is ToWorker => c.type === "to-worker" && c.message.op === "compute-task")
    .map((c) => [(c.message as { key: string }).key, c.soon === true]);
}

describe("how soon a compute-task must leave", () => {
  it("sends at once what keeps a worker's threads busy, and lets the tasks queued behind them wait", () => {
    const h = new Harness();
    h.addWorker("w1", 2);
    h.submit([{ key: "input" }], ["input"]);
    h.finish("input", 50_000_000);
    const sent = h.send({
      type: "graph-submitted", clientId: "c1", wanted: ["use-0", "use-1", "use-2", "use-3", "use-4"], now: h.now,
      tasks: [0, 1, 2, 3, 4].map((i) => ({ key: `use-${i}`, fn: { builtin: "graph.noop" }, args: [], frames: [], deps: ["input"] })),
    });
    const flags = dispatches(sent);
    assert.equal(flags.length, 5);
    // Two threads: the first two run at once, the third is the first in reserve (it goes at once
    // too: with two tasks on hand the worker holds no more than its threads yet), the rest wait.
    assert.deepEqual(flags.map(([, soon]) => soon), [false, false, false, true, true]);
  });

  it("never delays the task of a worker that has only its running task left", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.submit(Array.from({ length: 6 }, (_, i) => ({ key: `load-${i}` })), Array.from({ length: 6 }, (_, i) => `load-${i}`));
    // Root tasks: 2 slots for 1 thread. Each finish refills one slot while one task still runs.
    for (let i = 0; i < 4; i++) {
      const running = h.processingKeys()[0];
      const refill = dispatches(h.finish(running, 8, 0.02));
      assert.deepEqual(refill.map(([, soon]) => soon), [false], `refill ${i}`);
    }
  });

  it("sends tiny tasks at once however many are queued: they would not cover the wait", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.submit([{ key: "input" }], ["input"]);
    h.finish("input", 8);
    h.submit([{ key: "tiny-0", deps: ["input"] }], ["tiny-0"]);
    h.finish("tiny-0", 8, 0.00001);
    const sent = h.send({
      type: "graph-submitted", clientId: "c1", wanted: ["tiny-1", "tiny-2", "tiny-3", "tiny-4"], now: h.now,
      tasks: [1, 2, 3, 4].map((i) => ({ key: `tiny-${i}`, fn: { builtin: "graph.noop" }, args: [], frames: [], deps: ["input"] })),
    });
    assert.deepEqual(dispatches(sent).map(([, soon]) => soon), [false, false, false, false]);
  });
});
