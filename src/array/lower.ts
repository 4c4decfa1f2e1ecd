/**
 * Lowering lazy arrays to one task graph: each array's expression adds its block tasks
 * (once, however many arrays use it), regions are resolved through views down to the blocks
 * that really exist, then the graph is culled to what the outputs need and fused (fuse.ts:
 * chains and blockwise steps on one block become one task; fan-ins never do).
 *
 * While lowering, the builder notes the size of every block and region it refers to and the
 * scratch its kernels need, so the plan's per-task peak memory is known before it is
 * submitted (plan-memory.ts refuses a plan whose largest task cannot fit a worker).
 *
 * This runs once per block of every array: a million-block array lowers a million times, so
 * the paths here avoid per-call scans of the chunk grid (offsets are cached per array, block
 * lookups are binary searches).
 */
import { TaskRef } from "../protocol/payload.js";
import { blockKey, keySplit, parseBlockKey } from "../graph/keys.js";
import { delayedInputsOf } from "./from-delayed-expr.js";
import { TaskGraph, type TaskSpec } from "../graph/task-graph.js";
import { fuseGraph } from "../graph/fuse.js";
import { scratchBytes, taskPeak, type TaskSizes } from "../graph/memory-plan.js";
import { assembleRegion, sourceRangeOf, type AxisBoundary } from "../ndarray/region-assembly.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { functionRefOf } from "../graph/function-travel.js";
import { blockOf, chunkOffsets } from "./chunks.js";
import { recordHalos } from "./halo-records.js";
import type { ArrayNode, Call, InputsShare, LowerContext, RegionOptions } from "./expr.js";
import { tokenize } from "../core/ids.js";
import type { LoweredGraph, PlanMemory } from "./lowered-graph.js";
import { compactMinBlocks, lowerCompactReduction } from "./compact-reduction.js";
import { lowerInputsFirst, maxLoweringNesting } from "./lower-inputs-first.js";
import { refsIn } from "./call-refs.js";

export type { LoweredGraph, PlanMemory } from "./lowered-graph.js";
export { callTask } from "./call-refs.js";

const assembleRef = functionRefOf(assembleRegion);
const identityRef = { builtin: "graph.identity" };

const offsetsCache = new WeakMap<ArrayNode, number[][]>();

/** chunkOffsets of a node, computed once per node. */
function offsetsOf(node: ArrayNode): number[][] {
  let offsets = offsetsCache.get(node);
  if (!offsets) offsetsCache.set(node, (offsets = chunkOffsets(node.chunks)));
  return offsets;
}

function blockBytes(node: ArrayNode, index: readonly number[]): number {
  let bytes = dtypeInfo(node.dtype).itemsize;
  for (let axis = 0; axis < index.length; axis++) bytes *= node.chunks[axis][index[axis]] ?? 0;
  return bytes;
}

function boxBytes(start: readonly number[], stop: readonly number[], itemsize: number, dropAxes: readonly number[] = []): number {
  let bytes = itemsize;
  for (let axis = 0; axis < start.length; axis++) if (!dropAxes.includes(axis)) bytes *= Math.max(stop[axis] - start[axis], 0);
  return bytes;
}

/** A task as the lowering made it, with what the memory plan needs to know of it. */
interface LoweredTask extends TaskSpec {
  /** Bytes of its result. */
  outputBytes: number;
  /** Bytes of scratch its kernel needs (undefined: the kernel's model decides). */
  scratchBytes: number | undefined;
  /** The array it is a block of, or reads (named in messages). */
  array: ArrayNode;
  /** It computes one block from the same block of each input (a fusable blockwise step). */
  blockTask: boolean;
  /** Its dependencies run inside it, where its inputs live (LowerContext.holdersOfInputs). */
  gathersInPlace?: boolean;
}

/**
 * Where the results the cluster holds live, for running a reduction's first level beside
 * them: each result's holders as last reported, each worker's threads (0: unknown), and the
 * smallest worker's memory limit (bytes; 0 or Infinity: none).
 */
export interface Locality {
  holders(key: string): readonly string[];
  nthreads(worker: string): number;
  smallestMemoryLimit: number;
}

/**
 * A task reading results that one worker holds runs there with all of them in memory at once
 * (a spilled one is read back for it), and the worker runs one such task per thread: only
 * when they take at most this fraction of the smallest worker's memory limit divided by the
 * holder's threads. An eighth leaves the worker's target (60%) room for what it already
 * holds, so a spilled 2 GB array on a 600 MB worker of one thread (8 MB blocks, 16 per group:
 * 128 MB > 75 MB) keeps one task per block, each unspilling one block.
 */
export const localGatherFraction = 1 / 8;

function lowered(key: string, call: Call, array: ArrayNode, outputBytes: number, scratchBytes: number | undefined, blockTask: boolean, refFree: WeakSet<object>): LoweredTask {
  return { key, fn: call.fn, args: call.args, deps: refsIn(call.args, [], refFree), outputBytes, scratchBytes, array, blockTask, ...(call.resources ? { resources: call.resources } : {}) };
}

class GraphBuilder implements LowerContext, TaskSizes {
  readonly graph = new TaskGraph();
  /** Every array lowered, by name (a block key names its array). */
  private readonly lowered = new Map<string, ArrayNode>();
  /**
   * Plain objects of arguments found to hold no TaskRef: the options object every block's task shares
   * (a reduction's) is searched once. Expressions never change an argument handed over; one lowering.
   */
  private readonly refFree = new WeakSet<object>();
  /** ensure() calls in progress, each inside the one before (see ensure). */
  private nesting = 0;
  /** Views whose inputs lowerInputsFirst has lowered (a view is never in `lowered` unless region() lowers it). */
  private readonly walkedViews = new Set<string>();
  /** addTask's tasks that are not blockwise steps (partials): a block from several of them gathers them. */
  private readonly gathered = new Set<string>();

  constructor(private readonly locality?: Locality) {}

  holdersOfInputs(taskKeys: readonly string[]): InputsShare[] {
    const locality = this.locality;
    if (!locality) return [];
    const commons: Array<{ taskKey: string; deps: readonly string[]; common: readonly string[] }> = [];
    for (const taskKey of taskKeys) {
      const deps = this.graph.tasks.get(taskKey)?.deps ?? [];
      let common: readonly string[] | undefined;
      for (const key of deps) {
        // Only results the cluster holds, whose size is known: a block this graph computes has no place yet.
        if (this.graph.tasks.has(key) || this.inputBytes(key) === undefined) {
          common = [];
          break;
        }
        const holders = locality.holders(key);
        common = common === undefined ? holders : common.filter((worker) => holders.includes(worker));
        if (common.length === 0) break;
      }
      if (common !== undefined && common.length > 0) commons.push({ taskKey, deps, common });
    }
    // A worker that holds every task's inputs takes them all (copies elsewhere do not split them).
    const everywhere = commons.length === taskKeys.length ? commons.reduce<readonly string[]>((acc, { common }) => acc.filter((w) => common.includes(w)), commons[0]?.common ?? []) : [];
    const shares = new Map<string, { taskKeys: string[]; inputs: Set<string> }>();
    for (const { taskKey, deps, common } of commons) {
      // Else a worker that already has a share of these tasks first: fewer, larger shares.
      const worker = everywhere[0] ?? common.find((w) => shares.has(w)) ?? common[0];
      let share = shares.get(worker);
      if (!share) shares.set(worker, (share = { taskKeys: [], inputs: new Set() }));
      share.taskKeys.push(taskKey);
      for (const key of deps) share.inputs.add(key);
    }
    const out: InputsShare[] = [];
    const limit = locality.smallestMemoryLimit;
    for (const [worker, share] of shares) {
      const nthreads = locality.nthreads(worker);
      if (!(nthreads > 0)) continue;
      let bytes = 0;
      for (const key of share.inputs) bytes += this.inputBytes(key) as number;
      if (limit > 0 && Number.isFinite(limit) && bytes > (limit * localGatherFraction) / nthreads) continue;
      out.push({ holder: { worker, nthreads }, taskKeys: share.taskKeys });
    }
    return out;
  }

  ensure(node: ArrayNode): void {
    if (this.lowered.has(node.name)) return;
    // lower() ensures its inputs, nesting once per level: deep in a graph, lower them first (lower-inputs-first.ts).
    if (this.nesting >= maxLoweringNesting) {
      lowerInputsFirst(node, {
        done: (input) => this.lowered.has(input.name) || this.walkedViews.has(input.name),
        walkedView: (view) => this.walkedViews.add(view.name),
        lower: (input) => this.lowerNode(input),
      });
    }
    this.lowerNode(node);
  }

  /** Adds `node`'s tasks (its lower() ensures what it reads). */
  private lowerNode(node: ArrayNode): void {
    this.lowered.set(node.name, node);
    this.nesting++;
    try {
      node.expr.lower(node, this);
    } finally {
      this.nesting--;
    }
  }

  outputBytes(task: TaskSpec): number | undefined {
    return (task as LoweredTask).outputBytes;
  }

  scratchBytes(task: TaskSpec): number | undefined {
    return (task as LoweredTask).scratchBytes;
  }

  inputBytes(key: string): number | undefined {
    const task = this.graph.tasks.get(key) as LoweredTask | undefined;
    if (task) return task.outputBytes;
    // A block no task computes (a persisted result): its size from its array's chunks.
    const block = parseBlockKey(key);
    const array = block && this.lowered.get(block.name);
    return array ? blockBytes(array, block.index) : undefined;
  }

  arrayOf(task: TaskSpec): ArrayNode | undefined {
    return (task as LoweredTask).array;
  }

  private blockRef(base: ArrayNode, index: readonly number[]): TaskRef {
    return new TaskRef(blockKey(base.name, index));
  }

  region(node: ArrayNode, start: readonly number[], stop: readonly number[], boundary: readonly AxisBoundary[] = [], options: RegionOptions = {}): TaskRef {
    // Follow views down to an array whose blocks are tasks.
    let base = node;
    let baseStart = start as number[];
    let baseStop = stop as number[];
    let axisMap: number[] | undefined;
    while (base.expr.view) {
      const mapping = base.expr.view(base, baseStart, baseStop);
      if (!mapping) break;
      axisMap = (axisMap ?? node.shape.map((_, axis) => axis)).map((axis) => mapping.axisMap[axis]);
      base = mapping.input;
      baseStart = mapping.start;
      baseStop = mapping.stop;
    }
    // A direct read (RegionOptions.direct) takes its box from the source in a task of its own: the
    // source's blocks are lowered only if one is used (an exact block), not all for fuse.ts to cull.
    const direct = base.expr.readBox !== undefined ? options.direct : undefined;
    if (!direct) this.ensure(base);
    const offsets = offsetsOf(base);
    const ndim = base.shape.length;
    // The common case: exactly one block, no padding, no dropped axes (no view, or one keeping all).
    if ((axisMap === undefined ? node.shape.length : axisMap.length) === ndim && boundary.length === 0) {
      const index = new Array<number>(ndim);
      let exact = true;
      for (let axis = 0; axis < ndim && exact; axis++) {
        if (baseStart[axis] < 0 || baseStop[axis] > base.shape[axis] || baseStop[axis] <= baseStart[axis]) exact = false;
        else {
          const i = blockOf(offsets[axis], baseStart[axis]);
          index[axis] = i;
          exact = offsets[axis][i] === baseStart[axis] && offsets[axis][i + 1] === baseStop[axis];
        }
      }
      if (exact) {
        this.ensure(base);
        return this.blockRef(base, index);
      }
    }
    const mapped = axisMap ?? node.shape.map((_, axis) => axis);
    const baseBoundary: AxisBoundary[] = base.shape.map(() => ({ kind: "none" }));
    mapped.forEach((baseAxis, axis) => {
      if (boundary[axis]) baseBoundary[baseAxis] = boundary[axis];
    });
    const dropAxes = base.shape.map((_, axis) => axis).filter((axis) => !mapped.includes(axis));
    if (direct) return this.directRegion(base, baseStart, baseStop, baseBoundary, dropAxes, direct);
    const ranges = base.shape.map((n, axis) => {
      const [lo, hi] = sourceRangeOf(baseStart[axis], baseStop[axis], n, baseBoundary[axis], axis);
      const top = Math.max(hi, lo + 1);
      const first = blockOf(offsets[axis], Math.min(lo, n - 1));
      return [first, Math.max(blockOf(offsets[axis], Math.min(top - 1, n - 1)) + 1, first + 1)];
    });
    const blocks: TaskRef[] = [];
    const origins: number[][] = [];
    const visit = (axis: number, index: number[]): void => {
      if (axis === ranges.length) {
        blocks.push(this.blockRef(base, index));
        origins.push(index.map((i, a) => offsets[a][i]));
        return;
      }
      for (let i = ranges[axis][0]; i < ranges[axis][1]; i++) visit(axis + 1, [...index, i]);
    };
    visit(0, []);
    const exactBlock = blocks.length === 1 && dropAxes.length === 0 &&
      baseStart.every((s, axis) => s === origins[0][axis] && baseStop[axis] === origins[0][axis] + base.chunks[axis][ranges[axis][0]]);
    if (exactBlock) return blocks[0];
    const request = { blocks, origins, start: [...baseStart], stop: [...baseStop], shape: [...base.shape], boundary: baseBoundary, dtype: base.dtype, dropAxes };
    const key = `region-${tokenize(base.name, baseStart, baseStop, baseBoundary, dropAxes)}`;
    if (!this.graph.tasks.has(key)) {
      // Named after the array asked for (a rechunk, a view) when that is not the source: the
      // memory plan's advice is about the block this task gathers, which that array's chunks set.
      this.graph.add(lowered(key, { fn: assembleRef, args: [request] }, node, boxBytes(baseStart, baseStop, dtypeInfo(base.dtype).itemsize, dropAxes), 0, false, this.refFree));
    }
    return new TaskRef(key);
  }

  /** A region read by one root task of the source (RegionOptions.direct), padded by a second step where the boundary pads. */
  private directRegion(base: ArrayNode, start: number[], stop: number[], boundary: AxisBoundary[], dropAxes: number[], { reader, cacheBytes }: { reader: string; cacheBytes: number }): TaskRef {
    const itemsize = dtypeInfo(base.dtype).itemsize;
    const read = base.shape.map((n, axis) => sourceRangeOf(start[axis], stop[axis], n, boundary[axis], axis));
    const inBounds = read.every(([lo, hi], axis) => lo === start[axis] && hi === stop[axis]);
    const lo = read.map(([l]) => l);
    const hi = read.map(([, h]) => h);
    const readKey = `read-${tokenize(base.name, lo, hi, inBounds ? dropAxes : [], reader)}`;
    if (!this.graph.tasks.has(readKey)) {
      const call = (base.expr.readBox as NonNullable<typeof base.expr.readBox>)(base, lo, hi, inBounds ? dropAxes : [], cacheBytes);
      this.graph.add(lowered(readKey, call, base, boxBytes(lo, hi, itemsize), undefined, false, this.refFree));
    }
    if (inBounds) return new TaskRef(readKey);
    const request = { blocks: [new TaskRef(readKey)], origins: [lo], start: [...start], stop: [...stop], shape: [...base.shape], boundary, dtype: base.dtype, dropAxes };
    const key = `region-${tokenize(base.name, start, stop, boundary, dropAxes, reader)}`;
    if (!this.graph.tasks.has(key)) {
      this.graph.add(lowered(key, { fn: assembleRef, args: [request] }, base, boxBytes(start, stop, itemsize, dropAxes), 0, false, this.refFree));
    }
    return new TaskRef(key);
  }

  addBlock(node: ArrayNode, index: readonly number[], call: Call | TaskRef): void {
    const key = blockKey(node.name, index);
    const bytes = blockBytes(node, index);
    if (call instanceof TaskRef) {
      this.graph.add(lowered(key, { fn: identityRef, args: [call] }, node, bytes, 0, false, this.refFree));
      return;
    }
    // Marked blockwise, a block from several partials (bincount's sum, vindex's merge) would fuse all of them
    // and their blocks into one task on one worker; one partial beside blocks of its index stays blockwise.
    const task = lowered(key, call, node, bytes, undefined, true, this.refFree);
    if (task.deps.filter((dep) => this.gathered.has(dep)).length > 1) task.blockTask = false;
    let inputs = 0;
    for (const dep of task.deps) inputs += this.inputBytes(dep) ?? 0;
    task.scratchBytes = scratchBytes(call.fn, inputs, bytes);
    this.graph.add(task);
  }

  addTask(key: string, call: Call, memory: { array: ArrayNode; outputBytes: number; scratchBytes?: number; blockwise?: boolean; gathersInPlace?: boolean; priority?: number }): void {
    const task = lowered(key, call, memory.array, memory.outputBytes, memory.scratchBytes, memory.blockwise ?? false, this.refFree);
    if (!task.blockTask) this.gathered.add(key);
    if (memory.gathersInPlace) task.gathersInPlace = true;
    if (memory.priority !== undefined) task.priority = memory.priority;
    this.graph.add(task);
  }
}

/**
 * The fused, culled graph computing every block of `outputs`, and each output's block keys.
 * With `locality`, reductions run their first level where groups of held blocks live.
 */
export function lowerArrays(outputs: readonly ArrayNode[], held: (key: string) => boolean, blockKeysOf: (node: ArrayNode) => string[], minCompactBlocks = compactMinBlocks, locality?: Locality): LoweredGraph {
  // A reduction of a large fill: its first level as one block layer instead of a task per
  // block (`minCompactBlocks`: the fewest blocks worth it; Infinity lowers per task).
  const compact = lowerCompactReduction(outputs, held, blockKeysOf, minCompactBlocks);
  if (compact) {
    recordHalos(outputs);
    return compact;
  }
  const builder = new GraphBuilder(locality);
  for (const node of outputs) builder.ensure(node);
  recordHalos(outputs);
  const keys = outputs.map(blockKeysOf);
  const memory: PlanMemory = { byPrefix: new Map() };
  const delayed = delayedInputsOf(outputs, held); // fromDelayed's values: read from outside, merged after fusion
  const graph = delayed.mergeInto(fuseGraph(builder.graph, keys.flat(), {
    isBlockTask: (task) => (task as LoweredTask).blockTask,
    gathersInPlace: (task) => (task as LoweredTask).gathersInPlace === true,
    // A block of random, ones or full: made again inside each of its few readers (fuse.ts).
    isRecomputable: (task) => (task as LoweredTask).blockTask && (task as LoweredTask).array.expr.kind === "fill",
    isExternal: delayed.isExternal,
    onTask: (key, members, external) => {
      const peak = taskPeak(members, external, builder);
      const prefix = keySplit(key);
      if (peak.bytes > (memory.byPrefix.get(prefix) ?? -1)) memory.byPrefix.set(prefix, peak.bytes);
      if (!memory.largest || peak.bytes > memory.largest.bytes) memory.largest = { key, bytes: peak.bytes, array: builder.arrayOf(peak.largest) };
    },
  }));
  return { graph, keys, memory };
}
