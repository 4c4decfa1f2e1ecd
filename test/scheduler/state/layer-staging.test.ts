/**
 * Block layers staged straight into TaskStates (layer-staging.ts, issue 10's million-block
 * intake) must leave the scheduler in exactly the state the per-task graph leaves it in: every
 * task's function, packed argument bytes, dependencies and dependents (in order), priority,
 * status, prefix, group, root-ishness and counters, and the same tasks dispatched first. Both
 * graphs travel as the client sends them, in several parts (so a gathering layer finds its
 * members across parts), and are handed to the state as the server hands them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../../src/array/index.js";
import { lowerArrays } from "../../../src/array/lower.js";
import { sendGraph } from "../../../src/client/graph-parts.js";
import type { Connection } from "../../../src/comm/connection.js";
import type { Message } from "../../../src/protocol/messages.js";
import type { PackedArgs } from "../../../src/protocol/packed-args.js";
import { submittedPart } from "../../../src/scheduler/server/message-events.js";
import type { TaskState } from "../../../src/scheduler/state/entities.js";
import { Harness } from "./harness.js";

const keysOf = (node: unknown) => (node as ta.Array).blockKeys();

/** The update-graph messages the client sends for `array` (per task, or with block layers), `partTasks` tasks a part. */
async function messagesFor(array: ta.Array, perTask: boolean, partTasks: number): Promise<Array<Extract<Message, { op: "update-graph" }>>> {
  const sent: Array<Extract<Message, { op: "update-graph" }>> = [];
  const capture = {
    request: (message: Extract<Message, { op: "update-graph" }>) => {
      sent.push(message);
      return Promise.resolve({ result: null, frames: [] });
    },
    flush: () => {},
    send: () => {},
    isClosed: false,
  } as unknown as Connection;
  const lowered = lowerArrays([array], () => false, keysOf, perTask ? Infinity : 0);
  const specs = perTask ? [...lowered.graph.tasks.values()] : [...lowered.graph.taskList.values()];
  sendGraph(capture, new Map(), specs, lowered.keys.flat(), {}, partTasks, perTask ? [] : lowered.graph.layers);
  for (let count = -1; sent.length !== count; ) {
    count = sent.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!perTask) assert.ok(sent.some((message) => (message.layers ?? []).length > 0), "the graph travelled in block layers");
  return sent;
}

/** A harness with two workers that has taken in `messages` as one graph in parts. */
function takeIn(messages: ReadonlyArray<Extract<Message, { op: "update-graph" }>>): Harness {
  const harness = new Harness();
  harness.addWorker("tcp://w0:1");
  harness.addWorker("tcp://w1:1");
  const wanted: string[] = [];
  for (const message of messages) {
    const { tasks, layers } = submittedPart(message, []);
    harness.send({ type: "graph-part", clientId: "c1", submission: "s", tasks, layers, now: harness.now });
    wanted.push(...message.wanted);
  }
  harness.send({ type: "graph-completed", clientId: "c1", submission: "s", wanted, now: harness.now });
  return harness;
}

function described(task: TaskState): string {
  return JSON.stringify({
    fn: task.fn, args: Buffer.from((task.args as PackedArgs).bytes).toString("hex"), frames: task.frames.length,
    dependencies: task.dependencies.map((dep) => dep.key), dependents: task.dependents.map((dep) => dep.key),
    order: task.order, status: task.status, prefix: task.prefix.name, group: task.group, rootish: task.rootish,
    waitingOn: task.waitingOn, pendingDependents: task.pendingDependents, processingOn: task.processingOn?.address ?? null, wanted: task.isWanted,
  });
}

describe("block layers staged into task states", () => {
  const cases: Array<[string, () => ta.Array, number]> = [
    ["a sum of ones (40 × 40 blocks, parts of 300 tasks)", () => ta.ones([40, 40], { chunks: [1, 1] }).sum(), 300],
    ["a mean of a random fill with short edge blocks (35 × 33 blocks of 2)", () => ta.random([70, 66], { chunks: [2, 2], seed: 3 }).mean(), 250],
    ["a maximum over axis 0 (60 × 20 blocks)", () => ta.full([60, 40], 2, { chunks: [1, 2] }).max({ axis: 0 }), 170],
    ["a sum of ones whose last row and column of blocks are shorter (13 × 12 blocks of 2)", () => ta.ones([25, 23], { chunks: [2, 2] }).sum(), 40],
    ["a sum of a three-dimensional fill (12 × 10 × 9 blocks)", () => ta.ones([12, 10, 9], { chunks: [1, 1, 1] }).sum(), 97],
  ];
  for (const [name, build, partTasks] of cases) {
    it(`leaves the state the per-task graph leaves: ${name}`, async () => {
      const array = build();
      const perTask = takeIn(await messagesFor(array, true, partTasks));
      const layered = takeIn(await messagesFor(array, false, partTasks));
      assert.equal(layered.state.tasks.size, perTask.state.tasks.size);
      for (const [key, task] of perTask.state.tasks) {
        const other = layered.state.tasks.get(key);
        assert.ok(other, `task ${key} was staged`);
        assert.equal(described(other), described(task), `task ${key}`);
      }
      assert.deepEqual(layered.log, perTask.log, "the same commands (the first tasks dispatched)");
      assert.deepEqual([...layered.state.prefixes].map(([name, prefix]) => [name, [...prefix.counts]]), [...perTask.state.prefixes].map(([name, prefix]) => [name, [...prefix.counts]]));
    });
  }
});
