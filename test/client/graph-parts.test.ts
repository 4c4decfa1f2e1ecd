/**
 * Issue 10, submission in parts: a client sends a graph larger than `graphPartTasks` as
 * several update-graph parts (the part size set small here, so a small graph makes many),
 * and it computes the right values; a part that would be refused fails the whole submission
 * with a clear error naming the task and leaves nothing registered on the scheduler, and
 * the client carries on.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { SchedulerServer } from "../../src/scheduler/server/scheduler-server.js";
import { WorkerServer } from "../../src/worker/server/worker-server.js";
import { Client } from "../../src/client/client.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { TaskGraph, makeTask } from "../../src/graph/task-graph.js";
import { functionRefOf } from "../../src/graph/function-travel.js";
import { TaskRef } from "../../src/protocol/payload.js";
import * as ta from "../../src/array/index.js";
import { execFileSync } from "node:child_process";

const add = functionRefOf((...xs: number[]) => xs.reduce((a, b) => a + b, 0));

/** `n` leaves `prefix-i` (value i) summed pairwise up a tree into `prefix-total`. */
function treeSum(prefix: string, n: number, extra: (i: number) => object = () => ({})): TaskGraph {
  const graph = new TaskGraph();
  let level = Array.from({ length: n }, (_, i) => {
    graph.add(makeTask(`${prefix}-${i}`, add, [i], extra(i)));
    return `${prefix}-${i}`;
  });
  let depth = 0;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const key = level.length <= 2 ? `${prefix}-total` : `${prefix}-d${depth}-${i / 2}`;
      graph.add(makeTask(key, add, level.slice(i, i + 2).map((k) => new TaskRef(k))));
      next.push(key);
    }
    level = next;
    depth++;
  }
  return graph;
}

describe("a graph submitted in parts", () => {
  let scheduler: SchedulerServer;
  let workers: WorkerServer[];
  let client: Client;
  before(async () => {
    scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0" });
    workers = await Promise.all([0, 1].map(() => WorkerServer.start({ schedulerAddress: scheduler.address, credential: scheduler.credential, nthreads: 1 })));
    client = await Client.connect(scheduler.address, { credential: scheduler.credential, setAsDefault: false, graphPartTasks: 7 });
    await client.waitForWorkers(2);
  });
  after(async () => {
    await client?.close();
    for (const worker of workers ?? []) await worker.close();
    await scheduler?.close();
  });

  it("computes a reduction over 24 × 24 blocks sent in many parts, equal to NumPy", async () => {
    const partsBefore = scheduler.graphs.partsTaken;
    const array = ta.arange(0, 48 * 48, 1, { chunks: 4 }).reshape([48, 48]).rechunk([2, 2]);
    const [total, columns] = await Promise.all([
      array.sum().compute({ executor: client }),
      array.sum({ axis: 0 }).compute({ executor: client }),
    ]);
    const expected = JSON.parse(execFileSync("/usr/bin/python3", ["-c", "import json, numpy as np\nx = np.arange(48 * 48, dtype='float64').reshape(48, 48)\nprint(json.dumps([float(x.sum()), x.sum(axis=0).tolist()]))"], { encoding: "utf8" })) as [number, number[]];
    assert.equal(total.toArray(), expected[0]);
    assert.deepEqual(columns.toArray(), expected[1]);
    assert.ok(scheduler.graphs.partsTaken - partsBefore > 20, `the graphs went in many parts (${scheduler.graphs.partsTaken - partsBefore})`);
    assert.equal(scheduler.graphs.heldTasks, 0);
  });

  it("computes a graph of many parts whose tasks come in any order", async () => {
    const graph = treeSum("tree", 100);
    const [value] = await client.compute(graph, ["tree-total"]);
    assert.equal(value, (99 * 100) / 2);
  });

  it("fails the whole submission when a later part would be refused, naming the task, and registers nothing", async () => {
    // Leaf 45 of 100 carries a retry count the protocol refuses; it is not in the first part.
    const graph = treeSum("refused", 100, (i) => (i === 45 ? { retries: 1.5 } : {}));
    await assert.rejects(client.compute(graph, ["refused-total"]), (error: Error) => {
      assert.ok(error instanceof InvalidOptionError, error.name);
      const failed = /the graph was not submitted \(202 tasks in 29 parts; part (\d+) failed, and nothing of the graph was registered\)/.exec(error.message);
      assert.ok(failed && Number(failed[1]) > 0, `a later part failed: ${error.message}`);
      assert.match(error.message, /the scheduler would refuse this graph: .*retries.* \(task refused-45\)/);
      return true;
    });
    await client.refreshSchedulerInfo(); // a round trip after the abandon, on the same connection
    assert.equal(scheduler.graphs.heldTasks, 0, "the scheduler dropped the parts it held");
    assert.deepEqual([...scheduler.state.tasks.keys()].filter((key) => key.startsWith("refused-")), []);
    const [value] = await client.compute(treeSum("after", 30), ["after-total"]);
    assert.equal(value, (29 * 30) / 2, "the client carries on");
  });

  it("raises at the call, sending nothing, when the first part would be refused", () => {
    const graph = treeSum("first", 20, (i) => (i === 1 ? { retries: -1 } : {}));
    const taken = scheduler.graphs.partsTaken;
    assert.throws(() => client.submitSpecs([...graph.tasks.values()], ["first-total"]), /the scheduler would refuse this graph: .*retries.*\(task first-1\)/);
    assert.equal(scheduler.graphs.partsTaken, taken);
  });

  it("refuses a part size that is not a positive integer, naming the option", async () => {
    for (const bad of [0, 2.5, -3, "100"]) {
      await assert.rejects(Client.connect(scheduler.address, { credential: scheduler.credential, setAsDefault: false, graphPartTasks: bad as number }), /graphPartTasks must be a positive integer/);
    }
  });
});
