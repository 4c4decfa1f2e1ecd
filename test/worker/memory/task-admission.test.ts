/**
 * Admission by memory (task-admission.ts) against a fake process: a task starts only when its
 * inputs read back and its kind's growth fit below the line; otherwise it waits for running
 * tasks to end, or (alone) spills and collects first, and starts anyway when nothing more can
 * be freed. And the room a worker leaves a task (task-room.ts), as the plan check reads it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TaskAdmission, unseenGrowth, type AdmissionHost } from "../../../src/worker/memory/task-admission.js";
import { describeRoom, taskRoomMetrics, taskRoomOf } from "../../../src/worker/memory/task-room.js";
import { resolveMemoryPolicy } from "../../../src/worker/memory/memory-policy.js";

const MiB = 2 ** 20;

/** A process of `rss` bytes holding `evictable` stored bytes that spilling frees (after a collection). */
function fakeHost(rss: number, evictable: number[] = [], garbage = 0) {
  const state = { rss, evicted: 0, collections: 0, pendingFree: 0 };
  const host: AdmissionHost = {
    readRss: () => state.rss,
    evictOne: async () => {
      const bytes = evictable.shift() ?? 0;
      state.evicted += bytes;
      state.pendingFree += bytes;
      return bytes;
    },
    collectEverywhere: async () => {
      state.collections++;
      state.rss -= state.pendingFree + garbage;
      state.pendingFree = 0;
      garbage = 0;
    },
  };
  return { host, state };
}

const task = (key: string, inputBytes = 10 * MiB, loadBytes = 0, prefix = "merge") => ({ key, prefix, inputBytes, loadBytes });

describe("admission by memory", () => {
  it("counts inputs read back plus the kind's growth, learnt from what it measured", () => {
    const { host } = fakeHost(100 * MiB);
    const admission = new TaskAdmission(200 * MiB, host);
    assert.equal(admission.need(task("a", 10 * MiB, 4 * MiB)), 4 * MiB + unseenGrowth * 10 * MiB, "a kind not yet seen: its output and a working copy");
    admission.finish("a", { prefix: "merge", inputBytes: 10 * MiB, peakBytes: 13 * MiB });
    assert.equal(admission.need(task("b", 10 * MiB, 4 * MiB)), 7 * MiB, "then what it measured beyond its inputs");
  });

  it("starts a task that fits at once, without spilling", async () => {
    const { host, state } = fakeHost(100 * MiB, [50 * MiB]);
    const admission = new TaskAdmission(200 * MiB, host);
    await admission.admit(task("a"));
    assert.deepEqual([state.evicted, state.collections], [0, 0]);
  });

  it("keeps a task that does not fit beside a running one waiting until that one ends", async () => {
    const { host, state } = fakeHost(165 * MiB, [50 * MiB]);
    const admission = new TaskAdmission(200 * MiB, host);
    await admission.admit(task("a")); // 165 + 20 fits
    let started = false;
    const second = admission.admit(task("b")).then(() => (started = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started, false, "165 + 20 reserved + 20 more is above the line");
    assert.equal(state.evicted, 0, "nothing is spilled from under a running task");
    admission.finish("a");
    await second;
    assert.equal(started, true);
  });

  it("alone, spills and collects until the task fits, then starts it", async () => {
    const { host, state } = fakeHost(190 * MiB, [8 * MiB, 8 * MiB, 8 * MiB, 8 * MiB]);
    const admission = new TaskAdmission(200 * MiB, host);
    await admission.admit(task("a")); // needs 20: 190 − 2 × 8 (= 174) + 20 ≤ 200
    assert.deepEqual([state.evicted / MiB, state.collections, state.rss / MiB], [16, 1, 174]);
    assert.equal(admission.overcommitted, 0);
  });

  it("starts a task anyway when nothing more can be freed (it would wait for ever)", async () => {
    const { host, state } = fakeHost(195 * MiB, [4 * MiB], 1 * MiB);
    const admission = new TaskAdmission(200 * MiB, host);
    await admission.admit(task("a"));
    assert.equal(state.collections, 1, "the room is made once");
    assert.equal(admission.overcommitted, 1);
  });

  it("admits one task at a time: two alone when they came do not both take the room one made", async () => {
    const { host, state } = fakeHost(190 * MiB, [30 * MiB]);
    const admission = new TaskAdmission(195 * MiB, host);
    const order: string[] = [];
    const a = admission.admit(task("a")).then(() => order.push("a"));
    const b = admission.admit(task("b")).then(() => order.push("b"));
    await a;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ["a"], "b waits: 160 + 20 reserved + 20 is above the line");
    assert.equal(state.collections, 1);
    admission.finish("a");
    await b;
    assert.deepEqual(order, ["a", "b"]);
  });

  it("lets others start while a task waits on others (seceded): its reservation ends", async () => {
    const { host } = fakeHost(170 * MiB);
    const admission = new TaskAdmission(200 * MiB, host);
    await admission.admit(task("waits"));
    const next = admission.admit(task("b"));
    admission.finish("waits"); // as the worker does when it secedes
    await next;
  });

  it("is off without a limit", async () => {
    const { host, state } = fakeHost(10_000 * MiB, [8 * MiB]);
    const admission = new TaskAdmission(Infinity, host);
    await admission.admit(task("a"));
    assert.equal(admission.enabled, false);
    assert.equal(state.collections, 0);
  });
});

describe("the room a worker leaves a task", () => {
  it("is the terminate line less the worker's own memory, and the plan reads it from the heartbeat", () => {
    const policy = resolveMemoryPolicy(256 * MiB, {});
    const metrics = taskRoomMetrics(policy, 100 * MiB) as NonNullable<ReturnType<typeof taskRoomMetrics>>;
    assert.equal(metrics.taskRoomBytes, 0.95 * 256 * MiB - 100 * MiB);
    const room = taskRoomOf(256 * MiB, { ...metrics, memory: 1 });
    assert.equal(room.room, metrics.taskRoomBytes);
    assert.equal(describeRoom(room), " leaves a task (143.20 MiB: the 95% at which its nanny restarts it, less the 100.00 MiB the worker itself takes)");
    assert.deepEqual(taskRoomOf(256 * MiB, { memory: 1 }), { limit: 256 * MiB, room: 256 * MiB }, "not reported yet: the whole limit");
    assert.equal(describeRoom(taskRoomOf(256 * MiB, undefined)), "");
    assert.equal(taskRoomMetrics(resolveMemoryPolicy(0, {}), 100 * MiB), undefined, "no limit, no room to report");
    assert.equal(taskRoomMetrics(resolveMemoryPolicy(256 * MiB, { memoryTerminateFraction: false }), 56 * MiB)?.taskRoomBytes, 200 * MiB, "terminate off: the whole limit");
  });
});
