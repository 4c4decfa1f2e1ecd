/**
 * Issue 10 item 4: every option-taking entry point of the Client API refuses a key it does
 * not take, naming the key and what it takes (a misspelt `retires`, `timout` or `error` ran
 * the call with the default, `arg` ran the function with no arguments). Keys whose value is
 * undefined pass; the array and delayed layers hand the Client only the compute options.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsCompleted, Client, Event, LocalCluster, Lock, Pub, Queue, Semaphore, Sub, Variable, asCompleted, delayed, wait, type Future } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { TaskGraph, makeTask } from "../../src/graph/task-graph.js";
import { functionRefOf } from "../../src/graph/function-travel.js";

function inc(x: number): number {
  return x + 1;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the Client API refuses options it does not take", () => {
  let cluster: LocalCluster;
  let client: Client;
  let future: Future<number>;
  const subs: Sub[] = [];
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false, processes: false });
    client = await Client.connect(cluster, { setAsDefault: false });
    future = client.submit(inc, 1) as Future<number>;
    await future.result();
  });
  after(async () => {
    for (const sub of subs) await sub.close();
    await client?.close();
    await cluster?.close();
  });

  const graph = () => new TaskGraph([makeTask("option-names-one", functionRefOf(inc), [1])]);
  const sub = () => {
    const made = new Sub("option-names-topic", { client });
    subs.push(made);
    return made;
  };
  // [what, the unknown key, a call passing it]
  const table: Array<[string, string, () => unknown]> = [
    ["Client.connect", "timout", () => Client.connect(cluster, { timout: 5 } as never)],
    ["Client.submit", "retires", () => client.submit({ fn: inc, args: [1], retires: 2 } as never)],
    ["Client.submit", "arg", () => client.submit({ fn: inc, arg: [1] } as never)],
    ["Client.map", "retires", () => client.map(inc, [1, 2], { retires: 2 } as never)],
    ["Client.gather", "error", () => client.gather([future], { error: "skip" } as never)],
    ["Client.scatter", "broadcst", () => client.scatter([1, 2], { broadcst: true } as never)],
    ["Client.cancel", "forse", () => client.cancel([future], { forse: true } as never)],
    ["Future.cancel", "forse", () => future.cancel({ forse: true } as never)],
    ["Client.compute", "retires", () => client.compute(graph(), ["option-names-one"], { retires: 1 } as never)],
    ["Client.persist", "priorty", () => client.persist(graph(), ["option-names-one"], { priorty: 1 } as never)],
    ["Client.waitForWorkers", "timout", () => client.waitForWorkers(1, { timout: 1 } as never)],
    ["Client.runWith", "worker", () => client.runWith({ fn: inc, args: [1], worker: ["tcp://nowhere:1"] } as never)],
    ["Client.retireWorkers", "worker", () => client.retireWorkers({ worker: ["tcp://nowhere:1"] } as never)],
    ["Client.getTaskStream", "sinse", () => client.getTaskStream({ sinse: 0 } as never)],
    ["Client.getTransferLog", "sinse", () => client.getTransferLog({ sinse: 0 } as never)],
    ["Client.profile", "prefx", () => client.profile({ prefx: "inc" } as never)],
    ["Client.replicate", "copies", () => client.replicate([future], { copies: 2 } as never)],
    ["Client.rebalance", "worker", () => client.rebalance([future], { worker: [] } as never)],
    ["Client.publishDataset", "overide", () => client.publishDataset("option-names-ds", 1, { overide: true } as never)],
    ["Client.registerWorkerPlugin", "nam", () => client.registerWorkerPlugin({}, { nam: "p" } as never)],
    ["Client.registerSchedulerPlugin", "nam", () => client.registerSchedulerPlugin({}, { nam: "p" } as never)],
    ["Client.getWorkerLogs", "count", () => client.getWorkerLogs({ count: 5 } as never)],
    ["Client.getSchedulerLogs", "count", () => client.getSchedulerLogs({ count: 5 } as never)],
    ["Client.forwardLogging", "levle", () => client.forwardLogging({ levle: "info" } as never)],
    ["Client.restart", "wait_for_workers", () => client.restart({ wait_for_workers: false } as never)],
    ["wait", "timout", () => wait([future], { timout: 1 } as never)],
    ["asCompleted", "withResult", () => asCompleted([future], { withResult: true } as never)],
    ["asCompleted", "with_results", () => new AsCompleted([future], { with_results: true } as never)],
    ["Variable", "clinet", () => new Variable("option-names-v", { clinet: client } as never)],
    ["Variable.get", "timout", () => new Variable("option-names-v", { client }).get({ timout: 1 } as never)],
    ["Queue", "maxSize", () => new Queue("option-names-q", { client, maxSize: 2 } as never)],
    ["Queue.put", "timout", () => new Queue("option-names-q", { client }).put(1, { timout: 1 } as never)],
    ["Queue.get", "timout", () => new Queue("option-names-q", { client }).get({ timout: 1 } as never)],
    ["Queue.getBatch", "timout", () => new Queue("option-names-q", { client }).getBatch("all", { timout: 1 } as never)],
    ["Lock", "clinet", () => new Lock("option-names-l", { clinet: client } as never)],
    ["Lock.acquire", "blockng", () => new Lock("option-names-l", { client }).acquire({ blockng: false } as never)],
    ["Semaphore", "max_leases", () => new Semaphore({ client, max_leases: 2 } as never)],
    ["Semaphore.acquire", "timout", () => new Semaphore({ client }).acquire({ timout: 1 } as never)],
    ["Event", "clinet", () => new Event("option-names-e", { clinet: client } as never)],
    ["Event.wait", "timout", () => new Event("option-names-e", { client }).wait({ timout: 1 } as never)],
    ["Pub", "clinet", () => new Pub("option-names-topic", { clinet: client } as never)],
    ["Sub", "clinet", () => new Sub("option-names-topic", { clinet: client } as never)],
    ["Sub.get", "timout", () => sub().get({ timout: 1 } as never)],
    ["delayed", "pur", () => delayed(inc, { pur: true } as never)],
    ["delayed callWith", "pur", () => delayed(inc).callWith({ pur: true } as never)(1)],
    ["compute", "retires", () => delayed(inc)(1).compute({ executor: client, retires: 1 } as never)],
    ["persist", "retires", () => delayed(inc)(1).persist({ executor: client, retires: 1 } as never)],
  ];

  for (const [what, key, call] of table) {
    it(`${what} refuses "${key}"`, async () => {
      await assert.rejects(async () => call(), (error: Error) => {
        assert.ok(error instanceof InvalidOptionError, `${what}: ${error.name}: ${error.message}`);
        assert.match(error.message, new RegExp(`^${escape(what)}: unknown option "${escape(key)}"; ${escape(what)} takes \\w`));
        return true;
      });
    });
  }

  it("refuses options that are not an object", async () => {
    await assert.rejects(async () => client.gather([future], "skip" as never), /Client\.gather: options must be an object, got skip/);
    await assert.rejects(async () => wait([future], [1] as never), /wait: options must be an object, got an array/);
    await assert.rejects(async () => client.map(inc, [1], 5 as never), /Client\.map: options must be an object, got 5/);
  });

  it("refuses a misspelt returnWhen value", async () => {
    await assert.rejects(async () => wait([future], { returnWhen: "FIRST_COMPLETE" as never }), /wait: returnWhen must be "ALL_COMPLETED" or "FIRST_COMPLETED", got "FIRST_COMPLETE"/);
  });

  it("takes the options spelt right, and keys set to undefined", async () => {
    assert.equal(await client.submit({ fn: inc, args: [1], retries: 1, pure: true, key: undefined }).result(), 2);
    assert.deepEqual(await client.gather(client.map(inc, [1, 2], { retries: 1, priority: 1 })), [2, 3]);
    assert.deepEqual(await client.gather([future, client.submit(() => { throw new Error("no"); })], { errors: "skip" }), [2]);
    assert.deepEqual((await wait([future], { timeout: 10, returnWhen: "ALL_COMPLETED" })).done, [future]);
    assert.deepEqual(await client.compute(graph(), ["option-names-one"], { retries: 1, priority: 1, label: "one", signal: undefined }), [2]);
    assert.equal(Object.keys(await client.runWith({ fn: inc, args: [1], workers: undefined })).length, 1);
  });

  it("arrays and delayed values computed on the client hand it only the compute options (not executor, nor toZarr's)", async () => {
    const values = nd.arange(0, 23, 1, "float64");
    const array = ta.fromArray(values, { chunks: [2] });
    assert.equal((await array.sum().compute({ executor: client, retries: 1, label: "sum" })).toArray(), 253);
    const persisted = await array.add(1).persist({ executor: client });
    assert.deepEqual(Array.from((await persisted.compute({ executor: client })).toArray() as number[]), Array.from(values.toArray() as number[], (v) => v + 1));
    const dir = mkdtempSync(join(tmpdir(), "tessera-option-names-"));
    try {
      await array.toZarr(join(dir, "a.zarr"), { executor: client, overwrite: true, label: "store" });
      assert.deepEqual(Array.from((await (await ta.fromZarr(join(dir, "a.zarr"))).compute({ executor: client })).toArray() as number[]), Array.from(values.toArray() as number[]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(await delayed(inc)(41).compute({ executor: client, retries: 1 }), 42);
  });
});
