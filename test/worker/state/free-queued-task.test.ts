/**
 * Free-keys for a task queued on a compute thread behind the running one (run-queue.ts queues
 * a short kind's next task there): if the server took its call back from the thread before it
 * started (thread-pool.ts withdraw; the key is among the event's `withdrawn`), the worker drops
 * it as it drops a ready task, as Dask's does: slot and resources freed, inputs released, the
 * task forgotten, nothing reported. If the call had started, it ends as a cancelled run today
 * does: it keeps its slot until it finishes, and its result is discarded.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { WorkerCommand } from "../../../src/worker/state/worker-state.js";
import { computeTask, executed, finished, forgotten, withQueuedTask } from "./queued-task-state.js";

const sent = (commands: WorkerCommand[]) => commands.flatMap((command) => (command.type === "send" ? [command.message.op] : []));

describe("WorkerState: free-keys for a task queued on a thread", () => {
  it("drops it as a ready task once its call was withdrawn: forgotten, slot, resources and inputs freed", () => {
    const state = withQueuedTask();
    assert.equal(state.needsWithdrawal("queued"), true);
    const commands = state.handle({ type: "free-keys", keys: ["queued"], withdrawn: ["queued"] });
    assert.equal(state.tasks.has("queued"), false, "forgotten: its call never runs");
    assert.deepEqual(forgotten(commands), ["d"], "its input, fetched for it alone, is dropped");
    assert.deepEqual(sent(commands), [], "nothing to tell the scheduler");
    assert.deepEqual(executed(commands), ["next"], "its slot went to the next task");
    assert.equal(state.executing, 2);
    // Its GPU is free again: another task holding it is handed over once "run" ends.
    state.handle(finished("run"));
    assert.deepEqual(executed(state.handle(computeTask("gpu", [], { GPU: 1 }))), ["gpu"]);
    // Sent again later, it runs afresh.
    state.handle(finished("next"));
    state.handle(finished("gpu"));
    assert.deepEqual(executed(state.handle(computeTask("queued"))), ["queued"]);
  });

  it("ends it as a cancelled run if its call had started (not withdrawn): slot held, result discarded", () => {
    const state = withQueuedTask();
    const commands = state.handle({ type: "free-keys", keys: ["queued"], withdrawn: [] });
    assert.equal(state.tasks.get("queued")?.status, "cancelled");
    assert.deepEqual(forgotten(commands), [], "its input stays pinned while it runs");
    assert.deepEqual(executed(commands), []);
    assert.equal(state.executing, 2);
    const done = state.handle(finished("queued"));
    assert.deepEqual(sent(done), [], "a cancelled run's result is not reported");
    assert.equal(state.tasks.has("queued"), false);
    assert.deepEqual(forgotten(done).sort(), ["d", "queued"]);
    assert.deepEqual(executed(done), ["next"]);
  });

  it("hands a withdrawn call out again if the free-keys does not drop its task (a late one, late-free-keys.ts)", () => {
    const state = withQueuedTask();
    assert.equal(state.needsWithdrawal("next"), false, "a ready task is freed without a withdrawal");
    const commands = state.handle({ type: "free-keys", keys: ["next"], withdrawn: ["queued"] });
    assert.equal(state.tasks.has("next"), false);
    assert.deepEqual(executed(commands), ["queued"], "its call never ran: it runs again");
    assert.equal(state.executing, 2);
  });

  it("ends a seceded task freed as a cancelled run: its call is running, out of its thread's queue", () => {
    const state = withQueuedTask();
    state.handle({ type: "secede", key: "run" });
    assert.equal(state.needsWithdrawal("run"), false);
    state.handle({ type: "free-keys", keys: ["run"], withdrawn: ["run"] });
    assert.equal(state.tasks.get("run")?.status, "cancelled");
    assert.equal(state.needsWithdrawal("never-here"), false);
  });
});
