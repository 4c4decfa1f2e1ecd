import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TaskMeter, fusedBuiltin, onReleasedBlocks, releasesAfter, runTask, stepRef, type FusedStep } from "../../src/graph/task-runner.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { releaseRecycled } from "../../src/ndarray/block-recycling.js";

const probes = new URL("./release-probes.js", import.meta.url).href;
const probe = (name: string) => ({ module: probes, export: name });
const full = (shape: number[], value: number): FusedStep => ({ fn: { builtin: "ndarray.full" }, args: [shape, value, "float64"] });
const add = (a: unknown, b: unknown): FusedStep => ({ fn: { builtin: "ndarray.add" }, args: [a, b] });

/** A meter that notes how many results it was handed after each step (what it walks). */
class CountingMeter extends TaskMeter {
  readonly handed: number[] = [];
  override stepDone(live: unknown): void {
    this.handed.push((live as unknown[]).length);
    super.stepDone(live);
  }
}

describe("fused tasks", () => {
  it("list, after each step, the earlier results no later step reads", () => {
    const steps: FusedStep[] = [
      { fn: { builtin: "a" }, args: [] },
      { fn: { builtin: "b" }, args: [stepRef(0)] },
      { fn: { builtin: "c" }, args: [stepRef(0), { nested: [stepRef(1)] }] },
      { fn: { builtin: "d" }, args: [stepRef(2)] },
    ];
    assert.deepEqual(releasesAfter(steps), [[], [], [0, 1], [2]]);
  });

  it("drop a step's result once its last reader has run, not at the end of the task", async () => {
    const steps: FusedStep[] = [
      { fn: probe("makeWatched"), args: [] },
      { fn: probe("firstElement"), args: [stepRef(0)] },
      { fn: probe("watchedIsGone"), args: [stepRef(1)] },
    ];
    assert.equal(await runTask({ builtin: fusedBuiltin }, [{ steps }]), true, "the 8 MiB result of step 0 is still held after step 1 read it for the last time");
  });

  it("tell the thread how many bytes of blocks each step left unused, once their last reader has run", async () => {
    const steps: FusedStep[] = [
      { fn: probe("makeWatched"), args: [] },
      { fn: probe("firstElement"), args: [stepRef(0)] },
      { fn: probe("watchedIsGone"), args: [stepRef(1)] },
    ];
    const released: number[] = [];
    onReleasedBlocks((bytes) => released.push(bytes));
    try {
      await runTask({ builtin: fusedBuiltin }, [{ steps }]);
    } finally {
      onReleasedBlocks(null);
    }
    // Step 0's 8 MiB block after step 1; step 1's number is no block, and step 2's result is the task's.
    assert.deepEqual(released, [8 * 2 ** 20]);
  });

  it("hand the meter only the results still held, not a slot per step run: a chain of any length holds one", async () => {
    // A walk over every step's slot after each step made a 10,000-step chain cost ~0.4 ms a step on a worker.
    const steps: FusedStep[] = [full([2], 1)];
    for (let i = 1; i <= 2000; i++) steps.push(add(stepRef(i - 1), 1));
    const meter = new CountingMeter(0);
    const result = (await runTask({ builtin: fusedBuiltin }, [{ steps }], meter)) as NDArray;
    assert.deepEqual(Array.from(result.data as Float64Array), [2001, 2001]);
    assert.equal(meter.handed.length, steps.length);
    assert.deepEqual(new Set(meter.handed), new Set([1]), "the meter was handed more than the one result a chain holds");
  });

  it("hand the meter every result a later step still reads (a diamond holds both branches)", async () => {
    // 0 → 1 and 0 → 2, then 3 reads 1 and 2: step 0 is released after step 2, steps 1 and 2 after step 3.
    const meter = new CountingMeter(0);
    const result = (await runTask({ builtin: fusedBuiltin }, [{ steps: [full([2], 1), add(stepRef(0), 1), add(stepRef(0), 2), add(stepRef(1), stepRef(2))] }], meter)) as NDArray;
    assert.deepEqual(Array.from(result.data as Float64Array), [5, 5]);
    assert.deepEqual(meter.handed, [1, 2, 2, 1]);
  });

  it("keep a released generated block from recycling while a held view still reads it", async () => {
    // Step 1 views step 0's block; step 2 is step 0's last reader, so step 0 is released while the
    // view is held. Recycling its buffer then would let step 3's block overwrite the view (7 → 5).
    releaseRecycled();
    try {
      const steps: FusedStep[] = [
        full([100, 100], 7),
        { fn: { builtin: "ndarray.transpose" }, args: [stepRef(0), { axes: [1, 0] }] },
        { fn: { builtin: "ndarray.sum" }, args: [stepRef(0)] },
        full([100, 100], 5),
        add(stepRef(1), stepRef(3)),
        { fn: { builtin: "ndarray.sum" }, args: [stepRef(4)] },
      ];
      const total = (await runTask({ builtin: fusedBuiltin }, [{ steps }], new TaskMeter(0))) as NDArray;
      assert.equal(total.item(), 12 * 100 * 100);
    } finally {
      releaseRecycled();
    }
  });
});
