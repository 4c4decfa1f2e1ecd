/**
 * The worker's pure state machine and the data path around it, in the situations where the
 * order of events matters: a fetched copy landing after the key was computed here, a
 * scattered value landing before the scheduler's free-keys for its earlier copy, a task
 * whose inputs are gone while another task holds them, and a key lost to an unreadable spill
 * file.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkerState, type WorkerCommand, type WorkerEvent } from "../../../src/worker/state/worker-state.js";
import { DataStore } from "../../../src/worker/memory/data-store.js";
import { executeTask } from "../../../src/worker/server/worker-tasks.js";
import type { WorkerContext } from "../../../src/worker/server/worker-context.js";
import { TaskRef, packPayload } from "../../../src/protocol/payload.js";
import { NDArray, allocate } from "../../../src/ndarray/ndarray.js";

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

  it("keeps a value scattered anew when a free-keys sent before the scatter asked comes after it, and only then", () => {
    const state = new WorkerState({ nthreads: 1, maxIncomingPeers: 10, maxBytesPerRequest: 50e6 });
    state.handle({ type: "free-keys", keys: ["other"], seq: 1 });
    // "s" was scattered here, released (free-keys number 2 and 3 on their way) and scattered
    // again: the client's update-data, on its own connection, comes first.
    state.handle({ type: "data-received", received: [{ key: "s", nbytes: 8 }, { key: "t", nbytes: 8 }], afterFreeKeys: 3 });
    assert.deepEqual(forgotten(state.handle({ type: "free-keys", keys: ["s", "gone"], seq: 2 })), [], "free-keys 2 meant the first copy");
    assert.deepEqual(forgotten(state.handle({ type: "free-keys", keys: ["t"], seq: 3 })), []);
    assert.equal(state.tasks.get("s")?.status, "memory");
    // Released again, after the scatter: this one means the copy here.
    assert.deepEqual(forgotten(state.handle({ type: "free-keys", keys: ["s", "t"], seq: 4 })), ["s", "t"]);
    // A scatter with no free-keys on their way changes nothing.
    state.handle({ type: "data-received", received: [{ key: "u", nbytes: 8 }], afterFreeKeys: 4 });
    assert.deepEqual(forgotten(state.handle({ type: "free-keys", keys: ["u"], seq: 5 })), ["u"]);
  });

  it("keeps the larger count when two clients scatter one value (its key is its hash) with different counts", () => {
    const state = new WorkerState({ nthreads: 1, maxIncomingPeers: 10, maxBytesPerRequest: 50e6 });
    state.handle({ type: "free-keys", keys: ["other"], seq: 5 });
    // Client B asked after free-keys 7 left, client A before; B's update-data lands first.
    state.handle({ type: "data-received", received: [{ key: "k", nbytes: 8 }], afterFreeKeys: 7 });
    state.handle({ type: "data-received", received: [{ key: "k", nbytes: 8 }], afterFreeKeys: 6 });
    assert.deepEqual(forgotten(state.handle({ type: "free-keys", keys: ["k"], seq: 6 })), []);
    assert.deepEqual(forgotten(state.handle({ type: "free-keys", keys: ["k"], seq: 7 })), [], "free-keys 7 meant an earlier copy: B's count covers it");
    assert.equal(state.tasks.get("k")?.status, "memory");
    assert.deepEqual(forgotten(state.handle({ type: "free-keys", keys: ["k"], seq: 8 })), ["k"]);
  });
});

const sent = (commands: WorkerCommand[], op: string) => commands.flatMap((command) => (command.type === "send" && command.message.op === op ? [command.message as unknown as Record<string, unknown>] : []));
const executed = (commands: WorkerCommand[]) => commands.flatMap((command) => (command.type === "execute" ? [command.key] : []));
const failure = { error: { name: "LostDataError", message: "lost", stack: "" }, startstops: [], thread: 0 };

describe("WorkerState: a key lost here (its spill file unreadable)", () => {
  /** "a" computed here; "b" and "c" need it; one thread: "b" runs, "c" is ready. */
  function holding(): WorkerState {
    const state = new WorkerState({ nthreads: 1, maxIncomingPeers: 10, maxBytesPerRequest: 50e6 });
    state.handle(computeTask("a"));
    state.handle({ type: "execute-success", key: "a", nbytes: 8, dataType: "number", startstops: [], thread: 0 });
    assert.deepEqual(executed(state.handle(computeTask("b", [{ key: "a", whoHas: [] }]))), ["b"]);
    state.handle(computeTask("c", [{ key: "a", whoHas: [] }]));
    assert.equal(state.tasks.get("c")?.status, "ready");
    return state;
  }

  it("tells the scheduler, holds back the tasks that needed it, and ends the run that could not read it without an error", () => {
    const state = holding();
    const lost = state.handle({ type: "data-lost", keys: ["a"], reason: "its spill file could not be read back: bad checksum" });
    assert.deepEqual(sent(lost, "data-lost"), [{ op: "data-lost", keys: ["a"], reason: "its spill file could not be read back: bad checksum" }]);
    assert.equal(state.tasks.get("a")?.status, "missing");
    assert.equal(state.tasks.get("c")?.status, "waiting", "c must not run without its input");
    const ended = state.handle({ type: "inputs-lost", key: "b", keys: ["a"], ...failure });
    assert.deepEqual(sent(ended, "task-erred"), [], "the task does not fail: its input is recomputed");
    assert.deepEqual(sent(ended, "data-lost"), [], "reported once");
    assert.deepEqual(executed(ended), [], "nothing runs while the input is missing");
    assert.equal(state.tasks.get("b")?.status, "waiting");
    assert.equal(state.executing, 0);
    // The scheduler reruns b and c (free-keys), then sends b again where a now lives.
    state.handle({ type: "free-keys", keys: ["b", "c"] });
    assert.deepEqual([...state.tasks.keys()], [], "b, c and the lost a are gone, with no data to forget");
    const again = state.handle(computeTask("b", [{ key: "a", whoHas: ["tcp://peer:1"] }]));
    assert.deepEqual(again.filter((c) => c.type === "fetch").map((c) => c.type === "fetch" && c.keys), [["a"]]);
  });

  it("takes the key back when the scheduler recomputes it here", () => {
    const state = holding();
    state.handle({ type: "data-lost", keys: ["a"], reason: "gone" });
    state.handle({ type: "inputs-lost", key: "b", keys: ["a"], ...failure });
    state.handle(computeTask("a"));
    const done = state.handle({ type: "execute-success", key: "a", nbytes: 8, dataType: "number", startstops: [], thread: 0 });
    assert.equal(sent(done, "task-finished").length, 1);
    assert.deepEqual(executed(done), ["b"], "its dependents run again");
  });

  it("ignores a loss of a key it does not hold, and a repeated report", () => {
    const state = holding();
    assert.deepEqual(state.handle({ type: "data-lost", keys: ["never-here"], reason: "x" }), []);
    state.handle({ type: "data-lost", keys: ["a"], reason: "x" });
    assert.deepEqual(sent(state.handle({ type: "data-lost", keys: ["a"], reason: "x" }), "data-lost"), []);
  });

  it("fails a task whose arguments name a missing key it does not depend on", () => {
    const state = holding();
    const failed = state.handle({ type: "inputs-lost", key: "b", keys: ["not-a-dependency"], error: { name: "Error", message: "input not-a-dependency of b is not in this worker's memory", stack: "" }, startstops: [], thread: 0 });
    assert.deepEqual(sent(failed, "task-erred").map((m) => (m.error as { message: string }).message), ["input not-a-dependency of b is not in this worker's memory"]);
    assert.equal(state.tasks.get("a")?.status, "memory", "a is untouched");
  });
});

describe("executeTask", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "tessera-worker-tasks-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reports a task whose input is gone without unpinning the inputs another task holds", async () => {
    const data = new DataStore({ spillDirectory: dir, compression: false });
    const events: WorkerEvent[] = [];
    const worker = { data, dispatch: (event: WorkerEvent) => events.push(event) } as unknown as WorkerContext;
    data.set("a", new NDArray(allocate("float64", 1024), [1024], { dtype: "float64" }));
    await data.pin(["a"]); // a task running with "a"
    const frames: Uint8Array[] = [];
    const args = packPayload([new TaskRef("a"), new TaskRef("gone")], frames);
    await executeTask(worker, { type: "execute", key: "b", fn, args, frames, prefix: "b" });
    assert.equal(events[0]?.type, "inputs-lost", "the state decides: recompute a lost dependency, or fail");
    assert.deepEqual(events[0]?.type === "inputs-lost" ? events[0].keys : [], ["gone"]);
    assert.match(events[0]?.type === "inputs-lost" ? events[0].error.message : "", /input gone of b is not in this worker's memory/);
    assert.equal(await data.evictOne(), 0, "a is still pinned for the task using it");
    data.unpin(["a"]);
    assert.ok((await data.evictOne()) > 0, "and can spill once that task is done");
  });

  it("turns an input whose spill file is damaged into a lost key, never a run with wrong numbers", async () => {
    const spillDirectory = mkdtempSync(join(dir, "damaged-"));
    const data = new DataStore({ spillDirectory, compression: false });
    const events: WorkerEvent[] = [];
    data.onLost = (key, reason) => events.push({ type: "data-lost", keys: [key], reason });
    const worker = { data, dispatch: (event: WorkerEvent) => events.push(event) } as unknown as WorkerContext;
    data.set("a", new NDArray((allocate("float64", 1024) as Float64Array).fill(1), [1024], { dtype: "float64" }));
    assert.ok((await data.evictOne()) > 0);
    const file = join(spillDirectory, "1.spill");
    const bytes = readFileSync(file);
    bytes[bytes.byteLength - 8] ^= 0x40; // one bit of the last number
    writeFileSync(file, bytes);
    const frames: Uint8Array[] = [];
    const args = packPayload([new TaskRef("a")], frames);
    await executeTask(worker, { type: "execute", key: "b", fn, args, frames, prefix: "b" });
    assert.deepEqual(events.map((e) => e.type), ["data-lost", "inputs-lost"]);
    assert.match(events[0].type === "data-lost" ? events[0].reason : "", /fails its checksum/);
    assert.deepEqual(events[1].type === "inputs-lost" ? events[1].keys : [], ["a"]);
    assert.ok(!data.has("a"));
  });
});
