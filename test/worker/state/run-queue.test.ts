/**
 * How many ready tasks a worker hands to its threads at once (run-queue.ts): one per thread
 * until a task has finished here, then, by the mean compute time of recent tasks, a few per
 * thread for tiny tasks, two for short ones (the next one waits on the thread, not on a round
 * trip to the main thread), one for long ones; none while paused, and none queued ahead of a
 * seceded task that waits to rejoin. Counted in execute commands, not timed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WorkerState, type WorkerCommand, type WorkerEvent } from "../../../src/worker/state/worker-state.js";
import { SHORT_TASK_SECONDS, TINY_TASK_SECONDS } from "../../../src/worker/state/run-queue.js";

const fn = { builtin: "graph.identity" };

function computeTask(key: string, priority = 0): WorkerEvent {
  return { type: "compute-task", key, runId: 1, priority: [0, priority], fn, args: [], frames: [], prefix: "t", deps: [] };
}

const executed = (commands: WorkerCommand[]) => commands.flatMap((command) => (command.type === "execute" ? [command.key] : []));

/** A worker with `nthreads` threads whose recent tasks took `seconds` on average (negative: none finished yet). */
function workerAfter(seconds: number, nthreads = 1): WorkerState {
  const state = new WorkerState({ nthreads, maxIncomingPeers: 10, maxBytesPerRequest: 50e6 });
  if (seconds < 0) return state;
  // A task of the same kind ran here: the mean, and its kind's, is `seconds`.
  state.handle(computeTask("seed"));
  state.handle({ type: "execute-success", key: "seed", nbytes: 8, dataType: "number", startstops: [{ action: "compute", start: 0, stop: seconds }], thread: 0 });
  return state;
}

/** Sends `count` ready tasks; returns the keys handed to the threads. */
function submit(state: WorkerState, count: number): string[] {
  const started: string[] = [];
  for (let i = 0; i < count; i++) started.push(...executed(state.handle(computeTask(`t-${i}`, i))));
  return started;
}

describe("RunQueue: tasks handed to the threads at once", () => {
  it("hands one task per thread before any task has finished here", () => {
    assert.deepEqual(submit(workerAfter(-1), 6), ["t-0"]);
    assert.deepEqual(submit(workerAfter(-1, 2), 6), ["t-0", "t-1"]);
  });

  it("queues the next task behind the running one on each thread when tasks are short", () => {
    const seconds = (TINY_TASK_SECONDS + SHORT_TASK_SECONDS) / 2;
    assert.deepEqual(submit(workerAfter(seconds), 6), ["t-0", "t-1"]);
    assert.deepEqual(submit(workerAfter(seconds, 2), 6), ["t-0", "t-1", "t-2", "t-3"]);
  });

  it("queues a few per thread for tiny tasks, and none behind long ones", () => {
    assert.equal(submit(workerAfter(TINY_TASK_SECONDS / 2), 6).length, 4);
    assert.deepEqual(submit(workerAfter(SHORT_TASK_SECONDS * 2), 6), ["t-0"]);
    assert.deepEqual(submit(workerAfter(SHORT_TASK_SECONDS), 6), ["t-0"], "the bound itself counts as long");
  });

  it("hands the next one over as a queued task finishes, keeping two on the thread", () => {
    const state = workerAfter(SHORT_TASK_SECONDS / 2);
    submit(state, 4);
    const next = state.handle({ type: "execute-success", key: "t-0", nbytes: 8, dataType: "number", startstops: [{ action: "compute", start: 0, stop: 0.01 }], thread: 0 });
    assert.deepEqual(executed(next), ["t-2"]);
    assert.equal(state.executing, 2);
  });

  it("stops queueing once recent tasks run long, and starts nothing while paused", () => {
    const state = workerAfter(SHORT_TASK_SECONDS / 2);
    submit(state, 5);
    // A long task pulls the average over the bound: the slot it frees is not refilled.
    const afterLong = state.handle({ type: "execute-success", key: "t-0", nbytes: 8, dataType: "number", startstops: [{ action: "compute", start: 0, stop: 10 * SHORT_TASK_SECONDS }], thread: 0 });
    assert.deepEqual(executed(afterLong), []);
    const paused = workerAfter(SHORT_TASK_SECONDS / 2);
    paused.handle({ type: "pause" });
    assert.deepEqual(submit(paused, 3), []);
  });

  it("queues nothing ahead of a seceded task waiting to rejoin", () => {
    const state = workerAfter(SHORT_TASK_SECONDS / 2);
    submit(state, 2); // t-0 runs, t-1 queued behind it
    state.handle({ type: "secede", key: "t-0" });
    state.handle({ type: "rejoin", key: "t-0" });
    // t-1 still holds the thread: t-0 waits for it, and no new task goes ahead of t-0.
    assert.deepEqual(executed(state.handle(computeTask("t-2", 2))), []);
    const done = state.handle({ type: "execute-success", key: "t-1", nbytes: 8, dataType: "number", startstops: [{ action: "compute", start: 0, stop: 0.01 }], thread: 0 });
    assert.ok(done.some((command) => command.type === "rejoined" && command.key === "t-0"), "t-0 rejoins first");
    assert.deepEqual(executed(done), [], "and nothing is queued beside it while it runs (it is out of its thread's queue)");
    state.handle(computeTask("t-3", 3));
    const afterRejoined = state.handle({ type: "execute-success", key: "t-0", nbytes: 8, dataType: "number", startstops: [{ action: "compute", start: 0, stop: 0.01 }], thread: 0 });
    assert.deepEqual(executed(afterRejoined), ["t-2", "t-3"], "once it is done, two per thread again");
  });

  it("a task that secedes again after it rejoined gives its slot back again, and queueing resumes", () => {
    const state = workerAfter(SHORT_TASK_SECONDS / 2);
    submit(state, 1);
    state.handle({ type: "secede", key: "t-0" });
    assert.ok(state.handle({ type: "rejoin", key: "t-0" }).some((command) => command.type === "rejoined"));
    assert.deepEqual(executed(state.handle(computeTask("t-1", 1))), [], "t-0 holds the only thread again");
    const again = state.handle({ type: "secede", key: "t-0" });
    assert.ok(again.some((command) => command.type === "send" && command.message.op === "long-running"), "the scheduler is told again");
    assert.deepEqual(executed(again), ["t-1"]);
    assert.deepEqual(executed(state.handle(computeTask("t-2", 2))), ["t-2"], "seceded, it is no longer a rejoined task: the next short one is queued");
  });
});

describe("RunQueue: what is queued behind a running task", () => {
  const finished = (key: string, seconds: number): WorkerEvent => ({ type: "execute-success", key, nbytes: 8, dataType: "number", startstops: [{ action: "compute", start: 0, stop: seconds }], thread: 0 });
  const ofPrefix = (key: string, prefix: string): WorkerEvent => ({ ...computeTask(key), prefix } as WorkerEvent);

  it("queues no task of a kind seen running long, though recent tasks were short on average", () => {
    // A mixed graph: a slow kind (1 s) among many short ones (5 ms). The short ones pull the
    // mean under the bound again; a slow task queued behind another would wait a whole slow
    // task unless an idle worker steals it (withdrawn from its thread before it starts).
    const state = workerAfter(-1);
    assert.deepEqual(executed(state.handle(ofPrefix("slow-0", "slow"))), ["slow-0"]);
    state.handle(finished("slow-0", 1));
    for (let i = 0; i < 16; i++) {
      state.handle(ofPrefix(`short-${i}`, "short"));
      state.handle(finished(`short-${i}`, 0.005));
    }
    assert.ok(state.computeAverage < SHORT_TASK_SECONDS, "the mean is short again");
    assert.deepEqual(executed([...state.handle(ofPrefix("slow-1", "slow")), ...state.handle(ofPrefix("slow-2", "slow"))]), ["slow-1"]);
    // A short one still goes behind the running slow one.
    assert.deepEqual(executed(state.handle(ofPrefix("short-16", "short"))), ["short-16"]);
  });

  it("queues no task of a kind not yet seen finishing here", () => {
    // A 1 ms seed, then its dependents: nothing says they are short.
    const state = workerAfter(TINY_TASK_SECONDS / 2);
    const keys = ["dep-0", "dep-1", "dep-2"].map((key) => executed(state.handle(ofPrefix(key, "dependent")))).flat();
    assert.deepEqual(keys, ["dep-0"], "the others wait on the worker, stealable");
    assert.deepEqual(executed(state.handle(finished("dep-0", 0.01))), ["dep-1", "dep-2"], "once one ran short, they queue");
  });
});
