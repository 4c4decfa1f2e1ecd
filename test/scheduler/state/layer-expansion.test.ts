/**
 * The scheduler's side of block layers (issue 10, the million-block figure): what it expands
 * from the layers a client sends (as they travel: packed) must be exactly what it would have
 * taken in from the per-task graph (keys, functions, packed argument bytes, dependencies), and
 * blocks with equal arguments share one packed copy.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../../src/array/index.js";
import { lowerArrays } from "../../../src/array/lower.js";
import { toWireTasks } from "../../../src/client/task-builder.js";
import { wireLayer } from "../../../src/client/graph-parts.js";
import { submittedTasks } from "../../../src/scheduler/server/message-events.js";
import { layerTasks } from "../../../src/scheduler/state/layer-expansion.js";
import type { PackedArgs } from "../../../src/protocol/packed-args.js";
import type { SubmittedTask } from "../../../src/scheduler/state/events.js";

const keysOf = (node: unknown) => (node as ta.Array).blockKeys();

/** Key → function, packed argument bytes and dependencies, as the scheduler holds them. */
function heldForm(tasks: readonly SubmittedTask[]): Map<string, string> {
  return new Map(tasks.map((task) => [task.key, JSON.stringify([task.fn, Buffer.from((task.args as PackedArgs).bytes).toString("hex"), task.deps, task.frames.length])]));
}

describe("layer expansion on the scheduler", () => {
  const cases: Array<[string, () => ta.Array]> = [
    ["a sum of ones with lonely corners (33 × 33)", () => ta.ones([33, 33], { chunks: [1, 1] }).sum()],
    ["a mean of a random fill (70 × 66)", () => ta.random([70, 66], { chunks: [1, 1], seed: 5 }).mean()],
    ["a projection of a full (max over axis 0, 200 × 40)", () => ta.full([200, 80], -0, { chunks: [1, 2] }).max({ axis: 0 })],
    ["a sum over blocks whose last row and column are shorter (50 × 50 blocks of 2 × 2)", () => ta.ones([99, 99], { chunks: [2, 2] }).sum()],
  ];
  for (const [name, build] of cases) {
    it(`takes in the tasks the per-task graph would send: ${name}`, () => {
      const array = build();
      const perTask = lowerArrays([array], () => false, keysOf, Infinity);
      const compact = lowerArrays([array], () => false, keysOf, 0);
      assert.ok(compact.graph.layers.length >= 2);
      const expected = submittedTasks({ op: "update-graph", reqId: 1, tasks: toWireTasks(perTask.graph.tasks.values()).tasks, wanted: [] }, []);
      const actual = submittedTasks({
        op: "update-graph", reqId: 1, tasks: toWireTasks(compact.graph.taskList.values()).tasks, layers: compact.graph.layers.map(wireLayer), wanted: [],
      }, []);
      assert.equal(actual.length, expected.length);
      const held = heldForm(actual);
      for (const [key, task] of heldForm(expected)) assert.equal(held.get(key), task, `task ${key}`);
    });
  }

  it("shares the packed arguments of blocks that have the same", () => {
    const compact = lowerArrays([ta.ones([99, 99], { chunks: [2, 2] }).sum()], () => false, keysOf, 0);
    const tasks = layerTasks([compact.graph.layers[0]].map(wireLayer), (builtin) => ({ builtin }));
    // 49 × 49 blocks of 2 × 2 and the last row and column of 1: four shapes, four copies.
    assert.equal(tasks.length, 50 * 50);
    assert.equal(new Set(tasks.map((task) => task.args)).size, 4);
  });
});
