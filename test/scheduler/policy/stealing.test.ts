/**
 * Work stealing against a real worker state machine: a worker whose recent tasks are short
 * hands the next task to a thread before the running one ends (worker/state/run-queue.ts),
 * and such a task is stolen only if the worker takes its call back from the thread first
 * (test/worker/state/steal-request.test.ts; here, without that, the worker declines). The
 * scheduler is not told which tasks were handed over (they are reported started only when
 * they start), so it must ask first for those a worker would run last, which are the ones
 * still waiting there, not for the ones the worker took first.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Harness } from "../state/harness.js";
import { WorkerState, type WorkerCommand } from "../../../src/worker/state/worker-state.js";

/** Plays the scheduler's compute-task messages to `address` into `worker`; returns the keys it handed to its threads. */
function deliver(h: Harness, address: string, worker: WorkerState, from: number): string[] {
  const handed: string[] = [];
  for (const message of h.workerMessages(address, "compute-task", from)) {
    const commands: WorkerCommand[] = worker.handle({
      type: "compute-task", key: message.key as string, runId: message.runId as number, priority: message.priority as number[],
      fn: { builtin: "graph.identity" }, args: [], frames: [], prefix: message.prefix as string, deps: [],
    });
    for (const command of commands) if (command.type === "execute") handed.push(command.key);
  }
  return handed;
}

describe("work stealing from a worker that queues short tasks on its threads", () => {
  it("asks for tasks the worker has not handed to a thread, so that the steal is accepted", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.submit([{ key: "seed" }], ["seed"]);
    h.finish("seed", 8, 0.001);
    const keys = Array.from({ length: 40 }, (_, i) => `work-${i}`);
    const mark = h.log.length;
    h.submit(keys.map((key) => ({ key, deps: ["seed"] })), keys);
    // The worker has run tasks of 20 ms: it queues the next one behind the running one.
    const worker = new WorkerState({ nthreads: 1, maxIncomingPeers: 10, maxBytesPerRequest: 50e6 });
    const prefix = h.workerMessages("w1", "compute-task", mark)[0].prefix as string;
    worker.handle({ type: "compute-task", key: "earlier", runId: 1, priority: [0], fn: { builtin: "graph.identity" }, args: [], frames: [], prefix, deps: [] });
    worker.handle({ type: "execute-success", key: "earlier", nbytes: 8, dataType: "number", startstops: [{ action: "compute", start: 0, stop: 0.02 }], thread: 0 });
    const handed = deliver(h, "w1", worker, mark);
    assert.equal(handed.length, 2, "one running, one queued behind it");
    h.start(handed[0]);
    h.finish(handed[0], 8, 0.02);
    worker.handle({ type: "execute-success", key: handed[0], nbytes: 8, dataType: "number", startstops: [{ action: "compute", start: 0, stop: 0.02 }], thread: 0 });
    h.addWorker("w2", 1);
    const before = h.log.length;
    h.send({ type: "tick", now: h.now });
    const requests = h.workerMessages("w1", "steal-request", before);
    assert.ok(requests.length >= 1, "w1 is far behind an idle w2: the scheduler asks for work");
    const answers = requests.map((request) => worker.handle({ type: "steal-request", key: request.key as string }));
    const accepted = answers.flat().filter((c) => c.type === "send" && c.message.op === "steal-response" && c.message.accepted);
    assert.equal(accepted.length, requests.length, `every steal is accepted (asked for ${requests.map((r) => r.key).join(", ")})`);
  });
});
