import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { bandwidthMatrix, buildPerformanceReport, summarise, type TaskRecord, type TransferRecord } from "../../../src/dashboard/report/report-builder.js";
import { emptyProfile } from "../../../src/protocol/profile-tree.js";

const task = (key: string, prefix: string, start: number, stop: number, status: "OK" | "error" = "OK", extra: TaskRecord["startstops"] = []): TaskRecord => ({
  kind: "task", key, prefix, worker: "tcp://a:1", thread: 0, status, nbytes: 8, startstops: [...extra, { action: "compute", start, stop }],
});
const transfer = (from: string, to: string, bytes: number, start: number, stop: number): TransferRecord => ({ kind: "transfer", worker: to, from, keys: ["k"], bytes, start, stop });

describe("performance report figures", () => {
  it("sums time per action from the start/stop entries and bytes from the transfers", () => {
    const tasks = [
      task("a-1", "a", 10, 12), task("a-2", "a", 11, 11.5, "error"),
      task("b-1", "b", 12, 13, "OK", [{ action: "disk-read", start: 11.5, stop: 11.75 }, { action: "deserialize", start: 11.75, stop: 12 }]),
    ];
    const transfers = [transfer("tcp://a:1", "tcp://b:1", 1000, 11, 11.5), transfer("tcp://b:1", "tcp://a:1", 500, 12, 12.25)];
    const summary = summarise(tasks, transfers);
    assert.deepEqual(summary, {
      tasks: 3, erred: 1, computeSeconds: 3.5, transferSeconds: 0.75, diskSeconds: 0.25, serializationSeconds: 0.25, bytesTransferred: 1500, transfers: 2,
    });
  });

  it("builds the worker-to-worker matrix under worker names", () => {
    const workers = [
      { name: "w0", address: "tcp://a:1", host: "h", nthreads: 1, memoryLimit: 0, jobId: null },
      { name: "w1", address: "tcp://b:1", host: "h", nthreads: 1, memoryLimit: 0, jobId: "42" },
    ];
    const matrix = bandwidthMatrix([transfer("tcp://a:1", "tcp://b:1", 1000, 0, 2), transfer("tcp://a:1", "tcp://b:1", 24, 2, 3)], workers);
    assert.deepEqual(matrix.workers, ["w0", "w1"]);
    assert.deepEqual(matrix.bytes, [[0, 1024], [0, 0]]);
    assert.deepEqual(matrix.seconds, [[0, 3], [0, 0]]);
  });

  it("keeps every task in the embedded stream and totals per prefix", () => {
    const data = buildPerformanceReport({
      title: "t", start: 10, stop: 14, version: "1.2.3",
      tasks: [task("a-1", "a", 10, 12), task("a-2", "a", 11, 11.5), task("b-1", "b", 12, 13)], transfers: [transfer("tcp://b:1", "tcp://a:1", 5, 12, 12.5)],
      profile: { intervalMs: 10, since: 0, until: 0, tree: emptyProfile(), byWorker: { "tcp://a:1": emptyProfile() }, prefixes: {}, timeline: [] },
      scheduler: { address: "tcp://s:1", id: "S", dashboard: null },
      workers: [{ name: "w0", address: "tcp://a:1", host: "h", nthreads: 2, memoryLimit: 1, jobId: "7" }],
      config: { x: 1 }, source: { file: null, code: null, callback: "async () => {}" },
    }, 20);
    assert.equal(data.stream.start.length, 4);
    assert.deepEqual(data.stream.start, [0, 1, 2, 2]);
    assert.deepEqual(data.prefixes.map((p) => [p.prefix, p.tasks, p.computeSeconds]), [["a", 2, 2.5], ["b", 1, 1]]);
    assert.equal(data.profile.byWorker[0].worker, "w0");
    assert.equal(data.cluster.workers[0].jobId, "7");
  });
});
