/**
 * The lazy chunked Array (dask.array's Array): metadata plus an expression; operations make
 * new arrays, and nothing runs until compute(), persist() or toZarr() hands the lowered graph
 * to an executor (the connected Client, or a local one).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { createLogger } from "../core/log.js";
import { blockKey } from "../graph/keys.js";
import { computeOptionsOf, getDefaultExecutor, type ComputeOptions, type GraphExecutor } from "../graph/executor.js";
import { sharedLocalExecutor } from "../graph/local-executor.js";
import { functionRefOf } from "../graph/function-travel.js";
import { builtinNameOf } from "../core/builtin.js";
import * as nd from "../ndarray/index.js";
import { dtypeInfo, toDType, type DType } from "../ndarray/dtype.js";
import { NDArray } from "../ndarray/ndarray.js";
import { BlockwiseExpr, type BlockwiseArg } from "./blockwise.js";
import { blockCounts, blockIndices, chunkEntries, largestOf, normalizeChunks, type ChunkSpec, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode } from "./expr.js";
import { lowerArrays, type Locality } from "./lower.js";
import { refuseUnfitPlan, usableMemoryLimits } from "./plan-memory.js";
import { refuseChangedSources } from "./changed-sources.js";
import { inferDtype } from "./meta.js";
import { mapOverlapNode, type MapOverlapOptions } from "./map-overlap.js";
import { reductionNode, type ReductionCallOptions } from "./reductions.js";
import type { TreeOp } from "../ndarray/tree-reduction.js";
import { rechunkNode } from "./rechunk.js";
import { getItem, permuteAxes, squeezeAxes } from "./getitem.js";
import type { IndexItem } from "./index-parse.js";
import { PersistedExpr } from "./sources.js";
import { runStores, type StoreTarget, type ToZarrOptions } from "./store.js";
import { isArrayNode, unifyOperands } from "./broadcasting.js";
import { elementwiseNode } from "./elementwise.js";
import { reshapeNode } from "./reshape.js";
import { dotNode, type ContractionOptions } from "./tensordot.js";
import { matmulNode } from "./matmul.js";
import { AnnotatedExpr, annotatedName, checkAnnotations, type Annotations } from "./annotate.js";
import { checkMapBlocksCall, checkedToZarrOptions, refuseUnknownExecuteOptions, refuseUnknownStoreOptions } from "./option-checks.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { assembleBlocks } from "./assemble-blocks.js";
import { checkUnknownInputs, hasUnknownChunks } from "./unknown-chunks.js";
import { lazyIndexNode } from "./lazy-mask.js";
import { blockShapesNode, chunksFromBlockShapes } from "./per-block.js";
import { nonzeroNodes } from "./nonzero-nodes.js";
import { asDelayedValue, graphOf, persistedDelayed, type Delayed } from "../delayed/delayed.js";
import { markPersisted } from "../core/persisted-collection.js";
import { toDelayedBlocks, wholeArrayDelayed, type NestedDelayed } from "./to-delayed.js";

const logger = createLogger("array");

export type { IndexItem } from "./index-parse.js";

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
  ) { checkUnknownInputs(expr, shape, chunks); }

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
    return this.chunks.map(largestOf);
  }

  blockKeys(): string[] { return [...blockIndices(this.numblocks)].map((index) => blockKey(this.name, index)); }

  toString(): string {
    return `tessera.Array<${this.name}, shape=[${this.shape.join(", ")}], dtype=${this.dtype}, chunksize=[${this.chunksize.join(", ")}]>`;
  }

  // ---- views ----

  /**
   * New chunks (Dask's rechunk): any chunk spec; in a list or dict, null (and, in a dict, a
   * missing axis) keeps the axis's current chunks, -1 makes it one chunk.
   */
  rechunk(chunks: ChunkSpec): LazyArray {
    const itemsize = dtypeInfo(this.dtype).itemsize;
    const kept = (axis: number): number[] => [...this.chunks[axis]];
    const entries = chunkEntries(chunks, this.ndim, kept).map((entry, axis) => (entry === null ? kept(axis) : entry));
    const next = normalizeChunks(entries, this.shape, itemsize, this.chunks, "rechunk");
    const rechunked = rechunkNode(this, next);
    return rechunked === this ? this : LazyArray.of(rechunked);
  }

  /** Removes axes of length 1 (all of them, or those named). */
  squeeze(axis?: number | number[]): LazyArray {
    const axes = axis === undefined ? this.shape.map((n, a) => (n === 1 ? a : -1)).filter((a) => a >= 0) : (typeof axis === "number" ? [axis] : axis).map((a) => normalizeAxis(a, this.ndim, "squeeze"));
    for (const a of axes) {
      if (this.shape[a] !== 1) throw new InvalidOptionError(`cannot squeeze axis ${a} with size ${this.shape[a]}; only axes of size 1 can be squeezed`);
    }
    if (axes.length === 0) return this;
    return hasUnknownChunks(this.chunks) ? LazyArray.of(squeezeAxes(this, axes)) : this.get(...this.shape.map((_, a) => (axes.includes(a) ? 0 : ":")));
  }

  /**
   * NumPy indexing: integers, ":" or { start, stop, step } slices (any step), null (a new
   * axis), "..." and one integer list or boolean mask (index-parse.ts has the rules). Unit-step
   * selections are views; the others copy within each block.
   */
  get(...index: Array<IndexItem | LazyArray>): LazyArray {
    if (index.some(isArrayNode) || hasUnknownChunks(this.chunks)) return LazyArray.of(lazyIndexNode(this, index));
    return LazyArray.of(getItem(this, index, (message) => logger.warn(message)));
  }

  /** Axes permuted (reversed by default), as NumPy's transpose. */
  transpose(axes?: number[] | number, ...more: number[]): LazyArray {
    // NumPy also takes the axes one by one: x.transpose(1, 0).
    const order = typeof axes === "number" ? [axes, ...more] : axes ?? this.shape.map((_, a) => this.ndim - 1 - a);
    if (!Array.isArray(order) || order.length !== this.ndim) {
      throw new InvalidOptionError(`transpose axes ${JSON.stringify(order)} are not a permutation of 0..${this.ndim - 1}`);
    }
    const normalized = order.map((a) => normalizeAxis(a, this.ndim, "transpose"));
    if (new Set(normalized).size !== this.ndim) throw new InvalidOptionError(`transpose axes [${order.join(", ")}] are not a permutation of 0..${this.ndim - 1}`);
    const permuted = permuteAxes(this, normalized);
    return permuted === this ? this : LazyArray.of(permuted);
  }

  /** The same elements in C order under a new shape (one length may be -1), as Dask reshapes; `reshape(2, 3)` as NumPy allows. */
  reshape(shape: readonly number[] | number, ...more: number[]): LazyArray {
    const reshaped = reshapeNode(this, more.length > 0 ? [shape as number, ...more] : shape);
    return reshaped === this ? this : LazyArray.of(reshaped);
  }

  /** The coordinates of the non-zero elements, one int64 array of unknown size per axis (NumPy's x.nonzero()). */
  nonzero(): LazyArray[] { return nonzeroNodes(this).map((node) => LazyArray.of(node)); }

  get T(): LazyArray {
    return this.transpose();
  }

  astype(dtype: DType | string): LazyArray {
    const target = toDType(dtype, "astype");
    if (target === this.dtype) return this;
    return LazyArray.of(elementwiseNode(nd.astype, [this], target, { dtype: target }));
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
  /** `this & other` (np.bitwise_and): combines masks, `x.gt(a).and(x.lt(b))`; floats are refused. */
  and(other: LazyArray | number | bigint | boolean): LazyArray { return LazyArray.of(elementwiseNode(nd.bitwiseAnd, [this, other])); }
  /** `this | other` (np.bitwise_or). */
  or(other: LazyArray | number | bigint | boolean): LazyArray { return LazyArray.of(elementwiseNode(nd.bitwiseOr, [this, other])); }
  /** `this ^ other` (np.bitwise_xor). */
  xor(other: LazyArray | number | bigint | boolean): LazyArray { return LazyArray.of(elementwiseNode(nd.bitwiseXor, [this, other])); }
  /** `~this` (np.invert): a mask's complement, an integer's bits flipped. */
  invert(): LazyArray { return LazyArray.of(elementwiseNode(nd.invert, [this])); }
  /** Bounds to [min, max]; either may be null. */
  clip(min: LazyArray | number | null, max: LazyArray | number | null = null): LazyArray {
    if (min === null && max === null) throw new InvalidOptionError("clip: give at least one of min and max");
    return LazyArray.of(elementwiseNode(nd.clip, [this, min, max]));
  }
  /** Half to even at `decimals` places (np.round). */
  round(decimals = 0): LazyArray { return LazyArray.of(elementwiseNode(nd.round, [this], undefined, { decimals })); }
  neg(): LazyArray { return LazyArray.of(elementwiseNode(nd.negative, [this])); }
  abs(): LazyArray { return LazyArray.of(elementwiseNode(nd.abs, [this])); }

  /** NumPy's dot (x.dot(y)): tensordot over this array's last axis and y's second-to-last (its only one, 1-d). */
  dot(other: LazyArray, options: ContractionOptions = {}): LazyArray { return LazyArray.of(dotNode(this, other, options)); }
  /** NumPy's matmul (`x @ y`): matrix products over the last two axes, batch axes broadcast. */
  matmul(other: LazyArray, options: ContractionOptions = {}): LazyArray { return LazyArray.of(matmulNode(this, other, options)); }

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
  /** Whether any element is true (non-zero; NaN counts as true), as NumPy's any. */
  any(options: ReductionCallOptions = {}): LazyArray { return this.reduce("any", options); }
  all(options: ReductionCallOptions = {}): LazyArray { return this.reduce("all", options); }
  /** int64 index of the smallest element (first one; NaN wins): along one axis, or into the flattened array. */
  argmin(options: ReductionCallOptions = {}): LazyArray { return this.reduce("argmin", options); }
  argmax(options: ReductionCallOptions = {}): LazyArray { return this.reduce("argmax", options); }

  private reduce(op: TreeOp, options: ReductionCallOptions): LazyArray {
    return LazyArray.of(reductionNode(this, op, options));
  }

  /**
   * The same values, whose tasks carry annotations (Dask's dask.annotate):
   * `{ resources: { GPU: 1 } }` makes each of its tasks hold one GPU on its worker while it runs.
   * The annotated array has a name of its own (annotate.ts), so it and the plain one can be
   * computed in one graph, each with its own annotation.
   */
  annotate(annotations: Annotations): LazyArray {
    const checked = checkAnnotations(annotations);
    return new LazyArray(annotatedName(this, checked), this.shape, this.chunks, this.dtype, new AnnotatedExpr(this.expr, checked));
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
  /** A NEW array with the unknown (NaN) chunk sizes computed from its blocks' shapes (Dask's compute_chunk_sizes changes x in place). */
  async computeChunkSizes(options: ExecuteOptions = {}): Promise<LazyArray> {
    refuseUnknownExecuteOptions("computeChunkSizes", options);
    if (!hasUnknownChunks(this.chunks)) return this;
    const chunks = chunksFromBlockShapes(this, (await computeArrays([LazyArray.of(blockShapesNode(this))], options))[0]);
    return new LazyArray(this.name, chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0)), chunks, this.dtype, this.expr);
  }
  /** One Delayed per block, nested as the block grid (Dask's to_delayed); in a delayed call's arguments, the whole NDArray as one value, as Dask passes a dask array (to-delayed.ts). */
  toDelayed(): NestedDelayed { return toDelayedBlocks(this, this.blockKeys()); }
  [asDelayedValue](): Delayed { return wholeArrayDelayed(this, () => this.rechunk(this.shape.map(() => -1))); }

  /** Writes the array to a Zarr store (or, with `region`, into a box of an existing array), one atomic write per storage chunk. */
  async toZarr(path: string, options: ToZarrOptions & ExecuteOptions = {}): Promise<void> {
    await runStores([{ array: this, target: path, options: checkedToZarrOptions(options) }], executorFor(options), options);
  }
}

/**
 * Writes each source into its existing Zarr target in one graph, as dask.array.store:
 * `regions[i]` (when given) is the box of target i that source i fills, else the whole target.
 */
export async function storeArrays(
  sources: readonly LazyArray[],
  targets: readonly StoreTarget[],
  options: { regions?: ReadonlyArray<ToZarrOptions["region"] | null>; safeChunks?: boolean } & ExecuteOptions = {},
): Promise<void> {
  if (!Array.isArray(sources) || !Array.isArray(targets) || sources.length !== targets.length) {
    throw new InvalidOptionError(`store needs as many targets as sources (${sources?.length} sources, ${targets?.length} targets)`);
  }
  if (options.regions !== undefined && (!Array.isArray(options.regions) || options.regions.length !== sources.length)) {
    throw new InvalidOptionError(`store regions must list one region per source (${sources.length})`);
  }
  refuseUnknownStoreOptions(options);
  const requests = sources.map((array, i) => ({ // as dask.array.store: targets exist; without a region a source fills its whole target
    array, target: targets[i], operation: "store",
    options: { region: options.regions?.[i] ?? [], ...(options.safeChunks !== undefined ? { safeChunks: options.safeChunks } : {}) },
  }));
  await runStores(requests, executorFor(options), options);
}

/** The executor given, else the connected Client, else one local executor shared by all arrays. */
export function executorFor(options: ExecuteOptions): GraphExecutor {
  return options.executor ?? getDefaultExecutor() ?? sharedLocalExecutor();
}

/** Where the executor's results live, its workers' threads and smallest memory limit (lower.ts's Locality), when it says. */
async function localityOf(executor: GraphExecutor): Promise<Locality | undefined> {
  const holders = executor.holders?.bind(executor);
  if (!holders || !executor.workerMemoryLimits || !executor.schedulerInfo) return undefined;
  // Asking for the limits refreshes the workers' info when workers joined or left.
  const limits = await usableMemoryLimits(executor);
  const workers = executor.schedulerInfo().workers;
  return { holders, nthreads: (worker) => workers[worker]?.nthreads ?? 0, smallestMemoryLimit: limits.length > 0 ? Math.min(...limits) : 0 };
}

/** The arrays lowered for `executor` and checked, with the graph of `alongside` (Delayed computed with them) merged in. */
export async function planArrays(arrays: readonly LazyArray[], alongside: readonly Delayed[], options: ExecuteOptions, what: "compute" | "persist") {
  refuseUnknownExecuteOptions(what, options);
  const executor = executorFor(options);
  const { graph, keys, memory } = lowerArrays(arrays, (key) => executor.holds(key), (node) => (node as LazyArray).blockKeys(), undefined, await localityOf(executor));
  await refuseUnfitPlan(memory, executor, what);
  await refuseChangedSources(arrays);
  return { executor, graph: alongside.length > 0 ? graph.merge(graphOf(alongside)) : graph, keys: [...keys.flat(), ...alongside.map((value) => value.key)], counts: keys.map((k) => k.length), options: computeOptionsOf({ ...options, label: options.label ?? what }) };
}

/** Computes several arrays in one graph (shared inputs computed once), like dask.compute; `alongside`: Delayed whose values come after the arrays. */
export async function computeArrays(arrays: readonly LazyArray[], options: ExecuteOptions = {}, alongside: readonly Delayed[] = []): Promise<NDArray[]> {
  const { executor, graph, keys, counts, options: runOptions } = await planArrays(arrays, alongside, options, "compute");
  const values = await executor.compute(graph, keys, runOptions);
  let position = 0;
  const assembled = arrays.map((array, i) => assembleBlocks(array, values.slice(position, (position += counts[i])) as NDArray[]));
  return [...assembled, ...(values.slice(position) as NDArray[])];
}

/** Persists several arrays in one graph (shared inputs computed once), like dask.persist; `alongside`: Delayed persisted with them, returned after the arrays, each keeping the results alive as the arrays do. */
export async function persistArrays(arrays: readonly LazyArray[], options: ExecuteOptions = {}, alongside: readonly Delayed[] = []): Promise<LazyArray[]> {
  const { executor, graph, keys, options: runOptions } = await planArrays(arrays, alongside, options, "persist");
  const persisted = await executor.persist(graph, keys, runOptions);
  return [...arrays.map((array) => markPersisted(new LazyArray(array.name, array.shape, array.chunks, array.dtype, new PersistedExpr(() => persisted.release())), array.blockKeys())), ...alongside.map((value) => persistedDelayed(value, persisted) as unknown as LazyArray)];
}

export function binary(fn: BlockFunction, a: LazyArray | number, b: LazyArray | number): LazyArray {
  return LazyArray.of(elementwiseNode(fn, [a, b]));
}

/** map_blocks over several arrays matched by block index. */
export function mapBlocksOf(fn: BlockFunction, arrays: LazyArray[], options: MapBlocksOptions = {}, fnOptions?: Record<string, unknown>): LazyArray {
  checkMapBlocksCall(arrays, options);
  const ref = functionRefOf(fn);
  const fnName = builtinNameOf(fn) ?? (fn.name || "map-blocks");
  const drop = options.dropAxis === undefined ? [] : typeof options.dropAxis === "number" ? [options.dropAxis] : options.dropAxis;
  const added = options.newAxis === undefined ? [] : typeof options.newAxis === "number" ? [options.newAxis] : options.newAxis;
  const unified = unifyOperands(arrays, fnName);
  const base = unified.operands as ArrayNode[];
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
    if (!Array.isArray(given) || given.some((entry) => (Array.isArray(entry) ? entry.some((n) => !Number.isSafeInteger(n) || n < 0) : !Number.isSafeInteger(entry) || (entry as number) < 0))) {
      throw new InvalidOptionError(`mapBlocks: chunks ${JSON.stringify(given)} must give, per output axis, a block size or a list of sizes (non-negative integers)`);
    }
    chunks = given.map((entry, a) => (Array.isArray(entry) ? [...entry] : new Array<number>(chunks[a]?.length ?? 1).fill(entry as number)));
    if (chunks.length !== ndimOut) throw new InvalidOptionError(`mapBlocks: chunks has ${chunks.length} axes, the output has ${ndimOut}`);
  }
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  // The unified operands are plain nodes (a rechunk view, say), not LazyArrays: use their shapes.
  const dtype = options.dtype !== undefined ? toDType(options.dtype, "mapBlocks dtype") : inferDtype(fn, base.map((a) => ({ dtype: a.dtype, ndim: a.shape.length })), fnOptions, `mapBlocks(${fnName})`);
  const args: BlockwiseArg[] = base.map((array) => ({
    array, axes: array.shape.map((_, a) => outAxisOf.get(a + unified.shape.length - array.shape.length) ?? -1),
  }));
  const prefix = options.name ?? fnName.replace(/^ndimage\.|^ndarray\./, "");
  const name = `${prefix}-${tokenize(ref, base.map((a) => a.name), fnOptions, chunks, drop, added)}`;
  return new LazyArray(name, shape, chunks, dtype, new BlockwiseExpr(ref, args, fnOptions, { blockInfo: options.blockInfo ?? false }));
}
