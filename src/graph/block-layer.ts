/**
 * Expanding a block layer (protocol/block-layer.ts) into its tasks, one per block of its box:
 * the same expansion on both sides, so the client's fallback (a graph whose consumer wants
 * plain tasks) and the scheduler build exactly the tasks the per-task path builds.
 *
 * A task's argument tree is the layer's shared tree with each hole replaced by its value for
 * the block: only the containers on the way to a hole are copied, everything else is shared.
 */
import type { BlockLayer, LayerGather, LayerHole, LayerPath, LayerStep } from "../protocol/block-layer.js";
import { TaskRef } from "../protocol/payload.js";
import { fusedBuiltin } from "./task-runner.js";

/** One expanded task of a layer: its key, its function's built-in name, its arguments and dependencies. */
export interface LayerTask {
  key: string;
  builtin: string;
  args: unknown[];
  deps: string[];
}

/**
 * How a reference to another task is written in the arguments: a TaskRef in the client's
 * graph, its packed form `{ $ref: key }` in what the scheduler keeps.
 */
export type RefForm = (key: string) => unknown;

const clientRef: RefForm = (key) => new TaskRef(key);

/** Block `index`'s key in `layer`. */
export function layerKey(layer: Pick<BlockLayer, "keyPrefix">, index: readonly number[]): string {
  return layer.keyPrefix + index.join(".");
}

/** Calls `visit` with the task of every block of the layer's box, in C order. */
export function expandLayer(layer: BlockLayer, visit: (task: LayerTask) => void, ref: RefForm = clientRef): void {
  forEachBlock(layer, (key, index, shape) => visit({ key, builtin: layerBuiltin(layer), args: layerArgs(layer, index, shape, ref), deps: layerDeps(layer, index) }));
}

/** The keys block `index` of the layer depends on: those its "refs" holes gather, each once, in order. */
export function layerDeps(layer: BlockLayer, index: readonly number[]): string[] {
  let deps: string[] | undefined;
  for (const step of layer.steps) {
    for (const hole of step.holes) {
      if (hole.fill !== "refs") continue;
      for (const key of gatheredKeys(hole, index)) if (!(deps ??= []).includes(key)) deps.push(key);
    }
  }
  return deps ?? [];
}

/** Whether no block of the layer depends on anything. */
export function layerIsRoots(layer: BlockLayer): boolean {
  return layer.steps.every((step) => step.holes.every((hole) => hole.fill !== "refs"));
}

/** The members block `index` gathers along each axis: [lo, hi). */
function gatherRanges(gather: LayerGather, index: readonly number[]): Array<[number, number]> {
  return index.map((i, axis) => [i * gather.factor[axis], Math.min((i + 1) * gather.factor[axis], gather.counts[axis])]);
}

/** The keys of the blocks block `index` gathers, in C order. */
function gatheredKeys(gather: LayerGather, index: readonly number[]): string[] {
  const ranges = gatherRanges(gather, index);
  const keys: string[] = [];
  const member = ranges.map(([lo]) => lo);
  for (;;) {
    keys.push(gather.prefix + member.join("."));
    let axis = member.length - 1;
    while (axis >= 0) {
      if (++member[axis] < ranges[axis][1]) break;
      member[axis] = ranges[axis][0];
      axis--;
    }
    if (axis < 0) return keys;
  }
}

/** The function of every task of the layer: its step's, or graph.fused running its steps. */
export function layerBuiltin(layer: BlockLayer): string {
  return layer.steps.length > 1 ? fusedBuiltin : layer.steps[0].builtin;
}

/** Whether a block's arguments depend only on its shape (no hole takes its index or gathers). */
export function argsFollowShape(layer: BlockLayer): boolean {
  return layer.steps.every((step) => step.holes.every((hole) => hole.fill === "chunk-shape"));
}

/** The arguments of block `index` (of shape `shape`) of the layer. */
export function layerArgs(layer: BlockLayer, index: readonly number[], shape: readonly number[], ref: RefForm = clientRef): unknown[] {
  if (layer.steps.length === 1) return filled(layer.steps[0], index, shape, ref);
  return [{ steps: layer.steps.map((step) => ({ fn: { builtin: step.builtin }, args: filled(step, index, shape, ref) })) }];
}

/**
 * Calls `visit` with the key, index and shape of every block of the layer's box, in C order
 * (`index` and `shape` are reused: copy them to keep them).
 */
export function forEachBlock(layer: BlockLayer, visit: (key: string, index: readonly number[], shape: readonly number[]) => void): void {
  const ndim = layer.start.length;
  const last = ndim - 1;
  const index = layer.start.slice();
  const shape = index.map((i, axis) => chunkLength(layer, axis, i));
  // The key is layerKey's: the part before the last axis's index changes only when an outer
  // index does (a million-block layer builds a million keys here).
  const headOf = () => (ndim === 1 ? layer.keyPrefix : `${layer.keyPrefix}${index.slice(0, last).join(".")}.`);
  let head = headOf();
  for (;;) {
    visit(head + index[last], index, shape);
    // Next index, last axis fastest.
    let axis = last;
    while (axis >= 0) {
      index[axis]++;
      if (index[axis] < layer.stop[axis]) {
        shape[axis] = chunkLength(layer, axis, index[axis]);
        break;
      }
      index[axis] = layer.start[axis];
      shape[axis] = chunkLength(layer, axis, index[axis]);
      axis--;
    }
    if (axis < 0) return;
    if (axis < last) head = headOf();
  }
}

function chunkLength(layer: BlockLayer, axis: number, i: number): number {
  const { size, extent } = layer.axes[axis];
  return Math.min(size, extent - i * size);
}

/** The step's arguments for block `index` (of shape `shape`): holes filled, the rest shared. */
function filled(step: LayerStep, index: readonly number[], shape: readonly number[], ref: RefForm): unknown[] {
  if (step.holes.length === 0) return step.args;
  let args: unknown = step.args;
  for (const hole of step.holes) args = replaceAt(args, hole.path, 0, holeValue(hole, index, shape, ref));
  return args as unknown[];
}

function holeValue(hole: LayerHole, index: readonly number[], shape: readonly number[], ref: RefForm): unknown {
  switch (hole.fill) {
    case "chunk-shape": return [...shape];
    case "index-after": return [...hole.head, ...index];
    case "refs": return gatheredKeys(hole, index).map(ref);
    case "gather-shape": return gatherRanges(hole, index).map(([lo, hi]) => hi - lo);
  }
}

/** `tree` with the value at `path` (from `depth` on) replaced: the containers on the way copied. */
function replaceAt(tree: unknown, path: LayerPath, depth: number, value: unknown): unknown {
  if (depth === path.length) return value;
  const part = path[depth];
  if (Array.isArray(tree)) {
    const copy = tree.slice();
    copy[part as number] = replaceAt(tree[part as number], path, depth + 1, value);
    return copy;
  }
  const record = tree as Record<string, unknown>;
  return { ...record, [part]: replaceAt(record[part as string], path, depth + 1, value) };
}

/** The keys of a layer's blocks, in C order (its arguments are not built). */
export function* layerKeys(layer: BlockLayer): Generator<string> {
  const ndim = layer.start.length;
  const index = layer.start.slice();
  for (;;) {
    yield layerKey(layer, index);
    let axis = ndim - 1;
    while (axis >= 0) {
      if (++index[axis] < layer.stop[axis]) break;
      index[axis] = layer.start[axis];
      axis--;
    }
    if (axis < 0) return;
  }
}

/**
 * The layer cut into layers of at most `maxBlocks` blocks each (boxes along the first axis
 * that holds more than one block, then further in): a graph travels in parts of bounded size.
 */
export function splitLayer(layer: BlockLayer, maxBlocks: number): BlockLayer[] {
  const blocks = layer.start.reduce((n, s, axis) => n * (layer.stop[axis] - s), 1);
  if (blocks <= maxBlocks) return [layer];
  const axis = layer.start.findIndex((s, a) => layer.stop[a] - s > 1);
  const span = layer.stop[axis] - layer.start[axis];
  const perSlice = blocks / span;
  const slices = Math.max(1, Math.floor(maxBlocks / perSlice));
  const out: BlockLayer[] = [];
  for (let lo = layer.start[axis]; lo < layer.stop[axis]; lo += slices) {
    const start = layer.start.slice();
    const stop = layer.stop.slice();
    start[axis] = lo;
    stop[axis] = Math.min(lo + slices, layer.stop[axis]);
    out.push(...splitLayer({ ...layer, start, stop }, maxBlocks));
  }
  return out;
}
