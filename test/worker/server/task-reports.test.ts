/**
 * A worker's task reports over a real connection: while the worker has work ready or running
 * they wait for company (here a long wait, so only an ordinary send or an idle report can
 * carry them); an idle worker's report goes at the end of the turn; the order told is the
 * order received; a task that finished before the end of its turn costs no task-started.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../../../src/comm/connect.js";
import { listen, type Listener } from "../../../src/comm/listener.js";
import type { Connection } from "../../../src/comm/connection.js";
import { createLogger } from "../../../src/core/log.js";
import { TaskReports } from "../../../src/worker/server/task-reports.js";

const logger = createLogger("test");
const credential = "c".repeat(64);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("a worker's task reports", () => {
  const listeners: Listener[] = [];
  after(async () => { for (const listener of listeners) await listener.close(); });

  /** A scheduler stand-in that records what it gets ("started:k", "finished:k"); the worker side counts its writes. */
  const setUp = async () => {
    const received: string[] = [];
    let notify = () => {};
    const listener = await listen("tcp://127.0.0.1:0", {
      credential, logger,
      onConnection: (peer) => peer.start((message) => {
        if (message.op === "task-started") received.push(...message.keys.map((key) => `started:${key}`));
        if (message.op === "task-finished") received.push(`finished:${message.key}`);
        notify();
      }),
    });
    listeners.push(listener);
    const connection: Connection = await connect(listener.address, { credential, logger, timeout: 5 });
    connection.start(() => {});
    const writes: number[] = [];
    const send = connection.channel.send.bind(connection.channel);
    connection.channel.send = (batch) => {
      writes.push(batch.messages.length);
      send(batch);
    };
    const worker = { pending: 0, running: new Set<string>() };
    const reports = new TaskReports({
      connection: () => connection,
      pendingWork: () => worker.pending,
      stillRunning: (key) => worker.running.has(key),
    }, 60_000);
    const arrived = (count: number) => new Promise<void>((resolve) => {
      notify = () => { if (received.length >= count) resolve(); };
      notify();
    });
    const finished = (key: string) => reports.tell({ op: "task-finished", key, runId: 1, nbytes: 8, type: "number", startstops: [], thread: 0 });
    return { connection, received, writes, arrived, worker, reports, finished };
  };

  it("holds a busy worker's reports and sends them, in order, with its first idle one", { timeout: 20_000 }, async () => {
    const { connection, received, writes, arrived, worker, reports, finished } = await setUp();
    worker.pending = 2;
    worker.running.add("b");
    finished("a");
    reports.started("b");
    await nextTurn();
    await nextTurn();
    assert.deepEqual(writes, [], "nothing written while the worker is busy");
    worker.pending = 0;
    worker.running.delete("b");
    finished("b");
    await arrived(3);
    assert.deepEqual(received, ["finished:a", "started:b", "finished:b"]);
    assert.deepEqual(writes, [3]);
    connection.close();
  });

  it("reports an idle worker's finished task at the end of the turn, and no start for a task already done", { timeout: 20_000 }, async () => {
    const { connection, received, writes, arrived, worker, reports, finished } = await setUp();
    worker.running.add("long");
    reports.started("quick"); // finished within the turn: not running at its end
    reports.started("long");
    await arrived(1);
    worker.running.delete("long");
    finished("long");
    await arrived(2);
    assert.deepEqual(received, ["started:long", "finished:long"]);
    assert.deepEqual(writes, [1, 1]);
    connection.close();
  });
});
