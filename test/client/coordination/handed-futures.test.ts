/**
 * A future handed over by the scheduler (taken from a queue, read from a variable) while its
 * task still runs: the reply says "pending", and the key-in-memory may follow it in the same
 * read from the socket. The future must exist by then, or the message finds no future and
 * result() waits for ever (it hung CI once, under load).
 *
 * The scheduler here is a stand-in (a real Connection on a real socket) that answers a get
 * with a pending future and sends key-in-memory right behind the reply, in the same batch,
 * every time; the client is a FAKE CoordinationClient that keeps futures by key as Client
 * does. The race itself runs on a real cluster in coordination.test.ts.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../../../src/comm/connect.js";
import { listen, type Listener } from "../../../src/comm/listener.js";
import type { Connection } from "../../../src/comm/connection.js";
import { createLogger } from "../../../src/core/log.js";
import { Future, FutureState, type FutureOwner } from "../../../src/client/future.js";
import type { CoordinationClient } from "../../../src/client/coordination/coordination-client.js";
import type { KeyReport } from "../../../src/protocol/messages.js";
import { Queue, Variable } from "../../../src/index.js";

const logger = createLogger("test");
const credential = "c".repeat(64);

const pending = (key: string): KeyReport => ({ key, status: "pending", whoHas: [], nbytes: 0, type: "" });

/** Answers queue-get and variable-get with pending futures, each followed at once by its key-in-memory. */
async function schedulerStandIn(): Promise<Listener> {
  return listen("tcp://127.0.0.1:0", {
    credential, logger,
    onConnection: (connection) => {
      connection.start((message, _frames, conn) => {
        let keys: string[] = [];
        if (message.op === "queue-get" && message.batch !== undefined) {
          keys = ["q-1", "q-2"];
          conn.replyValue(message.reqId, keys.map((key) => ({ future: pending(key) })), "the items");
        } else if (message.op === "queue-get" || message.op === "variable-get") {
          keys = [`${message.op}-key`];
          conn.replyValue(message.reqId, { future: pending(keys[0]) }, "the item");
        }
        for (const key of keys) conn.send({ op: "key-in-memory", key, nbytes: 8, type: "number", whoHas: ["tcp://w:1"] });
      });
    },
  });
}

/** A FAKE client: futures by key, finished by key-in-memory as Client's session does. */
function fakeClient(scheduler: Connection): CoordinationClient & { missed: string[] } {
  const states = new Map<string, FutureState>();
  const missed: string[] = [];
  const owner = { fetchResult: async (state: FutureState) => state.key } as unknown as FutureOwner;
  scheduler.start((message) => {
    if (message.op !== "key-in-memory") return;
    const state = states.get(message.key);
    if (state) state.finish(message.whoHas, message.nbytes, message.type);
    else missed.push(message.key);
  });
  return {
    id: "fake-client", scheduler, missed,
    adoptFuture(report: KeyReport): Future {
      const state = states.get(report.key) ?? new FutureState(report.key);
      states.set(report.key, state);
      return new Future(report.key, state, owner);
    },
    onSchedulerMessage: () => () => {},
  };
}

describe("futures handed over by the scheduler", () => {
  const listeners: Listener[] = [];
  after(async () => { for (const listener of listeners) await listener.close(); });
  const connected = async () => {
    const listener = await schedulerStandIn();
    listeners.push(listener);
    return fakeClient(await connect(listener.address, { credential, logger, timeout: 5 }));
  };

  it("exist before the key-in-memory that comes right behind the reply (Queue.get, getBatch)", async () => {
    const client = await connected();
    const one = await new Queue<Future>("q", { client }).get();
    const batch = await new Queue<Future>("q", { client }).getBatch(2);
    assert.deepEqual(client.missed, [], "no key-in-memory found its future missing");
    assert.deepEqual([one.status, ...batch.map((future) => future.status)], ["finished", "finished", "finished"]);
    assert.equal(await one.result(5), "queue-get-key");
    client.scheduler.close();
  });

  it("exist before the key-in-memory that comes right behind the reply (Variable.get)", async () => {
    const client = await connected();
    const future = await new Variable<Future>("v", { client }).get();
    assert.deepEqual(client.missed, []);
    assert.equal(future.status, "finished");
    client.scheduler.close();
  });
});

describe("Connection.request's onReply", () => {
  it("runs before the message that follows the reply in the same read is handled, and its error rejects", async () => {
    const listener = await schedulerStandIn();
    const connection = await connect(listener.address, { credential, logger, timeout: 5 });
    const order: string[] = [];
    connection.start((message) => order.push(message.op));
    await connection.request({ op: "variable-get", name: "v" }, [], { onReply: () => order.push("onReply") });
    assert.deepEqual(order, ["onReply", "key-in-memory"]);
    await assert.rejects(connection.request({ op: "variable-get", name: "v" }, [], { onReply: () => { throw new Error("cannot take it"); } }), /cannot take it/);
    connection.close();
    await listener.close();
  });
});
