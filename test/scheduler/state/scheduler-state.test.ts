import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Harness } from "./harness.js";

describe("scheduler state: the life of a graph", () => {
  it("runs a chain in order and forgets everything once the result is released", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.submit([{ key: "a" }, { key: "b", deps: ["a"] }, { key: "c", deps: ["b"] }], ["c"]);
    assert.equal(h.status("a"), "processing");
    assert.equal(h.status("b"), "waiting");
    h.finish("a");
    assert.equal(h.status("b"), "processing");
    const compute = h.workerMessages("w1", "compute-task").find((m) => m.key === "b") as { deps: Array<{ key: string; whoHas: string[] }> };
    assert.deepEqual(compute.deps, [{ key: "a", whoHas: ["w1"], nbytes: 8 }]);
    h.finish("b");
    assert.equal(h.status("a"), "released", "a's result is freed once b no longer needs it");
    assert.ok(h.workerMessages("w1", "free-keys").some((m) => (m.keys as string[]).includes("a")));
    h.finish("c");
    assert.equal(h.status("c"), "memory");
    assert.deepEqual(h.clientMessages("key-in-memory").map((m) => m.key), ["c"]);
    h.send({ type: "keys-released", clientId: "c1", keys: ["c"], now: h.now });
    assert.equal(h.state.tasks.size, 0, "nothing is left once the client released its result");
  });

  it("queues root tasks so a worker holds at most ceil(1.1 × threads) of them", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.addWorker("w2", 2);
    h.submit(Array.from({ length: 50 }, (_, i) => ({ key: `load-${i}` })), Array.from({ length: 50 }, (_, i) => `load-${i}`));
    const onW1 = [...h.state.workers.get("w1")!.processing].length;
    const onW2 = [...h.state.workers.get("w2")!.processing].length;
    assert.equal(onW1, 2);
    assert.equal(onW2, 3);
    assert.equal(h.state.queued.size, 45);
    h.finish(h.processingKeys().find((k) => h.worker(k) === "w1")!);
    assert.equal([...h.state.workers.get("w1")!.processing].length, 2, "a freed slot is refilled from the queue");
    assert.equal(h.state.queued.size, 44);
  });

  it("lets a worker hold enough tiny tasks to cover the messaging round trip", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.submit(Array.from({ length: 200 }, (_, i) => ({ key: `noop-${i}` })), Array.from({ length: 200 }, (_, i) => `noop-${i}`));
    assert.equal(h.state.workers.get("w1")!.processing.size, 2, "unknown durations: the base saturation");
    h.finish(h.processingKeys()[0], 8, 0.00001);
    assert.ok(h.state.workers.get("w1")!.processing.size > 30, "10 µs tasks: many in flight");
    const big = new Harness();
    big.addWorker("w1", 1);
    big.submit(Array.from({ length: 200 }, (_, i) => ({ key: `load-${i}` })), Array.from({ length: 200 }, (_, i) => `load-${i}`));
    big.finish(big.processingKeys()[0], 50_000_000, 0.00001);
    assert.equal(big.state.workers.get("w1")!.processing.size, 2, "tiny but large results: no extra loaders");
  });

  it("hands queued work to a worker that joins later", () => {
    const h = new Harness();
    h.submit([{ key: "x" }, { key: "y" }], ["x", "y"]);
    assert.equal(h.status("x"), "no-worker");
    h.addWorker("w1", 2);
    assert.equal(h.status("x"), "processing");
    assert.equal(h.status("y"), "processing");
  });

  it("places a dependent where its input is", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.addWorker("w2");
    h.submit([{ key: "a" }, { key: "b" }], ["a", "b"]);
    const holder = h.worker("a")!;
    h.finish("a", 50_000_000);
    h.finish("b", 8);
    h.submit([{ key: "c", deps: ["a"] }], ["c"]);
    assert.equal(h.worker("c"), holder);
  });

  it("passes a task's error to its dependents with the task key", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.submit([{ key: "a" }, { key: "b", deps: ["a"] }], ["b"]);
    h.fail("a", "bad input");
    assert.equal(h.status("b"), "erred");
    const [erred] = h.clientMessages("key-erred");
    assert.equal(erred.key, "b");
    assert.deepEqual((erred.error as { message: string; taskKey: string }).message, "bad input");
    assert.equal((erred.error as { taskKey: string }).taskKey, "a");
  });

  it("retries a failing task before giving up", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.submit([{ key: "a", retries: 2 }], ["a"]);
    h.fail("a");
    h.fail("a");
    assert.equal(h.status("a"), "processing");
    h.fail("a");
    assert.equal(h.status("a"), "erred");
  });

  it("recomputes a lost result from its lineage when its worker dies", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.addWorker("w2");
    h.submit([{ key: "a" }, { key: "b", deps: ["a"] }, { key: "big" }], ["b"]);
    const holder = h.worker("a")!;
    h.finish("a");
    const other = holder === "w1" ? "w2" : "w1";
    assert.equal(h.worker("b"), holder);
    h.kill(holder);
    assert.equal(h.status("a"), "processing", "a is computed again");
    assert.equal(h.worker("a"), other);
    assert.equal(h.status("b"), "waiting");
    h.finish("a");
    h.finish("b");
    assert.equal(h.status("b"), "memory");
  });

  it("errs with KilledWorker after allowedFailures + 1 deaths while executing", () => {
    const h = new Harness({ allowedFailures: 2 });
    for (let i = 0; i < 3; i++) {
      h.addWorker(`w${i}`);
    }
    h.submit([{ key: "poison" }], ["poison"]);
    for (let death = 0; death < 3; death++) {
      const address = h.worker("poison")!;
      h.start("poison");
      h.kill(address);
      h.addWorker(`fresh-${death}`);
    }
    assert.equal(h.status("poison"), "erred");
    const [erred] = h.clientMessages("key-erred");
    assert.match((erred.error as { message: string }).message, /Attempted to run task 'poison' on 3 different workers/);
    assert.equal((erred.error as { name: string }).name, "KilledWorker");
  });

  it("does not blame tasks that were only queued on a dying worker", () => {
    const h = new Harness({ allowedFailures: 0 });
    h.addWorker("w1", 1);
    h.addWorker("w2", 1);
    h.submit([{ key: "a" }, { key: "b", deps: ["a"] }, { key: "c", deps: ["a"] }], ["b", "c"]);
    h.finish("a");
    const holder = h.worker("b")!;
    h.start("b");
    h.kill(holder);
    assert.equal(h.status("b"), "erred", "the executing task is blamed");
    assert.notEqual(h.status("c"), "erred", "the merely assigned task is not");
  });

  it("moves unique results off a retiring worker before closing it", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.submit([{ key: "a" }], ["a"]);
    h.finish("a");
    h.addWorker("w2");
    h.send({ type: "retire-workers", addresses: [h.state.tasks.get("a")!.whoHas[0].address], now: h.now });
    const retiring = h.state.tasks.get("a")!.whoHas[0].address;
    const target = retiring === "w1" ? "w2" : "w1";
    const [acquire] = h.workerMessages(target, "acquire-replicas");
    assert.deepEqual(acquire.deps, [{ key: "a", whoHas: [retiring], nbytes: 8 }]);
    h.send({ type: "keys-added", address: target, keys: [{ key: "a", nbytes: 8 }], now: h.now });
    h.send({ type: "tick", now: h.now });
    assert.ok(h.log.some((c) => c.type === "close-worker" && c.address === retiring && c.graceful));
  });

  it("rejects a graph that depends on an unknown key, naming it", () => {
    const h = new Harness();
    h.submit([{ key: "b", deps: ["ghost"] }], ["b"]);
    const [erred] = h.clientMessages("key-erred");
    assert.match((erred.error as { message: string }).message, /depends on ghost/);
    assert.equal(h.state.tasks.size, 0);
  });

  it("removes a worker that stops sending heartbeats", () => {
    const h = new Harness({ workerTtl: 30 });
    h.addWorker("w1");
    h.now += 31;
    h.send({ type: "tick", now: h.now });
    assert.equal(h.state.workers.size, 0);
  });
});
