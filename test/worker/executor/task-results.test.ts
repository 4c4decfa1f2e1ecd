/**
 * Issue 9 items 7 and 11: what a task returns or throws. A result that cannot travel (a
 * Symbol, a function, a class instance) used to kill the compute thread ("ThreadDied: …
 * undefined") or the worker; a thrown non-Error showed as "[object Object]"; a Map holding
 * NDArrays lost them on the way to the compute thread. Now such a task fails alone, named,
 * on a worker process that lives on, and Maps and Sets arrive exactly.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, LocalCluster } from "../../../src/index.js";
import * as nd from "../../../src/ndarray/index.js";

describe("task results and errors on worker processes", () => {
  let cluster: LocalCluster;
  let client: Client;
  let pids: Array<number | undefined>;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster, { setAsDefault: false });
    await client.waitForWorkers(2, { timeout: 60 });
    pids = cluster.workerProcesses.map((worker) => worker.pid);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("fails a task whose result cannot travel, naming the type and the task, and the worker lives on", async () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => Symbol("marker"), /it is a Symbol \(Symbol\(marker\)\)/],
      [() => () => 1, /it is a function/],
      [() => ({ rows: [1, 2, { when: Symbol.iterator }] }), /the part at \.rows\[2\]\.when is a Symbol/],
      [() => new (class Particle { x = 1; })(), /it is an instance of Particle/],
      [() => { const loop: unknown[] = []; loop.push(loop); return loop; }, /contains itself/],
      [() => new Map([[1, new WeakMap()]]), /the part at \[Map value 0\] is an instance of WeakMap/],
    ];
    for (const [fn, expected] of cases) {
      const future = client.submit({ fn, pure: false });
      await assert.rejects(future.result(), (error: Error) => {
        assert.equal(error.name, "PayloadError", error.message);
        assert.match(error.message, new RegExp(`cannot send the result of task ${future.key}`));
        assert.match(error.message, expected);
        return true;
      });
    }
    assert.deepEqual(cluster.workerProcesses.map((worker) => worker.pid), pids, "no worker was restarted");
    assert.ok(cluster.workerProcesses.every((worker) => worker.alive));
    assert.equal(await client.submit((x: number) => x + 1, 41).result(), 42);
  });

  it("shows a thrown non-Error as what it is", async () => {
    const thrownObject = client.submit({ fn: () => { throw { code: 7, detail: ["a", "b"] }; }, pure: false });
    await assert.rejects(thrownObject.result(), /a non-Error value was thrown: \{ code: 7, detail: \[ 'a', 'b' \] \}/);
    const thrownString = client.submit({ fn: () => { throw "plain text"; }, pure: false });
    await assert.rejects(thrownString.result(), /a non-Error value was thrown: 'plain text'/);
    const huge = client.submit({ fn: () => { throw { text: "x".repeat(100_000) }; }, pure: false });
    await assert.rejects(huge.result(), (error: Error) => error.message.length < 3000);
  });

  it("returns Maps and Sets exactly, NDArrays inside them included, across workers", async () => {
    const [first, second] = cluster.workerProcesses.map((worker) => worker.registeredAddress as string);
    const produced = client.submit({
      fn: () => new Map<unknown, unknown>([["block", nd.arange(0, 6, 1, "int16")], [2n ** 70n, new Set([nd.ones([2], "float32"), "x"])], [-0, [-0]]]),
      workers: [first], pure: false,
    });
    const consumed = client.submit({
      fn: (m: Map<unknown, unknown>) => [...m].map(([k, v]) => [typeof k, v instanceof Map || v instanceof Set ? v.constructor.name : (v as nd.NDArray).dtype]),
      args: [produced], workers: [second],
    });
    assert.deepEqual(await consumed.result(), [["string", "int16"], ["bigint", "Set"], ["number", undefined]], "the consumer on the other worker got the Map whole");
    const value = await produced.result() as Map<unknown, unknown>;
    assert.deepEqual((value.get("block") as nd.NDArray).toArray(), [0, 1, 2, 3, 4, 5]);
    const inner = [...value.get(2n ** 70n) as Set<unknown>];
    assert.deepEqual((inner[0] as nd.NDArray).toArray(), [1, 1]);
    assert.equal(inner[1], "x");
    assert.ok(Object.is((value.get(0) as number[])[0], -0), "-0 stays -0");
  });
});
