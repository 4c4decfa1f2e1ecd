import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { scratchBytes, taskPeak, type TaskSizes } from "../../src/graph/memory-plan.js";
import { makeTask } from "../../src/graph/task-graph.js";
import { TaskRef } from "../../src/protocol/payload.js";

const MB = 1e6;
const sizes = (output: Record<string, number>, scratch: Record<string, number> = {}): TaskSizes => ({
  outputBytes: (task) => output[task.key],
  scratchBytes: (task) => scratch[task.key],
  inputBytes: (key) => output[key],
});
const step = (key: string, fn: string, ...deps: string[]) => makeTask(key, { builtin: fn }, deps.map((d) => new TaskRef(d)));

describe("peak memory of a task, before it runs", () => {
  it("holds the inputs throughout, each step's result and scratch while it runs, and frees results after their last reader", () => {
    // region (10 MB, from a 4 MB external block) → two filters (4 MB each, 20 MB scratch) → subtract (4 MB).
    const members = [step("region", "ndarray.assembleRegion", "block"), step("g1", "ndimage.gaussianFilter", "region"), step("g2", "ndimage.gaussianFilter", "region"), step("sub", "ndarray.subtract", "g1", "g2")];
    const peak = taskPeak(members, ["block"], sizes({ block: 4 * MB, region: 10 * MB, g1: 4 * MB, g2: 4 * MB, sub: 4 * MB }));
    // While g2 runs: block 4 + region 10 + g1 4 + g2 4 + scratch 2 × 10 = 42 MB. The region is
    // freed after g2, so subtract holds 4 + 4 + 4 + 4 = 16 MB.
    assert.equal(peak.bytes, 42 * MB);
    assert.equal(peak.largest.key, "region");
  });

  it("takes the scratch the lowering stated over the kernel's model, and a result as large as its inputs when unknown", () => {
    const members = [step("partial", "ndarray.reducePartial", "chunk")];
    assert.equal(taskPeak(members, ["chunk"], sizes({ chunk: 8 * MB, partial: 24 }, { partial: 24 * MB })).bytes, 8 * MB + 24 + 24 * MB);
    const unknown = [step("user", "my.function", "chunk")];
    // An unknown function: its result as large as its inputs, one temporary as large again.
    assert.equal(taskPeak(unknown, ["chunk"], sizes({ chunk: 8 * MB })).bytes, 24 * MB);
    assert.equal(scratchBytes({ builtin: "zarr.writeChunk" }, 5, 0), 5);
  });
});
