/**
 * A worker's task reports over a real connection: while the worker has work ready or running
 * they wait for company (here a long wait, so only an ordinary send or an idle report can
 * carry them); an idle worker's report goes at the end of the turn; the order told is the
 * order received; a task that finished before the end of its turn costs no task-started.
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
  const setUp = async () => {
    const { connection, received, writes, arrived } = await connectToRecordingPeer(listeners, credential, (message) => {
      if (message.op === "task-started") return message.keys.map((key) => `started:${key}`);
      return message.op === "task-finished" ? [`finished:${message.key}`] : undefined;
    });
    const worker = { pending: 0, running: new Set<string>() };
    const reports = new TaskReports({
      connection: () => connection,
      pendingWork: () => worker.pending,
      stillRunning: (key) => worker.running.has(key),
    }, 60_000);
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
