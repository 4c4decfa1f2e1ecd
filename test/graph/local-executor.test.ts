// The local executor leaves no recycled buffers behind (block-recycling.ts): its fused tasks
// keep the blocks they used up for the next task of the run, and the end of the run, failed
// or not, lets them go (the client's thread must not hold them once the work is over).
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { TaskGraph, makeTask } from "../../src/graph/task-graph.js";
import { fusedBuiltin, stepRef } from "../../src/graph/task-runner.js";
import { recycledHeldBytes, releaseRecycled } from "../../src/ndarray/block-recycling.js";
import { TaskRef } from "../../src/protocol/payload.js";

const probes = new URL("./pool-probes.js", import.meta.url).href;
const blockBytes = 100 * 100 * 8;
/** A fused task that generates a block and sums it: the block goes to the pool as the sum is taken. */
const sumOfRandom = makeTask("sum", { builtin: fusedBuiltin }, [{
  steps: [
    { fn: { builtin: "ndarray.random" }, args: [[100, 100], { seed: [1, 0, 0], dtype: "float64" }] },
    { fn: { builtin: "ndarray.sum" }, args: [stepRef(0)] },
  ],
}]);

describe("the local executor and the recycled buffers", () => {
  afterEach(() => releaseRecycled());

  it("drops what its tasks kept when the run ends", async () => {
    const probe = makeTask("probe", { module: probes, export: "recycledBytesNow" }, [new TaskRef("sum")]);
    const [heldDuringRun] = await new LocalExecutor().compute(new TaskGraph([sumOfRandom, probe]), ["probe"]);
    // The run did recycle (else the check below proves nothing).
    assert.equal(heldDuringRun, blockBytes);
    assert.equal(recycledHeldBytes(), 0, "the run's kept buffers outlived it");
  });

  it("drops them when a task fails too", async () => {
    const fail = makeTask("fail", { module: probes, export: "failAfter" }, [new TaskRef("sum")]);
    await assert.rejects(new LocalExecutor().compute(new TaskGraph([sumOfRandom, fail]), ["fail"]), /failing after the pool was filled/);
    assert.equal(recycledHeldBytes(), 0, "a failed run's kept buffers outlived it");
  });
});
