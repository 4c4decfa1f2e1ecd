/**
 * Opening arrays, once per process (per thread).
 *
 * An opened array (metadata, codec pipeline, store) is cached by store path + component, so
 * chunk reads and writes never re-read `.zarray`. `createArray` drops the entries it
 * replaces. Because another process may replace an array too (a second `toZarr(…,
 * {overwrite: true})` while workers live on), an entry older than a second is checked with
 * one stat of its metadata file before use: metadata is written by rename, so a replaced
 * array shows a new inode or mtime.
 */
import { promises as fs } from "node:fs";
import { type ArrayMetadata, parseV2ArrayMetadata, parseV3ArrayMetadata } from "./array-metadata.js";
import { AtomicFileSystemStore } from "./atomic-fs-store.js";
import { type ChunkPipeline, createChunkPipeline } from "./chunk-pipeline.js";
import { ZarrMetadataError, ZarrNotADirectoryError, ZarrNotFoundError } from "./errors.js";
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

interface CacheEntry {
  array: Promise<OpenedArray>;
  metadataFile?: string;
  stamp?: string;
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

async function stampOf(file: string): Promise<string | undefined> {
  const stats = await fs.stat(file).catch(() => undefined);
  return stats ? `${stats.ino}:${stats.mtimeMs}:${stats.size}` : undefined;
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

async function loadArray(ref: ResolvedRef): Promise<{ array: OpenedArray; metadataFile: string }> {
  await checkStoreDirectory(ref.path);
  const where = describeRef(ref);
  const store = storeFor(ref.path);
  const nodeDirectory = store.pathOf(ref.component);
  let metadata: ArrayMetadata;
  let metadataKey = keyInNode(ref.component, ".zarray");
  const zarray = await readJson(store, metadataKey);
  if (zarray) {
    const attributes = (await readJson(store, keyInNode(ref.component, ".zattrs"))) ?? {};
    metadata = parseV2ArrayMetadata(zarray, attributes, store.pathOf(metadataKey));
  } else {
    metadataKey = keyInNode(ref.component, "zarr.json");
    const document = await readJson(store, metadataKey);
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
  return { array, metadataFile: store.pathOf(metadataKey) };
}

async function isCurrent(entry: CacheEntry): Promise<boolean> {
  if (Date.now() - entry.checkedAt < revalidateAfterMs) return true;
  if (!entry.metadataFile) return true; // still loading
  const stamp = await stampOf(entry.metadataFile);
  entry.checkedAt = Date.now();
  return stamp !== undefined && stamp === entry.stamp;
}

/** The opened array for a ref, from the cache when it is still current. */
export async function openedArray(given: ResolvedRef): Promise<OpenedArray> {
  const { writeGate, ...ref } = given;
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
  const cached = cache.get(key);
  if (cached && (await isCurrent(cached))) return cached.array;
  if (cache.get(key) === cached) cache.delete(key);
  const entry: CacheEntry = { array: undefined as unknown as Promise<OpenedArray>, checkedAt: Date.now() };
  entry.array = loadArray(ref).then(async ({ array, metadataFile }) => {
    entry.metadataFile = metadataFile;
    entry.stamp = await stampOf(metadataFile);
    entry.checkedAt = Date.now();
    return array;
  });
  cache.set(key, entry);
  // A failed open is not remembered: the array may be created a moment later.
  entry.array.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.array;
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
  const array = await openedArray(resolveRef(ref, options.component));
  return structuredClone(array.info);
}
