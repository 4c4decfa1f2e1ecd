/**
 * A block the lowering computes from several partials (tasks an expression added with
 * addTask: bincount's per-block counts, vindex's per-block slices) gathers them; it is not a
 * blockwise step, so fusion leaves each partial a task of its own, holding its one block, and
 * the partials spread over the workers (issue 10: fusion never fans in beyond one block's
 * inputs). Found: a 16-block bincount lowered to ONE task of 33 steps, every block counted one
 * after another on one worker.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import type { TaskSpec } from "../../src/graph/task-graph.js";
import { evaluatePython } from "./python-eval.js";
import { useCluster2x1 } from "./cluster-sample.js";
import { unixSeconds } from "../../src/core/clock.js";

const values = nd.astype(nd.multiply(nd.random([400], { seed: 1 }), 10), "int64");
const counted = () => ta.bincount(ta.fromArray(values, { chunks: [25] }).add(1));

function fusedTasks(array: ta.Array): TaskSpec[] {
  return [...lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys(), Infinity).graph.tasks.values()];
}

const stepsOf = (task: TaskSpec): string[] => {
  const fused = (task.args[0] as { steps?: Array<{ fn: { builtin?: string } }> } | undefined)?.steps;
  return fused ? fused.map((step) => step.fn.builtin ?? "") : [(task.fn as { builtin?: string }).builtin ?? ""];
};

describe("blocks that gather several partials", () => {
  it("bincount over 16 blocks: one task per block's counts and one sum, as Dask's graph", () => {
    const tasks = fusedTasks(counted());
    assert.equal(tasks.length, 17);
    const partials = tasks.filter((task) => stepsOf(task).includes("ndarray.bincountBlock"));
    assert.equal(partials.length, 16, "each block counted in a task of its own");
    for (const task of partials) assert.equal(stepsOf(task).filter((fn) => fn === "ndarray.bincountBlock").length, 1);
  });

  it("a fan-in of partials next to fusable blocks: x.vindex's merges take their slices as tasks, a chain still fuses", () => {
    const x = ta.fromArray(nd.random([40, 30], { seed: 2 }), { chunks: [4, 3] }).add(1);
    const tasks = fusedTasks(x.vindex([0, 13, 39, 22], [29, 0, 14, 7]));
    const merges = tasks.filter((task) => stepsOf(task).includes("ndarray.vindexMerge"));
    assert.equal(merges.length, 1);
    assert.ok(!stepsOf(merges[0]).includes("ndarray.vindexSlice"), "the merge runs no slice");
    assert.equal(tasks.length, 1 + 4, "four slices (each with its block's add fused in) and the merge");
  });

  describe("on a LocalCluster of 2 workers × 1 thread", () => {
    const client = useCluster2x1();
    it("the 16 counts run on both workers and sum to NumPy's bincount", async () => {
      const expected = evaluatePython({ v: values }, { c: "np.bincount(v + 1)" }).c.array!;
      const since = unixSeconds();
      const result = await counted().compute();
      assert.deepEqual(Array.from(result.toTypedArray() as BigInt64Array, Number), Array.from(expected.toTypedArray() as BigInt64Array, Number));
      const stream = (await client().getTaskStream({ since: since - 1 })) as Array<{ key: string; worker: string }>;
      const workers = new Set(stream.filter((record) => record.key.includes("bincount")).map((record) => record.worker));
      assert.equal(workers.size, 2, `the tasks ran on ${[...workers].join(", ")}`);
    });
  });
});
