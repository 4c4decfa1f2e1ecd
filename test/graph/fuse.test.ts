import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { fuseGraph, maxRecomputeUsers, maxRootFanIn } from "../../src/graph/fuse.js";
import { graphShape, type GraphShape } from "../../src/graph/graph-shape.js";
import { TaskGraph, makeTask, type TaskSpec } from "../../src/graph/task-graph.js";
import { fusedBuiltin } from "../../src/graph/task-runner.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { TaskRef } from "../../src/protocol/payload.js";
import { daskGraphShapes, type DaskCase } from "./dask-graph-shape.js";

const ref = (key: string) => new TaskRef(key);
const task = (key: string, ...deps: string[]): TaskSpec => makeTask(key, { builtin: "graph.collect" }, deps.map(ref));

function groups(graph: TaskGraph): string[][] {
  return [...graph.tasks.values()].map((t) => {
    if (!("builtin" in t.fn) || t.fn.builtin !== fusedBuiltin) return [t.key];
    return [t.key, `${(t.args[0] as { steps: unknown[] }).steps.length} steps`];
  }).sort();
}

describe("fusion rules", () => {
  it("fuses a linear chain into its last task", () => {
    const graph = new TaskGraph([task("a"), task("b", "a"), task("c", "b")]);
    assert.deepEqual(groups(fuseGraph(graph, ["c"])), [["c", "3 steps"]]);
  });

  it("never fuses the partials of several blocks into the task that combines them", () => {
    // load_i → partial_i (linear) → combine (a gather of 4): 4 tasks + the combine.
    const tasks = [0, 1, 2, 3].flatMap((i) => [task(`load-${i}`), task(`partial-${i}`, `load-${i}`)]);
    const graph = new TaskGraph([...tasks, task("combine", "partial-0", "partial-1", "partial-2", "partial-3"), task("finish", "combine")]);
    const fused = fuseGraph(graph, ["finish"]);
    assert.deepEqual(groups(fused), [["finish", "2 steps"], ["partial-0", "2 steps"], ["partial-1", "2 steps"], ["partial-2", "2 steps"], ["partial-3", "2 steps"]]);
    // The finishing task holds the 4 partials, then the combined one and its result.
    assert.deepEqual(graphShape(fused), { tasks: 5, maxFanIn: 4, maxBlocksHeld: 6 });
  });

  it("runs the partials inside a combine marked as gathering in place, reading the held blocks from outside", () => {
    // held_i are results the cluster holds (not in the graph): a persisted array's blocks on one worker.
    const partials = [0, 1, 2, 3].map((i) => task(`partial-${i}`, `held-${i}`));
    const graph = new TaskGraph([...partials, task("combine", "partial-0", "partial-1", "partial-2", "partial-3"), task("finish", "combine")]);
    const fused = fuseGraph(graph, ["finish"], { gathersInPlace: (t) => t.key === "combine" });
    assert.deepEqual(groups(fused), [["finish", "6 steps"]]);
    assert.deepEqual((fused.tasks.get("finish") as TaskSpec).deps, ["held-0", "held-1", "held-2", "held-3"]);
    // Unmarked, the combine is a gather like any other: the partials stay tasks of their own.
    assert.deepEqual(groups(fuseGraph(graph, ["finish"])), [["finish", "2 steps"], ["partial-0"], ["partial-1"], ["partial-2"], ["partial-3"]]);
  });

  it("makes a generated root inside each of its few block readers; more readers, a gather, or an output keep it a task", () => {
    // x + x.T: block x-01 is read by sum-01 (as itself) and sum-10 (transposed, one input).
    const graph = new TaskGraph([task("x-01"), task("x-10"), task("t-10", "x-01"), task("t-01", "x-10"), task("sum-01", "x-01", "t-01"), task("sum-10", "x-10", "t-10"), task("total", "sum-01", "sum-10")]);
    const isBlockTask = (t: TaskSpec) => t.key.startsWith("sum-");
    const isRecomputable = (t: TaskSpec) => t.key.startsWith("x-");
    const fused = fuseGraph(graph, ["total"], { isBlockTask, isRecomputable });
    assert.deepEqual(groups(fused), [["sum-01", "4 steps"], ["sum-10", "4 steps"], ["total"]]);
    for (const key of ["sum-01", "sum-10"]) assert.deepEqual((fused.tasks.get(key) as TaskSpec).deps, [], `${key} reads nothing from outside`);
    const steps = (fused.tasks.get("sum-01") as TaskSpec).args[0] as { steps: Array<{ args: unknown[] }> };
    assert.ok(JSON.stringify(steps.steps.slice(2)).includes("$step"), "the readers take the generated blocks as steps");
    // Not recomputable (a load from storage): each block stays one task, read by two.
    assert.deepEqual(groups(fuseGraph(graph, ["total"], { isBlockTask })), [["sum-01", "2 steps"], ["sum-10", "2 steps"], ["total"], ["x-01"], ["x-10"]]);
    // An output is kept whatever reads it.
    assert.deepEqual(groups(fuseGraph(graph, ["total", "x-01"], { isBlockTask, isRecomputable })), [["sum-01", "3 steps"], ["sum-10", "3 steps"], ["total"], ["x-01"]]);
    // Read by a gather of several blocks (not one block's step): it stays a task.
    const gather = new TaskGraph([task("x"), task("y"), task("a", "x", "y"), task("b", "x", "y"), task("out", "a", "b")]);
    assert.deepEqual(groups(fuseGraph(gather, ["out"], { isRecomputable: (t) => t.deps.length === 0 })), [["a"], ["b"], ["out"], ["x"], ["y"]]);
    // Read by more than maxRecomputeUsers block tasks: one task, its block moved to each.
    const many = Array.from({ length: maxRecomputeUsers + 1 }, (_, i) => task(`use-${i}`, "x"));
    const wide = new TaskGraph([task("x"), ...many, task("out", ...many.map((t) => t.key))]);
    assert.equal(fuseGraph(wide, ["out"], { isRecomputable: () => true }).size, maxRecomputeUsers + 3);
    const few = new TaskGraph([task("x"), ...many.slice(1), task("out", ...many.slice(1).map((t) => t.key))]);
    assert.deepEqual(groups(fuseGraph(few, ["out"], { isRecomputable: () => true })), [["out"], ...many.slice(1).map((t) => [t.key, "2 steps"])]);
    // Two block readers of more than maxRootFanIn generated roots each: making them all inside
    // each reader would run them one after another in two tasks; they stay tasks.
    const roots = Array.from({ length: maxRootFanIn + 1 }, (_, i) => task(`r-${i}`));
    const readers = [task("u1", ...roots.map((t) => t.key)), task("u2", ...roots.map((t) => t.key))];
    const broad = new TaskGraph([...roots, ...readers, task("out", "u1", "u2")]);
    assert.equal(fuseGraph(broad, ["out"], { isBlockTask: (t) => t.key.startsWith("u"), isRecomputable: (t) => t.key.startsWith("r-") }).size, maxRootFanIn + 4);
  });

  it("fuses a diamond of blockwise steps on one block when the consumer is a block task", () => {
    const tasks = [task("region", "source"), task("g1", "region"), task("g2", "region"), task("sub", "g1", "g2")];
    const graph = new TaskGraph([task("source"), ...tasks]);
    assert.deepEqual(groups(fuseGraph(graph, ["sub"], { isBlockTask: (t) => t.key === "sub" })), [["sub", "5 steps"]]);
    // Not marked as one block's step, "sub" is a gather of two results: they stay apart
    // (only the root fuses into the region, its only reader).
    assert.deepEqual(groups(fuseGraph(graph, ["sub"])), [["g1"], ["g2"], ["region", "2 steps"], ["sub"]]);
  });

  it("keeps a task read by two groups, and an output, as tasks of their own", () => {
    const graph = new TaskGraph([task("shared"), task("x", "shared"), task("y", "shared"), task("z", "x")]);
    const fused = fuseGraph(graph, ["y", "z", "x"]);
    assert.deepEqual(groups(fused), [["shared"], ["x"], ["y"], ["z"]]);
  });

  it("loads a small halo's roots inside the task, but keeps a wide gather's loads parallel", () => {
    const small = Array.from({ length: maxRootFanIn }, (_, i) => task(`load-${i}`));
    const fusedSmall = fuseGraph(new TaskGraph([...small, task("halo", ...small.map((t) => t.key))]), ["halo"]);
    assert.deepEqual(groups(fusedSmall), [["halo", `${maxRootFanIn + 1} steps`]]);
    const wide = Array.from({ length: maxRootFanIn + 1 }, (_, i) => task(`load-${i}`));
    const fusedWide = fuseGraph(new TaskGraph([...wide, task("merge", ...wide.map((t) => t.key))]), ["merge"]);
    assert.equal(fusedWide.size, maxRootFanIn + 2);
  });

  it("finds references in plain objects the steps share, whether an object holds none or one", () => {
    // Every step shares one options object without references, and one object holding a
    // reference to the group's first member: each step must read that member as a step.
    const options = { op: "sum", axes: [0, 1], nested: { keepdims: false } };
    const shared = { input: ref("load"), options };
    const graph = new TaskGraph([
      makeTask("load", { builtin: "graph.collect" }, []),
      makeTask("a", { builtin: "graph.collect" }, [ref("load"), options, shared]),
      makeTask("b", { builtin: "graph.collect" }, [ref("a"), options, shared]),
    ]);
    const fused = fuseGraph(graph, ["b"], { isBlockTask: () => true });
    assert.deepEqual(groups(fused), [["b", "3 steps"]]);
    assert.deepEqual(fused.tasks.get("b")?.deps, []);
    const steps = (fused.tasks.get("b")?.args[0] as { steps: Array<{ args: unknown[] }> }).steps;
    for (const step of steps.slice(1)) {
      assert.equal(step.args[1], options, "an object without references is passed on as it is");
      const input = (step.args[2] as { input: unknown; options: unknown }).input;
      assert.ok(!(input instanceof TaskRef), "the shared object's reference to a member became a step");
      assert.equal((step.args[2] as { options: unknown }).options, options);
    }
    assert.ok(shared.input instanceof TaskRef, "the object handed in is left as it was");
  });

  it("runs the fused graph of x + x.T, doubled and summed over an axis, to NumPy-equal values", async () => {
    const data = nd.random([60, 60], { seed: 2 });
    const x = ta.fromArray(data, { chunks: [15, 15] });
    const result = await x.add(x.transpose()).mul(2).sum({ axis: 0, splitEvery: 2 }).compute({ executor: new LocalExecutor() });
    const expected = nd.sum(nd.multiply(nd.add(data, nd.transpose(data)), 2), { axis: 0 });
    assert.deepEqual(result.shape, [60]);
    for (let i = 0; i < 60; i++) assert.ok(Math.abs(Number(result.data[i]) - Number(expected.data[i])) < 1e-9);
  });
});

/** The lowered, fused graph of an array, and its shape. */
function shapeOf(array: ta.Array): GraphShape {
  const { graph } = lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys());
  return graphShape(graph);
}

describe("the fused graph against Dask's for the same expression (dask 2022.12, optimised)", () => {
  const ones = ta.ones([1000, 1000], { chunks: [100, 100] });
  const volume = ta.ones([40, 400, 400], { chunks: [1, 100, 100] });
  const random = ta.random([2000, 2000], { chunks: [250, 250], seed: 1 });
  const dogVolume = ta.ones([64, 128, 128], { chunks: [32, 64, 64] });
  const dog = () => {
    const hi = dogVolume.mapOverlap(gaussianFilter, { depth: 8, boundary: "nearest" }, { sigma: 1, mode: "nearest" });
    const lo = dogVolume.mapOverlap(gaussianFilter, { depth: 8, boundary: "nearest" }, { sigma: 2, mode: "nearest" });
    return ta.subtract(hi, lo);
  };
  // `saved`: tasks tessera's graph has fewer than Dask's, and why.
  const cases: Array<{ name: string; array: () => ta.Array; dask: DaskCase; saved?: number }> = [
    { name: "sum of 10 × 10 blocks", array: () => ones.sum(), dask: { kind: "reduce", op: "sum", shape: [1000, 1000], chunks: [100, 100], split_every: 16 } },
    { name: "mean of 10 × 10 blocks", array: () => ones.mean(), dask: { kind: "reduce", op: "mean", shape: [1000, 1000], chunks: [100, 100], split_every: 16 } },
    { name: "sum over axis 1, splitEvery 4", array: () => ones.sum({ axis: 1, splitEvery: 4 }), dask: { kind: "reduce", op: "sum", axis: 1, shape: [1000, 1000], chunks: [100, 100], split_every: 4 } },
    { name: "max over axis 0 of 40 blocks (a projection)", array: () => volume.max({ axis: 0 }), dask: { kind: "reduce", op: "max", axis: 0, shape: [40, 400, 400], chunks: [1, 100, 100], split_every: 16 } },
    { name: "var over axes 0 and 2, per-axis splitEvery", array: () => volume.var({ axis: [0, 2], splitEvery: { 0: 8, 2: 2 } }), dask: { kind: "reduce", op: "var", axis: [0, 2], shape: [40, 400, 400], chunks: [1, 100, 100], split_every: { 0: 8, 2: 2 } } },
    { name: "sum of x + x.T", array: () => random.add(random.transpose()).sum(), dask: { kind: "x-plus-transpose-sum", source: "random", shape: [2000, 2000], chunks: [250, 250], split_every: 16 },
      // The 64 blocks of x are generated inside the blocks of x + x.T that read them: the 8
      // diagonal ones by their one reader, the others inside both (i, j) and (j, i).
      saved: 64 },
  ];
  let dask: GraphShape[];
  let dogDask: GraphShape;
  before(() => {
    const shapes = daskGraphShapes([...cases.map((c) => c.dask), { kind: "dog-sum", shape: [64, 128, 128], chunks: [32, 64, 64], depth: 8, sigma: [1, 2], split_every: 16 }]);
    dogDask = shapes.pop() as GraphShape;
    dask = shapes;
  });

  cases.forEach((c, i) => {
    it(`${c.name}: as many tasks and the same fan-in as Dask, never more blocks held`, () => {
      const ours = shapeOf(c.array());
      assert.equal(ours.tasks, dask[i].tasks - (c.saved ?? 0), `tasks: tessera ${ours.tasks}, Dask ${dask[i].tasks}`);
      assert.equal(ours.maxFanIn, dask[i].maxFanIn, `largest fan-in: tessera ${ours.maxFanIn}, Dask ${dask[i].maxFanIn}`);
      assert.ok(ours.maxBlocksHeld <= dask[i].maxBlocksHeld, `most blocks held: tessera ${ours.maxBlocksHeld}, Dask ${dask[i].maxBlocksHeld}`);
    });
  });

  it("a DoG followed by .sum(): one task per block up to the partial sums, every reduction level kept, less than Dask on each measure", () => {
    const ours = shapeOf(dog().sum());
    const blocks = 8;
    // 8 loads (each read by several halos), 8 fused block tasks (halo → 2 filters → subtract
    // → partial sum) and one combining task (2 × 2 × 2 partials, fused with the finish).
    assert.equal(ours.tasks, blocks + blocks + 1);
    assert.ok(ours.tasks < dogDask.tasks, `tasks: tessera ${ours.tasks}, Dask ${dogDask.tasks}`);
    assert.ok(ours.maxFanIn <= dogDask.maxFanIn, `largest fan-in: tessera ${ours.maxFanIn}, Dask ${dogDask.maxFanIn}`);
    assert.ok(ours.maxBlocksHeld <= dogDask.maxBlocksHeld, `most blocks held: tessera ${ours.maxBlocksHeld}, Dask ${dogDask.maxBlocksHeld}`);
  });
});
