/**
 * A graph part's block layers (protocol/block-layer.ts) staged straight into TaskStates:
 * the tasks, arguments and links are exactly those graph-staging.ts makes of the specs
 * layer-expansion.ts expands (the equality is tested against that path), but no spec object,
 * dependency key list or key lookup is made per block where the layer's structure answers.
 *
 * A million-block sum's first level is a layer of a million roots and its second gathers them
 * sixteen at a time (issue 10): each layer's tasks are kept by block index (a grid per key
 * prefix, for as long as the graph is arriving), so a gathering block finds its dependencies by
 * index arithmetic instead of building each member's key and looking it up among a million.
 * A member the grid does not hold (a task of another graph, or of a listed task) is looked up
 * by key as before, and waits for a later part when nobody has it yet.
 */
import { argsFollowShape, forEachBlock, layerArgs, layerBuiltin, layerDeps, layerIsRoots, type RefForm } from "../../graph/block-layer.js";
import { layerBlockCount, type BlockLayer, type LayerGather } from "../../protocol/block-layer.js";
import { PackedArgs } from "../../protocol/packed-args.js";
import { sharedBuiltin } from "./builtin-refs.js";
import { noneOf, type TaskState } from "./entities.js";
import type { LayerGrid, SchedulerState, StagedGraph } from "./scheduler-state.js";
import { createLayerTask, refreshReleasedSpec } from "./task-from-spec.js";

/** References as the packed arguments hold them (payload.ts's marker). */
const packedRef: RefForm = (key) => ({ $ref: key });

/** Most blocks a grid is kept for (a layer's box may be a small part of a larger grid). */
const maxGridBlocks = 4_000_000;

/** The tasks of one layer's box by block (C order), and which of them this part created. */
export interface StagedLayer {
  layer: BlockLayer;
  blocks: TaskState[];
  fresh: Uint8Array;
}

/**
 * Registers the tasks of `layer` (inert), as stagePart registers specs: a known key takes the
 * layer's spec (refreshReleasedSpec's rule), a new one is created; `arrived` is called with each
 * (to link what was waiting for it).
 */
export function registerLayer(state: SchedulerState, staged: StagedGraph, layer: BlockLayer, arrived: (task: TaskState) => void): StagedLayer {
  const fn = sharedBuiltin({ builtin: layerBuiltin(layer) });
  const grid = gridFor(staged, layer);
  const counts = grid?.counts;
  const blocks: TaskState[] = [];
  const fresh = new Uint8Array(layerBlockCount(layer));
  // Arguments that follow the block's shape only are packed once per shape (a regular grid
  // has at most 2 per axis); others per block, shared with the previous block's when equal.
  const byShape: Array<{ shape: number[]; args: PackedArgs }> | undefined = argsFollowShape(layer) ? [] : undefined;
  let previous: PackedArgs | undefined;
  let lastShape: { shape: number[]; args: PackedArgs } | undefined;
  let at = 0;
  forEachBlock(layer, (key, index, shape) => {
    let args: PackedArgs | undefined;
    if (byShape) {
      if (!lastShape || !sameNumbers(lastShape.shape, shape)) {
        lastShape = byShape.find((entry) => sameNumbers(entry.shape, shape));
        if (!lastShape) {
          lastShape = { shape: shape.slice(), args: PackedArgs.pack(layerArgs(layer, index, shape, packedRef)) };
          byShape.push(lastShape);
        }
      }
      args = lastShape.args;
    } else {
      args = PackedArgs.pack(layerArgs(layer, index, shape, packedRef));
      if (previous && sameBytes(previous.bytes, args.bytes)) args = previous;
      previous = args;
    }
    const existing = state.tasks.get(key);
    let task: TaskState;
    if (existing) {
      refreshReleasedSpec(existing, { key, fn, args, frames: noneOf(), deps: noneOf() });
      task = existing;
    } else {
      task = createLayerTask(state, key, fn, args);
      staged.created.push(task);
      fresh[at] = 1;
    }
    at++;
    blocks.push(task);
    if (grid && counts) grid.tasks[linearIndex(index, counts)] = task;
    arrived(task);
  });
  return { layer, blocks, fresh };
}

/**
 * Links the tasks `registerLayer` created to their dependencies, in block order: those a grid
 * holds by index, the others by key; `missing` is called for a dependency nobody has yet.
 */
export function linkLayer(state: SchedulerState, staged: StagedGraph, { layer, blocks, fresh }: StagedLayer, link: (task: TaskState, dep: TaskState) => void, missing: (task: TaskState, depKey: string) => void): void {
  if (layerIsRoots(layer)) return;
  const byKey = (task: TaskState, key: string) => {
    const dep = state.tasks.get(key);
    if (dep) link(task, dep);
    else missing(task, key);
  };
  const gathers = layer.steps.flatMap((step) => step.holes.filter((hole) => hole.fill === "refs")) as LayerGather[];
  const grid = gathers.length === 1 ? staged.grids.get(gathers[0].prefix) : undefined;
  const gather = gathers[0];
  const usable = grid !== undefined && sameNumbers(grid.counts, gather.counts);
  let at = 0;
  forEachBlock(layer, (_key, index) => {
    const b = at++;
    if (fresh[b] === 0) return;
    const task = blocks[b];
    if (!usable) {
      // Several gathering holes (their members listed once each), or a gathered layer not
      // staged by this graph: the members by key, as the spec path takes them.
      for (const key of layerDeps(layer, index)) byKey(task, key);
      return;
    }
    let allFound = true;
    forEachMember(gather, index, (member, linear) => {
      const dep = grid.tasks[linear];
      // A task forgotten meanwhile is no longer the key's: the key decides, as on the spec path.
      if (dep !== undefined && dep.status !== "forgotten") link(task, dep);
      else {
        const key = gather.prefix + member.join(".");
        const found = state.tasks.get(key);
        if (found) link(task, found);
        else {
          allFound = false;
          missing(task, key);
        }
      }
    });
    // Its dependencies are its members in C order, which is their keys' order (compareKeys:
    // one prefix, then block indices compared as numbers), unless one is linked later.
    if (allFound) staged.inKeyOrder.add(task);
  });
}

/** The grid of `layer`'s key prefix in this staged graph (made on first use); undefined if its shape is in doubt. */
function gridFor(staged: StagedGraph, layer: BlockLayer): LayerGrid | undefined {
  const counts = layer.axes.map(({ size, extent }) => Math.ceil(extent / size));
  const grid = staged.grids.get(layer.keyPrefix);
  if (!grid) {
    const total = counts.reduce((n, count) => n * count, 1);
    if (total > maxGridBlocks) return undefined;
    const made = { counts, tasks: new Array<TaskState>(total) };
    staged.grids.set(layer.keyPrefix, made);
    return made;
  }
  return sameNumbers(grid.counts, counts) ? grid : undefined;
}

/** Calls `visit` with each member block `index` gathers (C order) and its linear index in the gathered grid. */
function forEachMember(gather: LayerGather, index: readonly number[], visit: (member: readonly number[], linear: number) => void): void {
  const ndim = index.length;
  const lo = index.map((i, axis) => i * gather.factor[axis]);
  const hi = index.map((i, axis) => Math.min((i + 1) * gather.factor[axis], gather.counts[axis]));
  const member = lo.slice();
  for (;;) {
    visit(member, linearIndex(member, gather.counts));
    let axis = ndim - 1;
    while (axis >= 0) {
      if (++member[axis] < hi[axis]) break;
      member[axis] = lo[axis];
      axis--;
    }
    if (axis < 0) return;
  }
}

function linearIndex(index: readonly number[], counts: readonly number[]): number {
  let linear = 0;
  for (let axis = 0; axis < counts.length; axis++) linear = linear * counts[axis] + index[axis];
  return linear;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
