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
import { blockKey, keySplit } from "../graph/keys.js";
import { TaskGraph } from "../graph/task-graph.js";
import { fuseGraph } from "../graph/fuse.js";
import { scratchBytes, taskPeak, type KeySizes } from "../graph/memory-plan.js";
import { assembleRegion, sourceRangeOf, type AxisBoundary } from "../ndarray/region-assembly.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { functionRefOf } from "../graph/function-travel.js";
import { chunkOffsets } from "./chunks.js";
import type { ArrayNode, Call, LowerContext } from "./expr.js";
import { tokenize } from "../core/ids.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import type { TaskSpec } from "../graph/task-graph.js";

const assembleRef = functionRefOf(assembleRegion);

const offsetsCache = new WeakMap<ArrayNode, number[][]>();

/** chunkOffsets of a node, computed once per node. */
function offsetsOf(node: ArrayNode): number[][] {
  let offsets = offsetsCache.get(node);
  if (!offsets) {
    offsets = chunkOffsets(node.chunks);
    offsetsCache.set(node, offsets);
  }
  return offsets;
}

/** The block containing cell `x` along one axis (offsets ascending, x inside). */
function blockAt(offsets: readonly number[], x: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function boxBytes(start: readonly number[], stop: readonly number[], itemsize: number, dropAxes: readonly number[] = []): number {
  let bytes = itemsize;
  for (let axis = 0; axis < start.length; axis++) if (!dropAxes.includes(axis)) bytes *= Math.max(stop[axis] - start[axis], 0);
  return bytes;
}

class GraphBuilder implements LowerContext, KeySizes {
  readonly graph = new TaskGraph();
  /** Keys of tasks that compute one block from the same block of each input (fusable steps). */
  readonly blockTasks = new Set<string>();
  private readonly lowered = new Set<string>();
  private readonly sizes = new Map<string, number>();
  private readonly scratch = new Map<string, number>();
  /** The array each key is (a block of) or reads, to name it in messages. */
  private readonly arrays = new Map<string, ArrayNode>();

  ensure(node: ArrayNode): void {
    if (this.lowered.has(node.name)) return;
    this.lowered.add(node.name);
    node.expr.lower(node, this);
  }

  outputBytes(key: string): number | undefined {
    return this.sizes.get(key);
  }

  scratchBytes(key: string): number | undefined {
    return this.scratch.get(key);
  }

  arrayOf(key: string): ArrayNode | undefined {
    return this.arrays.get(key);
  }

  private note(key: string, node: ArrayNode, bytes: number): void {
    this.sizes.set(key, bytes);
    this.arrays.set(key, node);
  }

  private blockBytes(node: ArrayNode, index: readonly number[]): number {
    let bytes = dtypeInfo(node.dtype).itemsize;
    for (let axis = 0; axis < index.length; axis++) bytes *= node.chunks[axis][index[axis]] ?? 0;
    return bytes;
  }

  region(node: ArrayNode, start: readonly number[], stop: readonly number[], boundary: readonly AxisBoundary[] = []): TaskRef {
    // Follow views down to an array whose blocks are tasks.
    let base = node;
    let baseStart = [...start];
    let baseStop = [...stop];
    let axisMap = node.shape.map((_, axis) => axis);
    while (base.expr.view) {
      const mapping = base.expr.view(base, baseStart, baseStop);
      if (!mapping) break;
      axisMap = axisMap.map((axis) => mapping.axisMap[axis]);
      base = mapping.input;
      baseStart = mapping.start;
      baseStop = mapping.stop;
    }
    this.ensure(base);
    const offsets = offsetsOf(base);
    const ndim = base.shape.length;
    // The common case: exactly one block, no padding, no dropped axes.
    if (axisMap.length === ndim && boundary.length === 0) {
      const index = new Array<number>(ndim);
      let exact = true;
      for (let axis = 0; axis < ndim && exact; axis++) {
        if (baseStart[axis] < 0 || baseStop[axis] > base.shape[axis] || baseStop[axis] <= baseStart[axis]) exact = false;
        else {
          const i = blockAt(offsets[axis], baseStart[axis]);
          index[axis] = i;
          exact = offsets[axis][i] === baseStart[axis] && offsets[axis][i + 1] === baseStop[axis];
        }
      }
      if (exact) {
        const key = blockKey(base.name, index);
        if (!this.sizes.has(key)) this.note(key, base, this.blockBytes(base, index));
        return new TaskRef(key);
      }
    }
    const baseBoundary: AxisBoundary[] = base.shape.map(() => ({ kind: "none" }));
    axisMap.forEach((baseAxis, axis) => {
      if (boundary[axis]) baseBoundary[baseAxis] = boundary[axis];
    });
    const dropAxes = base.shape.map((_, axis) => axis).filter((axis) => !axisMap.includes(axis));
    const ranges = base.shape.map((n, axis) => {
      const [lo, hi] = sourceRangeOf(baseStart[axis], baseStop[axis], n, baseBoundary[axis], axis);
      const top = Math.max(hi, lo + 1);
      const first = blockAt(offsets[axis], Math.min(lo, n - 1));
      return [first, Math.max(blockAt(offsets[axis], Math.min(top - 1, n - 1)) + 1, first + 1)];
    });
    const blocks: TaskRef[] = [];
    const origins: number[][] = [];
    const visit = (axis: number, index: number[]): void => {
      if (axis === ranges.length) {
        const key = blockKey(base.name, index);
        if (!this.sizes.has(key)) this.note(key, base, this.blockBytes(base, index));
        blocks.push(new TaskRef(key));
        origins.push(index.map((i, a) => offsets[a][i]));
        return;
      }
      for (let i = ranges[axis][0]; i < ranges[axis][1]; i++) visit(axis + 1, [...index, i]);
    };
    visit(0, []);
    const exactBlock = blocks.length === 1 && dropAxes.length === 0 &&
      baseStart.every((s, axis) => s === origins[0][axis] && baseStop[axis] === origins[0][axis] + base.chunks[axis][ranges[axis][0]]);
    if (exactBlock) return blocks[0];
    const request = { blocks, origins, start: baseStart, stop: baseStop, shape: [...base.shape], boundary: baseBoundary, dtype: base.dtype, dropAxes };
    const key = `region-${tokenize(base.name, baseStart, baseStop, baseBoundary, dropAxes)}`;
    if (!this.graph.tasks.has(key)) {
      this.graph.add(callTask(key, { fn: assembleRef, args: [request] }));
      this.note(key, base, boxBytes(baseStart, baseStop, dtypeInfo(base.dtype).itemsize, dropAxes));
    }
    return new TaskRef(key);
  }

  addBlock(node: ArrayNode, index: readonly number[], call: Call | TaskRef): void {
    const key = blockKey(node.name, index);
    const bytes = this.blockBytes(node, index);
    if (call instanceof TaskRef) {
      this.graph.add({ key, fn: { builtin: "graph.identity" }, args: [call], deps: [call.key] });
    } else {
      const task = callTask(key, call);
      this.graph.add(task);
      this.blockTasks.add(key);
      let inputs = 0;
      for (const dep of task.deps) inputs += this.sizes.get(dep) ?? 0;
      const scratch = scratchBytes(call.fn, inputs, bytes);
      if (scratch > 0) this.scratch.set(key, scratch);
    }
    this.note(key, node, bytes);
  }

  addTask(key: string, call: Call, memory: { array: ArrayNode; outputBytes: number; scratchBytes?: number }): void {
    this.graph.add(callTask(key, call));
    this.note(key, memory.array, memory.outputBytes);
    if (memory.scratchBytes) this.scratch.set(key, memory.scratchBytes);
  }
}

/** A task from a call whose arguments may hold TaskRefs and nested calls (inlined as steps). */
export function callTask(key: string, call: { fn: FunctionRef; args: unknown[] }): TaskSpec {
  const deps = new Set<string>();
  collectRefs(call.args, deps);
  return { key, fn: call.fn, args: call.args, deps: [...deps] };
}

function collectRefs(value: unknown, into: Set<string>): void {
  if (value instanceof TaskRef) into.add(value.key);
  else if (Array.isArray(value)) for (const item of value) collectRefs(item, into);
  else if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) collectRefs(item, into);
  }
}

/** The largest task of a plan, and the largest estimate per task prefix. */
export interface PlanMemory {
  /** The task with the highest estimated peak (undefined for an empty graph). */
  largest?: { key: string; bytes: number; array: ArrayNode | undefined };
  /** Highest estimated peak bytes per task prefix (for the performance report). */
  byPrefix: Map<string, number>;
}

export interface LoweredGraph {
  graph: TaskGraph;
  keys: string[][];
  memory: PlanMemory;
}

/** The fused, culled graph computing every block of `outputs`, and each output's block keys. */
export function lowerArrays(outputs: readonly ArrayNode[], held: (key: string) => boolean, blockKeysOf: (node: ArrayNode) => string[]): LoweredGraph {
  const builder = new GraphBuilder();
  for (const node of outputs) builder.ensure(node);
  const keys = outputs.map(blockKeysOf);
  const all = keys.flat();
  const heldKeys = new Set<string>();
  for (const task of builder.graph.tasks.values()) for (const dep of task.deps) if (!builder.graph.tasks.has(dep) && held(dep)) heldKeys.add(dep);
  const culled = builder.graph.cull(all, heldKeys);
  const memory: PlanMemory = { byPrefix: new Map() };
  const graph = fuseGraph(culled, all, {
    blockTasks: builder.blockTasks,
    onTask: (key, members, external) => {
      const peak = taskPeak(members, external, builder);
      const prefix = keySplit(key);
      if (peak.bytes > (memory.byPrefix.get(prefix) ?? -1)) memory.byPrefix.set(prefix, peak.bytes);
      if (!memory.largest || peak.bytes > memory.largest.bytes) memory.largest = { key, bytes: peak.bytes, array: builder.arrayOf(peak.largest) };
    },
  });
  return { graph, keys, memory };
}
