/**
 * `future.retry()` of a task that errs again at once: the scheduler answers retry-keys and
 * announces the new error (key-erred) in the same batch, as it does when the retried task
 * fails within one event-loop turn. The future must end with the new error, never be set back
 * to pending by a reply applied after the announcement (it would wait for ever).
 *
 * The scheduler here is a scripted peer (a real listener and connection): the race needs its
 * reply and its announcement to share one batch, which a real scheduler does only by chance.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../../src/comm/connect.js";
import { listen, type Listener } from "../../src/comm/listener.js";
import type { Connection } from "../../src/comm/connection.js";
import { createLogger } from "../../src/core/log.js";
import { retryFutures } from "../../src/client/futures-api.js";
import { Future, FutureState } from "../../src/client/future.js";

const logger = createLogger("test");
const credential = "c".repeat(64);
const key = "flaky-task-1";

/** A scheduler whose reply to retry-keys and the retried task's new error leave in one batch. */
async function schedulerFailingRetryAtOnce(): Promise<Listener> {
  return listen("tcp://127.0.0.1:0", {
    credential, logger,
    onConnection: (connection) => connection.start((message, _frames, conn) => {
      if (message.op !== "retry-keys") return;
      conn.reply(message.reqId, { retried: message.keys });
      conn.send({ op: "key-erred", key, error: { name: "Error", message: "failed again", stack: "" } });
    }),
  });
}

describe("retrying a future whose task errs again at once", () => {
  const listeners: Listener[] = [];
  const connections: Connection[] = [];
  after(async () => {
    for (const connection of connections) connection.close();
    for (const listener of listeners) await listener.close();
  });

  it("ends with the new error when the scheduler's reply and the error arrive together", async () => {
    const listener = await schedulerFailingRetryAtOnce();
    listeners.push(listener);
    const state = new FutureState(key);
    state.fail({ name: "Error", message: "failed first", stack: "" });
    const notUsed = () => Promise.reject(new Error("not used by retry"));
    const owner = { fetchResult: notUsed, releaseKey: () => {}, cancelKeys: notUsed, retry: notUsed, fireAndForget: () => {} };
    const future = new Future(key, state, owner);
    // The client's side of the scheduler connection fails futures on key-erred, as SchedulerSession does.
    const scheduler = await connect(listener.address, { credential, logger, timeout: 5 });
    connections.push(scheduler);
    scheduler.start((message) => {
      if (message.op === "key-erred" && message.key === key) state.fail(message.error);
    });

    await retryFutures(scheduler, [future]);

    assert.equal(state.status, "error", "the retried future ended with its new error, not pending");
    assert.match(String(state.error?.message), /failed again/);
  });
});
