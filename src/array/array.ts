/**
 * The lazy chunked Array (dask.array's Array): metadata plus an expression; operations make
 * new arrays, and nothing runs until compute(), persist() or toZarr() hands the lowered graph
 * to an executor (the connected Client, or a local one).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { createLogger } from "../core/log.js";
import { blockKey } from "../graph/keys.js";
import { getDefaultExecutor, type ComputeOptions, type GraphExecutor } from "../graph/executor.js";
import { LocalExecutor } from "../graph/local-executor.js";
import { functionRefOf } from "../graph/function-travel.js";
import { builtinNameOf } from "../core/builtin.js";
import * as nd from "../ndarray/index.js";
import type { DType } from "../ndarray/dtype.js";
import { dtypeInfo, toDType } from "../ndarray/dtype.js";
import { NDArray } from "../ndarray/ndarray.js";
import { assembleRegion } from "../ndarray/region-assembly.js";
import { BlockwiseExpr, type BlockwiseArg } from "./blockwise.js";
import { blockCounts, blockIndices, chunkOffsets, defaultChunkBytes, normalizeChunks, sameChunks, type ChunkSpec, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode } from "./expr.js";
import { lowerArrays } from "./lower.js";
import { refuseUnfitPlan } from "./plan-memory.js";
import { inferDtype } from "./meta.js";
import { mapOverlapNode, type MapOverlapOptions } from "./map-overlap.js";
import { reductionNode, type ReductionCallOptions } from "./reductions.js";
import { MaterializedRechunkExpr, RechunkExpr, SliceExpr, slicedChunks, stridedSliceNode } from "./views.js";
import { planRechunk } from "./rechunk-plan.js";
import { resolveSlice } from "../ndarray/slice.js";
import { PersistedExpr } from "./sources.js";
import { prepareStore, type ToZarrOptions } from "./store.js";
import { unifyOperands } from "./broadcasting.js";

const logger = createLogger("array");

export type IndexItem = number | null | { start?: number; stop?: number; step?: number };

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type BlockFunction = Function;

export interface MapBlocksOptions {
  dtype?: DType | string;
  /** Output block shape (one size per axis) or explicit chunks, when the function changes shapes. */
  chunks?: number[] | number[][];
  dropAxis?: number | number[];
  newAxis?: number | number[];
  /** Pass `blockInfo` (Dask's block_info) to the function inside its options. */
  blockInfo?: boolean;
  /** Name prefix of the output's tasks. */
  name?: string;
}

export interface ExecuteOptions extends ComputeOptions {
  executor?: GraphExecutor;
}

export class LazyArray implements ArrayNode {
  constructor(
    readonly name: string,
    readonly shape: readonly number[],
    readonly chunks: Chunks,
    readonly dtype: DType,
    readonly expr: ArrayExpr,
  ) {}

  /** The array for a node that an expression module built. */
  static of(node: ArrayNode): LazyArray {
    return new LazyArray(node.name, node.shape, node.chunks, node.dtype, node.expr);
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  get nbytes(): number {
    return this.size * dtypeInfo(this.dtype).itemsize;
  }

  /** Blocks per axis. */
  get numblocks(): number[] {
    return blockCounts(this.chunks);
  }

  /** The largest chunk along each axis. */
  get chunksize(): number[] {
    return this.chunks.map((sizes) => Math.max(...sizes));
  }

  blockKeys(): string[] {
    return [...blockIndices(this.numblocks)].map((index) => blockKey(this.name, index));
  }

  toString(): string {
    return `tessera.Array<${this.name}, shape=[${this.shape.join(", ")}], dtype=${this.dtype}, chunksize=[${this.chunksize.join(", ")}]>`;
  }

  // ---- views ----

  rechunk(chunks: ChunkSpec): LazyArray {
    const itemsize = dtypeInfo(this.dtype).itemsize;
    const next = normalizeChunks(chunks, this.shape, itemsize, this.chunks);
    if (sameChunks(next, this.chunks)) return this;
    const source = planRechunk(this.chunks, next, itemsize, defaultChunkBytes).reduce<LazyArray>(
      (input, middle) => new LazyArray(`rechunk-merge-${tokenize(input.name, middle)}`, this.shape, middle, this.dtype, new MaterializedRechunkExpr(input)),
      this,
    );
    return new LazyArray(`rechunk-${tokenize(source.name, next)}`, this.shape, next, this.dtype, new RechunkExpr(source));
  }

  /** Removes axes of length 1 (all of them, or those named). */
  squeeze(axis?: number | number[]): LazyArray {
    const axes = axis === undefined ? this.shape.map((n, a) => (n === 1 ? a : -1)).filter((a) => a >= 0) : (typeof axis === "number" ? [axis] : axis).map((a) => normalizeAxis(a, this.ndim));
    for (const a of axes) {
      if (this.shape[a] !== 1) throw new InvalidOptionError(`cannot squeeze axis ${a} with size ${this.shape[a]}; only axes of size 1 can be squeezed`);
    }
    if (axes.length === 0) return this;
    return this.get(...this.shape.map((_, a) => (axes.includes(a) ? 0 : null)));
  }

  /**
   * Basic indexing, NumPy style: an integer drops the axis, `null` keeps it whole, and
   * `{ start, stop, step }` selects a range (negative values count from the end). Unit-step
   * selections are views; strided ones copy within each block.
   */
  get(...index: IndexItem[]): LazyArray {
    if (index.length > this.ndim) throw new InvalidOptionError(`too many indices: ${index.length} for an array of ${this.ndim} axes`);
    const items = [...index, ...new Array<IndexItem>(this.ndim - index.length).fill(null)];
    const selection: Array<{ index: number } | { start: number; length: number }> = [];
    const strides: Array<{ first: number; count: number; step: number } | null> = [];
    items.forEach((item, axis) => {
      const n = this.shape[axis];
      if (typeof item === "number") {
        const i = item < 0 ? item + n : item;
        if (!Number.isInteger(i) || i < 0 || i >= n) throw new InvalidOptionError(`index ${item} is out of bounds for axis ${axis} with size ${n}`);
        selection.push({ index: i });
        return;
      }
      const { start: first, step, count } = resolveSlice(item ?? {}, n, axis);
      if (step === 1) {
        selection.push({ start: first, length: count });
        return;
      }
      // Cover the selected range with a view, then step inside it.
      const lo = count === 0 ? 0 : step > 0 ? first : first + (count - 1) * step;
      const span = count === 0 ? 0 : Math.abs((count - 1) * step) + 1;
      selection.push({ start: lo, length: span });
      strides[selection.length - 1] = { first: step > 0 ? 0 : span - 1, count, step };
    });
    const shape: number[] = [];
    const chunks: Chunks = [];
    const keptStrides: Array<{ first: number; count: number; step: number } | null> = [];
    selection.forEach((item, axis) => {
      if ("index" in item) return;
      shape.push(item.length);
      chunks.push(slicedChunks(this.chunks[axis], item.start, item.length));
      keptStrides.push(strides[axis] ?? null);
    });
    const view = new LazyArray(`getitem-${tokenize(this.name, selection)}`, shape, chunks, this.dtype, new SliceExpr(this, selection));
    if (keptStrides.every((s) => s === null)) return view;
    return LazyArray.of(stridedSliceNode(view, keptStrides));
  }

  transpose(axes?: number[]): LazyArray {
    const order = axes ?? this.shape.map((_, a) => this.ndim - 1 - a);
    if (order.length !== this.ndim || [...order].sort((a, b) => a - b).some((a, i) => a !== i)) {
      throw new InvalidOptionError(`transpose axes [${order.join(", ")}] are not a permutation of 0..${this.ndim - 1}`);
    }
    const shape = order.map((a) => this.shape[a]);
    const chunks = order.map((a) => this.chunks[a]);
    const inverse = order.map((_, i) => order.indexOf(i));
    return new LazyArray(`transpose-${tokenize(this.name, order)}`, shape, chunks, this.dtype,
      new BlockwiseExpr(functionRefOf(nd.transpose), [{ array: this, axes: inverse }], { axes: order }));
  }

  get T(): LazyArray {
    return this.transpose();
  }

  astype(dtype: DType | string): LazyArray {
    const target = toDType(dtype, "astype");
    if (target === this.dtype) return this;
    return elementwise(nd.astype, [this], target, { dtype: target });
  }

  // ---- elementwise ----

  add(other: LazyArray | number): LazyArray { return binary(nd.add, this, other); }
  sub(other: LazyArray | number): LazyArray { return binary(nd.subtract, this, other); }
  mul(other: LazyArray | number): LazyArray { return binary(nd.multiply, this, other); }
  div(other: LazyArray | number): LazyArray { return binary(nd.divide, this, other); }
  pow(other: LazyArray | number): LazyArray { return binary(nd.power, this, other); }
  maximum(other: LazyArray | number): LazyArray { return binary(nd.maximum, this, other); }
  minimum(other: LazyArray | number): LazyArray { return binary(nd.minimum, this, other); }
  eq(other: LazyArray | number): LazyArray { return binary(nd.equal, this, other); }
  ne(other: LazyArray | number): LazyArray { return binary(nd.notEqual, this, other); }
  lt(other: LazyArray | number): LazyArray { return binary(nd.less, this, other); }
  le(other: LazyArray | number): LazyArray { return binary(nd.lessEqual, this, other); }
  gt(other: LazyArray | number): LazyArray { return binary(nd.greater, this, other); }
  ge(other: LazyArray | number): LazyArray { return binary(nd.greaterEqual, this, other); }
  neg(): LazyArray { return elementwise(nd.negative, [this]); }
  abs(): LazyArray { return elementwise(nd.abs, [this]); }

  // ---- block functions ----

  mapBlocks(fn: BlockFunction, options: MapBlocksOptions = {}, fnOptions?: Record<string, unknown>): LazyArray {
    return mapBlocksOf(fn, [this], options, fnOptions);
  }

  mapOverlap(fn: BlockFunction, options: MapOverlapOptions, fnOptions?: Record<string, unknown>): LazyArray {
    return LazyArray.of(mapOverlapNode(this, fn, options, fnOptions, (message) => logger.warn(message)));
  }

  // ---- reductions ----

  sum(options: ReductionCallOptions = {}): LazyArray { return this.reduce("sum", options); }
  prod(options: ReductionCallOptions = {}): LazyArray { return this.reduce("prod", options); }
  min(options: ReductionCallOptions = {}): LazyArray { return this.reduce("min", options); }
  max(options: ReductionCallOptions = {}): LazyArray { return this.reduce("max", options); }
  mean(options: ReductionCallOptions = {}): LazyArray { return this.reduce("mean", options); }
  var(options: ReductionCallOptions = {}): LazyArray { return this.reduce("var", options); }
  std(options: ReductionCallOptions = {}): LazyArray { return this.reduce("std", options); }

  private reduce(op: "sum" | "prod" | "min" | "max" | "mean" | "var" | "std", options: ReductionCallOptions): LazyArray {
    return LazyArray.of(reductionNode(this, op, options));
  }

  // ---- running ----

  /** The whole array as one NDArray (reductions give a 0-d array: `.item()` is the number). */
  async compute(options: ExecuteOptions = {}): Promise<NDArray> {
    const [result] = await computeArrays([this], options);
    return result;
  }

  /** Computes the blocks and keeps them on the cluster; returns an array backed by them. */
  async persist(options: ExecuteOptions = {}): Promise<LazyArray> {
    const [persisted] = await persistArrays([this], options);
    return persisted;
  }

  /** Writes the array to a Zarr store, one atomic write per storage chunk. */
  async toZarr(path: string, options: ToZarrOptions & ExecuteOptions = {}): Promise<void> {
    const executor = executorFor(options);
    const { store, keys } = await prepareStore(this, path, options);
    if (keys.length === 0) return;
    const { graph, memory } = lowerArrays([store], (key) => executor.holds(key), () => keys);
    await refuseUnfitPlan(memory, executor, "toZarr");
    await executor.compute(graph, keys, { ...options, label: options.label ?? "toZarr" });
  }
}

let localExecutor: LocalExecutor | null = null;

/** The executor given, else the connected Client, else one local executor shared by all arrays. */
function executorFor(options: ExecuteOptions): GraphExecutor {
  return options.executor ?? getDefaultExecutor() ?? (localExecutor ??= new LocalExecutor());
}

/** Computes several arrays in one graph (shared inputs computed once), like dask.compute. */
export async function computeArrays(arrays: readonly LazyArray[], options: ExecuteOptions = {}): Promise<NDArray[]> {
  const executor = executorFor(options);
  const { graph, keys, memory } = lowerArrays(arrays, (key) => executor.holds(key), (node) => (node as LazyArray).blockKeys());
  await refuseUnfitPlan(memory, executor, "compute");
  const values = await executor.compute(graph, keys.flat(), { ...options, label: options.label ?? "compute" });
  let position = 0;
  return arrays.map((array, i) => {
    const blocks = values.slice(position, position + keys[i].length) as NDArray[];
    position += keys[i].length;
    return assembleBlocks(array, blocks);
  });
}

/** Persists several arrays in one graph (shared inputs computed once), like dask.persist. */
export async function persistArrays(arrays: readonly LazyArray[], options: ExecuteOptions = {}): Promise<LazyArray[]> {
  const executor = executorFor(options);
  const { graph, keys, memory } = lowerArrays(arrays, (key) => executor.holds(key), (node) => (node as LazyArray).blockKeys());
  await refuseUnfitPlan(memory, executor, "persist");
  const persisted = await executor.persist(graph, keys.flat(), { ...options, label: options.label ?? "persist" });
  return arrays.map((array) => new LazyArray(array.name, array.shape, array.chunks, array.dtype, new PersistedExpr(() => persisted.release())));
}

function assembleBlocks(array: LazyArray, blocks: NDArray[]): NDArray {
  if (blocks.length === 1 && blocks[0] instanceof NDArray && blocks[0].shape.length === array.ndim && blocks[0].shape.every((n, a) => n === array.shape[a])) {
    return blocks[0];
  }
  const offsets = chunkOffsets(array.chunks);
  const origins = [...blockIndices(array.numblocks)].map((index) => index.map((i, a) => offsets[a][i]));
  return assembleRegion({
    blocks, origins, start: array.shape.map(() => 0), stop: [...array.shape], shape: [...array.shape],
    boundary: array.shape.map(() => ({ kind: "none" })), dtype: array.dtype,
  });
}

export function binary(fn: BlockFunction, a: LazyArray | number, b: LazyArray | number): LazyArray {
  return elementwise(fn, [a, b]);
}

/** An elementwise builtin over arrays and numbers, with NumPy broadcasting. */
function elementwise(fn: BlockFunction, operands: Array<LazyArray | number>, dtype?: DType, options?: Record<string, unknown>): LazyArray {
  const fnName = builtinNameOf(fn) ?? fn.name;
  const unified = unifyOperands(operands, fnName);
  const resultDtype = dtype ?? inferDtype(fn, operands.map((op) => (op instanceof LazyArray ? { dtype: op.dtype, ndim: op.ndim } : { value: op })), options, fnName);
  const args: BlockwiseArg[] = unified.operands.map((op) => (typeof op === "number" ? { value: op } : { array: op, axes: op.shape.map((_, a) => a + unified.shape.length - op.shape.length) }));
  const prefix = fnName.replace(/^ndarray\./, "");
  const name = `${prefix}-${tokenize(fnName, unified.operands.map((op) => (typeof op === "number" ? op : op.name)), options)}`;
  return new LazyArray(name, unified.shape, unified.chunks, resultDtype, new BlockwiseExpr(functionRefOf(fn), args, options));
}

/** map_blocks over several arrays matched by block index. */
export function mapBlocksOf(fn: BlockFunction, arrays: LazyArray[], options: MapBlocksOptions = {}, fnOptions?: Record<string, unknown>): LazyArray {
  if (arrays.length === 0) throw new InvalidOptionError("mapBlocks needs at least one array");
  const ref = functionRefOf(fn);
  const fnName = builtinNameOf(fn) ?? (fn.name || "map-blocks");
  const drop = options.dropAxis === undefined ? [] : typeof options.dropAxis === "number" ? [options.dropAxis] : options.dropAxis;
  const added = options.newAxis === undefined ? [] : typeof options.newAxis === "number" ? [options.newAxis] : options.newAxis;
  const unified = unifyOperands(arrays, fnName);
  const base = unified.operands as LazyArray[];
  const ndimOut = unified.shape.length - drop.length + added.length;
  const keptAxes = unified.shape.map((_, a) => a).filter((a) => !drop.includes(a));
  // Output axis of each (unified) input axis; dropped axes read whole. Kept axes fill the
  // output axes that are not new, in order.
  const outAxisOf = new Map<number, number>();
  let chunks: Chunks = [];
  for (let a = 0, kept = 0; a < ndimOut; a++) {
    if (added.includes(a)) {
      chunks.push([1]);
      continue;
    }
    const inAxis = keptAxes[kept++];
    outAxisOf.set(inAxis, a);
    chunks.push(unified.chunks[inAxis]);
  }
  if (options.chunks) {
    const given = options.chunks;
    chunks = given.map((entry, a) => (Array.isArray(entry) ? [...entry] : new Array<number>(chunks[a]?.length ?? 1).fill(entry as number)));
    if (chunks.length !== ndimOut) throw new InvalidOptionError(`mapBlocks: chunks has ${chunks.length} axes, the output has ${ndimOut}`);
  }
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  const dtype = options.dtype !== undefined ? toDType(options.dtype, "mapBlocks dtype") : inferDtype(fn, base.map((a) => ({ dtype: a.dtype, ndim: a.ndim })), fnOptions, `mapBlocks(${fnName})`);
  const args: BlockwiseArg[] = base.map((array) => ({
    array, axes: array.shape.map((_, a) => outAxisOf.get(a + unified.shape.length - array.ndim) ?? -1),
  }));
  const prefix = options.name ?? fnName.replace(/^ndimage\.|^ndarray\./, "");
  const name = `${prefix}-${tokenize(ref, base.map((a) => a.name), fnOptions, chunks, drop, added)}`;
  return new LazyArray(name, shape, chunks, dtype, new BlockwiseExpr(ref, args, fnOptions, { blockInfo: options.blockInfo ?? false }));
}

function normalizeAxis(axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= ndim) throw new InvalidOptionError(`axis ${axis} is out of bounds for an array of ${ndim} axes`);
  return a;
}
