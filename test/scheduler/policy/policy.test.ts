import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Harness } from "../state/harness.js";

/** w1 (one thread) holds a seed result and `n` dependents of it, none started yet. */
function busyWorker(n: number): Harness {
  const h = new Harness();
  h.addWorker("w1", 1);
  h.submit([{ key: "seed" }], ["seed"]);
  h.finish("seed", 8, 1);
  const keys = Array.from({ length: n }, (_, i) => `work-${i}`);
  h.submit(keys.map((key) => ({ key, deps: ["seed"] })), keys);
  return h;
}

describe("scheduler policy", () => {
  it("moves tasks a busy worker has not started to an idle worker (work stealing)", () => {
    // Ten dependents of the seed all land where the seed is.
    const h = busyWorker(10);
    assert.equal(h.state.workers.get("w1")!.processing.size, 10);
    h.start("work-0");
    h.addWorker("w2", 1);
    h.send({ type: "tick", now: h.now });
    const requests = h.workerMessages("w1", "steal-request");
    assert.ok(requests.length >= 1, "the scheduler asks w1 to give up work");
    assert.ok(!requests.some((r) => r.key === "work-0"), "never the task that is running");
    const key = requests[0].key as string;
    h.send({ type: "steal-response", address: "w1", key, accepted: true, now: h.now });
    assert.equal(h.worker(key), "w2");
    assert.deepEqual(h.workerMessages("w2", "compute-task").map((m) => m.key), [key]);
  });

  it("moves the one waiting task of a worker whose threads are all busy to a worker that joins", () => {
    const h = new Harness();
    h.addWorker("w1", 2);
    h.submit([{ key: "seed" }], ["seed"]);
    h.finish("seed", 8, 1);
    const keys = ["step-0", "step-1", "step-2"];
    h.submit(keys.map((key) => ({ key, deps: ["seed"] })), keys);
    h.start("step-0");
    h.start("step-1");
    h.addWorker("w2", 2);
    h.send({ type: "tick", now: h.now });
    assert.deepEqual(h.workerMessages("w1", "steal-request").map((r) => r.key), ["step-2"]);
  });

  it("moves a root task a worker was sent beyond its threads to a worker that joins, once no root waits in the scheduler's queue", () => {
    const h = new Harness();
    h.addWorker("w1", 2);
    const keys = ["root-0", "root-1", "root-2"];
    h.submit(keys.map((key) => ({ key })), keys);
    assert.equal(h.state.workers.get("w1")!.processing.size, 3, "worker-saturation 1.1 sends 3 roots to 2 threads");
    assert.equal(h.state.queued.size, 0);
    h.start("root-0");
    h.start("root-1");
    h.addWorker("w2", 2);
    h.send({ type: "tick", now: h.now });
    assert.deepEqual(h.workerMessages("w1", "steal-request").map((r) => r.key), ["root-2"]);
  });

  it("leaves a tiny task where its large input lives, and moves a long one (Dask's cost levels)", () => {
    // w1 holds a 125 KB chunk and 40 dependents of it; each dependent's kind has been seen
    // running for `seconds`. Moving the chunk costs 1.25 ms + Dask's 100 ms steal latency.
    function stealsWith(seconds: number, chunkBytes = 125_000): number {
      const h = new Harness();
      h.addWorker("w1", 1);
      h.submit([{ key: "chunk" }], ["chunk"]);
      h.finish("chunk", chunkBytes, 0.001);
      const keys = Array.from({ length: 40 }, (_, i) => `partial-${i}`);
      h.submit(keys.map((key) => ({ key, deps: ["chunk"] })), keys);
      h.start("partial-0");
      h.finish("partial-0", 24, seconds);
      h.start("partial-1");
      h.addWorker("w2", 1);
      h.send({ type: "tick", now: h.now });
      return h.workerMessages("w1", "steal-request").length;
    }
    assert.equal(stealsWith(0.0001), 0, "a 0.1 ms task never pulls a 125 KB chunk across the network");
    assert.equal(stealsWith(0.05), 1, "a 50 ms task behind 38 others is worth the transfer");
    assert.equal(stealsWith(0.2, 4e9), 0, "not when its 40 s transfer exceeds the wait on the busy worker");
  });

  it("gives a task to one thief only when several workers are idle", () => {
    const h = busyWorker(10);
    h.addWorker("w2", 1);
    h.addWorker("w3", 1);
    h.send({ type: "tick", now: h.now });
    const keys = h.workerMessages("w1", "steal-request").map((r) => r.key);
    assert.equal(keys.length, 2, "one task for each idle worker");
    assert.equal(new Set(keys).size, keys.length, "no task is asked for twice");
  });

  it("keeps a declined steal where it was", () => {
    const h = busyWorker(5);
    h.addWorker("w2", 1);
    h.send({ type: "tick", now: h.now });
    const [request] = h.workerMessages("w1", "steal-request");
    h.send({ type: "steal-response", address: "w1", key: request.key as string, accepted: false, now: h.now });
    assert.equal(h.worker(request.key as string), "w1");
  });

  it("finishes chunks before loading new ones, so memory stays bounded", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    const n = 50;
    const tasks = [];
    for (let i = 0; i < n; i++) {
      tasks.push({ key: `('load-0a1b2c3d', ${i})` });
      tasks.push({ key: `('filter-0a1b2c3d', ${i})`, deps: [`('load-0a1b2c3d', ${i})`] });
    }
    tasks.push({ key: "total", deps: Array.from({ length: n }, (_, i) => `('filter-0a1b2c3d', ${i})`) });
    h.submit(tasks, ["total"]);
    let peakLoads = 0;
    for (let guard = 0; guard < 10 * n && h.status("total") !== "memory"; guard++) {
      const running = h.processingKeys().sort((a, b) => h.state.tasks.get(a)!.order - h.state.tasks.get(b)!.order);
      h.finish(running[0]);
      const loadsInMemory = [...h.state.tasks.values()].filter((t) => t.key.startsWith("('load") && t.status === "memory").length;
      peakLoads = Math.max(peakLoads, loadsInMemory);
    }
    assert.equal(h.status("total"), "memory");
    assert.ok(peakLoads <= 3, `at most a few loaded chunks wait in memory at once (saw ${peakLoads})`);
  });
});
