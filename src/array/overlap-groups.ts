/**
 * Grouped overlap: writing a mapOverlap pipeline to Zarr with several neighbouring blocks per
 * task. Each task assembles one halo around its group of blocks, runs every filter once over
 * the group's core (shrinking passes), applies the elementwise steps to the group, and writes
 * each of the group's storage chunks: the halo is read and filtered once per group instead of
 * once per block, which at depth 40 on (32, 64, 64) blocks is most of the work. The written
 * chunks stay the user's chunks; only the tasks are larger. Dask cannot do this: for it the
 * function is a black box that must see each block's own halo.
 *
 * Grouping changes no cell. It applies only where that is certain: every mapOverlap on the
 * way is a window-local region kernel whose radius its depth covers (ndimage/region-kernel.ts;
 * the core of any halo at least that deep is the same), trimmed; every other step is
 * elementwise on operands of the array's own shape; and the write covers whole storage
 * chunks that are the array's chunks. Anything else under those steps is read through a view
 * of the group's box, block by block as before. How many blocks a group holds comes from the
 * cluster (threads and memory per thread) through a cost model (group-size.ts).
 */
import { tokenize } from "../core/ids.js";
import type { GraphExecutor } from "../graph/executor.js";
import { blockKey } from "../graph/keys.js";
import { functionRefOf } from "../graph/function-travel.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { writeChunkGroup } from "../zarr/index.js";
import { reannotated, unannotated } from "./annotate.js";
import { BlockwiseExpr } from "./blockwise.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, sameChunks, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { chooseGroups, type GroupCapacity, type GroupEstimate, type GroupModel, type OverlapCost } from "./group-size.js";
import { OverlapExpr } from "./overlap.js";
import { regularChunks } from "./sources.js";
import { StoreExpr } from "./to-zarr.js";
import { RechunkExpr } from "./views.js";

/**
 * Memory a grouped task may take when the workers state no limit, and the most it takes
 * anyway: beyond this a larger group saves little (the halo is already a small part of it)
 * and costs resident memory on every worker thread.
 */
export const groupMemoryCap = 96 * 2 ** 20;
/**
 * Of a worker's memory limit per thread, the part one grouped task (and its thread's cache of
 * decoded source chunks) may use; the rest is the runtime, the data the worker holds and the
 * WebAssembly memory the kernels keep. Measured: a 256 MiB worker runs the DoG of a volume
 * larger than itself with ungrouped tasks at ~223 MiB resident (test/memory/dog-limits), and
 * grouping it at a quarter of the limit per task went over the limit; at an eighth it stays
 * ungrouped there, and large workers are capped by groupMemoryCap anyway.
 */
const memoryShare = 0.125;
/** Of what one grouped task may use, the part its thread may keep as decoded source chunks for the next task (zarr/chunk-cache.ts). */
const cacheShare = 1;

/** What a pipeline under a write holds, found by walking it from the written array. */
interface Pipeline {
  overlaps: Array<{ node: ArrayNode; expr: OverlapExpr }>;
  elementwise: number;
}

// An annotated step groups as the step it wraps, and stays annotated once regrouped (annotate.ts).
function groupableOverlap(node: ArrayNode): OverlapExpr | undefined {
  const expr = unannotated(node.expr);
  return expr instanceof OverlapExpr && expr.spec.radius !== undefined ? expr : undefined;
}

function groupableElementwise(node: ArrayNode): BlockwiseExpr | undefined {
  const expr = unannotated(node.expr);
  if (!(expr instanceof BlockwiseExpr) || !expr.elementwise || expr.info.blockInfo) return undefined;
  const same = expr.inputs.every((input) => input.shape.length === node.shape.length && input.shape.every((n, axis) => n === node.shape[axis]) && sameChunks(input.chunks, node.chunks));
  return same ? expr : undefined;
}

/** The mapOverlaps and elementwise steps that end in `node`; undefined when there is no mapOverlap to group. */
function pipelineOf(node: ArrayNode): Pipeline | undefined {
  const pipeline: Pipeline = { overlaps: [], elementwise: 0 };
  const seen = new Set<string>();
  // Depth first from the written array, inputs in order, on an explicit stack (a chain of
  // thousands of steps built by a loop is as deep as it is long).
  const stack: ArrayNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as ArrayNode;
    if (seen.has(current.name)) continue;
    seen.add(current.name);
    const overlap = groupableOverlap(current);
    const elementwise = overlap ? undefined : groupableElementwise(current);
    if (overlap) pipeline.overlaps.push({ node: current, expr: overlap });
    else if (elementwise) {
      pipeline.elementwise++;
      const inputs = elementwise.inputs;
      for (let i = inputs.length - 1; i >= 0; i--) stack.push(inputs[i]);
    }
  }
  return pipeline.overlaps.length > 0 ? pipeline : undefined;
}

/**
 * `node` computed on `chunks` (groups of its chunks), sharing what is not grouped. The
 * elementwise steps are rebuilt after their operands, on an explicit stack (a chain of
 * thousands of steps built by a loop is as deep as it is long).
 */
function regroup(node: ArrayNode, chunks: Chunks, cacheBytes: number, memo: Map<string, ArrayNode>, chunksToken = tokenize(chunks)): ArrayNode {
  const done = (current: ArrayNode): ArrayNode | undefined => (sameChunks(current.chunks, chunks) ? current : memo.get(current.name));
  const stack: ArrayNode[] = [node];
  while (stack.length > 0) {
    const current = stack[stack.length - 1];
    if (done(current)) {
      stack.pop();
      continue;
    }
    const elementwise = groupableElementwise(current);
    if (elementwise) {
      const operands = elementwise.args.flatMap((arg) => ("array" in arg && !done(arg.array) ? [arg.array] : []));
      if (operands.length > 0) {
        for (let i = operands.length - 1; i >= 0; i--) stack.push(operands[i]);
        continue;
      }
    }
    stack.pop();
    memo.set(current.name, regroupedOf(current, chunks, chunksToken, cacheBytes, done));
  }
  return done(node) as ArrayNode;
}

/** `node` on `chunks`, its operands (when an elementwise step) already regrouped (`done`). */
function regroupedOf(node: ArrayNode, chunks: Chunks, chunksToken: string, cacheBytes: number, done: (operand: ArrayNode) => ArrayNode | undefined): ArrayNode {
  const name = `${node.name}-grouped-${chunksToken}`;
  const overlap = groupableOverlap(node);
  if (overlap) {
    return { name, shape: node.shape, chunks, dtype: node.dtype, expr: reannotated(node.expr, new OverlapExpr(overlap.input, { ...overlap.spec, directRead: { cacheBytes } })) };
  }
  const elementwise = groupableElementwise(node);
  if (elementwise) {
    const { fn, args, options, info } = elementwise;
    const regrouped = args.map((arg) => ("array" in arg ? { array: done(arg.array) as ArrayNode, axes: arg.axes } : arg));
    return { name, shape: node.shape, chunks, dtype: node.dtype, expr: reannotated(node.expr, new BlockwiseExpr(fn, regrouped, options, info, true)) };
  }
  // Not grouped itself: its blocks are computed as before and read through a view.
  return { name, shape: node.shape, chunks, dtype: node.dtype, expr: new RechunkExpr(node) };
}

/** The chunk size per axis when every chunk along it has that size (the last may be shorter). */
function regularChunkSize(chunks: Chunks): number[] | undefined {
  const regular = chunks.every((axis) => axis.slice(0, -1).every((n) => n === axis[0]) && axis[axis.length - 1] <= axis[0]);
  return regular ? chunks.map((axis) => Math.max(1, axis[0])) : undefined;
}

/** The cost model's view of a pipeline. */
function modelOf(array: ArrayNode, pipeline: Pipeline, chunk: readonly number[]): GroupModel {
  const overlaps: OverlapCost[] = pipeline.overlaps.map(({ node, expr }) => ({
    depth: expr.spec.depth, boundary: expr.spec.boundary, radius: expr.spec.radius as number[],
    inItemsize: dtypeInfo(expr.input.dtype).itemsize, outItemsize: dtypeInfo(node.dtype).itemsize,
  }));
  return { shape: array.shape, chunk, overlaps, elementwise: pipeline.elementwise, outItemsize: dtypeInfo(array.dtype).itemsize };
}

/** What one grouped task may use, from the workers' threads and memory limits. */
export async function groupCapacity(executor: GraphExecutor): Promise<GroupCapacity> {
  const limits = executor.workerMemoryLimits ? await executor.workerMemoryLimits() : [];
  const workers = executor.schedulerInfo ? Object.values(executor.schedulerInfo().workers) : [];
  // The executor without a cluster runs tasks one at a time in this thread.
  const threads = workers.length > 0 ? workers.reduce((sum, worker) => sum + Math.max(1, worker.nthreads), 0) : Math.max(1, limits.length);
  const perThread = workers
    .filter((worker) => worker.memoryLimit > 0 && Number.isFinite(worker.memoryLimit))
    .map((worker) => (worker.memoryLimit / Math.max(1, worker.nthreads)) * memoryShare);
  return { threads, memoryPerTask: Math.min(groupMemoryCap, ...perThread) };
}

/** The grouping a write of `array` would use on `capacity`, or undefined when it cannot be grouped. */
export function planGroups(array: ArrayNode, capacity: GroupCapacity, pipeline = pipelineOf(array)): GroupEstimate | undefined {
  const chunk = regularChunkSize(array.chunks);
  if (!pipeline || !chunk) return undefined;
  return chooseGroups(modelOf(array, pipeline, chunk), capacity);
}

/** A whole-array write that groups blocks: one task per group, writing the group's chunks. */
export class GroupedStoreExpr implements ArrayExpr {
  readonly kind = "store-groups";
  constructor(readonly input: ArrayNode, readonly store: StoreExpr) {}

  get inputs(): ArrayNode[] {
    return [this.input];
  }

  /** Each group with chunks to write: its block index, box and the chunks' coordinates. */
  *groups(self: ArrayNode): Generator<{ index: number[]; start: number[]; stop: number[]; chunks: number[][] }> {
    const { storageChunks } = this.store.layout;
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const first = start.map((s, axis) => s / storageChunks[axis]);
      const counts = stop.map((s, axis) => Math.ceil(s / storageChunks[axis]) - first[axis]);
      const chunks: number[][] = [];
      for (const inner of blockIndices(counts)) {
        const coords = inner.map((i, axis) => first[axis] + i);
        if (!this.store.skip.has(coords.join("."))) chunks.push(coords);
      }
      if (chunks.length > 0) yield { index, start, stop, chunks };
    }
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { ref } = this.store.layout;
    const { token } = this.store;
    for (const group of this.groups(self)) {
      const block = ctx.region(this.input, group.start, group.stop);
      const request = { origin: group.start, chunks: group.chunks, ...(token !== undefined ? { token } : {}) };
      ctx.addBlock(self, group.index, { fn: functionRefOf(writeChunkGroup), args: [ref, request, block] });
    }
  }
}

/**
 * The grouped form of a whole-array write (`node` is its store node) on the executor's
 * cluster, and the keys to compute; undefined when the write is not grouped (see the module
 * comment), or when one block per task is the best choice.
 */
export async function groupStoreWrite(node: ArrayNode, executor: GraphExecutor): Promise<{ node: ArrayNode; keys: string[]; estimate: GroupEstimate } | undefined> {
  const store = node.expr;
  if (!(store instanceof StoreExpr)) return undefined;
  const array = store.input;
  const whole = store.layout.offset.every((o) => o === 0) && sameChunks(node.chunks, array.chunks) &&
    array.chunks.every((axis, a) => axis[0] === store.layout.storageChunks[a] || axis.length === 1 && axis[0] <= store.layout.storageChunks[a]);
  const pipeline = whole ? pipelineOf(array) : undefined;
  if (!pipeline) return undefined;
  const capacity = await groupCapacity(executor);
  const estimate = planGroups(array, capacity, pipeline); // the pipeline walked once
  if (!estimate || estimate.factors.every((f) => f === 1)) return undefined;
  const chunks = array.chunks.map((sizes, axis) => {
    const size = sizes[0] * estimate.factors[axis];
    return regularChunks([array.shape[axis]], [size])[0];
  });
  // The thread's decoded-chunk cache takes at most as much again as one grouped task (and the
  // thread's own cap: an eighth of its share of the worker's limit, at most 64 MiB,
  // worker/executor/thread-memory.ts): enough to hold every storage chunk a large halo touches
  // (8 chunks of (64, 256, 256) uint16 at 128×512×512), since neighbouring groups read them
  // round robin and a cache smaller than that round evicts each chunk before its next use.
  const chunksToken = tokenize(chunks); // names every regrouped node: hashed once
  const input = regroup(array, chunks, Math.floor(capacity.memoryPerTask * cacheShare), new Map(), chunksToken);
  const grouped: ArrayNode & { expr: GroupedStoreExpr } = {
    name: `${node.name}-grouped-${chunksToken}`, shape: node.shape, chunks, dtype: node.dtype, expr: new GroupedStoreExpr(input, store),
  };
  const keys = [...grouped.expr.groups(grouped)].map((group) => blockKey(grouped.name, group.index));
  return { node: grouped, keys, estimate };
}
