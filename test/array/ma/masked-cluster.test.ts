/**
 * Masked pipelines on a LocalCluster of 2 workers × 1 thread give the local executor's bits
 * (data and mask blocks, partials of the masked reductions), and the graph of a pipeline's data
 * and mask asked for as two arrays stays near Dask 2022.12's graph for the same pipeline on the
 * same chunks (a masked array computed whole is one task per block: masked-blocks.test.ts).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../../src/array/index.js";
import { lowerArrays } from "../../../src/array/lower.js";
import { evaluatePython } from "../python-eval.js";
import { describeOnCluster } from "../cluster-sample.js";
import { dataOf, input, lazy, maskOf } from "./masked-inputs.js";

const x = () => lazy(input(dataOf("float64", 3)));
const y = () => lazy(input(dataOf("float64", 11), maskOf(5)));
const pair = (m: ta.ma.MaskedArray): ta.Array[] => [m.data, m.mask];

describeOnCluster("masked pipelines", () => [
  ...pair(x().div(y()).mean({ axis: 0, splitEvery: 3 })),
  ...pair(x().var({ axis: 1, ddof: 1 })),
  ...pair(ta.ma.sqrt(x()).sum({ axis: [0, 1] })),
  ...pair(ta.ma.concatenate([x(), y()], 1).max({ axis: 1 })),
  x().argmin({ axis: 0 }),
  ta.ma.count(y(), { axis: 1 }),
], "gives the local executor's data and mask bits");

describe("the graph of a masked pipeline's data and mask asked for as two arrays", () => {
  // Dask 2022.12's graph before its optimization: one task per block per step (a masked block is
  // one np.ma.MaskedArray). Asked for apart, data and mask are two chains of tasks here, but a
  // step that keeps the mask (x + 1) adds only a data task, chains of them fuse, a domained step
  // computes its raw result inside both tasks (ndarray/masked-kernels.ts), and a reduction is one
  // tree over masked blocks (masked-reduction.ts) whose result both read.
  it("stays within the stated factor of Dask's task count for the same pipeline", () => {
    const tasksOf = (arrays: ta.Array[]): number => lowerArrays(arrays, () => false, (node) => (node as ta.Array).blockKeys(), Infinity).graph.size;
    const source = ta.random([40, 40, 40], { chunks: [10, 20, 20], seed: 1 });
    const m = ta.ma.maskedGreater(source, 0.9);
    const pipelines: Record<string, [string, ta.ma.MaskedArray, number]> = {
      scalarChain: ["((m + 1) * 2) - 3", m.add(1).mul(2).sub(3), 0.5],
      divideByScalar: ["m / 2", m.div(2), 0.7],
      sqrt: ["da.sqrt(m)", ta.ma.sqrt(m), 0.7],
      maskedMean: ["m.mean(axis=0)", m.mean({ axis: 0 }), 1.3],
      division: ["m / (m - 0.5)", m.div(m.sub(0.5)), 1.3],
      sqrtSum: ["da.sqrt(m - 0.5).sum(axis=0)", ta.ma.sqrt(m.sub(0.5)).sum({ axis: 0 }), 1.1],
    };
    const dask = evaluatePython({}, Object.fromEntries(Object.entries(pipelines).map(([label, [expression]]) => [
      label, `(lambda m: np.array(len(dict((${expression}).__dask_graph__()))))(da.ma.masked_greater(da.random.random((40, 40, 40), chunks=(10, 20, 20)), 0.9))`,
    ])));
    for (const [label, [, masked, factor]] of Object.entries(pipelines)) {
      const ours = tasksOf(pair(masked));
      const theirs = Number(dask[label].array?.toArray());
      assert.ok(ours <= factor * theirs, `${label}: ${ours} tasks here, Dask's graph has ${theirs} (allowed ${factor}×)`);
    }
  });
});

describe("MaskedArray.persist", () => {
  it("keeps data, mask and fill value and computes the same values", async () => {
    const m = ta.ma.maskedEqual(x(), 2).mean({ axis: 0 });
    const persisted = await m.persist();
    const [before, after] = [await m.compute(), await persisted.compute()];
    assert.deepEqual(after.toArray(), before.toArray());
    assert.equal(after.fillValue, before.fillValue);
  });
});
