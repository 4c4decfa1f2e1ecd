/**
 * The compact lowering of the largest graphs users build: a tree reduction (sum, mean, max, …,
 * over any axes) of a constant or random fill (`ta.ones([1000, 1000], { chunks: [1, 1] }).sum()`,
 * a million blocks). Its first level, one fused task per block (the fill's step, then the
 * block's partial), is a block layer (protocol/block-layer.ts): one record for the whole grid,
 * expanded into tasks only on the scheduler. Everything above it (the combining levels and the
 * finish, a sixteenth of the tasks) is lowered and fused per task as always.
 *
 * The graph is exactly the one lowering.ts builds (keys, functions, arguments, dependencies,
 * fusion, memory estimates): the tasks are made the way reduction.ts and sources.ts make
 * them, and test/array/compact-reduction.test.ts compares both on many grids. Where the per-
 * task path would fuse a first-level block into the level above (a group of one partial at
 * the far corner of the reduced axes), that block stays out of the layer and goes through
 * the per-task path. Any other expression returns null: lowering.ts lowers it per task.
 */
import { functionRefOf } from "../graph/function-travel.js";
import { fuseGraph } from "../graph/fuse.js";
import { blockKey, keySplit } from "../graph/keys.js";
import { scratchBytes, taskPeak, type TaskSizes } from "../graph/memory-plan.js";
import { TaskGraph, type TaskSpec } from "../graph/task-graph.js";
import { stepRef } from "../graph/task-runner.js";
import type { BlockLayer, LayerHole, LayerStep } from "../protocol/block-layer.js";
import { TaskRef } from "../protocol/payload.js";
import * as nd from "../ndarray/index.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { partialItemBytes, partialNeedsOrigin, partialScratchBytes } from "../ndarray/tree-ops.js";
import { combinePartials, finishReduction, reducePartial } from "../ndarray/tree-reduction.js";
import { FillExpr } from "./sources.js";
import { ReductionExpr } from "./reduction.js";
import type { ArrayNode } from "./expr.js";
import type { LoweredGraph, PlanMemory } from "./lowered-graph.js";

/** Below this many blocks the per-task path is as fast: the compact one is not worth a second code path. */
export const compactMinBlocks = 4096;

/** The reductions whose tasks this file builds as reduction.ts does (the equality tests cover each). */
const compactOps = new Set(["sum", "prod", "min", "max", "mean", "any", "all"]);

const fullRef = functionRefOf(nd.full);
const randomRef = functionRefOf(nd.random);
const reducePartialRef = functionRefOf(reducePartial);
const combinePartialsRef = functionRefOf(combinePartials);
const finishReductionRef = functionRefOf(finishReduction);

/** A task with what the memory plan needs (as lowering.ts's LoweredTask). */
interface SizedTask extends TaskSpec {
  outputBytes: number;
  scratchBytes: number;
  blockTask: boolean;
  array: ArrayNode;
}

/** Regular chunks along one axis as { size, extent }, or undefined (irregular, or an empty axis). */
function regularAxis(sizes: readonly number[]): { size: number; extent: number } | undefined {
  const size = sizes[0];
  if (!(size > 0)) return undefined;
  let extent = 0;
  for (let i = 0; i < sizes.length; i++) {
    const n = sizes[i];
    if (n <= 0 || n > size || (n !== size && i !== sizes.length - 1)) return undefined;
    extent += n;
  }
  return { size, extent };
}

function builtinOf(ref: ReturnType<typeof functionRefOf>): string {
  if (!("builtin" in ref)) throw new Error("a compact layer's step must be a built-in function");
  return ref.builtin;
}

/**
 * The lowered graph of `outputs` with its first reduction level as block layers, or null when
 * the expression is not a reduction of a fill this file builds (lowering.ts then lowers per task).
 */
export function lowerCompactReduction(outputs: readonly ArrayNode[], held: (key: string) => boolean, blockKeysOf: (node: ArrayNode) => string[], minBlocks = compactMinBlocks): LoweredGraph | null {
  if (outputs.length !== 1) return null;
  const self = outputs[0];
  const expr = self.expr;
  if (!(expr instanceof ReductionExpr)) return null;
  const { input, options, splitEvery } = expr;
  if (!compactOps.has(options.op) || partialNeedsOrigin(options.op) || options.axes.length === 0) return null;
  if (!(input.expr instanceof FillExpr)) return null;
  const fill = input.expr.fill;
  const axes = input.chunks.map(regularAxis);
  if (axes.length === 0 || axes.some((axis) => axis === undefined)) return null;
  const counts = input.chunks.map((sizes) => sizes.length);
  const blocks = counts.reduce((a, b) => a * b, 1);
  if (blocks < minBlocks) return null;
  const reduced = input.shape.map((_, axis) => options.axes.includes(axis));
  const factor = reduced.map((isReduced, axis) => (isReduced ? splitEvery[axis] : 1));
  if (factor.some((f) => !Number.isInteger(f) || f < 1)) return null;
  // No combining level: every block's partial is finished in its own task (the per-task path).
  if (!counts.some((n, axis) => reduced[axis] && n > 1)) return null;
  const keys = [blockKeysOf(self)];
  if (keys[0].some(held)) return null;

  const itemsize = dtypeInfo(input.dtype).itemsize;
  const partialItem = partialItemBytes(options.op, input.dtype, options.dtype);
  const partialBytes = (index: readonly number[]) => index.reduce((bytes, i, axis) => bytes * (reduced[axis] ? 1 : input.chunks[axis][i]), partialItem);
  const blockShape = (index: readonly number[]) => index.map((i, axis) => input.chunks[axis][i]);
  const partialKey = (level: number) => (index: readonly number[]) => `${self.name}-partial-${level}-${index.join(".")}`;
  const fillCall = (index: readonly number[]) => "value" in fill
    ? { fn: fullRef, args: [blockShape(index), fill.value, input.dtype] }
    : { fn: randomRef, args: [blockShape(index), { seed: [fill.random, ...index], dtype: input.dtype }] };

  // The first level's two members at a block, as sources.ts and reduction.ts make them.
  const firstLevel = (index: readonly number[]): [SizedTask, SizedTask] => {
    const fillKey = blockKey(input.name, index);
    const call = fillCall(index);
    const bytes = blockShape(index).reduce((n, s) => n * s, itemsize);
    const source: SizedTask = { key: fillKey, fn: call.fn, args: call.args, deps: [], outputBytes: bytes, scratchBytes: scratchBytes(call.fn, 0, bytes), blockTask: true, array: input };
    const elements = blockShape(index).reduce((n, s) => n * s, 1);
    const partial: SizedTask = {
      key: partialKey(0)(index), fn: reducePartialRef, args: [new TaskRef(fillKey), options], deps: [fillKey],
      outputBytes: partialBytes(index), scratchBytes: partialScratchBytes(options.op, input.dtype, elements), blockTask: false, array: input,
    };
    return [source, partial];
  };

  // The blocks the per-task path fuses into the level above (their group there has one
  // partial): the far corner of every reduced axis, when each leaves a group of one.
  const lonelyCorner = counts.every((n, axis) => !reduced[axis] || n % factor[axis] === 1);
  const reducedAxes = counts.map((_, axis) => axis).filter((axis) => reduced[axis]);
  const boxes: Array<{ start: number[]; stop: number[] }> = [];
  if (!lonelyCorner) boxes.push({ start: counts.map(() => 0), stop: counts.slice() });
  else {
    // The grid less the corner slab: along the j-th reduced axis before its last block, the
    // reduced axes before it at their last.
    reducedAxes.forEach((axis, j) => {
      if (counts[axis] === 1) return;
      const start = counts.map(() => 0);
      const stop = counts.slice();
      for (const before of reducedAxes.slice(0, j)) start[before] = counts[before] - 1;
      stop[axis] = counts[axis] - 1;
      boxes.push({ start, stop });
    });
  }
  const inLayer = (index: readonly number[]) => !lonelyCorner || reducedAxes.some((axis) => index[axis] !== counts[axis] - 1);

  const graph = new TaskGraph();
  const add = (task: SizedTask) => graph.add(task);
  if (lonelyCorner) {
    for (const index of cornerSlab(counts, reducedAxes)) for (const task of firstLevel(index)) add(task);
  }
  // Combine groups along the reduced axes until one partial per output block is left (reduction.ts).
  let grid = counts.slice();
  let level = 0;
  let keyOf = partialKey(0);
  while (grid.some((n, axis) => reduced[axis] && n > 1)) {
    const previousKey = keyOf;
    const previousGrid = grid;
    grid = grid.map((n, axis) => Math.ceil(n / factor[axis]));
    keyOf = partialKey(++level);
    for (const index of gridIndices(grid)) {
      const ranges = index.map((i, axis) => [i * factor[axis], Math.min((i + 1) * factor[axis], previousGrid[axis])]);
      const members: TaskRef[] = [];
      for (const member of gridIndices(ranges.map(([lo, hi]) => hi - lo))) members.push(new TaskRef(previousKey(member.map((m, axis) => ranges[axis][0] + m))));
      const bytes = partialBytes(index);
      const memberGrid = ranges.map(([lo, hi]) => hi - lo);
      const args = options.op === "mean" ? [members, options, memberGrid] : [members, options];
      add({ key: keyOf(index), fn: combinePartialsRef, args, deps: members.map((m) => m.key), outputBytes: bytes, scratchBytes: bytes, blockTask: false, array: input });
    }
  }
  for (const index of gridIndices(grid)) {
    const outIndex = options.keepdims ? index : index.filter((_, axis) => !reduced[axis]);
    const dep = keyOf(index);
    const bytes = outIndex.reduce((n, i, axis) => n * (self.chunks[axis][i] ?? 0), dtypeInfo(self.dtype).itemsize);
    const fnScratch = scratchBytes(finishReductionRef, (graph.tasks.get(dep) as SizedTask).outputBytes, bytes);
    add({ key: blockKey(self.name, outIndex), fn: finishReductionRef, args: [new TaskRef(dep), options], deps: [dep], outputBytes: bytes, scratchBytes: fnScratch, blockTask: true, array: self });
  }

  // The layer's keys: first-level partials in its boxes.
  const firstPrefix = `${self.name}-partial-0-`;
  const layerIndex = (key: string): number[] | undefined => {
    if (!key.startsWith(firstPrefix)) return undefined;
    const index = key.slice(firstPrefix.length).split(".").map(Number);
    if (index.length !== counts.length || index.some((i, axis) => !Number.isInteger(i) || i < 0 || i >= counts[axis])) return undefined;
    return inLayer(index) ? index : undefined;
  };
  const sizes: TaskSizes = {
    outputBytes: (task) => (task as SizedTask).outputBytes,
    scratchBytes: (task) => (task as SizedTask).scratchBytes,
    inputBytes: (key) => {
      const task = graph.tasks.get(key) as SizedTask | undefined;
      if (task) return task.outputBytes;
      const index = layerIndex(key);
      return index ? partialBytes(index) : undefined;
    },
  };
  const memory: PlanMemory = { byPrefix: new Map() };
  const note = (key: string, members: readonly TaskSpec[], external: readonly string[]) => {
    const peak = taskPeak(members, external, sizes);
    const prefix = keySplit(key);
    if (peak.bytes > (memory.byPrefix.get(prefix) ?? -1)) memory.byPrefix.set(prefix, peak.bytes);
    if (!memory.largest || peak.bytes > memory.largest.bytes) memory.largest = { key, bytes: peak.bytes, array: (peak.largest as SizedTask).array };
  };
  // The layer's largest task is at the first block of a box (regular chunks shrink only at the end).
  for (const box of boxes) note(partialKey(0)(box.start), firstLevel(box.start), []);
  const fused = fuseGraph(graph, keys[0], {
    isBlockTask: (task) => (task as SizedTask).blockTask,
    isExternal: (key) => layerIndex(key) !== undefined,
    onTask: note,
  });
  const template = firstLevel(boxes[0].start);
  const steps: LayerStep[] = [
    { builtin: builtinOf(template[0].fn), args: template[0].args, holes: fillHoles(fill) },
    { builtin: builtinOf(reducePartialRef), args: [stepRef(0), options], holes: [] },
  ];
  const layerAxes = axes as Array<{ size: number; extent: number }>;
  const layers: BlockLayer[] = boxes.map((box) => ({ kind: "blocks", keyPrefix: firstPrefix, axes: layerAxes, start: box.start, stop: box.stop, steps }));
  // The layers' keys are in the graph, not outside it: culled for its outputs as it is.
  const culled = fused.culledFor;
  if (culled) fused.culledFor = { outputs: culled.outputs, external: culled.external.filter((key) => layerIndex(key) === undefined) };
  fused.addLayers(layers);
  return { graph: fused, keys, memory };
}

function fillHoles(fill: FillExpr["fill"]): LayerHole[] {
  if ("value" in fill) return [{ path: [0], fill: "chunk-shape" }];
  return [{ path: [0], fill: "chunk-shape" }, { path: [1, "seed"], fill: "index-after", head: [fill.random] }];
}

/** Every index of a grid, in C order. */
function* gridIndices(counts: readonly number[]): Generator<number[]> {
  const total = counts.reduce((a, b) => a * b, 1);
  const index = new Array<number>(counts.length).fill(0);
  for (let n = 0; n < total; n++) {
    yield index.slice();
    for (let axis = counts.length - 1; axis >= 0; axis--) {
      if (++index[axis] < counts[axis]) break;
      index[axis] = 0;
    }
  }
}

/** The indices at the last block of every reduced axis (kept axes free), in C order. */
function* cornerSlab(counts: readonly number[], reducedAxes: readonly number[]): Generator<number[]> {
  const free = counts.map((n, axis) => (reducedAxes.includes(axis) ? 1 : n));
  for (const index of gridIndices(free)) yield index.map((i, axis) => (reducedAxes.includes(axis) ? counts[axis] - 1 : i));
}
