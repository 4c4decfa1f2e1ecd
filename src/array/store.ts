/**
 * Preparing and running Zarr writes: `toZarr` (a new array, or with overwrite a replaced one;
 * with `resume` the chunks an interrupted run left, resume.ts), `toZarr({ region })` and
 * `store(sources, targets, { regions })` (into a box of an existing array, as Dask's
 * `to_zarr(region=…)` and `da.store(regions=…)`).
 *
 * Every write holds a write lease on its target for its whole run, chunks included
 * (zarr/write-lease.ts): an exclusive one to create or replace an array, a region one to
 * write into an existing array. A second writer of the same array fails at once with
 * ZarrWriteConflictError instead of both reporting success over a mixed array; region
 * writers of disjoint regions run side by side. Every store task's ref carries its lease's
 * write fence (zarr/write-fence.ts): a write that fails while some of its tasks still run on
 * workers releases its lease only once none of them is writing a chunk, and they write
 * nothing after, so a writer that comes next never meets one of them.
 *
 * A region edge that is not on a storage chunk boundary makes its tasks read, modify and
 * write the chunk it shares with data outside the region; another writer of that chunk at
 * the same time would lose one of the two writes. So, as xarray's `safe_chunks`, such
 * regions are refused unless `safeChunks: false` says that no one else writes those chunks.
 */
import type { ComplexValue } from "../ndarray/ndarray.js";
import { InvalidOptionError } from "../core/errors.js";
import { UnknownChunksError, unknownChunksMessage } from "./unknown-chunks-error.js";
import { largestOf } from "./chunks.js";
import { tokenize } from "../core/ids.js";
import { computeOptionsOf, type ComputeOptions, type GraphExecutor } from "../graph/executor.js";
import { blockKey } from "../graph/keys.js";
import {
  type CompressorSpec, type WriteLease, type ZarrArrayInfo, type GenerationWrite, type ZarrRef, ZarrNotFoundError, beginArrayWrite, beginRegionWrite, closeWriteGate,
  beginDataGeneration, openArrayForGraph, openWriteGate, prepareArrayHeld, removeAbandonedWrites,
} from "../zarr/index.js";
import type { ArrayNode } from "./expr.js";
import { refuseUnfitPlan } from "./plan-memory.js";
import { refuseChangedSources } from "./changed-sources.js";
import { groupStoreWrite } from "./overlap-groups.js";
import { lowerArrays } from "./lower.js";
import { planResumableTarget, resumeTokenFor } from "./resume.js";
import { checkRegularBlockGrid } from "./limits.js";
import { type StoreLayout, StoreExpr, storePieceChunks } from "./to-zarr.js";
import { resolveSlice } from "../ndarray/slice.js";
import { refuseWritingOverSource } from "./write-over-source.js";

/** A slice of one axis of a region: Python's `start:stop` (negative counts from the end), or null for the whole axis. */
export type RegionItem = { start?: number | null; stop?: number | null; step?: number | null } | null;

export interface ToZarrOptions {
  component?: string;
  overwrite?: boolean;
  zarrFormat?: 2 | 3;
  compressor?: CompressorSpec | null;
  /** Storage chunk shape (default: the array's chunks when regular). */
  chunks?: number[];
  fillValue?: number | ComplexValue | null;
  attributes?: Record<string, unknown>;
  /** v2 only, as zarr-python's `order`: "C" (default) or "F", the chunks' element layout (in resume tokens only when "F", so older ones hold). */
  order?: "C" | "F";
  /**
   * Write only the chunks that an interrupted run of the same computation left unwritten
   * (a crash, a walltime kill). A different computation at the path is refused unless
   * `overwrite` is also true, which then starts again.
   */
  resume?: boolean;
  /**
   * Write into this box of the existing array at the path (one slice per axis, missing axes
   * whole), as Dask's `to_zarr(region=…)`. The array's shape must be the box's.
   */
  region?: readonly RegionItem[];
  /**
   * With `region`: refuse (true, the default) or allow (false) a region whose edges cut storage
   * chunks. Allowed, those chunks are read, modified and written: nobody else may write them meanwhile.
   */
  safeChunks?: boolean;
}

/** A store target of `store()`: a path, or a path and a component. */
export type StoreTarget = string | ZarrRef;

interface PreparedStore {
  node: ArrayNode;
  keys: string[];
  lease: WriteLease;
  /** Which array, and which storage chunks of it, the tasks write: for the overlap check. */
  target: string;
  chunkBox: { first: number[]; last: number[] };
  /**
   * Makes the target ready; run only once the plan is accepted. Checks that it can (raising
   * before anything is submitted) and returns the writing that creates a new array (the old
   * one's keys deleted, the new metadata written), which runs while the graph is submitted:
   * the tasks' ref carries the write gate they wait for (zarr/write-gate.ts), opened here once
   * the writing is done. Undefined when there is nothing to write.
   */
  commit: () => Promise<(() => Promise<void>) | undefined>;
  /** Called once every chunk is written (before the lease goes): a region write's generation is final. */
  written?: () => void;
}

function isRegular(sizes: readonly number[]): boolean {
  return sizes.slice(0, -1).every((s) => s === sizes[0]) && sizes[sizes.length - 1] <= sizes[0];
}

function describeTarget(ref: ZarrRef): string {
  return ref.component ? `component "${ref.component}" of ${ref.path}` : ref.path;
}

function storeNode(array: ArrayNode, layout: StoreLayout, skip: ReadonlySet<string>, token: string | undefined): PreparedStore["node"] & { expr: StoreExpr } {
  const chunks = storePieceChunks(array.shape, layout);
  const name = `store-${tokenize(array.name, layout.ref.path, layout.ref.component ?? "", layout.storageChunks, layout.offset, layout.targetShape)}`;
  return { name, shape: array.shape, chunks, dtype: array.dtype, expr: new StoreExpr(array, layout, skip, token) };
}

function prepared(node: ReturnType<typeof storeNode>, lease: WriteLease, commit: PreparedStore["commit"] = async () => undefined): PreparedStore {
  const keys = [...node.expr.pieces(node)].map((piece) => blockKey(node.name, piece.index));
  const { offset, storageChunks, ref } = node.expr.layout;
  const first = offset.map((o, axis) => Math.floor(o / storageChunks[axis]));
  const last = offset.map((o, axis) => Math.ceil((o + node.shape[axis]) / storageChunks[axis]) - 1);
  return { node, keys, lease, target: `${ref.path}\u0000${ref.component ?? ""}`, chunkBox: { first, last }, commit };
}

async function prepareWholeStore(array: ArrayNode, ref: ZarrRef, options: ToZarrOptions): Promise<PreparedStore> {
  const storageShape = options.chunks ?? array.chunks.map((sizes) => (isRegular(sizes) ? Math.max(sizes[0], 1) : Math.max(largestOf(sizes), 1)));
  if (!Array.isArray(storageShape) || storageShape.length !== array.shape.length || storageShape.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidOptionError(`toZarr chunks ${JSON.stringify(storageShape)} must be one positive integer per axis of [${array.shape.join(", ")}]`);
  }
  checkRegularBlockGrid(array.shape, storageShape, "toZarr chunks");
  const lease = await beginArrayWrite(ref);
  const fenced: ZarrRef = { ...ref, writeFence: lease.fence };
  try {
    const encoding = { zarrFormat: options.zarrFormat ?? null, compressor: options.compressor ?? null, fillValue: options.fillValue ?? null, ...(options.order === "F" ? { order: "F" } : {}) };
    const resumeToken = resumeTokenFor(array, storageShape, encoding);
    const { complete, creates, commit } = await planResumableTarget(ref, resumeToken, options, () => prepareArrayHeld(ref, {
      shape: [...array.shape], chunks: storageShape, dtype: array.dtype, overwrite: options.overwrite ?? false,
      ...(options.zarrFormat ? { zarrFormat: options.zarrFormat } : {}), ...(options.order ? { order: options.order } : {}),
      ...(options.compressor !== undefined ? { compressor: options.compressor } : {}),
      ...(options.fillValue !== undefined ? { fillValue: options.fillValue } : {}),
      ...(options.attributes ? { attributes: options.attributes } : {}),
    }));
    const layout: StoreLayout = { ref: fenced, targetShape: array.shape, storageChunks: storageShape, offset: array.shape.map(() => 0) };
    // The node's name keys the store tasks (storeNode); the gate rides on the tasks' ref only.
    const node = storeNode(array, layout, complete, resumeToken.token);
    // A resumed write: the temporary files of the killed run go while its last chunks are written.
    if (!creates) return prepared(node, lease, async () => () => removeAbandonedWrites(ref));
    const gatedLayout: StoreLayout = { ...layout, ref: { ...fenced, writeGate: lease.id } };
    const gated = { ...node, expr: new StoreExpr(array, gatedLayout, complete, resumeToken.token) };
    const gatedLease: WriteLease = {
      file: lease.file, id: lease.id, fence: lease.fence,
      // The gate goes before the lease: a task of this write still running after a failure writes nothing.
      release: async () => {
        await closeWriteGate(ref, lease.id).catch(() => undefined);
        await lease.release();
      },
    };
    return prepared(gated, gatedLease, async () => {
      const write = await commit();
      return async () => {
        await write?.();
        await openWriteGate(ref, lease.id);
      };
    });
  } catch (error) {
    await lease.release();
    throw error;
  }
}

/** The box a region names in an array of `shape`: Python's slice rules, step 1 only. */
function resolveRegion(region: unknown, shape: readonly number[], where: string): { start: number[]; stop: number[] } {
  if (!Array.isArray(region) || region.length > shape.length) {
    throw new InvalidOptionError(`region ${JSON.stringify(region)} must be a list of at most ${shape.length} slices ({ start, stop } or null) for ${where}`);
  }
  const start: number[] = [];
  const stop: number[] = [];
  shape.forEach((length, axis) => {
    const item: unknown = region[axis] ?? null;
    if (item !== null && (typeof item !== "object" || Object.keys(item).some((key) => !["start", "stop", "step"].includes(key)))) {
      throw new InvalidOptionError(
        `region item ${JSON.stringify(item)} for axis ${axis} is not a slice: give { start, stop } (an integer would drop the axis; use { start: i, stop: i + 1 })`,
      );
    }
    const slice = resolveSlice((item ?? {}) as RegionItem & object, length, axis);
    if (slice.step !== 1) throw new InvalidOptionError(`region step ${slice.step} for axis ${axis}: a Zarr region is a contiguous box, use step 1`);
    start.push(slice.start);
    stop.push(slice.start + slice.count);
  });
  return { start, stop };
}

/** Refuses region edges that cut storage chunks, unless the caller said the write is safe. */
function checkRegionAlignment(box: { start: number[]; stop: number[] }, info: ZarrArrayInfo, where: string): void {
  info.chunks.forEach((chunk, axis) => {
    const { start, stop } = { start: box.start[axis], stop: box.stop[axis] };
    if (start === stop) return;
    const bad = start % chunk !== 0 ? start : stop % chunk !== 0 && stop !== info.shape[axis] ? stop : undefined;
    if (bad !== undefined) {
      throw new InvalidOptionError(
        `region [${start}, ${stop}) on axis ${axis} of ${where} cuts its storage chunks of ${chunk} at ${bad}: writing it would read, ` +
          `modify and write chunks shared with data outside the region, and a concurrent writer of those would lose data. ` +
          `Align the region to multiples of ${chunk} (or the array's end), or pass safeChunks: false if nobody else writes those chunks`,
      );
    }
  });
}

const newArrayOptions = ["overwrite", "resume", "zarrFormat", "compressor", "chunks", "fillValue", "attributes", "order"] as const;

/**
 * The lease of a write whose caller holds the lease of a group above the target (a pyramid's):
 * its tasks claim the caller's fence, which the caller drains when it releases its lease.
 */
function leaseHeldBy(caller: WriteLease): WriteLease {
  return { file: caller.file, id: caller.id, fence: caller.fence, release: async () => undefined };
}

/** A region write's missing target, with what to do about it. */
function regionTargetMissing(error: unknown): unknown {
  if (!(error instanceof ZarrNotFoundError)) return error;
  return new ZarrNotFoundError(`${error.message}. A region write goes into an existing array: create it first (toZarr without region, or createArray)`, { cause: error });
}

/**
 * A region write changes the data under unchanged metadata and computation token, which is
 * all fromZarr's block names knew of: a cluster holding blocks read before the write would
 * serve them again to a fromZarr after it. So the write records its data generation
 * (zarr/data-generation.ts), which those names include: when it is committed (under its
 * lease, before any chunk is submitted) and when its lease goes (after its last task, or its
 * failure: chunks may have been written either way). Not for a plan refused before commit.
 */
function withDataGeneration(ref: ZarrRef, lease: WriteLease, write: string): Pick<PreparedStore, "lease" | "commit" | "written"> {
  let started: GenerationWrite | undefined;
  let written = false;
  const commit = async () => {
    started = await beginDataGeneration(ref, write);
    return undefined;
  };
  const release = async () => {
    const finishing = started;
    started = undefined;
    try {
      await finishing?.finish(written);
    } finally {
      await lease.release();
    }
  };
  return { lease: { file: lease.file, id: lease.id, fence: lease.fence, release }, commit, written: () => (written = true) };
}

async function prepareRegionStore(array: ArrayNode, ref: ZarrRef, options: ToZarrOptions, callerLease: WriteLease | undefined): Promise<PreparedStore> {
  const where = describeTarget(ref);
  const conflicting = newArrayOptions.filter((key) => options[key] !== undefined && options[key] !== false);
  if (conflicting.length > 0) {
    throw new InvalidOptionError(
      `toZarr region writes into the existing array at ${where}; ${conflicting.join(", ")} describe${conflicting.length === 1 ? "s" : ""} ` +
        "a new array and cannot be used with region (create the array first, then write regions into it)",
    );
  }
  if (options.safeChunks !== undefined && typeof options.safeChunks !== "boolean") {
    throw new InvalidOptionError(`safeChunks: ${JSON.stringify(options.safeChunks)} must be true or false`);
  }
  let lease: WriteLease;
  try {
    lease = callerLease ? leaseHeldBy(callerLease) : (await beginRegionWrite(ref)).lease;
  } catch (error) {
    throw regionTargetMissing(error);
  }
  try {
    // Opened under the lease, and stamped: a worker with an older open of the array (replaced
    // within the last second, toOmeZarr's overwrite) reopens it instead of writing the old layout.
    const { info, ref: { stamp } } = await openArrayForGraph(ref).catch((error: unknown) => {
      throw regionTargetMissing(error);
    });
    const box = resolveRegion(options.region, info.shape, where);
    const boxShape = box.start.map((s, axis) => box.stop[axis] - s);
    if (boxShape.length !== array.shape.length || boxShape.some((n, axis) => n !== array.shape[axis])) {
      throw new InvalidOptionError(
        `region of shape [${boxShape.join(", ")}] (from [${box.start.join(", ")}] to [${box.stop.join(", ")}]) of ${where} ` +
          `does not match the array written into it, of shape [${array.shape.join(", ")}]`,
      );
    }
    if (array.dtype !== info.dtype) {
      throw new InvalidOptionError(`the array written is ${array.dtype} but ${where} holds ${info.dtype}; cast it first with astype("${info.dtype}")`);
    }
    if (options.safeChunks !== false) checkRegionAlignment(box, info, where);
    // The pieces are the box cut at storage chunks, whose size comes from the target's metadata.
    checkRegularBlockGrid(boxShape, info.chunks, `region of ${where} in its storage chunks`);
    const layout: StoreLayout = {
      ref: { ...ref, stamp, ...(lease.fence !== "" ? { writeFence: lease.fence } : {}) }, targetShape: info.shape, storageChunks: info.chunks, offset: box.start,
    };
    const node = storeNode(array, layout, new Set(), undefined);
    const { lease: generationLease, commit, written } = withDataGeneration(ref, lease, node.name);
    return { ...prepared(node, generationLease, commit), written };
  } catch (error) {
    await lease.release();
    throw error;
  }
}

function boxesIntersect(a: PreparedStore["chunkBox"], b: PreparedStore["chunkBox"]): boolean {
  return a.first.every((first, axis) => first <= b.last[axis] && b.first[axis] <= a.last[axis]);
}

/** Refuses two writes of one call that would touch the same storage chunk (and race on it). */
function checkDisjoint(stores: readonly PreparedStore[]): void {
  for (let i = 0; i < stores.length; i++) {
    for (let j = 0; j < i; j++) {
      if (stores[i].target === stores[j].target && boxesIntersect(stores[i].chunkBox, stores[j].chunkBox)) {
        throw new InvalidOptionError(
          `targets ${j} and ${i} write the same storage chunks of ${stores[i].target.replace("\u0000", " component ")}; ` +
            "regions written in one store call must not share a chunk",
        );
      }
    }
  }
}

export interface StoreRequest {
  array: ArrayNode;
  target: StoreTarget;
  options: ToZarrOptions;
  /**
   * The caller's exclusive lease of a group above the target, under which it created the target
   * (toOmeZarr): the write takes no lease of its own, its tasks claim this one's fence. Region
   * writes only.
   */
  underCallerLease?: WriteLease;
  /** The user's call, for error messages (default "toZarr"). */
  operation?: string;
}

function refOf(target: StoreTarget, component: string | undefined): ZarrRef {
  const ref = typeof target === "string" ? { path: target } : { ...target };
  if (typeof ref.path !== "string") throw new InvalidOptionError(`store target ${JSON.stringify(target)} must be a path or { path, component }`);
  const chosen = component ?? ref.component;
  return chosen ? { path: ref.path, component: chosen } : { path: ref.path };
}

/**
 * Writes each request's array to its Zarr target in one graph, holding every target's lease
 * until the last chunk is written (or the computation fails), then releasing them.
 */
export async function runStores(requests: readonly StoreRequest[], executor: GraphExecutor, computeOptions: ComputeOptions): Promise<void> {
  const stores: PreparedStore[] = [];
  try {
    for (const { array, target, options, underCallerLease, operation = "toZarr" } of requests) {
      if (array.shape.some((n) => !Number.isFinite(n))) throw new UnknownChunksError(unknownChunksMessage(operation, array.name));
      const ref = refOf(target, options.component);
      if (underCallerLease !== undefined && options.region === undefined) throw new InvalidOptionError("a write under its caller's lease must be a region write");
      // Before anything is deleted or written: an overwrite deletes what it replaces, a region write rewrites chunks others read.
      if (options.region !== undefined || options.overwrite === true) refuseWritingOverSource(array, ref, options.region === undefined, operation);
      stores.push(await (options.region !== undefined ? prepareRegionStore(array, ref, options, underCallerLease) : prepareWholeStore(array, ref, options)));
    }
    checkDisjoint(stores);
    // Neighbouring blocks of a mapOverlap pipeline written in one task each (overlap-groups.ts).
    const writes = await Promise.all(stores.map(async (store) => (await groupStoreWrite(store.node, executor)) ?? store));
    const keys = writes.flatMap((write) => write.keys);
    if (keys.length === 0) {
      for (const store of stores) {
        await (await store.commit())?.(); // a zero-size array: metadata only
        store.written?.();
      }
      return;
    }
    const keysOf = new Map(writes.map((write) => [write.node, write.keys]));
    const { graph, memory } = lowerArrays(writes.map((write) => write.node), (key) => executor.holds(key), (node) => keysOf.get(node) ?? []);
    await refuseUnfitPlan(memory, executor, "toZarr");
    await refuseChangedSources(stores.map((store) => store.node));
    // Targets are created only now: a refused plan leaves nothing behind. Their checks first
    // (an existing array without overwrite is refused before anything is submitted), then
    // the writing side by side with the submission: the tasks wait for its gates.
    const writings: Array<() => Promise<void>> = [];
    for (const store of stores) {
      const writing = await store.commit();
      if (writing) writings.push(writing);
    }
    // Every writing settles before a failure is raised: none goes on behind the leases' release.
    const created = Promise.allSettled(writings.map((writing) => writing())).then((results) => {
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
    });
    created.catch(() => undefined); // awaited below, after the submission
    // Waits for the store tasks as Dask's `distributed.wait` does, without fetching their
    // (empty) results: a gather would ask the scheduler where they live and every worker for
    // them, a round trip at the end of every write. A failing chunk raises as compute would
    // (persist raises the first failure in key order) and releases what it held.
    // (An executor that throws at once rejects here too: the writing is awaited before the leases go.)
    const persisted = (async () => executor.persist(graph, keys, computeOptionsOf({ ...computeOptions, label: computeOptions.label ?? "toZarr" })))();
    persisted.catch(() => undefined); // awaited below
    try {
      await created;
    } catch (error) {
      // No gate opened: the leases go, so the waiting tasks fail without writing; raised once they have.
      for (const store of stores) await store.lease.release();
      await persisted.then((written) => written.release(), () => undefined);
      throw error;
    }
    const written = await persisted;
    written.release();
    for (const store of stores) store.written?.();
  } finally {
    for (const store of stores) await store.lease.release();
  }
}
