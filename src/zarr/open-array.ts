/**
 * Opening arrays, once per process (per thread).
 *
 * An opened array (metadata, codec pipeline, store) is cached by store path + component, so
 * chunk reads and writes never re-read `.zarray`. `createArray` drops the entries it
 * replaces. Because another process may replace an array too (a second `toZarr(…,
 * {overwrite: true})` while workers live on, zarr-python rewriting it), an entry older than
 * a second is checked with one stat of its metadata file before use: metadata is written by
 * rename, so a replaced array shows a new inode or mtime.
 *
 * Within that second a cached entry may be stale, and a task decoding the new array's chunks
 * with the old layout would give wrong values. So a graph's refs carry the stamp of the
 * metadata file its layout came from (fromZarr, region writes: `openArrayForGraph`, which
 * always checks the file), and a task through a stamped ref checks the file (one stat) before
 * using its cached entry, reopening the array when the file changed: the ref's stamp on disk
 * means the cache was behind; another one means the array changed after the graph was built,
 * and the task refuses (ZarrArrayChangedError) rather than decode with either layout.
 */
import { type BigIntStats, promises as fs } from "node:fs";
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

/** An opened array and the metadata file (and its stamp) it was opened from. */
interface LoadedArray {
  array: OpenedArray;
  metadataFile: string;
  stamp: string;
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

/** A metadata file's identity (ZarrRef.stamp): inode, modification time in ns, size. */
function stampOfStats(stats: BigIntStats): string {
  return `${stats.ino}:${stats.mtimeNs}:${stats.size}`;
}

async function stampOf(file: string): Promise<string | undefined> {
  const stats = await fs.stat(file, { bigint: true }).catch(() => undefined);
  return stats ? stampOfStats(stats) : undefined;
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
 * An array's metadata document and the stamp of the very file it was read from (stat of the
 * open file, not of the path: a replacement renamed in meanwhile cannot pair its stamp with
 * the old document).
 */
async function readStampedJson(store: AtomicFileSystemStore, key: `/${string}`): Promise<{ document: Record<string, unknown>; stamp: string } | undefined> {
  const file = store.pathOf(key);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, "r");
    const stats = await handle.stat({ bigint: true });
    const bytes = await handle.readFile();
    return { document: parseMetadataJson(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file), stamp: stampOfStats(stats) };
  } catch (error) {
    // ENOTDIR: a parent of the key is a file, so the key cannot exist either.
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  } finally {
    await handle?.close();
  }
}

async function loadArray(ref: ResolvedRef): Promise<LoadedArray> {
  await checkStoreDirectory(ref.path);
  const where = describeRef(ref);
  const store = storeFor(ref.path);
  const nodeDirectory = store.pathOf(ref.component);
  let metadata: ArrayMetadata;
  let metadataKey = keyInNode(ref.component, ".zarray");
  let read = await readStampedJson(store, metadataKey);
  if (read) {
    const attributes = (await readJson(store, keyInNode(ref.component, ".zattrs"))) ?? {};
    metadata = parseV2ArrayMetadata(read.document, attributes, store.pathOf(metadataKey));
  } else {
    metadataKey = keyInNode(ref.component, "zarr.json");
    read = await readStampedJson(store, metadataKey);
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
  return { array, metadataFile: store.pathOf(metadataKey), stamp: (read as { stamp: string }).stamp };
}

/** Whether a loaded entry still describes the array on disk: checked once a second, or now when `checkNow`. */
async function isCurrent(entry: CacheEntry, loaded: LoadedArray, checkNow: boolean): Promise<boolean> {
  if (!checkNow && Date.now() - entry.checkedAt < revalidateAfterMs) return true;
  const stamp = await stampOf(loaded.metadataFile);
  entry.checkedAt = Date.now();
  return stamp === loaded.stamp;
}

/** The cached open of `ref` while current, else a new one (a failed open is not cached). */
async function currentArray(ref: ResolvedRef, checkNow: boolean): Promise<LoadedArray> {
  const key = cacheKeyOf(ref);
  const cached = cache.get(key);
  if (cached) {
    const loaded = await cached.loaded;
    if (await isCurrent(cached, loaded, checkNow)) return loaded;
    if (cache.get(key) === cached) cache.delete(key);
  }
  const entry: CacheEntry = { loaded: loadArray(ref), checkedAt: Date.now() };
  cache.set(key, entry);
  // A failed open is not remembered: the array may be created a moment later.
  entry.loaded.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.loaded;
}

/**
 * The opened array for a ref, from the cache when it is still current. A ref with a stamp
 * gets the array opened from that metadata file (the cache reloaded when it was behind), or
 * ZarrArrayChangedError; `checkNow` checks a cached entry against its file whatever its age.
 */
export async function openedArray(given: ResolvedRef, options: { checkNow?: boolean } = {}): Promise<OpenedArray> {
  const { writeGate, stamp, ...ref } = given;
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
  const loaded = await currentArray(ref, stamp !== undefined || (options.checkNow ?? false));
  if (stamp === undefined || loaded.stamp === stamp) return loaded.array;
  throw new ZarrArrayChangedError(
    `${describeRef(ref)} changed after the graph was built: its metadata file ${loaded.metadataFile} is not the one the graph's ` +
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
 * (the cached open is checked against its file, whatever its age), and the stamped ref for
 * the graph's tasks, so that they use this layout or refuse.
 */
export async function openArrayForGraph(ref: ZarrRef | string, options: { component?: string } = {}): Promise<{ info: ZarrArrayInfo; ref: ZarrRef }> {
  const { path, component } = resolveRef(ref, options.component);
  const resolved = { path, component };
  const loaded = await currentArray(resolved, true);
  return { info: structuredClone(loaded.array.info), ref: stampedRef(resolved, loaded.stamp) };
}
