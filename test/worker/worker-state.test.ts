/**
 * The worker's pure state machine and the data path around it, in the situations where the
 * order of events matters: a fetched copy landing after the key was computed here, and a task
 * whose inputs are gone while another task holds them.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkerState, type WorkerCommand, type WorkerEvent } from "../../src/worker/state/worker-state.js";
import { DataStore } from "../../src/worker/memory/data-store.js";
import { executeTask } from "../../src/worker/server/worker-tasks.js";
import type { WorkerContext } from "../../src/worker/server/worker-context.js";
import { TaskRef, packPayload } from "../../src/protocol/payload.js";
import { NDArray, allocate } from "../../src/ndarray/ndarray.js";

const fn = { builtin: "graph.identity" };

function computeTask(key: string, deps: Array<{ key: string; whoHas: string[] }> = []): WorkerEvent {
  return { type: "compute-task", key, runId: 1, priority: [0, 0], fn, args: [], frames: [], prefix: key, deps: deps.map((dep) => ({ ...dep, nbytes: 8 })) };
}

const forgotten = (commands: WorkerCommand[]) => commands.flatMap((command) => (command.type === "forget-data" ? command.keys : []));

describe("WorkerState", () => {
  it("keeps a key computed here while a copy of it was on its way from a peer", () => {
    const state = new WorkerState({ nthreads: 1, maxIncomingPeers: 10, maxBytesPerRequest: 50e6 });
    // "x" is fetched for "y", then the scheduler asks this worker to compute "x" itself.
    const fetch = state.handle(computeTask("y", [{ key: "x", whoHas: ["tcp://peer:1"] }]));
    assert.deepEqual(fetch.filter((c) => c.type === "fetch").map((c) => c.type === "fetch" && c.keys), [["x"]]);
    state.handle(computeTask("x"));
    state.handle({ type: "execute-success", key: "x", nbytes: 8, dataType: "number", startstops: [], thread: 0 });
    assert.equal(state.tasks.get("x")?.status, "memory");
    // The copy lands: it replaced the stored value with an identical one, which must stay.
    const landed = state.handle({ type: "fetch-success", peer: "tcp://peer:1", received: [{ key: "x", nbytes: 8 }] });
    assert.deepEqual(forgotten(landed), [], "the key this worker holds is not dropped from its store");
    assert.equal(state.tasks.get("x")?.status, "memory");
  });

  it("drops a fetched copy nobody wants any more", () => {
    const state = new WorkerState({ nthreads: 1, maxIncomingPeers: 10, maxBytesPerRequest: 50e6 });
    state.handle(computeTask("y", [{ key: "x", whoHas: ["tcp://peer:1"] }]));
    state.handle(computeTask("x"));
    const landed = state.handle({ type: "fetch-success", peer: "tcp://peer:1", received: [{ key: "x", nbytes: 8 }] });
    assert.deepEqual(forgotten(landed), ["x"], "x runs here now: the copy is not needed");
  });
});

describe("executeTask", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "tessera-worker-tasks-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("fails a task whose input is gone without unpinning the inputs another task holds", async () => {
    const data = new DataStore({ spillDirectory: dir, compression: false });
    const events: WorkerEvent[] = [];
    const worker = { data, dispatch: (event: WorkerEvent) => events.push(event) } as unknown as WorkerContext;
    data.set("a", new NDArray(allocate("float64", 1024), [1024], { dtype: "float64" }));
    await data.pin(["a"]); // a task running with "a"
    const frames: Uint8Array[] = [];
    const args = packPayload([new TaskRef("a"), new TaskRef("gone")], frames);
    await executeTask(worker, { type: "execute", key: "b", fn, args, frames, prefix: "b" });
    assert.equal(events[0]?.type, "execute-failure");
    assert.match(events[0]?.type === "execute-failure" ? events[0].error.message : "", /input gone of b is not in this worker's memory/);
    assert.equal(await data.evictOne(), 0, "a is still pinned for the task using it");
    data.unpin(["a"]);
    assert.ok((await data.evictOne()) > 0, "and can spill once that task is done");
  });
});
