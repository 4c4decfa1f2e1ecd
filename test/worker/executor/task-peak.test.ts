/**
 * Issue 10 item 3: the measured peak memory a compute thread reports with each task (shown per
 * task prefix in the performance report next to the plan's estimate), for tasks that allocate
 * known sizes, run on a real compute thread as a worker runs them.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ThreadPool } from "../../../src/worker/executor/thread-pool.js";
import { fusedBuiltin, stepRef } from "../../../src/graph/task-runner.js";
import { NDArray, allocate } from "../../../src/ndarray/ndarray.js";

const probes = new URL("../../graph/meter-probes.js", import.meta.url).href;
const probe = (name: string) => ({ module: probes, export: name });
const MiB = 2 ** 20;
/** What the thread's V8 heap may grow by during such a task: the stated tolerance. */
const heapTolerance = 1 * MiB;

describe("a compute thread's measured peak per task", () => {
  let pool: ThreadPool;
  before(async () => {
    pool = new ThreadPool(1);
    await pool.ready();
  });
  after(() => pool.close());

  async function peakOf(key: string, fn: Parameters<ThreadPool["run"]>[1], args: unknown[]): Promise<number> {
    const outcome = await pool.run(key, fn, args);
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.ok(outcome.ok && outcome.peakBytes !== undefined, "the thread reports a peak");
    return (outcome as { peakBytes: number }).peakBytes;
  }

  it("is the worst step's held and new blocks for a fused task, within 1 MiB", async () => {
    const steps = [
      { fn: probe("makeBlock"), args: [8] },
      { fn: probe("makeFrom"), args: [stepRef(0), 8] },
      { fn: probe("makeFrom"), args: [stepRef(1), 4] },
    ];
    for (let run = 0; run < 3; run++) {
      const peak = await peakOf(`('fused-peak', ${run})`, { builtin: fusedBuiltin }, [{ steps }]);
      assert.ok(peak >= 16 * MiB && peak <= 16 * MiB + heapTolerance, `run ${run}: measured ${(peak / MiB).toFixed(2)} MiB, expected 16 MiB`);
    }
  });

  it("counts a task's input blocks and what it allocates, within 1 MiB", async () => {
    const input = new NDArray(allocate("float64", MiB / 8), [MiB / 8]);
    for (let run = 0; run < 3; run++) {
      const peak = await peakOf(`('plain-peak', ${run})`, probe("makeFrom"), [input, 3]);
      assert.ok(peak >= 4 * MiB && peak <= 4 * MiB + heapTolerance, `run ${run}: measured ${(peak / MiB).toFixed(2)} MiB, expected 1 + 3 MiB`);
    }
  });
});
