/**
 * How a gather splits each worker's keys into requests (src/client/gather-batches.ts, used by
 * data-transfer.ts): in order, each request's values at most a byte bound (a tenth of the
 * worker's memory limit, at most 50 MB), a value bigger than the bound alone; a small gather
 * stays one request per worker. The plan alone, then a gather against a scripted worker
 * (a real listener) that counts the requests it gets.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { maxMessageBytes, messageBytesFor } from "../../src/comm/data-request.js";
import { gatherValues } from "../../src/client/data-transfer.js";
import { FutureState } from "../../src/client/future.js";
import { planBatches } from "../../src/client/gather-batches.js";
import { packPayload } from "../../src/protocol/payload.js";
import { useScriptedPeers } from "./fixtures/scripted-peers.js";

const MiB = 2 ** 20;

describe("the batch plan from key sizes and a byte bound", () => {
  const plan = (sizes: number[], bound: number) => planBatches(sizes.map((nbytes, i) => ({ i, nbytes })), (item) => item.nbytes, bound).map((batch) => batch.map((item) => item.i));

  it("fills each request up to the bound, in order", () => {
    assert.deepEqual(plan([4, 4, 4, 4, 4], 10), [[0, 1], [2, 3], [4]]);
    assert.deepEqual(plan([3, 3, 4, 1, 9], 10), [[0, 1, 2], [3, 4]]);
    assert.deepEqual(plan([5, 5], 10), [[0, 1]], "exactly the bound fits");
  });

  it("sends a value bigger than the bound alone", () => {
    assert.deepEqual(plan([2, 25, 2, 2], 10), [[0], [1], [2, 3]]);
    assert.deepEqual(plan([25], 10), [[0]]);
  });

  it("keeps small gathers in one request, and plans nothing for no keys", () => {
    assert.deepEqual(plan(Array.from({ length: 1000 }, () => 8), messageBytesFor(256 * MiB)).length, 1);
    assert.deepEqual(plan([0, 0, 0], 10), [[0, 1, 2]], "unknown sizes (0) do not split");
    assert.deepEqual(plan([], 10), []);
  });

  it("bounds by a tenth of the worker's memory limit, at most 50 MB (none known: 50 MB)", () => {
    assert.equal(messageBytesFor(256 * MiB), 0.1 * 256 * MiB);
    assert.equal(messageBytesFor(16 * 2 ** 30), maxMessageBytes);
    assert.equal(messageBytesFor(0), maxMessageBytes);
  });
});

describe("a gather's requests to one worker", () => {
  const peers = useScriptedPeers("b".repeat(64));

  /** A worker holding `value(key)` for every key, recording each get-data's keys; a scheduler answering who-has with it. */
  async function gatherFromScriptedWorker(states: FutureState[], memoryLimit: number): Promise<{ values: unknown[]; requests: string[][] }> {
    const requests: string[][] = [];
    const worker = await peers.peer((message, _frames, conn) => {
      if (message.op !== "get-data") return;
      requests.push(message.keys);
      const frames: Uint8Array[] = [];
      const data = Object.fromEntries(message.keys.map((key) => [key, packPayload(new Float64Array([Number(key.slice(1))]), frames, key)]));
      conn.reply(message.reqId, { data, missing: [] }, frames);
    });
    const scheduler = await peers.schedulerAt(() => worker.address);
    const schedulerConnection = await peers.connectTo(scheduler.address);
    const pool = peers.pool();
    for (const state of states) state.finish([worker.address], state.nbytes, "Float64Array");
    const client = {
      pool, scheduler: schedulerConnection,
      refreshSchedulerInfo: () => Promise.reject(new Error("not used by gather")),
      currentSchedulerInfo: async () => ({ workers: { [worker.address]: { address: worker.address, memoryLimit } } }),
    };
    return { values: await gatherValues(client, states), requests };
  }

  function statesOf(count: number, nbytes: number): FutureState[] {
    return Array.from({ length: count }, (_, i) => {
      const state = new FutureState(`k${i}`);
      state.nbytes = nbytes;
      return state;
    });
  }

  it("asks once for a small gather of 1000 keys", async () => {
    const states = statesOf(1000, 8);
    const { values, requests } = await gatherFromScriptedWorker(states, 256 * MiB);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].length, 1000);
    assert.deepEqual((values as Float64Array[]).map((v) => v[0]), states.map((_, i) => i));
  });

  it("asks in requests of at most a tenth of the worker's memory for a big one", async () => {
    // 30 results of 1 MiB from a worker of 100 MiB: 10 MiB per request.
    const states = statesOf(30, MiB);
    const { values, requests } = await gatherFromScriptedWorker(states, 100 * MiB);
    assert.deepEqual(requests.map((keys) => keys.length), [10, 10, 10]);
    assert.deepEqual(requests.flat(), states.map((s) => s.key), "every key once, in order");
    assert.deepEqual((values as Float64Array[]).map((v) => v[0]), states.map((_, i) => i));
  });
});
