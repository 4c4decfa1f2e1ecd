/**
 * Expanding block layers (issue 10, the million-block figure): every block of the box once,
 * in C order, with its holes filled (edge blocks get their own shape, a seed its index) and
 * everything else shared; split into parts, a layer still stands for exactly its blocks; and
 * a TaskGraph holding layers hands any reader of `tasks` the expanded tasks.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { expandLayer, layerKeys, splitLayer, type LayerTask } from "../../src/graph/block-layer.js";
import { TaskGraph } from "../../src/graph/task-graph.js";
import type { BlockLayer } from "../../src/protocol/block-layer.js";

const options = { op: "sum", axes: [0, 1] };
const layer = (start = [0, 0], stop = [4, 3]): BlockLayer => ({
  kind: "blocks",
  keyPrefix: "s-partial-0-",
  axes: [{ size: 2, extent: 7 }, { size: 3, extent: 9 }],
  start,
  stop,
  steps: [
    { builtin: "ndarray.random", args: [[2, 3], { seed: [9, 0, 0], dtype: "float32" }], holes: [{ path: [0], fill: "chunk-shape" }, { path: [1, "seed"], fill: "index-after", head: [9] }] },
    { builtin: "ndarray.reducePartial", args: [{ $step: 0 }, options], holes: [] },
  ],
});

function expanded(of: BlockLayer): LayerTask[] {
  const tasks: LayerTask[] = [];
  expandLayer(of, (task) => tasks.push(task));
  return tasks;
}

describe("block layers", () => {
  it("expand to one fused task per block, holes filled, in C order", () => {
    const tasks = expanded(layer());
    assert.deepEqual(tasks.map((t) => t.key), ["0.0", "0.1", "0.2", "1.0", "1.1", "1.2", "2.0", "2.1", "2.2", "3.0", "3.1", "3.2"].map((i) => `s-partial-0-${i}`));
    assert.deepEqual(tasks.map((t) => t.key), [...layerKeys(layer())]);
    const last = tasks[11];
    assert.equal(last.builtin, "graph.fused");
    assert.deepEqual(last.args, [{ steps: [
      { fn: { builtin: "ndarray.random" }, args: [[1, 3], { seed: [9, 3, 2], dtype: "float32" }] },
      { fn: { builtin: "ndarray.reducePartial" }, args: [{ $step: 0 }, options] },
    ] }]);
    // The edge along axis 0 is one row (7 = 3 × 2 + 1); the rest are full blocks.
    assert.deepEqual(((tasks[4].args[0] as { steps: Array<{ args: unknown[] }> }).steps[0].args[0]), [2, 3]);
    // The shared parts are shared, not copied per block.
    assert.equal((tasks[0].args[0] as { steps: Array<{ args: unknown[] }> }).steps[1].args[1], options);
    // The layer itself is left as it was.
    assert.deepEqual(layer().steps[0].args, [[2, 3], { seed: [9, 0, 0], dtype: "float32" }]);
  });

  it("expand a box that does not start at the origin, and a single step as the call itself", () => {
    const single: BlockLayer = { ...layer([3, 1], [4, 3]), steps: [layer().steps[0]] };
    const tasks = expanded(single);
    assert.deepEqual(tasks.map((t) => t.key), ["s-partial-0-3.1", "s-partial-0-3.2"]);
    assert.equal(tasks[0].builtin, "ndarray.random");
    assert.deepEqual(tasks[1].args, [[1, 3], { seed: [9, 3, 2], dtype: "float32" }]);
  });

  it("split into parts of bounded size that hold every block exactly once", () => {
    const big: BlockLayer = { ...layer(), axes: [{ size: 1, extent: 37 }, { size: 1, extent: 53 }], start: [0, 0], stop: [37, 53] };
    for (const max of [1, 7, 52, 53, 54, 200, 5000]) {
      const parts = splitLayer(big, max);
      const keys = parts.flatMap((part) => [...layerKeys(part)]);
      assert.equal(keys.length, 37 * 53);
      assert.equal(new Set(keys).size, 37 * 53);
      for (const part of parts) assert.ok([...layerKeys(part)].length <= max, `a part of at most ${max}`);
    }
  });

  it("are expanded for a reader of the graph's tasks, and counted without it", () => {
    const graph = new TaskGraph();
    graph.add({ key: "other", fn: { builtin: "graph.identity" }, args: [1], deps: [] });
    graph.addLayers([layer()]);
    assert.equal(graph.size, 13);
    assert.equal(graph.layers.length, 1);
    assert.equal(graph.taskList.size, 1);
    const task = graph.tasks.get("s-partial-0-2.1");
    assert.deepEqual(task?.deps, []);
    assert.deepEqual(task?.fn, { builtin: "graph.fused" });
    assert.equal(graph.layers.length, 0, "expanded once");
    assert.equal(graph.size, 13);
  });
});
