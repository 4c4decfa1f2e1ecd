/**
 * The compact lowering of the largest graphs users build: a tree reduction (sum, mean, max, …,
 * over any axes) of constant or random fills and elementwise steps on them
 * (`ta.ones([1000, 1000], { chunks: [1, 1] }).sum()`, a million blocks). Its first level, one
 * fused task per block (the fills' and elementwise steps, then the block's partial:
 * compact-blocks.ts), is a block layer (protocol/block-layer.ts): one record for the whole grid,
 * expanded into tasks only on the scheduler. Its second level (each task combining up to
 * splitEvery partials of the first) is a layer too when a third level follows; the levels
 * above and the finish (a 256th of the tasks by default) are lowered and fused per task.
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
import type { BlockLayer, LayerStep } from "../protocol/block-layer.js";
import { TaskRef } from "../protocol/payload.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { partialItemBytes, partialNeedsOrigin } from "../ndarray/tree-ops.js";
import { combinePartials, finishReduction } from "../ndarray/tree-reduction.js";
import { blockChainOf, type SizedTask } from "./compact-blocks.js";
import { ReductionExpr, combinePartialsArgs } from "./reduction.js";
import type { ArrayNode } from "./expr.js";
import type { LoweredGraph, PlanMemory } from "./lowered-graph.js";

/** Below this many blocks the per-task path is as fast: the compact one is not worth a second code path. */
export const compactMinBlocks = 4096;

/** The reductions whose tasks this file builds as reduction.ts does (the equality tests cover each). */
const compactOps = new Set(["sum", "prod", "min", "max", "mean", "any", "all"]);

const combinePartialsRef = functionRefOf(combinePartials);
const finishReductionRef = functionRefOf(finishReduction);

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

  const partialItem = partialItemBytes(options.op, input.dtype, options.dtype, options.order);
  const partialBytes = (index: readonly number[]) => index.reduce((bytes, i, axis) => bytes * (reduced[axis] ? 1 : input.chunks[axis][i]), partialItem);
  const partialKey = (level: number) => (index: readonly number[]) => `${self.name}-partial-${level}-${index.join(".")}`;
  // The first level's tasks at a block (fills, elementwise steps, the partial), as the per-task path makes them.
  const chain = blockChainOf(expr, partialKey(0), partialBytes);
  if (!chain) return null;
  const firstLevel = chain.membersAt;

  // A combining task at `level` over the grid `below` of the level under it (reduction.ts).
  const combineTask = (level: number, index: readonly number[], below: readonly number[]): SizedTask => {
    const ranges = index.map((i, axis) => [i * factor[axis], Math.min((i + 1) * factor[axis], below[axis])]);
    const members: TaskRef[] = [];
    for (const member of gridIndices(ranges.map(([lo, hi]) => hi - lo))) members.push(new TaskRef(partialKey(level - 1)(member.map((m, axis) => ranges[axis][0] + m))));
    const bytes = partialBytes(index);
    const last = below.every((n, axis) => !reduced[axis] || Math.ceil(n / factor[axis]) === 1);
    const args = combinePartialsArgs(options, members, ranges.map(([lo, hi]) => hi - lo), last);
    return { key: partialKey(level)(index), fn: combinePartialsRef, args, deps: members.map((m) => m.key), outputBytes: bytes, scratchBytes: bytes, blockTask: false, array: input };
  };

  // The per-task path fuses a task into the level above when its group there has only it:
  // at the far corner of every reduced axis, when each leaves a group of one. A level's
  // corner also holds such a group of one (a chain from the level below). Layers hold the
  // rest of a level's grid.
  const reducedAxes = counts.map((_, axis) => axis).filter((axis) => reduced[axis]);
  const lonely = (grid: readonly number[]) => grid.every((n, axis) => !reduced[axis] || n % factor[axis] === 1);
  const grid1 = counts.map((n, axis) => Math.ceil(n / factor[axis]));
  const lonelyCorner = lonely(counts);
  // The second level is a layer too when a third follows it (the last level is finished inside its tasks).
  const secondLayer = grid1.some((n, axis) => reduced[axis] && n > 1);
  const lonelyCorner1 = secondLayer && (lonelyCorner || lonely(grid1));
  const boxes = layerBoxes(counts, reducedAxes, lonelyCorner);
  const boxes1 = secondLayer ? layerBoxes(grid1, reducedAxes, lonelyCorner1) : [];
  const atCorner = (grid: readonly number[], index: readonly number[]) => reducedAxes.every((axis) => index[axis] === grid[axis] - 1);
  const inLayer = (index: readonly number[]) => !lonelyCorner || !atCorner(counts, index);
  const inLayer1 = (index: readonly number[]) => secondLayer && (!lonelyCorner1 || !atCorner(grid1, index));

  const graph = new TaskGraph();
  const add = (task: SizedTask) => graph.add(task);
  if (lonelyCorner) {
    for (const index of cornerSlab(counts, reducedAxes)) for (const task of firstLevel(index)) add(task);
  }
  // Combine groups along the reduced axes until one partial per output block is left (reduction.ts).
  let grid = counts.slice();
  let level = 0;
  while (grid.some((n, axis) => reduced[axis] && n > 1)) {
    const below = grid;
    grid = grid.map((n, axis) => Math.ceil(n / factor[axis]));
    level++;
    // The second level's tasks outside its layers: its corner slab, if any.
    const indices = level === 1 && secondLayer ? (lonelyCorner1 ? cornerSlab(grid, reducedAxes) : []) : gridIndices(grid);
    for (const index of indices) add(combineTask(level, index, below));
  }
  const keyOf = partialKey(level);
  for (const index of gridIndices(grid)) {
    const outIndex = options.keepdims ? index : index.filter((_, axis) => !reduced[axis]);
    const dep = keyOf(index);
    const bytes = outIndex.reduce((n, i, axis) => n * (self.chunks[axis][i] ?? 0), dtypeInfo(self.dtype).itemsize);
    const fnScratch = scratchBytes(finishReductionRef, (graph.tasks.get(dep) as SizedTask).outputBytes, bytes);
    add({ key: blockKey(self.name, outIndex), fn: finishReductionRef, args: [new TaskRef(dep), options], deps: [dep], outputBytes: bytes, scratchBytes: fnScratch, blockTask: true, array: self });
  }

  // The layers' keys: first- and second-level partials in their boxes.
  const firstPrefix = `${self.name}-partial-0-`;
  const secondPrefix = `${self.name}-partial-1-`;
  const inLayers = (key: string) => key.startsWith(firstPrefix) || (secondLayer && key.startsWith(secondPrefix));
  const layerIndex = (key: string): number[] | undefined => {
    const first = key.startsWith(firstPrefix);
    if (!first && !(secondLayer && key.startsWith(secondPrefix))) return undefined;
    const grid = first ? counts : grid1;
    const index = key.slice(firstPrefix.length).split(".").map(Number);
    if (index.length !== grid.length || index.some((i, axis) => !Number.isInteger(i) || i < 0 || i >= grid[axis])) return undefined;
    return (first ? inLayer(index) : inLayer1(index)) ? index : undefined;
  };
  // A partial's size: the same for every block when no kept axis has a short last chunk.
  const uniformPartial = input.chunks.every((sizes, axis) => reduced[axis] || sizes[sizes.length - 1] === sizes[0]) ? partialBytes(counts.map(() => 0)) : undefined;
  const sizes: TaskSizes = {
    outputBytes: (task) => (task as SizedTask).outputBytes,
    scratchBytes: (task) => (task as SizedTask).scratchBytes,
    inputBytes: (key) => {
      const task = graph.tasks.get(key) as SizedTask | undefined;
      if (task) return task.outputBytes;
      if (uniformPartial !== undefined && inLayers(key)) return uniformPartial;
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
  for (const box of boxes1) {
    const task = combineTask(1, box.start, counts);
    note(task.key, [task], task.deps);
  }
  const fused = fuseGraph(graph, keys[0], {
    isBlockTask: (task) => (task as SizedTask).blockTask,
    // Asked only of keys the graph lacks: a first-level partial missing from it is in a layer.
    isExternal: (key) => inLayers(key) && (uniformPartial !== undefined || layerIndex(key) !== undefined),
    onTask: note,
  });
  const steps = chain.layerSteps(boxes[0].start);
  const layerAxes = axes as Array<{ size: number; extent: number }>;
  const layers: BlockLayer[] = boxes.map((box) => ({ kind: "blocks", keyPrefix: firstPrefix, axes: layerAxes, start: box.start, stop: box.stop, steps }));
  if (secondLayer) {
    const gather = { prefix: firstPrefix, factor: [...factor], counts: [...counts] };
    // Means and sums take their members' grid (combinePartialsArgs), filled in as the members are.
    const withGrid = options.op === "mean" || options.op === "sum";
    const combine: LayerStep = {
      builtin: builtinOf(combinePartialsRef),
      // The members (and, for a mean or a sum, their grid) are the holes: the shared tree holds none.
      // A third level follows this one, so it is never the last combine.
      args: combinePartialsArgs(options, [], [], false),
      holes: [{ path: [0], fill: "refs", ...gather }, ...(withGrid ? [{ path: [2], fill: "gather-shape" as const, ...gather }] : [])],
    };
    const axes1 = grid1.map((n) => ({ size: 1, extent: n }));
    for (const box of boxes1) layers.push({ kind: "blocks", keyPrefix: secondPrefix, axes: axes1, start: box.start, stop: box.stop, steps: [combine] });
  }
  // The layers' keys are in the graph, not outside it: culled for its outputs as it is.
  const culled = fused.culledFor;
  if (culled) fused.culledFor = { outputs: culled.outputs, external: culled.external.filter((key) => !inLayers(key)) };
  fused.addLayers(layers);
  return { graph: fused, keys, memory };
}

/**
 * A level's grid as boxes: all of it, or (`lessCorner`) all but the slab at the last block
 * of every reduced axis: along the j-th reduced axis before its last block, the reduced axes
 * before it at their last.
 */
function layerBoxes(counts: readonly number[], reducedAxes: readonly number[], lessCorner: boolean): Array<{ start: number[]; stop: number[] }> {
  if (!lessCorner) return [{ start: counts.map(() => 0), stop: counts.slice() }];
  const boxes: Array<{ start: number[]; stop: number[] }> = [];
  reducedAxes.forEach((axis, j) => {
    if (counts[axis] === 1) return;
    const start = counts.map(() => 0);
    const stop = counts.slice();
    for (const before of reducedAxes.slice(0, j)) start[before] = counts[before] - 1;
    stop[axis] = counts[axis] - 1;
    boxes.push({ start, stop });
  });
  return boxes;
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
