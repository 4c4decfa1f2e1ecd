/**
 * Lowering graphs as deep and as wide as a loop builds them (src/array/lower.ts): a chain of
 * 10,000 steps lowers without nesting one call per level (past maxLoweringNesting, what a node
 * reads is lowered first, iteratively), fuses to one task per block as Dask's would, and
 * computes NumPy's values; a node reading 200,000 inputs lowers and computes too.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { maxLoweringNesting } from "../../src/array/lower-inputs-first.js";
import { fusedBuiltin, stepRef } from "../../src/graph/task-runner.js";
import type { TaskSpec } from "../../src/graph/task-graph.js";

const steps = 10_000;
/** Deep enough that nesting once per level overflowed the stack (1,000 additions did). */
const mixedSteps = 3_000;

const lower = (arrays: ta.Array[]) => lowerArrays(arrays, () => false, (node) => (node as ta.Array).blockKeys());

function sameValues(actual: nd.NDArray, expected: nd.NDArray, label: string): void {
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  const a = nd.ascontiguousarray(actual).data;
  const b = nd.ascontiguousarray(nd.astype(expected, actual.dtype)).data;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) assert.fail(`${label}: element ${i} is ${a[i]}, expected ${b[i]}`);
}

/** The steps of a fused task (fuse.ts: one graph.fused call). */
function fusedSteps(task: TaskSpec): Array<{ fn: unknown; args: unknown[] }> {
  assert.deepEqual(task.fn, { builtin: fusedBuiltin }, `${task.key} is a fused task`);
  return (task.args[0] as { steps: Array<{ fn: unknown; args: unknown[] }> }).steps;
}

describe("lowering deep graphs", () => {
  it(`lowers a chain of ${steps.toLocaleString("en")} additions built by a loop to one task per block, and computes x + ${steps}`, async () => {
    assert.ok(steps > 100 * maxLoweringNesting, "far deeper than the nesting lowering allows itself");
    const base = nd.arange(0, 24, 1, "float64");
    let x = ta.fromArray(base, { chunks: [8] });
    for (let i = 0; i < steps; i++) x = x.add(1);
    const { graph } = lower([x]);
    // As Dask's fusion: each block's load and its 10,000 additions are one task, reading nothing.
    assert.equal(graph.tasks.size, 3);
    for (const task of graph.tasks.values()) {
      assert.deepEqual(task.deps, []);
      const chain = fusedSteps(task);
      assert.equal(chain.length, steps + 1, "the load, then each addition");
      for (let i = 1; i < chain.length; i++) {
        assert.deepEqual(chain[i], { fn: { builtin: "ndarray.add" }, args: [stepRef(i - 1), 1] }, `${task.key}: step ${i}`);
      }
    }
    sameValues(await x.compute(), nd.add(base, steps), "x + 10000");
  });

  it("lowers a deep chain through views, shared inputs, halos and a fused reduction, with NumPy's values", async () => {
    const base = nd.reshape(nd.arange(0, 24, 1, "float64"), [6, 4]);
    const input = ta.fromArray(base, { chunks: [3, 2] });
    let x = input;
    for (let i = 0; i < mixedSteps; i++) {
      x = x.add(1);
      // A view now and then (region() follows it; the walk goes through it), a fan-in of the
      // shared input, and one halo exchange (assembled regions, a task per block).
      if (i % 300 === 299) x = x.rechunk(i % 600 === 299 ? [2, 4] : [3, 2]);
      if (i % 1000 === 0) x = x.add(input).sub(input);
      if (i === mixedSteps / 2) x = x.mapOverlap((block: nd.NDArray) => nd.copy(block), { depth: 1, boundary: "reflect" });
    }
    sameValues(await x.compute(), nd.add(base, mixedSteps), `x + ${mixedSteps}`);
    // x − input summed: the reduction fuses the subtraction (its node is never lowered per block).
    assert.equal((await x.sub(input).sum().compute()).item(), mixedSteps * 24);
  });

  it("lowers a deep chain of annotated steps, the annotations kept on the fused tasks", () => {
    let x = ta.fromArray(nd.arange(0, 12, 1, "float64"), { chunks: [4] });
    for (let i = 0; i < mixedSteps; i++) x = x.add(1).annotate({ resources: { GPU: 1 } });
    const { graph } = lower([x]);
    assert.equal(graph.tasks.size, 3);
    for (const task of graph.tasks.values()) {
      assert.equal(fusedSteps(task).length, mixedSteps + 1);
      assert.deepEqual(task.resources, { GPU: 1 });
    }
  });
});

describe("lowering wide graphs", () => {
  it("lowers and computes a concatenate of 200,000 arrays (one node with as many inputs)", async () => {
    const count = 200_000;
    // Seven arrays, each many times over: the node's inputs are 200,000, in this order.
    const parts = Array.from({ length: 7 }, (_, value) => ta.fromArray(nd.full([1], value, "float64"), { chunks: [1] }));
    const joined = ta.concatenate(Array.from({ length: count }, (_, i) => parts[i % 7]));
    assert.deepEqual(joined.numblocks, [count]);
    const expected = nd.array(Array.from({ length: count }, (_, i) => i % 7), { dtype: "float64" });
    sameValues(await joined.compute(), expected, "the inputs in order");
  });
});
