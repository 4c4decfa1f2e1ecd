/**
 * A chunked matmul on a real cluster (2 worker processes × 1 thread): the partial products of
 * 8 × 8 blocks and their tree sums spread over both workers, and the result equals NumPy's.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import { unixSeconds } from "../../src/core/clock.js";
import { evaluatePython } from "./python-eval.js";
import { useCluster2x1 } from "./cluster-sample.js";

interface StreamRecord { key: string; worker: string }

describe("matmul on a cluster of 2 workers × 1 thread", () => {
  const client = useCluster2x1();

  it("x.matmul(x.T).sum() over 8 × 8 blocks runs on both workers and equals NumPy", async () => {
    const x = ta.random([400, 400], { chunks: 50, seed: 11 });
    assert.deepEqual(x.numblocks, [8, 8]);
    const since = unixSeconds();
    const total = (await x.matmul(x.T).sum().compute()).item() as number;
    const stream = (await client().getTaskStream({ since: since - 1 })) as StreamRecord[];
    const counts = new Map<string, number>();
    for (const record of stream) if (record.key.includes("matmul")) counts.set(record.worker, (counts.get(record.worker) ?? 0) + 1);
    const tasks = [...counts.values()].reduce((a, b) => a + b, 0);
    // 8 × 8 × 8 partial products, then each output block's 8 partials summed.
    assert.ok(tasks >= 512, `${tasks} matmul tasks ran`);
    assert.equal(counts.size, 2, `matmul tasks ran on ${counts.size} worker(s)`);
    // A real share each, not half: on a loaded machine stealing rightly evens out unequal CPU.
    for (const [worker, n] of counts) assert.ok(n >= tasks / 8, `${worker} ran only ${n} of ${tasks} matmul tasks`);
    const whole = await x.compute();
    const numpy = evaluatePython({ x: whole }, { total: "np.matmul(x, x.T).sum()" }).total;
    assert.ok(numpy.array, numpy.error);
    const expected = numpy.array.item() as number;
    // Every term is positive, so Σ|a||b| is the value itself: 400 products then 160 000 sums
    // in any order stay within (400 + 160 000)·eps of it, on either side.
    assert.ok(Math.abs(total - expected) <= 2 * 160_400 * 2 ** -52 * expected, `sum ${total}, NumPy ${expected}`);
  });
});
