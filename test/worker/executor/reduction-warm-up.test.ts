/**
 * The reduction part of a compute thread's warm-up (src/worker/executor/reduction-warm-up.ts):
 * it runs, through the task runner, the fused tasks a reduction graph sends (random blocks,
 * an add with a transposed operand and its sum partial, the tree's combines, a mean's partials
 * and its finish), really computing them; it covers every kind of task the x + x.T sum's
 * graph holds; and a worker that ran it at start shows nothing of it: no task in the stream,
 * no profile prefix, no data.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../../src/array/index.js";
import * as nd from "../../../src/ndarray/index.js";
import { Client, LocalCluster } from "../../../src/index.js";
import { lowerArrays } from "../../../src/array/lower.js";
import type { TaskSpec } from "../../../src/graph/task-graph.js";
import { fusedBuiltin, runTask, type FusedStep } from "../../../src/graph/task-runner.js";
import type { FunctionRef } from "../../../src/protocol/function-ref.js";
import { builtinNameOf } from "../../../src/core/builtin.js";
import { reductionWarmUpBuiltins, warmUpReductions, type RunTask } from "../../../src/worker/executor/reduction-warm-up.js";
import { warmUpBuiltinNames } from "../../../src/worker/executor/thread-warm-up.js";
import { recycledHeldBytes } from "../../../src/ndarray/block-recycling.js";
import { releaseRetained } from "../../../src/worker/executor/thread-memory.js";

/** A task's kind: the built-ins of its steps, in order (a plain task: its one built-in). */
function kindOf(fn: FunctionRef, args: readonly unknown[]): string {
  const builtin = "builtin" in fn ? fn.builtin : "?";
  if (builtin !== fusedBuiltin) return builtin;
  return (args[0] as { steps: FusedStep[] }).steps.map((step) => ("builtin" in step.fn ? step.fn.builtin : "?")).join(" → ");
}

/** The kinds of task the lowered graph of `array` holds (as the client sends them to workers). */
function graphKinds(array: ta.Array): Set<string> {
  const tasks: TaskSpec[] = [...lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys()).graph.tasks.values()];
  return new Set(tasks.map((task) => kindOf(task.fn, task.args)));
}

/** Runs the warm-up with a runner that records the kind of each task it runs. */
async function recordedWarmUp(): Promise<{ kinds: Set<string>; result: { sum: unknown; mean: unknown } }> {
  const kinds = new Set<string>();
  const recording: RunTask = (fn, args, meter) => {
    kinds.add(kindOf(fn, args));
    return runTask(fn, args, meter);
  };
  return { kinds, result: await warmUpReductions(recording) };
}

const scalar = (value: unknown) => Number((value as nd.NDArray).toArray());

describe("a compute thread's reduction warm-up", () => {
  it("computes the sum of x + x.T over its blocks and the mean of its persisted blocks, as NumPy's formulas give", async () => {
    const { result } = await recordedWarmUp();
    const block = (seed: number[]) => nd.random([128, 128], { seed, dtype: "float64" });
    let sum = 0;
    for (let task = 0; task < 8; task++) {
      const [a, b] = task % 4 === 0 ? [block([task, 0, 0]), block([task, 0, 0])] : [block([task, 0, 1]), block([task, 1, 0])];
      sum += scalar(nd.sum(nd.add(a, nd.transpose(b))));
    }
    assert.ok(Math.abs(scalar(result.sum) - sum) <= 1e-9 * sum, `sum ${scalar(result.sum)} against ${sum}`);
    const persisted = [0, 1, 2, 3].map((b) => scalar(nd.mean(block([8, b, 0]))));
    const mean = persisted.reduce((a, b) => a + b, 0) / persisted.length;
    assert.ok(Math.abs(scalar(result.mean) - mean) <= 1e-12, `mean ${scalar(result.mean)} against ${mean}`);
  });

  it("runs every kind of task the x + x.T sum's graph sends (16 × 16 blocks), and the mean's built-ins", async () => {
    const { kinds } = await recordedWarmUp();
    const x = ta.random([4000, 4000], { chunks: [250, 250], seed: 3 });
    const sumKinds = graphKinds(x.add(x.transpose()).sum());
    assert.ok(sumKinds.has("ndarray.random → ndarray.random → ndarray.transpose → ndarray.reduceElementwisePartial"), [...sumKinds].join("; "));
    assert.deepEqual([...sumKinds].filter((kind) => !kinds.has(kind)), [], `the warm-up ran ${[...kinds].join("; ")}`);
    const meanBuiltins = new Set([...graphKinds(x.mean())].flatMap((kind) => kind.split(" → ")));
    const warmed = new Set([...kinds].flatMap((kind) => kind.split(" → ")));
    assert.deepEqual([...meanBuiltins].filter((name) => !warmed.has(name)), []);
  });

  it("loads its built-ins with the thread's other warm-up built-ins, and leaves no recycled block once the thread releases", async () => {
    for (const fn of reductionWarmUpBuiltins) assert.ok(warmUpBuiltinNames.includes(builtinNameOf(fn) as string), builtinNameOf(fn));
    await warmUpReductions();
    releaseRetained(); // what compute-thread.ts does after the warm-up
    assert.equal(recycledHeldBytes(), 0);
  });
});

describe("a worker that ran the reduction warm-up at start", () => {
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster, { setAsDefault: false });
  });
  after(async () => {
    await client.close();
    await cluster.close();
  });

  it("shows no task, profile prefix or data of it", async () => {
    assert.deepEqual(await client.getTaskStream(), [], "nothing ran as a task before the first computation");
    assert.deepEqual(Object.keys((await client.profile()).prefixes), []);
    assert.deepEqual(Object.keys(await client.whoHas()), []);
    const x = ta.random([2000, 2000], { chunks: [200, 200], seed: 5 });
    const total = scalar(await x.add(x.transpose()).sum().compute({ executor: client }));
    const expected = 2 * scalar(await x.sum().compute({ executor: client }));
    assert.ok(Math.abs(total - expected) <= 1e-9 * expected);
    const records = (await client.getTaskStream()) as Array<{ key: string }>;
    assert.ok(records.length > 0);
    assert.deepEqual(records.filter((record) => /warm/i.test(record.key)), [], "only the computation's tasks");
  });
});
