import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Harness } from "./harness.js";

describe("scheduler policy", () => {
  it("moves tasks a busy worker has not started to an idle worker (work stealing)", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.submit([{ key: "seed" }], ["seed"]);
    h.finish("seed", 8, 1);
    // Ten dependents of the seed all land where the seed is.
    h.submit(Array.from({ length: 10 }, (_, i) => ({ key: `work-${i}`, deps: ["seed"] })), Array.from({ length: 10 }, (_, i) => `work-${i}`));
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

  it("keeps a declined steal where it was", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.submit([{ key: "seed" }], ["seed"]);
    h.finish("seed", 8, 1);
    h.submit(Array.from({ length: 5 }, (_, i) => ({ key: `w-${i}`, deps: ["seed"] })), Array.from({ length: 5 }, (_, i) => `w-${i}`));
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
