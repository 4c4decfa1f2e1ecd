/**
 * A worker reports that it lost keys it held (their spill files could not be read back): the
 * scheduler forgets that replica, restarts the reporter's tasks that needed it, and recomputes
 * the key from its dependencies when that was the last copy; scattered data, which has no
 * recipe, fails what needs it with an error naming the key.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ObservedRecord } from "../../../src/scheduler/state/commands.js";
import { Harness } from "./harness.js";

const reason = "its spill file could not be read back: /scratch/tessera-worker-x/storage/3.spill: frame 0 fails its checksum";

function lostRecords(h: Harness): Array<Extract<ObservedRecord, { kind: "task-lost" }>> {
  return h.log.flatMap((c) => (c.type === "observe" && c.record.kind === "task-lost" ? [c.record] : []));
}

describe("scheduler state: data a worker lost", () => {
  /** a → b → c, one worker: a and b computed, c running on w1 with b as input. */
  function chainRunning(): Harness {
    const h = new Harness();
    h.addWorker("w1");
    h.submit([{ key: "a" }, { key: "b", deps: ["a"] }, { key: "c", deps: ["b"] }], ["c"]);
    h.finish("a");
    h.finish("b");
    assert.equal(h.status("a"), "released", "a is no longer held, but its recipe is kept while b lives");
    assert.equal(h.status("c"), "processing");
    return h;
  }

  it("recomputes the last copy of a lost key from its dependencies, and reruns the task that needed it", () => {
    const h = chainRunning();
    const mark = h.log.length;
    h.send({ type: "data-lost", address: "w1", keys: ["b"], reason, now: h.now });
    assert.deepEqual(h.workerMessages("w1", "free-keys", mark).map((m) => m.keys), [["c"]], "the run of c that could not read b is dropped");
    assert.equal(h.status("b"), "waiting");
    assert.equal(h.status("a"), "processing", "b's dependency is computed again first");
    assert.deepEqual(lostRecords(h).map((r) => [r.key, r.worker, r.reason]), [["b", "w1", reason]]);
    h.finish("a");
    assert.equal(h.status("b"), "processing");
    h.finish("b");
    assert.equal(h.status("c"), "processing");
    const computeC = h.workerMessages("w1", "compute-task", mark).filter((m) => m.key === "c");
    assert.equal(computeC.length, 1);
    assert.deepEqual((computeC[0].deps as Array<{ key: string; whoHas: string[] }>).map((d) => [d.key, d.whoHas]), [["b", ["w1"]]]);
    h.finish("c");
    assert.equal(h.status("c"), "memory");
    assert.deepEqual(h.clientMessages("key-erred"), [], "the user sees no error");
  });

  it("with a copy elsewhere, only restarts the reporter's tasks, with the other holder as source", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.addWorker("w2");
    h.submit([{ key: "b" }, { key: "c", deps: ["b"] }], ["c"]);
    const holder = h.worker("b") as string;
    const other = holder === "w1" ? "w2" : "w1";
    h.finish("b");
    h.send({ type: "keys-added", address: other, keys: [{ key: "b", nbytes: 8 }], now: h.now });
    assert.equal(h.worker("c"), holder);
    const mark = h.log.length;
    h.send({ type: "data-lost", address: holder, keys: ["b"], reason, now: h.now });
    assert.equal(h.status("b"), "memory", "not recomputed: another worker holds it");
    assert.deepEqual(h.state.tasks.get("b")?.whoHas.map((w) => w.address), [other]);
    assert.equal(h.status("c"), "processing");
    const compute = h.log.slice(mark).flatMap((cmd) => (cmd.type === "to-worker" && cmd.message.op === "compute-task" ? [cmd] : []));
    assert.equal(compute.length, 1, "c was sent again");
    assert.deepEqual((compute[0].message as unknown as { deps: Array<{ whoHas: string[] }> }).deps[0].whoHas, [other]);
  });

  it("fails the dependents of lost scattered data with an error naming the key and the cause", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.send({ type: "data-scattered", clientId: "c1", placed: [{ key: "scattered-1", worker: "w1", nbytes: 8, type: "NDArray" }], now: h.now });
    h.submit([{ key: "t", deps: ["scattered-1"] }], ["t"]);
    assert.equal(h.status("t"), "processing");
    h.send({ type: "data-lost", address: "w1", keys: ["scattered-1"], reason, now: h.now });
    const [erred] = h.clientMessages("key-erred");
    assert.equal(erred?.key, "t");
    const error = erred.error as { name: string; message: string };
    assert.equal(error.name, "LostDataError");
    assert.match(error.message, /^input scattered-1 was lost: scattered data was lost on w1 \(its spill file could not be read back: .*fails its checksum\) and cannot be recomputed; scatter it again$/);
    const [cancelled] = h.clientMessages("key-cancelled");
    assert.equal(cancelled?.key, "scattered-1", "the client holding the scattered future hears of it too");
  });

  it("keeps the fresh copy when a peer's report about the lost one arrives after the recompute", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.addWorker("w2");
    h.submit([{ key: "b" }], ["b"]);
    const holder = h.worker("b") as string;
    const peer = holder === "w1" ? "w2" : "w1";
    h.finish("b");
    // The peer asked the holder for b just as the holder found its file damaged.
    h.send({ type: "data-lost", address: holder, keys: ["b"], reason, now: h.now });
    assert.equal(h.worker("b"), holder, "recomputed where it was lost (the placement of a task with no inputs)");
    h.finish("b");
    const mark = h.log.length;
    h.send({ type: "data-missing", address: peer, key: "b", holder, now: h.now });
    assert.equal(h.status("b"), "memory", "not recomputed a second time");
    assert.deepEqual(h.state.tasks.get("b")?.whoHas.map((w) => w.address), [holder], "the holder's fresh copy is still known");
    assert.deepEqual(h.log.slice(mark).filter((c) => c.type === "to-worker"), []);
  });

  it("believes a peer's report about the fresh copy once a task was sent to fetch that copy", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.addWorker("w2");
    h.submit([{ key: "b" }], ["b"]);
    const holder = h.worker("b") as string;
    const peer = holder === "w1" ? "w2" : "w1";
    h.finish("b");
    h.send({ type: "data-lost", address: holder, keys: ["b"], reason, now: h.now });
    assert.equal(h.worker("b"), holder);
    h.finish("b");
    // Later a task on the peer is sent to fetch the holder's fresh copy, and the holder no longer has it.
    h.send({ type: "graph-submitted", clientId: "c1", tasks: [{ key: "c", fn: { builtin: "graph.noop" }, args: [], frames: [], deps: ["b"], workers: [peer] }], wanted: ["c"], now: h.now });
    assert.equal(h.worker("c"), peer);
    const [computeC] = h.workerMessages(peer, "compute-task").filter((m) => m.key === "c");
    assert.deepEqual((computeC.deps as Array<{ key: string; whoHas: string[] }>).map((d) => [d.key, d.whoHas]), [["b", [holder]]]);
    const mark = h.log.length;
    h.send({ type: "data-missing", address: peer, key: "b", holder, now: h.now });
    assert.deepEqual(h.state.tasks.get("b")?.whoHas, [], "the holder is no longer believed to hold b");
    assert.equal(h.status("b"), "processing", "b is computed again");
    assert.deepEqual(h.workerMessages(peer, "free-keys", mark).map((m) => m.keys), [["c"]], "the run of c that could not fetch b is dropped");
    h.finish("b");
    assert.equal(h.status("c"), "processing");
    h.finish("c");
    assert.equal(h.status("c"), "memory");
  });

  it("ignores a report about a key the reporter does not hold", () => {
    const h = new Harness();
    h.addWorker("w1");
    h.addWorker("w2");
    h.submit([{ key: "b" }], ["b"]);
    const holder = h.worker("b") as string;
    h.finish("b");
    const other = holder === "w1" ? "w2" : "w1";
    const out = h.send({ type: "data-lost", address: other, keys: ["b", "unknown"], reason, now: h.now });
    assert.deepEqual(out, []);
    assert.equal(h.status("b"), "memory");
    assert.deepEqual(lostRecords(h), []);
  });
});
