/**
 * The task-path warm-up a worker runs before it joins (src/worker/server/task-path-warm-up.ts):
 * it runs the graph.identity built-in on a real compute thread, pins no data, never fails the
 * start, and leaves no trace a user can see: no task in the task stream, no story, no profile
 * prefix, no data on the worker.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, LocalCluster } from "../../../src/index.js";
import * as ta from "../../../src/array/index.js";
import { ThreadPool } from "../../../src/worker/executor/thread-pool.js";
import type { FunctionRef } from "../../../src/protocol/function-ref.js";
import { isWarmUpProfile, warmUpTaskKey, warmUpTaskPath } from "../../../src/worker/server/task-path-warm-up.js";

const settings = { nthreads: 1, maxIncomingPeers: 10, maxBytesPerRequest: 50e6, maxInFlightBytes: Infinity };

describe("the task-path warm-up, alone", () => {
  it("runs graph.identity on a real compute thread, pinning nothing", async () => {
    const pool = new ThreadPool(1);
    try {
      await pool.ready();
      const ran: Array<{ key: string; fn: FunctionRef }> = [];
      const pins: string[][] = [];
      const threads = { run: (key: string, fn: FunctionRef, args: unknown[]) => (ran.push({ key, fn }), pool.run(key, fn, args)) };
      const data = { pin: async (keys: readonly string[]) => (pins.push([...keys]), new Map<string, unknown>()), unpin: (keys: readonly string[]) => void pins.push([...keys]) };
      assert.equal(await warmUpTaskPath({ threads, data, settings }), true);
      assert.deepEqual(ran, [{ key: warmUpTaskKey, fn: { builtin: "graph.identity" } }]);
      assert.deepEqual(pins, [[], []]);
    } finally {
      await pool.close();
    }
  });

  it("never throws: a thread pool that refuses costs only the warm-up", async () => {
    const threads = { run: () => Promise.reject(new Error("closed")) };
    const data = { pin: async () => new Map<string, unknown>(), unpin: () => undefined };
    assert.equal(await warmUpTaskPath({ threads, data, settings }), false);
  });

  it("names only its own profile prefix", () => {
    assert.equal(isWarmUpProfile({ prefix: "tessera-worker-warm-up" }), true);
    for (const prefix of ["store", "gaussian-filter", "tessera-worker", "warm-up"]) assert.equal(isWarmUpProfile({ prefix }), false);
  });
});

describe("the task-path warm-up on a cluster's workers", () => {
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster, { setAsDefault: false });
  });
  after(async () => {
    await client.close();
    await cluster.close();
  });

  it("leaves no task, story, profile prefix or data behind", async () => {
    const total = await ta.arange(1000, { chunks: 100 }).sum().compute({ executor: client });
    assert.equal(Number(total.data[0]), 499500);
    const records = (await client.getTaskStream()) as Array<{ key: string; prefix: string }>;
    assert.ok(records.length > 0, "the computation's tasks are in the stream");
    assert.deepEqual(records.filter((record) => record.key === warmUpTaskKey || isWarmUpProfile(record)), []);
    assert.deepEqual(await client.story(warmUpTaskKey), []);
    const profile = await client.profile();
    assert.deepEqual(Object.keys(profile.prefixes).filter((prefix) => isWarmUpProfile({ prefix })), []);
    const whoHas = await client.whoHas();
    assert.equal(whoHas[warmUpTaskKey], undefined, "no worker holds the warm-up's result");
  });
});
