/**
 * Opening arrays, once per process (per thread).
 *
 * An opened array (metadata, codec pipeline, store) is cached by store path + component, so
 * chunk reads and writes never re-read `.zarray`. `createArray` drops the entries it
 * replaces. Because another process may replace an array too (a second `toZarr(…,
 * {overwrite: true})` while workers live on, zarr-python rewriting it), an entry older than
 * a second is checked against its metadata file before use.
 *
 * An entry is known by two things. Its stamp is the metadata file's content (a hash of its
 * bytes): that is what the layout depends on, so it goes into graphs (ZarrRef.stamp, block
 * names, resume tokens), and `touch`, `cp -p`, a restore or an identical rewrite of the file
 * change nothing. Its stat (inode, mtime, size) is only a local hint that the file is still
 * the one read: while the stat is unchanged the entry is used without reading the file; when
 * it changed (or may be stale: an NFS attribute cache) the file is read again (open and read,
 * which NFS revalidates on open) and hashed, and the same content keeps the entry.
 *
 * Within that second a cached entry may be stale, and a task decoding the new array's chunks
 * with the old layout would give wrong values. So a graph's refs carry the stamp of the
 * metadata its layout came from (fromZarr, region writes: `openArrayForGraph`, which always
 * reads the file), and a task through a stamped ref checks the file (one stat; a read when
 * the stat or the cached content differ) before using its cached entry: the ref's content on
 * disk means the cache was behind, and the array is reopened from the bytes just read; other
 * content means the array changed after the graph was built, and the task refuses
 * (ZarrArrayChangedError) rather than decode with either layout.
 */
import { createHash } from "node:crypto";
import { type BigIntStats, closeSync, fstatSync, openSync, promises as fs, readFileSync } from "node:fs";
import { type ArrayMetadata, parseV2ArrayMetadata, parseV3ArrayMetadata } from "./array-metadata.js";
import { AtomicFileSystemStore } from "./atomic-fs-store.js";
import { type ChunkPipeline, createChunkPipeline } from "./chunk-pipeline.js";
import { ZarrArrayChangedError, ZarrMetadataError, ZarrNotADirectoryError, ZarrNotFoundError } from "./errors.js";
import { parseMetadataJson } from "./metadata-json.js";
import { awaitWriteGate } from "./write-gate.js";
import { type ResolvedRef, type ZarrArrayInfo, type ZarrRef, cacheKeyOf, describeRef, keyInNode, resolveRef } from "./zarr-ref.js";

export interface OpenedArray {
  ref: ResolvedRef;
  /** How errors name this array. */
  where: string;
  info: ZarrArrayInfo;
  metadata: ArrayMetadata;
  store: AtomicFileSystemStore;
  pipeline: ChunkPipeline;
  chunkKey(coords: readonly number[]): `/${string}`;
}

/** An opened array and the metadata file it was opened from: its content stamp, and its stat as last seen. */
interface LoadedArray {
  array: OpenedArray;
  metadataFile: string;
  /** The content identity of the metadata file (ZarrRef.stamp). */
  stamp: string;
  /** The file's stat identity when its content was last seen to be `stamp`: a local hint only. */
  statHint: string;
}

/** A metadata file's bytes as read, with their content stamp and the stat of the file they came from. */
interface MetadataRead {
  file: string;
  bytes: Uint8Array;
  stamp: string;
  statHint: string;
}

interface CacheEntry {
  loaded: Promise<LoadedArray>;
  checkedAt: number;
}

const revalidateAfterMs = 1000;
const stores = new Map<string, AtomicFileSystemStore>();
const cache = new Map<string, CacheEntry>();
/** The write gates this process (thread) has passed: its cache was refreshed for them. */
const passedGates = new Set<string>();

/** One store object per root directory, so its directory memo is shared. */
export function storeFor(root: string): AtomicFileSystemStore {
  let store = stores.get(root);
  if (!store) {
    store = new AtomicFileSystemStore(root);
    stores.set(root, store);
  }
  return store;
}

/**
 * A metadata file's content identity (ZarrRef.stamp): the first 128 bits of the SHA-256 of its
 * bytes, so graphs, block names and resume tokens depend on what the file says, not on when
 * or where it was written.
 */
function contentStampOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 32);
}

/** A file's stat identity (inode, mtime in ns, size): whether it may have changed since it was read. */
function statHintOfStats(stats: BigIntStats): string {
  return `${stats.ino}:${stats.mtimeNs}:${stats.size}`;
}

async function statHintOf(file: string): Promise<string | undefined> {
  const stats = await fs.stat(file, { bigint: true }).catch(() => undefined);
  return stats ? statHintOfStats(stats) : undefined;
}

/**
 * A metadata file's bytes, content stamp and stat (of the open file, not of the path: a
 * replacement renamed in meanwhile cannot pair its stat with the old bytes); undefined when
 * there is no such file.
 *
 * Synchronous, as the write leases' calls are (write-lease.ts says why): four small calls
 * (open, stat, read, close) that through libuv's pool were four hand-offs to a pool thread and
 * back, each a wake-up of both on a loaded machine. Every fromZarr reads this file, and every
 * compute, persist and toZarr reads it again before its graph is submitted
 * (changed-sources.ts): at load 5 on 2 cores the hand-offs cost the DoG's write ~1 ms at
 * fromZarr and ~2.5 ms before its submission.
 */
async function readMetadataFile(file: string): Promise<MetadataRead | undefined> {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, "r");
    const stats = fstatSync(descriptor, { bigint: true });
    const read = readFileSync(descriptor);
    const bytes = new Uint8Array(read.buffer, read.byteOffset, read.byteLength);
    return { file, bytes, stamp: contentStampOf(bytes), statHint: statHintOfStats(stats) };
  } catch (error) {
    // ENOTDIR: a parent of the key is a file, so the key cannot exist either.
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/** Refuses a store path that does not exist or is a file, saying what to do. */
async function checkStoreDirectory(root: string): Promise<void> {
  const stats = await fs.stat(root).catch(() => undefined);
  if (!stats) {
    throw new ZarrNotFoundError(`no Zarr store at ${root}: nothing exists there; check the path, or create an array there with createArray`);
  }
  if (!stats.isDirectory()) {
    throw new ZarrNotADirectoryError(`${root} is a file, not a Zarr store directory; pass the directory that holds .zarray, .zgroup or zarr.json`);
  }
}

/** The subdirectories of a node, for error messages that say what is there instead. */
async function childrenOf(directory: string): Promise<string> {
  const entries = await fs.readdir(directory, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith(".")).map((entry) => `"${entry.name}"`);
  return names.length === 0 ? "none" : names.slice(0, 20).join(", ");
}

async function readJson(store: AtomicFileSystemStore, key: `/${string}`): Promise<Record<string, unknown> | undefined> {
  const bytes = await store.get(key);
  return bytes ? parseMetadataJson(bytes, store.pathOf(key)) : undefined;
}

/**
 * An array's metadata document with the read it was parsed from: `known`, a read of this very
 * file a moment ago, is used instead of reading it again (its bytes are the ones that were hashed).
 */
async function readStampedJson(
  store: AtomicFileSystemStore, key: `/${string}`, known: MetadataRead | undefined,
): Promise<{ document: Record<string, unknown>; read: MetadataRead } | undefined> {
  const file = store.pathOf(key);
  const read = known?.file === file ? known : await readMetadataFile(file);
  return read ? { document: parseMetadataJson(read.bytes, file), read } : undefined;
}

/** Opens the array at `ref`; `known`: its metadata file as just read (see readStampedJson). */
async function loadArray(ref: ResolvedRef, known?: MetadataRead): Promise<LoadedArray> {
  await checkStoreDirectory(ref.path);
  const where = describeRef(ref);
  const store = storeFor(ref.path);
  const nodeDirectory = store.pathOf(ref.component);
  let metadata: ArrayMetadata;
  let metadataKey = keyInNode(ref.component, ".zarray");
  let read = await readStampedJson(store, metadataKey, known);
  if (read) {
    const attributes = (await readJson(store, keyInNode(ref.component, ".zattrs"))) ?? {};
    metadata = parseV2ArrayMetadata(read.document, attributes, store.pathOf(metadataKey));
  } else {
    metadataKey = keyInNode(ref.component, "zarr.json");
    read = await readStampedJson(store, metadataKey, known);
    const document = read?.document;
    const isGroup = document?.node_type === "group" || (!document && (await store.has(keyInNode(ref.component, ".zgroup"))));
    if (isGroup) {
      throw new ZarrNotFoundError(
        `${where} is a Zarr group, not an array; pass a component naming an array inside it (children: ${await childrenOf(nodeDirectory)})`,
      );
    }
    if (!document) {
      throw new ZarrNotFoundError(
        `no Zarr array at ${where}: ${nodeDirectory} has no .zarray or zarr.json; check the component ` +
          `(subdirectories of ${ref.path}: ${await childrenOf(ref.path)})`,
      );
    }
    if (document.node_type !== "array") {
      throw new ZarrMetadataError(`${store.pathOf(metadataKey)}: node_type ${JSON.stringify(document.node_type)} is neither "array" nor "group"`);
    }
    metadata = parseV3ArrayMetadata(document, store.pathOf(metadataKey));
  }
  const pipeline = await createChunkPipeline(metadata.codecs, metadata.dtype, metadata.chunks, where);
  const info: ZarrArrayInfo = {
    path: ref.path,
    component: ref.component,
    zarrFormat: metadata.zarrFormat,
    shape: [...metadata.shape],
    chunks: [...metadata.chunks],
    dtype: metadata.dtype,
    fillValue: metadata.fillValue,
    order: metadata.order,
    compressor: metadata.compressor,
    attributes: metadata.attributes,
  };
  const array: OpenedArray = {
    ref, where, info, metadata, store, pipeline,
    chunkKey: (coords) => keyInNode(ref.component, metadata.chunkKey(coords)),
  };
  const { stamp, statHint } = (read as { read: MetadataRead }).read;
  return { array, metadataFile: store.pathOf(metadataKey), stamp, statHint };
}

/**
 * Whether a loaded entry still describes the array on disk: an unchanged stat says so without
 * reading (unless `read`); otherwise the file is read and its content compared, and the same
 * content refreshes the stat hint (a `touch`). Returns the read when the content differs, for
 * the caller to reopen the array from.
 */
async function revalidate(entry: CacheEntry, loaded: LoadedArray, read: boolean): Promise<{ current: true } | { current: false; read: MetadataRead | undefined }> {
  if (!read && (await statHintOf(loaded.metadataFile)) === loaded.statHint) {
    entry.checkedAt = Date.now();
    return { current: true };
  }
  const now = await readMetadataFile(loaded.metadataFile);
  entry.checkedAt = Date.now();
  if (now?.stamp !== loaded.stamp) return { current: false, read: now };
  loaded.statHint = now.statHint;
  return { current: true };
}

/** Caches the open of `ref` (from `known`, the metadata file just read, when given); a failed open is not cached. */
function reload(key: string, ref: ResolvedRef, known?: MetadataRead): Promise<LoadedArray> {
  const entry: CacheEntry = { loaded: loadArray(ref, known), checkedAt: Date.now() };
  cache.set(key, entry);
  // A failed open is not remembered: the array may be created a moment later.
  entry.loaded.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.loaded;
}

/**
 * The cached open of `ref` while current, else a new one. `mode`: "age" checks an entry once
 * a second; "read" reads its file now (a caller that wants the array as it is now); a stamp
 * (a graph's ref) uses the entry at once while its stat is unchanged and its content is the
 * stamp's, and otherwise reads the file.
 */
async function currentArray(ref: ResolvedRef, mode: "age" | "read" | { stamp: string }): Promise<LoadedArray> {
  const key = cacheKeyOf(ref);
  const cached = cache.get(key);
  let known: MetadataRead | undefined;
  if (cached) {
    const loaded = await cached.loaded;
    if (mode === "age" && Date.now() - cached.checkedAt < revalidateAfterMs) return loaded;
    // An entry with other content than the graph's may be behind even with its stat unchanged
    // (an NFS attribute cache): the file is read.
    const check = await revalidate(cached, loaded, mode === "read" || (typeof mode === "object" && loaded.stamp !== mode.stamp));
    if (check.current) return loaded;
    known = check.read;
    if (cache.get(key) === cached) cache.delete(key);
  }
  return reload(key, ref, known);
}

/**
 * The opened array for a ref, from the cache when it is still current. A ref with a stamp
 * gets the array opened from metadata with that content (the cache reloaded when it was
 * behind), or ZarrArrayChangedError; `checkNow` reads the metadata file now whatever the
 * cached entry's age.
 */
export async function openedArray(given: ResolvedRef, options: { checkNow?: boolean } = {}): Promise<OpenedArray> {
  const { writeGate, writeFence: _fence, stamp, ...ref } = given;
  const key = cacheKeyOf(ref);
  if (writeGate !== undefined) {
    // A toZarr's store task: the array is its until the gate opens (write-gate.ts), and then
    // new, so an entry cached from the array it replaced is dropped (once per write).
    await awaitWriteGate(storeFor(ref.path).pathOf(ref.component), writeGate, describeRef(ref));
    if (!passedGates.has(writeGate)) {
      if (passedGates.size >= 1000) passedGates.clear();
      passedGates.add(writeGate);
      cache.delete(key);
    }
  }
  // A stamped ref checks the file at every open (one stat): an entry cached within the last
  // second may hold the very layout the graph was built from while the disk holds a newer array.
  const loaded = await currentArray(ref, stamp !== undefined ? { stamp } : options.checkNow === true ? "read" : "age");
  if (stamp === undefined || loaded.stamp === stamp) return loaded.array;
  throw new ZarrArrayChangedError(
    `${describeRef(ref)} changed after the graph was built: its metadata file ${loaded.metadataFile} no longer holds the metadata the graph's ` +
      "layout was read from, so its chunks may have another shape, dtype or encoding; call fromZarr (or the write) again to use the array as it is now",
  );
}

/** The ref a graph's tasks carry for an array opened by openArrayForGraph: stamped (ZarrRef.stamp). */
function stampedRef(ref: ResolvedRef, stamp: string): ZarrRef {
  return { path: ref.path, ...(ref.component !== "" ? { component: ref.component } : {}), stamp };
}

/** Drops cached arrays at `ref` and under it (an overwritten group takes its arrays along). */
export function forgetArrays(ref: ResolvedRef): void {
  for (const key of [...cache.keys()]) {
    const [root, component] = key.split("\u0000");
    if (root !== ref.path) continue;
    if (ref.component === "" || component === ref.component || component.startsWith(`${ref.component}/`)) cache.delete(key);
  }
}

/**
 * Opens a Zarr v2 or v3 array and describes it. `ref` is a path (with `options.component`)
 * or a ZarrRef. Errors name the path and component: ZarrNotFoundError (no store, no array
 * there, a group), ZarrNotADirectoryError, ZarrUnsupportedError (dtype), ZarrUnknownCodecError.
 */
export async function openArray(ref: ZarrRef | string, options: { component?: string } = {}): Promise<ZarrArrayInfo> {
  // Checked against its file now: a caller asks once, and wants the array as it is (not as a second ago).
  const array = await openedArray(resolveRef(ref, options.component), { checkNow: true });
  return structuredClone(array.info);
}

/**
 * Opens an array to build a graph on (fromZarr, a region write): its metadata as on disk now
 * (the metadata file is read, whatever the cached open's age or stat), and the ref for the
 * graph's tasks stamped with that content, so that they use this layout or refuse.
 */
export async function openArrayForGraph(ref: ZarrRef | string, options: { component?: string } = {}): Promise<{ info: ZarrArrayInfo; ref: ZarrRef }> {
  const { path, component } = resolveRef(ref, options.component);
  const resolved = { path, component };
  const loaded = await currentArray(resolved, "read");
  return { info: structuredClone(loaded.array.info), ref: stampedRef(resolved, loaded.stamp) };
}
