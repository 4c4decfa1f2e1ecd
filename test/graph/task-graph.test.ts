/**
 * Culling (issue 10, item 2): a graph that fusion already culled is not walked and copied
 * again when it is culled to the same outputs (the client's submission does that for every
 * compute), and never when that could keep a task the outputs do not need or let a missing
 * dependency through.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fuseGraph } from "../../src/graph/fuse.js";
import { TaskGraph, makeTask, type TaskSpec } from "../../src/graph/task-graph.js";
import { TaskRef } from "../../src/protocol/payload.js";

const task = (key: string, ...deps: string[]): TaskSpec => makeTask(key, { builtin: "graph.collect" }, deps.map((dep) => new TaskRef(dep)));

/** Two independent trees: a (from a0, a1 and the outside result `held`) and b (from b0). */
function twoTrees(): TaskGraph {
  return new TaskGraph([task("a0"), task("a1"), task("a", "a0", "a1", "held"), task("b0"), task("b", "b0"), task("c", "a", "b")]);
}

describe("culling a graph", () => {
  it("returns a fused graph itself when culled to the outputs it was fused for", () => {
    const fused = fuseGraph(twoTrees(), ["a", "b"], { isExternal: (key) => key === "held" });
    assert.equal(fused.cull(["b", "a"], new Set(["held"])), fused);
    assert.deepEqual([...fused.tasks.keys()].sort(), ["a", "b"]);
  });

  it("walks when the outputs differ, a task was added since, or an outside dependency is no longer held", () => {
    const fused = fuseGraph(twoTrees(), ["a", "b"], { isExternal: (key) => key === "held" });
    const onlyB = fused.cull(["b"], new Set(["held"]));
    assert.notEqual(onlyB, fused);
    assert.deepEqual([...onlyB.tasks.keys()], ["b"]);
    assert.throws(() => fused.cull(["a", "b"], new Set()), /the graph has no task "held" and no such result exists/);
    fused.add(task("extra"));
    const again = fused.cull(["a", "b"], new Set(["held"]));
    assert.notEqual(again, fused);
    assert.equal(again.tasks.has("extra"), false, "a task added after fusion is culled away");
    const merged = fuseGraph(twoTrees(), ["b"]).merge(new TaskGraph([task("other")]));
    assert.deepEqual([...merged.cull(["b"]).tasks.keys()], ["b"]);
  });
});
