/**
 * A gather that keeps failing gives up after 21 attempts saying why each attempt failed
 * (src/client/gather-failures.ts): a worker that dies during every transfer, one that no longer
 * holds the key, one that cannot be reached; then what to do. The scheduler and workers are
 * scripted peers (real listeners and connections) that fail the same way every time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { listen } from "../../src/comm/listener.js";
import { gatherValues } from "../../src/client/data-transfer.js";
import { FutureState } from "../../src/client/future.js";
import { GatherError } from "../../src/client/gather-failures.js";
import { logger, useScriptedPeers } from "./fixtures/scripted-peers.js";

const credential = "f".repeat(64);

describe("a gather that fails on every attempt", () => {
  const peers = useScriptedPeers(credential);

  /** Gathers `keys` held (the scheduler says, every time) at `holder()`; returns the error it gives up with. */
  async function failingGather(keys: string[], holder: () => string, poolTimeout = 5): Promise<GatherError> {
    const scheduler = await peers.schedulerAt(holder);
    const schedulerConnection = await peers.connectTo(scheduler.address);
    const pool = peers.pool(poolTimeout);
    const states = keys.map((key) => {
      const state = new FutureState(key);
      state.finish([holder()], 8, "Float64Array");
      return state;
    });
    const client = { pool, scheduler: schedulerConnection, refreshSchedulerInfo: () => Promise.reject(new Error("not used by gather")) };
    const error = await gatherValues(client, states).then(() => assert.fail("the gather succeeded"), (e: unknown) => e);
    assert.ok(error instanceof GatherError, `a GatherError, not ${String(error)}`);
    return error;
  }

  it("names a worker that dies during each transfer, for every attempt, and what to do", async () => {
    // Dies as a worker killed by its nanny would: the connection ends, no reply.
    const worker = await peers.peer((message, _frames, conn) => {
      if (message.op === "get-data") conn.channel.close(0);
    });
    const error = await failingGather(["x-1", "x-2"], () => worker.address);
    assert.match(error.message, /^could not gather 2 key\(s\) \(x-1, x-2\) after 21 attempts\. Why each attempt failed: attempts 1-21: /);
    assert.ok(error.message.includes(`${worker.address} closed the connection during the transfer: the worker died or was restarted`), error.message);
    assert.ok(error.message.includes("[2 key(s)]"), error.message);
    assert.match(error.message, /killed by their nanny for passing 95% of their memory limit: see the worker logs \(client\.getWorkerLogs\(\)\)/);
    assert.equal(error.attempts.length, 21);
  });

  it("names a worker that no longer holds the keys", async () => {
    const worker = await peers.peer((message, _frames, conn) => {
      if (message.op === "get-data") conn.reply(message.reqId, { data: {}, missing: message.keys });
    });
    const error = await failingGather(["y-1"], () => worker.address);
    assert.ok(error.message.includes(`attempts 1-21: ${worker.address} no longer held them (released, lost, or its worker restarted) [1 key(s)]`), error.message);
  });

  it("names a worker that cannot be reached", async () => {
    const gone = await listen("tcp://127.0.0.1:0", { credential, logger, onConnection: () => {} });
    const address = gone.address;
    await gone.close();
    const error = await failingGather(["z-1"], () => address, 0.2);
    assert.ok(error.message.includes(`could not connect to ${address}`), error.message);
    assert.ok(error.message.includes("the worker is gone [1 key(s)]"), error.message);
  });
});
