/**
 * Expanding a block layer (protocol/block-layer.ts) into its tasks, one per block of its box:
 * the same expansion on both sides, so the client's fallback (a graph whose consumer wants
 * plain tasks) and the scheduler build exactly the tasks the per-task path builds.
 *
 * A task's argument tree is the layer's shared tree with each hole replaced by its value for
 * the block: only the containers on the way to a hole are copied, everything else is shared.
 */
import type { BlockLayer, LayerHole, LayerPath, LayerStep } from "../protocol/block-layer.js";
import { fusedBuiltin } from "./task-runner.js";

/** One expanded task of a layer: its key, its function's built-in name and its arguments. */
export interface LayerTask {
  key: string;
  builtin: string;
  args: unknown[];
}

/** Block `index`'s key in `layer`. */
export function layerKey(layer: Pick<BlockLayer, "keyPrefix">, index: readonly number[]): string {
  return layer.keyPrefix + index.join(".");
}

/** Calls `visit` with the task of every block of the layer's box, in C order. */
export function expandLayer(layer: BlockLayer, visit: (task: LayerTask) => void): void {
  const ndim = layer.start.length;
  const index = layer.start.slice();
  const shape = index.map((i, axis) => chunkLength(layer, axis, i));
  const fused = layer.steps.length > 1;
  for (;;) {
    const steps = layer.steps.map((step) => ({ fn: { builtin: step.builtin }, args: filled(step, index, shape) }));
    const key = layerKey(layer, index);
    if (fused) visit({ key, builtin: fusedBuiltin, args: [{ steps }] });
    else visit({ key, builtin: layer.steps[0].builtin, args: steps[0].args });
    // Next index, last axis fastest.
    let axis = ndim - 1;
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
  }
}

function chunkLength(layer: BlockLayer, axis: number, i: number): number {
  const { size, extent } = layer.axes[axis];
  return Math.min(size, extent - i * size);
}

/** The step's arguments for block `index` (of shape `shape`): holes filled, the rest shared. */
function filled(step: LayerStep, index: readonly number[], shape: readonly number[]): unknown[] {
  if (step.holes.length === 0) return step.args;
  let args: unknown = step.args;
  for (const hole of step.holes) args = replaceAt(args, hole.path, 0, holeValue(hole, index, shape));
  return args as unknown[];
}

function holeValue(hole: LayerHole, index: readonly number[], shape: readonly number[]): unknown {
  return hole.fill === "chunk-shape" ? [...shape] : [...hole.head, ...index];
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
