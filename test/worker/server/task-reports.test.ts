/**
 * A worker's task reports over a real connection: while the worker has work ready or running
 * they wait for company (here a long wait, so only an ordinary send or an idle report can
 * carry them); an idle worker's report goes at the end of the turn; the order told is the
 * order received; task starts go after the batch window, for the tasks still running then: a
 * task that finished by then costs no task-started.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Listener } from "../../../src/comm/listener.js";
import { TaskReports } from "../../../src/worker/server/task-reports.js";
import { connectToRecordingPeer } from "../../comm/recording-peer.js";

const credential = "c".repeat(64);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("a worker's task reports", () => {
  const listeners: Listener[] = [];
  after(async () => { for (const listener of listeners) await listener.close(); });

  /** A scheduler stand-in that records what it gets ("started:k", "finished:k"); the worker side counts its writes. */
  const setUp = async (batchMs = 60_000) => {
    const { connection, received, writes, arrived } = await connectToRecordingPeer(listeners, credential, (message) => {
      if (message.op === "task-started") return message.keys.map((key) => `started:${key}`);
      return message.op === "task-finished" ? [`finished:${message.key}`] : undefined;
    });
    const worker = { pending: 0, running: new Set<string>() };
    const reports = new TaskReports({
      connection: () => connection,
      pendingWork: () => worker.pending,
      stillRunning: (key) => worker.running.has(key),
    }, batchMs);
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
    finished("b"); // b started after a's report and ended within the window: no start for it
    await arrived(2);
    assert.deepEqual(received, ["finished:a", "finished:b"]);
    assert.deepEqual(writes, [2]);
    connection.close();
  });

  it("reports a task still running at the end of the batch window without waiting for another report", { timeout: 20_000 }, async () => {
    const { connection, received, writes, arrived, worker, reports } = await setUp(5);
    worker.pending = 1;
    worker.running.add("long");
    reports.started("quick");
    reports.started("long");
    worker.running.delete("quick"); // ended within the window: its start is not worth a message
    await arrived(1);
    assert.deepEqual(received, ["started:long"]);
    assert.deepEqual(writes, [1]);
    connection.close();
  });
});
