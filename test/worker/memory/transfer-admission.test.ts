/**
 * Transfers in the admission by memory (task-admission.ts admitTransfer, holdForServing), against
 * a fake process: data fetched from a peer waits, in turn, until it fits beside the running
 * tasks (alone, room is made first); spilled data read back for a peer waits for the tasks
 * running when it asked, never for transfers or for tasks still waiting to start, and tasks
 * admitted meanwhile count what either holds. And the worker's wiring: its fetch command
 * carries the bytes it will bring in, and serving a spilled value asks the admission first.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TaskAdmission, type AdmissionHost } from "../../../src/worker/memory/task-admission.js";
import { WorkerState } from "../../../src/worker/state/worker-state.js";

const MiB = 2 ** 20;

function fakeHost(rss: number, garbage = 0) {
  const state = { rss, collections: 0 };
  const host: AdmissionHost = {
    readRss: () => state.rss,
    evictOne: async () => 0,
    collectEverywhere: async () => {
      state.collections++;
      state.rss -= garbage;
      garbage = 0;
    },
  };
  return { host, state };
}

const task = (key: string, inputBytes = 10 * MiB) => ({ key, prefix: "merge", inputBytes, loadBytes: 0 });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("transfers in the admission by memory", () => {
  it("lets a fetch that fits beside the running task in at once, and keeps one that does not waiting until that task ends", async () => {
    const { host } = fakeHost(170 * MiB);
    const admission = new TaskAdmission(200 * MiB, host);
    await admission.admit(task("merge")); // 170 + 20
    (await admission.admitTransfer(10 * MiB))(); // 200 fits
    let fetched = false;
    const fetch = admission.admitTransfer(16 * MiB).then((release) => ((fetched = true), release));
    await turn();
    assert.equal(fetched, false, "170 + 20 reserved + 16 is above the line");
    admission.finish("merge");
    (await fetch)();
    assert.equal(fetched, true);
  });

  it("counts a fetch under way for the tasks admitted after it", async () => {
    const { host } = fakeHost(170 * MiB);
    const admission = new TaskAdmission(200 * MiB, host);
    const release = await admission.admitTransfer(16 * MiB);
    let started = false;
    const next = admission.admit(task("merge")).then(() => (started = true));
    await turn();
    assert.equal(started, false, "170 + 16 in flight + 20 is above the line");
    release();
    await next;
  });

  it("alone, makes room for a fetch that does not fit (the garbage a finished task left), then lets it in", async () => {
    const { host, state } = fakeHost(190 * MiB, 40 * MiB);
    const admission = new TaskAdmission(200 * MiB, host);
    (await admission.admitTransfer(16 * MiB))();
    assert.deepEqual([state.collections, state.rss / MiB], [1, 150]);
    assert.equal(admission.overcommitted, 0);
  });

  it("makes room again for a task that made room, then waited for a read-back that left garbage", async () => {
    const { host, state } = fakeHost(190 * MiB);
    const admission = new TaskAdmission(200 * MiB, host);
    let serving: Promise<() => void> | undefined;
    host.collectEverywhere = async () => {
      state.collections++;
      state.rss -= state.collections === 1 ? 30 * MiB : 16 * MiB;
      serving ??= admission.holdForServing(16 * MiB); // a peer asks while the room is being made: 160 + 16 fits
    };
    let started = false;
    const merge = admission.admit(task("merge", 15 * MiB)).then(() => (started = true)); // needs 30: 190 + 30, alone: makes room
    while (!serving) await turn();
    const release = await serving;
    await turn();
    assert.equal(started, false, "160 + 16 held + 30 is above the line");
    state.rss += 16 * MiB; // what was read back and sent is garbage now
    release();
    await merge;
    assert.deepEqual([state.collections, state.rss / MiB, admission.overcommitted], [2, 160, 0], "the room is made again, not started at 176 + 30");
  });

  it("reads back for a peer once the tasks running when it asked have ended, not waiting for transfers or later tasks", async () => {
    const { host } = fakeHost(160 * MiB);
    const admission = new TaskAdmission(200 * MiB, host);
    await admission.admit(task("merge"));
    const fetchRelease = await admission.admitTransfer(10 * MiB); // 190
    let served = false;
    const serve = admission.holdForServing(16 * MiB).then((release) => ((served = true), release));
    await turn();
    assert.equal(served, false, "160 + 30 reserved + 16 is above the line");
    admission.finish("merge");
    const release = await serve;
    assert.equal(served, true, "the fetch under way is not waited for: it may wait on this very reply elsewhere");
    let started = false;
    const next = admission.admit(task("next")).then(() => (started = true));
    await turn();
    assert.equal(started, false, "160 + 10 + 16 held + 20 is above the line");
    release();
    fetchRelease();
    await next;
  });

  it("after making room for a read-back, waits for a task admitted meanwhile too", async () => {
    const { host, state } = fakeHost(190 * MiB, 20 * MiB);
    const admission = new TaskAdmission(200 * MiB, host);
    const collect = host.collectEverywhere;
    let admitted = () => {};
    const merge = new Promise<void>((resolve) => (admitted = resolve));
    host.collectEverywhere = async () => {
      await collect();
      await admission.admit(task("merge")); // 170 + 20: admitted while the room was being made
      admitted();
    };
    let served = false;
    const serve = admission.holdForServing(16 * MiB).then((release) => ((served = true), release));
    assert.equal(await Promise.race([merge.then(() => "merge admitted"), serve.then(() => "served")]), "merge admitted", "room is made first");
    await turn();
    assert.equal(served, false, "170 + 20 reserved + 16 is above the line: it waits for the merge");
    assert.equal(state.collections, 1);
    admission.finish("merge");
    (await serve)();
    assert.equal(served, true);
  });

  it("reads back at once when it fits, and is off without a limit", async () => {
    const { host, state } = fakeHost(100 * MiB);
    (await new TaskAdmission(200 * MiB, host).holdForServing(16 * MiB))();
    (await new TaskAdmission(Infinity, host).admitTransfer(10_000 * MiB))();
    (await new TaskAdmission(Infinity, host).holdForServing(10_000 * MiB))();
    assert.equal(state.collections, 0);
  });
});

describe("a worker's fetch", () => {
  it("carries the bytes it brings in, for the admission", () => {
    const state = new WorkerState({ nthreads: 1, maxIncomingPeers: 10, maxBytesPerRequest: 50e6 });
    const commands = state.handle({
      type: "compute-task", key: "y", runId: 1, priority: [0, 0], fn: { builtin: "graph.identity" }, args: [], frames: [], prefix: "y",
      deps: [{ key: "a", whoHas: ["tcp://peer:1"], nbytes: 3 * MiB }, { key: "b", whoHas: ["tcp://peer:1"], nbytes: 5 * MiB }],
    });
    const fetch = commands.find((command) => command.type === "fetch");
    assert.ok(fetch && fetch.type === "fetch");
    assert.deepEqual([fetch.keys.sort(), fetch.nbytes], [["a", "b"], 8 * MiB]);
  });
});
