/**
 * Issue 10, the million-block figure: a large reduction of a fill travels as block layers (one
 * record for each of its first two levels, cut into parts of `graphPartTasks` blocks), the scheduler
 * expands them, and the cluster computes NumPy's answer. A computation whose options change
 * every task (retries here) sends the same graph per task, and computes the same.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { SchedulerServer } from "../../src/scheduler/server/scheduler-server.js";
import { WorkerServer } from "../../src/worker/server/worker-server.js";
import { Client } from "../../src/client/client.js";
import * as ta from "../../src/array/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { lowerArrays } from "../../src/array/lower.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";

function numpy(expression: string): unknown {
  return JSON.parse(execFileSync("/usr/bin/python3", ["-c", `import json, numpy as np\nprint(json.dumps(${expression}))`], { encoding: "utf8" }));
}

describe("block layers on a cluster", () => {
  let scheduler: SchedulerServer;
  let workers: WorkerServer[];
  let client: Client;
  /** Blocks that travelled inside layers, and tasks that travelled one by one, since the last reset. */
  const sent = { layerBlocks: 0, tasks: 0 };
  before(async () => {
    scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0" });
    workers = await Promise.all([0, 1].map(() => WorkerServer.start({ schedulerAddress: scheduler.address, credential: scheduler.credential, nthreads: 1 })));
    client = await Client.connect(scheduler.address, { credential: scheduler.credential, setAsDefault: false, graphPartTasks: 2000 });
    await client.waitForWorkers(2);
    const connection = client.scheduler;
    const request = connection.request.bind(connection);
    connection.request = (message, frames, options) => {
      if (message.op === "update-graph") {
        const graph = message as { tasks: unknown[]; layers?: Array<{ start: number[]; stop: number[] }> };
        sent.tasks += graph.tasks.length;
        for (const layer of graph.layers ?? []) sent.layerBlocks += layer.start.reduce((n, s, axis) => n * (layer.stop[axis] - s), 1);
      }
      return request(message, frames, options);
    };
  });
  after(async () => {
    await client?.close();
    for (const worker of workers ?? []) await worker.close();
    await scheduler?.close();
  });

  it("sums 150 × 70 blocks sent as layers in many parts, equal to NumPy", async () => {
    sent.layerBlocks = 0;
    sent.tasks = 0;
    const partsBefore = scheduler.graphs.partsTaken;
    const total = await ta.full([150, 140], 2.5, { chunks: [1, 2] }).sum().compute({ executor: client });
    assert.equal(total.toArray(), numpy("float(np.full((150, 140), 2.5).sum())"));
    // The first level (150 × 70) and the second (38 × 18 groups of 4 × 4) travelled as layers.
    assert.equal(sent.layerBlocks, 150 * 70 + 38 * 18, "every block of the first two levels travelled in a layer");
    assert.ok(sent.tasks < 1000, `the levels above travelled per task (${sent.tasks})`);
    assert.ok(scheduler.graphs.partsTaken - partsBefore >= 6, "in several parts");
    assert.equal(scheduler.graphs.heldTasks, 0);
  });

  it("reduces along one axis with a lonely corner (129 × 33 blocks), equal to NumPy", async () => {
    sent.layerBlocks = 0;
    const columns = await ta.ones([129, 99], { chunks: [1, 3] }).sum({ axis: 0 }).compute({ executor: client });
    assert.deepEqual(columns.toArray(), numpy("np.ones((129, 99)).sum(axis=0).tolist()"));
    // The last row of blocks is fused into the level above (a group of one), and so is the
    // last row of that level: both travel per task.
    assert.equal(sent.layerBlocks, 128 * 33 + 8 * 33, "the corner rows travelled per task");
  });

  it("computes a random fill's mean and max bit for bit as the per-task graph does", async () => {
    const x = ta.random([90, 80], { chunks: [1, 1], seed: 11 });
    for (const array of [x.mean(), x.max({ axis: 1 })]) {
      sent.layerBlocks = 0;
      const onCluster = await array.compute({ executor: client });
      assert.ok(sent.layerBlocks > 7000);
      const perTask = lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys(), Infinity);
      assert.equal(perTask.graph.layers.length, 0);
      const blocks = await new LocalExecutor().compute(perTask.graph, perTask.keys.flat());
      const local = (blocks as NDArray[]).map((block) => block.toArray());
      const clusterValue = onCluster.toArray();
      assert.deepEqual(Array.isArray(clusterValue) ? clusterValue : [clusterValue], local.flat());
    }
  });

  it("sends the graph per task when the computation's options change every task, and computes the same", async () => {
    sent.layerBlocks = 0;
    sent.tasks = 0;
    const total = await ta.ones([100, 100], { chunks: [1, 1] }).sum().compute({ executor: client, retries: 1 });
    assert.equal(total.toArray(), 10_000);
    assert.equal(sent.layerBlocks, 0);
    assert.ok(sent.tasks > 10_000);
  });
});
