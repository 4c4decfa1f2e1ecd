/**
 * A block layer: one record standing for one task per block of a regular block grid (Dask's
 * HighLevelGraph layers are the model), sent in update-graph beside (or instead of) the
 * per-task list. A million-block reduction's first level is one such record instead of a
 * million task objects; the scheduler expands it into exactly the tasks the client would
 * have sent (graph/block-layer.ts), keys included.
 *
 * Only one kind exists, and it is closed: every block's task is a fixed list of steps, each a
 * built-in function (by name: nothing sent here is code) over an argument tree that is the
 * same for every block but at its holes, which take a value derived from the block's index
 * (its chunk shape, its index after a fixed head as a random fill's seed, or the blocks of
 * the level below it gathers). A block's dependencies are exactly what its "refs" holes
 * gather (none for a first level: its blocks are roots). Everything is checked here, at the
 * edge: a record that is not exactly this is refused with the field named.
 */
import { isWellFormedText } from "./payload.js";

/** Blocks along one axis of a regular grid: block i spans [i·size, min((i+1)·size, extent)). */
export interface LayerAxis {
  size: number;
  extent: number;
}

/** Where a hole sits in a step's argument tree (array indices and object keys). */
export type LayerPath = Array<number | string>;

/**
 * The blocks of another grid that block `index` gathers (a tree reduction's level reading the
 * level below): along each axis [index·factor, min((index+1)·factor, counts)), keyed
 * `${prefix}${member.join(".")}`.
 */
export interface LayerGather {
  prefix: string;
  factor: number[];
  counts: number[];
}

/**
 * What fills a hole for block `index`: "chunk-shape" the block's shape (one length per
 * axis); "index-after" `[...head, ...index]`; "refs" references to the blocks it gathers, in
 * C order (its dependencies); "gather-shape" how many it gathers along each axis.
 */
export type LayerHole =
  | { path: LayerPath; fill: "chunk-shape" }
  | { path: LayerPath; fill: "index-after"; head: number[] }
  | ({ path: LayerPath; fill: "refs" | "gather-shape" } & LayerGather);

export interface LayerStep {
  /** A built-in function's name (graph/builtin-catalog.ts). */
  builtin: string;
  /** The argument tree every block shares (as it travels: payload-packed, no binary frames). */
  args: unknown[];
  holes: LayerHole[];
}

export interface BlockLayer {
  kind: "blocks";
  /** Block `index`'s key is `${keyPrefix}${index.join(".")}`. */
  keyPrefix: string;
  axes: LayerAxis[];
  /** The box of block indices this record holds: start inclusive, stop exclusive, per axis. */
  start: number[];
  stop: number[];
  /** One step: the task calls it; several: a fused task (graph.fused) running them in order. */
  steps: LayerStep[];
}

/**
 * Most blocks the layers of one update-graph may stand for together: a small message must not
 * make the scheduler build more tasks than a message listing them could carry (clients cut
 * larger layers into parts).
 */
export const maxLayerBlocks = 1_000_000;
/** Most references the tasks of one layer may gather together (its tasks' dependencies). */
const maxLayerRefs = 16_000_000;
/** Most axes and steps of a layer, holes of a step, and elements of a hole's path or head. */
const maxAxes = 32;
const maxSteps = 64;
const maxHoles = 64;
const maxPath = 64;
/** Longest key prefix: a key (at most 4096 characters) must still fit the block index after it. */
const maxPrefixLength = 1000;

const builtinName = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/;

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array);

function exactKeys(value: Record<string, unknown>, allowed: readonly string[], what: string): string | undefined {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) return `${what} has an unknown field "${key}"`;
  return undefined;
}

/** Why `value` is not a block layer as defined above, or undefined when it is one. */
export function blockLayerProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return "a block layer must be an object";
  const unknown = exactKeys(value, ["kind", "keyPrefix", "axes", "start", "stop", "steps"], "a block layer");
  if (unknown) return unknown;
  if (value.kind !== "blocks") return `a block layer's kind must be "blocks" (the only kind), not ${JSON.stringify(value.kind)}`;
  const { keyPrefix, axes, start, stop, steps } = value;
  if (typeof keyPrefix !== "string" || keyPrefix.length === 0 || keyPrefix.length > maxPrefixLength || !isWellFormedText(keyPrefix)) {
    return `a block layer's keyPrefix must be well-formed text of 1 to ${maxPrefixLength} characters`;
  }
  if (!Array.isArray(axes) || axes.length === 0 || axes.length > maxAxes) return `a block layer's axes must be a list of 1 to ${maxAxes} axes`;
  for (const [a, axis] of axes.entries()) {
    if (!isPlainObject(axis) || exactKeys(axis, ["size", "extent"], "axis") || !isCount(axis.size) || axis.size < 1 || !isCount(axis.extent) || axis.extent < 1) {
      return `axis ${a} of a block layer must be { size, extent } with positive integers`;
    }
  }
  const ndim = axes.length;
  if (!Array.isArray(start) || !Array.isArray(stop) || start.length !== ndim || stop.length !== ndim) return "a block layer's start and stop must list one block index per axis";
  let blocks = 1;
  for (let a = 0; a < ndim; a++) {
    const { size, extent } = axes[a] as LayerAxis;
    const count = Math.ceil(extent / size);
    if (!isCount(start[a]) || !isCount(stop[a]) || start[a] >= stop[a] || stop[a] > count) {
      return `a block layer's box along axis ${a} must satisfy 0 ≤ start < stop ≤ ${count} (the blocks along it)`;
    }
    blocks *= stop[a] - start[a];
  }
  if (blocks > maxLayerBlocks) return `a block layer may stand for at most ${maxLayerBlocks} blocks, this one ${blocks}`;
  if (!Array.isArray(steps) || steps.length === 0 || steps.length > maxSteps) return `a block layer's steps must be a list of 1 to ${maxSteps} steps`;
  for (const [s, step] of steps.entries()) {
    const problem = stepProblem(step, value as unknown as BlockLayer);
    if (problem) return `step ${s} of a block layer: ${problem}`;
  }
  return undefined;
}

function stepProblem(step: unknown, layer: BlockLayer): string | undefined {
  if (!isPlainObject(step)) return "it must be an object";
  const unknown = exactKeys(step, ["builtin", "args", "holes"], "it");
  if (unknown) return unknown;
  if (typeof step.builtin !== "string" || !builtinName.test(step.builtin) || step.builtin.length > 200) return "builtin must name a built-in function (like ndarray.full)";
  if (!Array.isArray(step.args)) return "args must be a list";
  // A reference in the shared tree would be a dependency the layer does not declare.
  if (holdsReference(step.args, 0)) return "args must not hold task references ($ref) outside a refs hole";
  if (!Array.isArray(step.holes) || step.holes.length > maxHoles) return `holes must be a list of at most ${maxHoles}`;
  for (const [h, hole] of step.holes.entries()) {
    if (!isPlainObject(hole)) return `hole ${h} must be an object`;
    const gathers = hole.fill === "refs" || hole.fill === "gather-shape";
    const allowed = hole.fill === "index-after" ? ["path", "fill", "head"] : gathers ? ["path", "fill", "prefix", "factor", "counts"] : ["path", "fill"];
    if (exactKeys(hole, allowed, "hole")) return `hole ${h} has an unknown field`;
    if (hole.fill !== "chunk-shape" && hole.fill !== "index-after" && !gathers) return `hole ${h}'s fill must be "chunk-shape", "index-after", "refs" or "gather-shape"`;
    if (gathers) {
      const problem = gatherProblem(hole, layer, hole.fill === "refs");
      if (problem) return `hole ${h}: ${problem}`;
    }
    if (hole.fill === "index-after" && (!Array.isArray(hole.head) || hole.head.length > maxPath || !hole.head.every((n) => typeof n === "number" && Number.isFinite(n) && !Object.is(n, -0)))) {
      return `hole ${h}'s head must be a short list of finite numbers`;
    }
    const path = hole.path;
    if (!Array.isArray(path) || path.length === 0 || path.length > maxPath) return `hole ${h}'s path must be a non-empty list of at most ${maxPath} steps`;
    // The path must lead to an existing place in the tree: a hole replaces a value, never adds one.
    let at: unknown = step.args;
    for (const part of path) {
      if (Array.isArray(at) && isCount(part) && part < at.length) at = at[part];
      else if (isPlainObject(at) && typeof part === "string" && Object.hasOwn(at, part)) at = at[part];
      else return `hole ${h}'s path ${JSON.stringify(path)} does not lead into the step's arguments`;
    }
  }
  return undefined;
}

/** Whether a packed tree holds a `$ref` marker (or nests too deeply to tell). */
function holdsReference(tree: unknown, depth: number): boolean {
  if (tree === null || typeof tree !== "object" || tree instanceof Uint8Array) return false;
  if (depth > 500) return true;
  if (Array.isArray(tree)) return tree.some((item) => holdsReference(item, depth + 1));
  const record = tree as Record<string, unknown>;
  if (Object.hasOwn(record, "$ref")) return true;
  for (const key in record) if (holdsReference(record[key], depth + 1)) return true;
  return false;
}

/** Most blocks one task of a layer may gather. */
const maxGather = 4096;

/** Why a gathering hole is not one the layer's box can use (its members must exist and be few). */
function gatherProblem(hole: Record<string, unknown>, layer: BlockLayer, references: boolean): string | undefined {
  const { prefix, factor, counts } = hole;
  const ndim = layer.start.length;
  if (typeof prefix !== "string" || prefix.length === 0 || prefix.length > maxPrefixLength || !isWellFormedText(prefix)) return `prefix must be well-formed text of 1 to ${maxPrefixLength} characters`;
  if (!Array.isArray(factor) || factor.length !== ndim || !factor.every((f) => isCount(f) && f >= 1)) return "factor must list one positive integer per axis";
  if (!Array.isArray(counts) || counts.length !== ndim || !counts.every((n) => isCount(n) && n >= 1)) return "counts must list one positive integer per axis";
  const gathered = factor.reduce((n, f) => n * f, 1);
  if (gathered > maxGather) return `a task may gather at most ${maxGather} blocks`;
  if (references && gathered * layerBlockCount(layer) > maxLayerRefs) return `the tasks of one layer may gather at most ${maxLayerRefs} blocks together`;
  for (let a = 0; a < ndim; a++) {
    if ((layer.stop[a] - 1) * factor[a] >= counts[a]) return `block ${layer.stop[a] - 1} along axis ${a} would gather no block`;
  }
  return undefined;
}

/** Why the layers of one message are too many blocks together, or undefined. */
export function layersProblem(layers: readonly BlockLayer[]): string | undefined {
  let blocks = 0;
  for (const layer of layers) blocks += layerBlockCount(layer);
  return blocks > maxLayerBlocks ? `the layers of one message may stand for at most ${maxLayerBlocks} blocks together, these ${blocks}` : undefined;
}

/** Number of blocks a layer stands for. */
export function layerBlockCount(layer: BlockLayer): number {
  let blocks = 1;
  for (let a = 0; a < layer.start.length; a++) blocks *= layer.stop[a] - layer.start[a];
  return blocks;
}
