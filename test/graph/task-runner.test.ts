import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fusedBuiltin, onReleasedBlocks, releasesAfter, runTask, stepRef, type FusedStep } from "../../src/graph/task-runner.js";

const probes = new URL("./release-probes.js", import.meta.url).href;
const probe = (name: string) => ({ module: probes, export: name });

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
});
