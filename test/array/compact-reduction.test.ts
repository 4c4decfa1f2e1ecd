// The compact lowering of large reductions (issue 10, the million-block figure): a block layer
// for the first level must stand for exactly the tasks the per-task lowering builds (keys,
// functions, arguments as they travel, dependencies, fusion) and the same memory estimate;
// what it does not cover is lowered per task as before.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import type { TaskGraph } from "../../src/graph/task-graph.js";
import { packPayload } from "../../src/protocol/payload.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { gaussianFilter } from "../../src/ndimage/index.js";

const nothingHeld = () => false;
const keysOf = (node: unknown) => (node as ta.Array).blockKeys();

/** Each task as it travels: key → its function, packed arguments and dependencies. */
function wireForm(graph: TaskGraph): Map<string, string> {
  const out = new Map<string, string>();
  for (const task of graph.tasks.values()) out.set(task.key, JSON.stringify([task.fn, packPayload(task.args, []), task.deps]));
  return out;
}

function assertSameGraph(array: ta.Array): { layers: number; tasks: number } {
  const perTask = lowerArrays([array], nothingHeld, keysOf, Infinity);
  const compact = lowerArrays([array], nothingHeld, keysOf, 0);
  const layers = compact.graph.layers.length;
  assert.equal(perTask.graph.layers.length, 0);
  assert.equal(compact.graph.size, perTask.graph.size, "the same number of tasks");
  assert.deepEqual(compact.keys, perTask.keys);
  assert.equal(compact.memory.largest?.bytes, perTask.memory.largest?.bytes, "the plan's largest task");
  assert.equal(compact.memory.largest?.array?.name, perTask.memory.largest?.array?.name);
  assert.deepEqual([...compact.memory.byPrefix].sort(), [...perTask.memory.byPrefix].sort());
  const expected = wireForm(perTask.graph);
  const actual = wireForm(compact.graph);
  assert.equal(actual.size, expected.size);
  for (const [key, task] of expected) assert.equal(actual.get(key), task, `task ${key}`);
  return { layers, tasks: expected.size };
}

describe("compact reduction lowering", () => {
  const cases: Array<[string, () => ta.Array]> = [
    ["sum of ones, 40×40 blocks", () => ta.ones([40, 40], { chunks: [1, 1] }).sum()],
    ["sum with a lonely corner (33×49 blocks of 3×2, split 4 per axis)", () => ta.ones([99, 97], { chunks: [3, 2] }).sum()],
    ["sum with a lonely corner on the second level only (34×34)", () => ta.ones([34, 34], { chunks: [1, 1] }).sum()],
    ["mean with a lonely corner on both levels (33×33)", () => ta.ones([33, 33], { chunks: [1, 1] }).mean()],
    ["mean of a random fill, 17×65 blocks", () => ta.random([85, 130], { chunks: [5, 2], seed: 7 }).mean()],
    ["max over axis 0 (a projection), 70×9 blocks", () => ta.random([140, 45], { chunks: [2, 5], seed: 3 }).max({ axis: 0 })],
    ["sum over axis 1 keepdims, 12×81 blocks, splitEvery 5", () => ta.full([12, 81], 2.5, { chunks: [1, 1] }).sum({ axis: 1, keepdims: true, splitEvery: 5 })],
    ["prod over axes 0 and 2 of a 3-D grid, 9×8×17", () => ta.ones([9, 16, 17], { chunks: [1, 2, 1] }).prod({ axis: [0, 2] })],
    ["min, any and all of zeros, 1-D 1000 blocks", () => ta.zeros([1000], { chunks: [1] }).min()],
    ["any of a 1-D grid of 257 blocks (a corner of one)", () => ta.zeros([257], { chunks: [1] }).any()],
    ["all with splitEvery per axis, 31×31", () => ta.ones([31, 31], { chunks: [1, 1] }).all({ splitEvery: { 0: 2, 1: 3 } })],
    ["sum with a dtype", () => ta.ones([64, 64], { chunks: [1, 1] }).sum({ dtype: "float32" })],
    ["sum of ones times a scalar (arithmetic at the top)", () => ta.ones([64, 64], { chunks: [1, 1] }).mul(2).sum()],
    // Blocks large enough that the first level is the plan's largest task (its estimate compared).
    ["sum of x·2 on 64 × 64 blocks of 10 × 10", () => ta.ones([640, 640], { chunks: [10, 10] }).mul(2).sum()],
    ["mean of |x| on 40 × 40 blocks of 16 × 16", () => ta.random([640, 640], { chunks: [16, 16] }).abs().mean()],
    ["mean of x + x (one operand twice)", () => { const x = ta.random([66, 66], { chunks: [1, 1], seed: 2 }); return x.add(x).mean(); }],
    ["mean of x - y (two fills)", () => ta.random([66, 66], { chunks: [1, 1], seed: 2 }).sub(ta.full([66, 66], 0.5, { chunks: [1, 1] })).mean()],
    ["max over axis 0 of a chain of unary steps", () => ta.random([130, 40], { chunks: [1, 1], seed: 4 }).neg().abs().max({ axis: 0 })],
    ["sum of (x·3 + 1) as float32 (a chain under arithmetic, options)", () => ta.random([65, 65], { chunks: [1, 1], seed: 8 }).mul(3).add(1).astype("float32").sum()],
    ["sum of x·3 + y (a chain and a fill under arithmetic)", () => ta.random([65, 65], { chunks: [1, 1], seed: 8 }).mul(3).add(ta.ones([65, 65], { chunks: [1, 1] })).sum()],
  ];
  for (const [name, build] of cases) {
    it(`stands for exactly the per-task graph: ${name}`, () => {
      const { layers, tasks } = assertSameGraph(build());
      assert.ok(layers >= 1, "the first level travels as a layer");
      assert.ok(tasks > 100);
    });
  }

  it("lowers other expressions per task, as before (x + x.T, mapBlocks, a DoG, argmax, small grids)", () => {
    const x = ta.random([60, 60], { chunks: [1, 1], seed: 1 });
    const fallbacks = [
      x.add(x.transpose()).sum(),
      x.mapBlocks((block: NDArray) => block).sum(),
      x.argmax(),
      x.sum({ axis: 0 }).sum(),
      ta.ones([60, 60], { chunks: [60, 1] }).sum({ axis: 0 }), // no combining level
      // A DoG: overlapping blocks read their neighbours (regions), which layers do not cover.
      x.mapOverlap(gaussianFilter, { depth: 2, boundary: "nearest" }, { sigma: 1, mode: "nearest" })
        .sub(x.mapOverlap(gaussianFilter, { depth: 3, boundary: "nearest" }, { sigma: 1.5, mode: "nearest" })).sum(),
    ];
    for (const array of fallbacks) {
      const { layers } = assertSameGraph(array);
      assert.equal(layers, 0, "per task");
    }
    // Below the threshold: per task.
    assert.equal(lowerArrays([ta.ones([40, 40], { chunks: [1, 1] }).sum()], nothingHeld, keysOf).graph.layers.length, 0);
    // Above it: the first two levels as layers (the first level's 6400 blocks, the second's 400).
    const layers = lowerArrays([ta.ones([80, 80], { chunks: [1, 1] }).sum()], nothingHeld, keysOf).graph.layers;
    assert.deepEqual(layers.map((layer) => [layer.keyPrefix.replace(/^.*-partial/, "partial"), layer.stop]), [["partial-0-", [80, 80]], ["partial-1-", [20, 20]]]);
  });
});
