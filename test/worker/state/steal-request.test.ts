/**
 * A steal request for a task queued on a compute thread behind the running one (run-queue.ts
 * queues a short kind's next task there): the worker gives it up only if its call was taken
 * back from the thread before it started (the server tries, thread-pool.ts withdraw, and says
 * so in the event), as for a ready task: slot and resources freed, inputs released, the task
 * forgotten. If the call had started, the steal is refused. executeTask then ends the
 * withdrawn run quietly: its inputs unpinned, nothing reported (the task is the thief's now).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkerCommand, WorkerEvent } from "../../../src/worker/state/worker-state.js";
import { computeTask, executed, finished, forgotten, withQueuedTask } from "./queued-task-state.js";
import { DataStore } from "../../../src/worker/memory/data-store.js";
import { ThreadPool } from "../../../src/worker/executor/thread-pool.js";
import { executeTask } from "../../../src/worker/server/worker-tasks.js";
import type { WorkerContext } from "../../../src/worker/server/worker-context.js";
import { functionRefOf } from "../../../src/graph/function-travel.js";
import { TaskRef, packPayload } from "../../../src/protocol/payload.js";
import { NDArray, allocate } from "../../../src/ndarray/ndarray.js";

const answers = (commands: WorkerCommand[]) => commands.flatMap((command) => (command.type === "send" && command.message.op === "steal-response" ? [command.message.accepted] : []));

describe("WorkerState: a steal request for a task queued on a thread", () => {
  it("is refused unless its call was withdrawn, then accepted as for a ready task", () => {
    const state = withQueuedTask();
    assert.equal(state.needsWithdrawal("queued"), true);
    assert.equal(state.needsWithdrawal("next"), false, "a ready task is given up without a withdrawal");
    const refused = state.handle({ type: "steal-request", key: "queued", withdrawn: false });
    assert.deepEqual(answers(refused), [false], "its call started: it runs here");
    assert.equal(state.tasks.get("queued")?.status, "executing");
    assert.equal(state.executing, 2);

    const accepted = state.handle({ type: "steal-request", key: "queued", withdrawn: true });
    assert.deepEqual(answers(accepted), [true]);
    assert.equal(state.tasks.has("queued"), false, "forgotten: the thief runs it");
    assert.deepEqual(forgotten(accepted), ["d"], "its input, fetched for it alone, is dropped");
    assert.deepEqual(executed(accepted), ["next"], "its slot went to the next task");
    assert.equal(state.executing, 2);
    // Its resources are free again: another task holding the GPU is handed over.
    state.handle(finished("run"));
    assert.deepEqual(executed(state.handle(computeTask("gpu", [], { GPU: 1 }))), ["gpu"]);
  });

  it("needs no withdrawal, and is refused, for a seceded, freed or unknown task", () => {
    const state = withQueuedTask();
    state.handle({ type: "secede", key: "run" });
    assert.equal(state.needsWithdrawal("run"), false, "a seceded call is running, out of its thread's queue");
    state.handle({ type: "free-keys", keys: ["queued"] });
    assert.equal(state.needsWithdrawal("queued"), false, "freed while handed over: its run ends as a cancelled one");
    assert.deepEqual(answers(state.handle({ type: "steal-request", key: "queued", withdrawn: true })), [false]);
    assert.equal(state.needsWithdrawal("never-here"), false);
  });
});

describe("executeTask with a call withdrawn from its thread", { timeout: 120_000 }, () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "tessera-queued-steal-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("unpins its inputs and reports nothing", async () => {
    const threads = new ThreadPool(1);
    const data = new DataStore({ spillDirectory: dir, compression: false });
    try {
      await threads.ready();
      const events: WorkerEvent[] = [];
      const worker = { data, threads, dispatch: (event: WorkerEvent) => events.push(event) } as unknown as WorkerContext;
      const gate = new Int32Array(new SharedArrayBuffer(4));
      const held = functionRefOf(async function held(word: Int32Array) {
        const waiting = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: unknown } }).waitAsync(word, 0, 0);
        if (waiting.async) await waiting.value;
        return 1;
      });
      const running = threads.run("run", held, [gate]);
      data.set("a", new NDArray(allocate("float64", 1024), [1024], { dtype: "float64" }));
      const frames: Uint8Array[] = [];
      const run = executeTask(worker, { type: "execute", key: "queued", fn: { builtin: "graph.identity" }, args: packPayload([new TaskRef("a")], frames), frames, prefix: "short" });
      assert.equal(threads.withdraw("run"), false, "the running call is not withdrawn");
      // Its inputs are pinned before it is posted: it can be withdrawn once it is on the thread.
      let withdrawn = false;
      while (!withdrawn && events.length === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        withdrawn = threads.withdraw("queued");
      }
      await run;
      assert.deepEqual(events, [], "no result and no failure: the task is another worker's now");
      assert.ok((await data.evictOne()) > 0, "its input is unpinned");
      assert.equal(threads.runningCount, 1);
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
      assert.equal((await running).ok, true);
    } finally {
      await threads.close();
    }
  });
});
