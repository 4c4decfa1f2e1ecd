/**
 * Masked pipelines on a LocalCluster of 2 workers × 1 thread give the local executor's bits
 * (data and mask blocks, partials of the masked reductions), and the graph a masked pipeline
 * lowers to stays near Dask's: the mask is its own chain of tasks here (masked-array.ts), so
 * the count is compared with Dask 2022.12's graph for the same pipeline on the same chunks.
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

describe("the graph of a masked pipeline", () => {
  it("has at most 1.6 × the tasks of Dask's graph for the same pipeline (before Dask's optimization)", () => {
    const tasksOf = (arrays: ta.Array[]): number => lowerArrays(arrays, () => false, (node) => (node as ta.Array).blockKeys(), Infinity).graph.size;
    const source = ta.random([40, 40, 40], { chunks: [10, 20, 20], seed: 1 });
    const pipelines: Record<string, [string, ta.ma.MaskedArray]> = {
      maskedMean: ["da.ma.masked_greater(x, 0.9).mean(axis=0)", ta.ma.maskedGreater(source, 0.9).mean({ axis: 0 })],
      division: ["(lambda m: m / (m - 0.5))(da.ma.masked_greater(x, 0.9))", ((m) => m.div(m.sub(0.5)))(ta.ma.maskedGreater(source, 0.9))],
      sqrtSum: ["da.sqrt(da.ma.masked_greater(x, 0.9) - 0.5).sum(axis=0)", ta.ma.sqrt(ta.ma.maskedGreater(source, 0.9).sub(0.5)).sum({ axis: 0 })],
    };
    const dask = evaluatePython({}, Object.fromEntries(Object.entries(pipelines).map(([label, [expression]]) => [
      label, `(lambda x: np.array(len(dict((${expression}).__dask_graph__()))))(da.random.random((40, 40, 40), chunks=(10, 20, 20)))`,
    ])));
    for (const [label, [, masked]] of Object.entries(pipelines)) {
      const ours = tasksOf(pair(masked));
      const theirs = Number(dask[label].array?.toArray());
      assert.ok(ours <= 1.6 * theirs, `${label}: ${ours} tasks here, Dask's graph has ${theirs}`);
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
