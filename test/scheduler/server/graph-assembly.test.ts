/**
 * Issue 10, graph intake in parts: a graph sent as update-graph parts is staged part by part,
 * its tasks inert (released, wanted by nobody, never run) until its last part; meanwhile the
 * scheduler serves other clients; a part out of order, an abandoned submission, a refused
 * part and a client that goes away leave nothing registered. Spoken here as
 * a raw protocol peer over a real socket, so each step is under the test's control.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { SchedulerServer } from "../../../src/scheduler/server/scheduler-server.js";
import { WorkerServer } from "../../../src/worker/server/worker-server.js";
import { Client } from "../../../src/client/client.js";
import { connect } from "../../../src/comm/connect.js";
import type { Connection } from "../../../src/comm/connection.js";
import type { Message } from "../../../src/protocol/messages.js";
import { createLogger } from "../../../src/core/log.js";
import { unpackPayload } from "../../../src/protocol/payload.js";
import { waitFor } from "../../engine/cluster-processes.js";

const add = { source: "(...xs) => xs.reduce((a, b) => a + b, 0)", name: "add" };
const ref = (key: string) => ({ $ref: key });

/** A chain of `n` tasks `prefix-0` … `prefix-(n-1)`: each adds 1 to the one before. */
function chain(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    key: `${prefix}-${i}`, fn: add, args: i === 0 ? [1] : [ref(`${prefix}-${i - 1}`), 1], f: [] as number[], deps: i === 0 ? [] : [`${prefix}-${i - 1}`],
  }));
}

describe("graphs arriving in parts", () => {
  let scheduler: SchedulerServer;
  let worker: WorkerServer;
  let raw: Connection;
  const arrived: Message[] = [];
  before(async () => {
    scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0" });
    worker = await WorkerServer.start({ schedulerAddress: scheduler.address, credential: scheduler.credential });
    raw = await connect(scheduler.address, { credential: scheduler.credential, logger: createLogger("test"), timeout: 5 });
    raw.start((message) => arrived.push(message));
    await raw.request({ op: "register-client" });
  });
  after(async () => {
    raw?.close();
    await worker?.close();
    await scheduler?.close();
  });

  const registered = (prefix: string) => [...scheduler.state.tasks.keys()].filter((key) => key.startsWith(`${prefix}-`));

  it("stages the parts inert, serves another client meanwhile, and computes the graph with its last part", async () => {
    const tasks = chain("held", 30);
    const part = (index: number, last: boolean) => ({ submission: "s-held", index, last });
    await raw.request({ op: "update-graph", tasks: tasks.slice(0, 10), wanted: [], part: part(0, false) });
    await raw.request({ op: "update-graph", tasks: tasks.slice(10, 20), wanted: [], part: part(1, false) });
    assert.equal(scheduler.graphs.heldTasks, 20);
    const inert = () => registered("held").every((key) => {
      const task = scheduler.state.tasks.get(key);
      return task?.status === "released" && !task.isWanted;
    });
    assert.equal(registered("held").length, 20, "each part is staged as it arrives");
    assert.ok(inert(), "staged tasks are inert: released and wanted by nobody");
    // Another client is served, start to finish, while the graph is still arriving.
    const other = await Client.connect(scheduler.address, { credential: scheduler.credential, setAsDefault: false });
    try {
      assert.equal(await other.submit((x: number) => x * 2, 21).result(), 42);
    } finally {
      await other.close();
    }
    assert.equal(scheduler.graphs.heldTasks, 20, "the graph was still arriving when the other client got its result");
    assert.ok(inert(), "nothing of the incomplete graph ran");
    assert.equal(arrived.some((m) => m.op === "key-in-memory" && m.key.startsWith("held-")), false);
    await raw.request({ op: "update-graph", tasks: tasks.slice(20), wanted: ["held-29"], part: part(2, true) });
    assert.equal(scheduler.graphs.heldTasks, 0);
    await waitFor(() => arrived.some((m) => m.op === "key-in-memory" && m.key === "held-29"), "the result of the graph sent in parts");
    const fromWorker = await connect(worker.address, { credential: scheduler.credential, logger: createLogger("test"), timeout: 5 });
    try {
      fromWorker.start(() => {});
      const reply = await fromWorker.request({ op: "get-data", keys: ["held-29"] });
      assert.equal(unpackPayload((reply.result as { data: Record<string, unknown> }).data["held-29"], reply.frames), 30);
    } finally {
      fromWorker.close();
    }
  });

  it("drops a submission whose part comes out of order, and registers nothing of it", async () => {
    const tasks = chain("skip", 30);
    await raw.request({ op: "update-graph", tasks: tasks.slice(0, 10), wanted: [], part: { submission: "s-skip", index: 0, last: false } });
    await assert.rejects(
      raw.request({ op: "update-graph", tasks: tasks.slice(20), wanted: ["skip-29"], part: { submission: "s-skip", index: 2, last: true } }),
      /part 2 of graph submission "s-skip" arrived where part 1 was expected; the whole submission is dropped/,
    );
    assert.equal(scheduler.graphs.heldTasks, 0);
    assert.deepEqual(registered("skip"), []);
    // The client is still served: the same keys, sent whole, compute.
    await raw.request({ op: "update-graph", tasks: tasks.slice(0, 3), wanted: ["skip-2"] });
    await waitFor(() => arrived.some((m) => m.op === "key-in-memory" && m.key === "skip-2"), "a later graph of the same client");
  });

  it("drops a submission the client abandons, or whose part is refused, and one whose client goes away", async () => {
    const tasks = chain("gone", 20);
    await raw.request({ op: "update-graph", tasks: tasks.slice(0, 10), wanted: [], part: { submission: "s-abandoned", index: 0, last: false } });
    assert.equal(scheduler.graphs.heldTasks, 10);
    assert.equal(registered("gone").length, 10);
    raw.send({ op: "abandon-graph", submission: "s-abandoned" });
    await raw.request({ op: "scheduler-info" }); // after the abandon on the same connection
    assert.equal(scheduler.graphs.heldTasks, 0);
    assert.deepEqual(registered("gone"), [], "the abandoned submission's tasks are forgotten");

    await raw.request({ op: "update-graph", tasks: tasks.slice(0, 10), wanted: [], part: { submission: "s-frames", index: 0, last: false } });
    const needsFrame = { ...tasks[10], args: { $nd: ["float64", [1], 0] }, f: [0] };
    await assert.rejects(
      raw.request({ op: "update-graph", tasks: [needsFrame], wanted: [], part: { submission: "s-frames", index: 1, last: true } }),
      /part 1 of graph submission "s-frames" was refused, and the whole submission with it: task gone-10 refers to a missing frame/,
    );
    assert.equal(scheduler.graphs.heldTasks, 0);
    assert.deepEqual(registered("gone"), []);

    const leaving = await connect(scheduler.address, { credential: scheduler.credential, logger: createLogger("test"), timeout: 5 });
    leaving.start(() => {});
    await leaving.request({ op: "register-client" });
    await leaving.request({ op: "update-graph", tasks: tasks.slice(0, 10), wanted: [], part: { submission: "s-left", index: 0, last: false } });
    assert.equal(scheduler.graphs.heldTasks, 10);
    leaving.close();
    await waitFor(() => scheduler.graphs.heldTasks === 0, "the parts of a client that went away are dropped");
    assert.deepEqual(registered("gone"), []);
  });

  it("links a dependency that arrives in a later part than its dependent, and fails a graph whose dependency never comes", async () => {
    const tasks = chain("reversed", 30).reverse(); // every dependent before its dependency
    const part = (index: number, last: boolean) => ({ submission: "s-reversed", index, last });
    await raw.request({ op: "update-graph", tasks: tasks.slice(0, 10), wanted: [], part: part(0, false) });
    await raw.request({ op: "update-graph", tasks: tasks.slice(10, 20), wanted: [], part: part(1, false) });
    await raw.request({ op: "update-graph", tasks: tasks.slice(20), wanted: ["reversed-29"], part: part(2, true) });
    await waitFor(() => arrived.some((m) => m.op === "key-in-memory" && m.key === "reversed-29"), "the result of the graph sent dependents first");

    const orphan = chain("orphan", 12).slice(1); // orphan-0, which orphan-1 needs, is never sent
    await raw.request({ op: "update-graph", tasks: orphan.slice(0, 6), wanted: [], part: { submission: "s-orphan", index: 0, last: false } });
    await raw.request({ op: "update-graph", tasks: orphan.slice(6), wanted: ["orphan-11"], part: { submission: "s-orphan", index: 1, last: true } });
    await waitFor(() => arrived.some((m) => m.op === "key-erred" && m.key === "orphan-11"), "the graph's failure");
    const erred = arrived.find((m) => m.op === "key-erred" && m.key === "orphan-11") as Extract<Message, { op: "key-erred" }>;
    assert.match(erred.error.message, /task orphan-1 depends on orphan-0, which is neither in the graph nor on the cluster/);
    assert.deepEqual(registered("orphan"), [], "nothing of the failed graph remains");
  });

  it("does not want a key the client released while its graph was arriving", async () => {
    const tasks = chain("unwanted", 4);
    const registration = scheduler.state.clients;
    await raw.request({ op: "update-graph", tasks: tasks.slice(0, 2), wanted: [], part: { submission: "s-unwanted", index: 0, last: false } });
    raw.send({ op: "release-keys", keys: ["unwanted-3"] });
    await raw.request({ op: "update-graph", tasks: tasks.slice(2), wanted: ["unwanted-3"], part: { submission: "s-unwanted", index: 1, last: true } });
    const task = scheduler.state.tasks.get("unwanted-3");
    assert.ok(task, "the graph was taken in");
    assert.ok([...registration.values()].every((client) => !client.wants.has(task)), "no client wants the released key");
  });
});
