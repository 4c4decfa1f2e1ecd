/**
 * Creating arrays: options validated once, metadata written by us (v2 as zarr-python 2.13
 * writes it, with a `.zgroup` at every parent level; v3 per the core spec), every file by
 * atomic rename.
 *
 * What a write may touch (node-files.ts): only a directory that is absent, empty or already a
 * Zarr node, so an array never lands among someone's files; overwriting deletes the old
 * node's Zarr keys (its metadata and chunks, and for a group its children's) and nothing else.
 * The writer holds the node's exclusive write lease throughout (write-lease.ts), so a second
 * concurrent writer fails instead of both "succeeding" into one mixed array.
 */
import { statSync } from "node:fs";
import { InvalidOptionError } from "../core/errors.js";
import { type DType, dtypeInfo, isComplexDType, isIntegerDType } from "../ndarray/dtype.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { dtypeOption } from "./dtype-map.js";
import { type NewArrayDescription, v2ArrayDocument, v2GroupDocument, v3ArrayDocument, v3GroupDocument } from "./array-metadata.js";
import type { AtomicFileSystemStore } from "./atomic-fs-store.js";
import { type CompressorSpec, resolveCompressor } from "./compressor-spec.js";
import { ZarrArrayExistsError, ZarrNotADirectoryError } from "./errors.js";
import { attributesJson, encodeMetadataJson, parseMetadataJson, refuseNonJsonAttributes } from "./metadata-json.js";
import { checkWritableTarget, deleteNodeKeys, removeAbandonedArrayPartials } from "./node-files.js";
import { forgetArrays, openArray, openedArray, storeFor } from "./open-array.js";
import { regionCleanupDue } from "./region-cleanup.js";
import { removeAbandonedGates } from "./write-gate.js";
import { type WriteLease, acquireExclusiveLease, acquireRegionLease } from "./write-lease.js";
import { type ZarrArrayInfo, type ZarrRef, describeRef, keyInNode, resolveRef } from "./zarr-ref.js";
import type { ComplexValue } from "../ndarray/ndarray.js";
import { isComplexValue } from "../ndarray/complex-values.js";

export interface CreateArrayOptions {
  shape: readonly number[];
  chunks: readonly number[];
  /**
   * A DType (stored little-endian), or a NumPy type string as zarr-python takes it, whose
   * byte order is the stored one: ">f8" stores big-endian float64 (v2 dtype ">f8", v3 `bytes`
   * endian "big"); values read and written are the same either way.
   */
  dtype: DType | `${"<" | ">" | "|" | "="}${string}`;
  /** 2 (default) or 3. */
  zarrFormat?: 2 | 3;
  /** Default: Blosc lz4, clevel 5, byte shuffle (zarr-python 2's default); null for none. */
  compressor?: CompressorSpec | null;
  /** Default 0; `{ re, im }` (or a number) for complex; null (v2 only) leaves missing chunks undefined, read back as 0. */
  fillValue?: number | ComplexValue | null;
  /** Replace an existing array or group at this ref (deleting its chunks). Default false. */
  overwrite?: boolean;
  attributes?: Record<string, unknown>;
  /**
   * v2 only: how chunk keys join their coordinates, "." ("0.1.2", the default) or "/"
   * (nested directories "0/1/2", which OME-NGFF 0.4 requires).
   */
  dimensionSeparator?: "." | "/";
  /**
   * v2 only, as zarr-python's `order`: "C" (default) or "F", the layout of the elements inside
   * each stored chunk. Values read and written are the same either way.
   */
  order?: "C" | "F";
}

const createArrayKeys = [
  "shape", "chunks", "dtype", "zarrFormat", "compressor", "fillValue", "overwrite", "attributes", "dimensionSeparator", "order",
];

function validateOptions(options: CreateArrayOptions): NewArrayDescription & { zarrFormat: 2 | 3 } {
  if (options === null || typeof options !== "object") throw new InvalidOptionError("createArray needs options { shape, chunks, dtype }");
  const { shape, chunks } = options;
  if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new InvalidOptionError(`shape: ${JSON.stringify(shape)} must be a list of non-negative integers`);
  }
  if (!Array.isArray(chunks) || chunks.length !== shape.length || !chunks.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new InvalidOptionError(`chunks: ${JSON.stringify(chunks)} must list one positive integer per axis of shape [${shape.join(", ")}]`);
  }
  refuseUnknownKeys(options, createArrayKeys, "createArray");
  const { dtype, endian } = dtypeOption(options.dtype);
  const zarrFormat = options.zarrFormat ?? 2;
  if (zarrFormat !== 2 && zarrFormat !== 3) throw new InvalidOptionError(`zarrFormat: ${JSON.stringify(zarrFormat)} must be 2 or 3`);
  const fillValue = options.fillValue === undefined ? 0 : options.fillValue;
  if (fillValue === null && zarrFormat === 3) throw new InvalidOptionError("fillValue: Zarr v3 arrays need a number, not null");
  const complexFill = isComplexDType(dtype) && isComplexValue(fillValue);
  if (fillValue !== null && !complexFill && (typeof fillValue !== "number" || (isIntegerDType(dtype) && !Number.isInteger(fillValue)))) {
    throw new InvalidOptionError(`fillValue: ${JSON.stringify(fillValue)} is not a valid ${dtype} value`);
  }
  // Out of range, it would be written as given and read back wrapped (300 as uint8 is 44), or,
  // past int64/uint64, refused by every later open (array-metadata.ts): refused here, as NumPy 2 does.
  if (typeof fillValue === "number" && isIntegerDType(dtype)) {
    const { itemsize, kind } = dtypeInfo(dtype);
    const bits = BigInt(itemsize * 8);
    const [low, high] = kind === "u" ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
    if (BigInt(fillValue) < low || BigInt(fillValue) > high) {
      throw new InvalidOptionError(`fillValue: ${fillValue} is out of bounds for ${dtype} (${low} to ${high})`);
    }
  }
  const dimensionSeparator = options.dimensionSeparator ?? ".";
  if (dimensionSeparator !== "." && dimensionSeparator !== "/") {
    throw new InvalidOptionError(`dimensionSeparator: ${JSON.stringify(dimensionSeparator)} must be "." or "/"`);
  }
  if (options.dimensionSeparator !== undefined && zarrFormat === 3) {
    throw new InvalidOptionError("dimensionSeparator: Zarr v3 arrays always use \"/\" (chunk_key_encoding default); give it for v2 arrays only");
  }
  const order = options.order ?? "C";
  if (order !== "C" && order !== "F") throw new InvalidOptionError(`order: ${JSON.stringify(order)} must be "C" or "F"`);
  if (order === "F" && zarrFormat === 3) {
    throw new InvalidOptionError(
      'order: "F" is a Zarr v2 option (the .zarray "order"); v3 arrays have no order field (zarr-python 3 ignores it for them): ' +
        "give zarrFormat: 2, or leave order out (the values read and written are the same)",
    );
  }
  const attributes = options.attributes ?? {};
  if (attributes === null || typeof attributes !== "object" || Array.isArray(attributes)) {
    throw new InvalidOptionError("attributes: must be a plain object of JSON values");
  }
  // Here, among the checks: an overwrite deletes the old array before its metadata is written.
  refuseNonJsonAttributes(attributes, "attributes");
  return {
    shape: [...shape], chunks: [...chunks], dtype, fillValue, zarrFormat, attributes, dimensionSeparator, order, endian,
    compressor: resolveCompressor(options.compressor),
  };
}

export type NodeKind = "array" | "group";

/**
 * What the node at `component` is, from its metadata files; undefined when there is none.
 * Read synchronously, as checkStoreRoot: up to three small calls (a new node's: three misses)
 * before a write's first task (atomic-fs-store.ts's getSync).
 */
export async function nodeKindOf(store: AtomicFileSystemStore, component: string): Promise<NodeKind | undefined> {
  if (store.hasSync(keyInNode(component, ".zarray"))) return "array";
  const v3 = store.getSync(keyInNode(component, "zarr.json"));
  if (v3) {
    const kind = parseMetadataJson(v3, store.pathOf(keyInNode(component, "zarr.json"))).node_type;
    if (kind === "array" || kind === "group") return kind;
  }
  if (store.hasSync(keyInNode(component, ".zgroup"))) return "group";
  return undefined;
}

/** Refuses a store path that names a file. */
export async function checkStoreRoot(root: string): Promise<void> {
  // Synchronous: one small metadata call before a write's first task (write-lease.ts says why).
  const stats = statSync(root, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) {
    throw new ZarrNotADirectoryError(`${root} is a file, not a Zarr store directory; choose another path for the array`);
  }
}

/**
 * Begins creating (or replacing) the array at `ref`: refuses a target among other files and
 * takes the node's exclusive write lease. Release the lease when the whole write (chunks
 * included) is done. The temporary files an earlier, killed writer of the node left go with
 * the array's writing (prepareArrayHeld's), or removeAbandonedWrites for a resumed write:
 * not here, where they would delay the first task (a listing of the node's directory).
 */
export async function beginArrayWrite(ref: ZarrRef | string): Promise<WriteLease> {
  const resolved = resolveRef(ref);
  const where = describeRef(resolved);
  await checkStoreRoot(resolved.path);
  await checkWritableTarget(resolved.path, resolved.component, `the array (${where})`);
  return acquireExclusiveLease(resolved.path, resolved.component, where, "write");
}

/**
 * Removes the temporary files that killed writers of the array at `ref` left (those of live
 * writers stay: partial-files.ts) and the gates of writes killed after opening them
 * (write-gate.ts), for a caller holding its lease.
 */
export async function removeAbandonedWrites(ref: ZarrRef | string): Promise<void> {
  const resolved = resolveRef(ref);
  const directory = storeFor(resolved.path).pathOf(resolved.component);
  await Promise.all([removeAbandonedArrayPartials(directory).catch(() => undefined), removeAbandonedGates(directory).catch(() => undefined)]);
}

/**
 * Begins writing into a region of the existing array at `ref` (its metadata stays): takes a
 * region write lease, which coexists with other region writes but not with a writer replacing
 * the array, and removes abandoned temporary files (once an hour: region-cleanup.ts). Returns the lease
 * and the array's description.
 */
export async function beginRegionWrite(ref: ZarrRef | string): Promise<{ lease: WriteLease; info: ZarrArrayInfo }> {
  const resolved = resolveRef(ref);
  const array = await openedArray(resolved);
  // Refused before the lease and the first task: every chunk write would fail the same way.
  array.pipeline.checkWritable();
  const lease = await acquireRegionLease(resolved.path, resolved.component, array.where, "write into");
  const directory = storeFor(resolved.path).pathOf(resolved.component);
  if (regionCleanupDue(directory)) await removeAbandonedArrayPartials(directory).catch(() => undefined);
  return { lease, info: structuredClone(array.info) };
}

/** createArray's work, for a caller that holds the node's exclusive lease (beginArrayWrite). */
export async function createArrayHeld(ref: ZarrRef | string, options: CreateArrayOptions): Promise<ZarrArrayInfo> {
  await (await prepareArrayHeld(ref, options))();
  return openArray(resolveRef(ref));
}

/**
 * createArrayHeld in two steps, for toZarr: the checks (options, parents, an existing node
 * without `overwrite`) now, and a function that does the writing (the old node's keys
 * deleted, the new metadata written) to run while the graph is submitted (write-gate.ts).
 * The new array is not opened afterwards: its tasks open it.
 */
export async function prepareArrayHeld(ref: ZarrRef | string, options: CreateArrayOptions): Promise<() => Promise<void>> {
  const resolved = resolveRef(ref);
  const where = describeRef(resolved);
  const array = validateOptions(options);
  const store = storeFor(resolved.path);

  const parts = resolved.component === "" ? [] : resolved.component.split("/");
  const missingGroups: string[] = [];
  for (let level = 0; level < parts.length; level++) {
    const parent = parts.slice(0, level).join("/");
    const kind = await nodeKindOf(store, parent);
    if (kind === "array") {
      throw new InvalidOptionError(
        `cannot create ${where}: ${parent === "" ? "the store root" : `"${parent}"`} is an array, not a group; choose another component`,
      );
    }
    if (kind === undefined) missingGroups.push(parent);
  }

  const existing = await nodeKindOf(store, resolved.component);
  if (existing && !options.overwrite) {
    throw new ZarrArrayExistsError(`${where} already holds a Zarr ${existing}; pass overwrite: true to replace it (its chunks are deleted)`);
  }
  return async () => {
    // Deleting the old node's keys removes the abandoned temporary files too.
    if (existing) await deleteNodeKeys(store.pathOf(resolved.component));
    else await removeAbandonedWrites(resolved);
    forgetArrays(resolved);

    const groupDocument = array.zarrFormat === 2 ? v2GroupDocument : v3GroupDocument;
    const groupFile = array.zarrFormat === 2 ? ".zgroup" : "zarr.json";
    for (const parent of missingGroups) await store.set(keyInNode(parent, groupFile), encodeMetadataJson(groupDocument));
    if (array.zarrFormat === 2) {
      await store.set(keyInNode(resolved.component, ".zarray"), encodeMetadataJson(v2ArrayDocument(array)));
      if (Object.keys(array.attributes).length > 0) {
        await store.set(keyInNode(resolved.component, ".zattrs"), encodeMetadataJson(attributesJson(array.attributes, 2)));
      }
    } else {
      await store.set(keyInNode(resolved.component, "zarr.json"), encodeMetadataJson(v3ArrayDocument(array)));
    }
  };
}

/**
 * Creates a Zarr array at `ref` (a path, or path + component such as "0/0") and returns
 * its description. Refuses an existing array or group unless `overwrite: true`, a directory
 * holding other files (ZarrForeignFilesError), and a node another writer holds (ZarrWriteConflictError).
 */
export async function createArray(ref: ZarrRef | string, options: CreateArrayOptions): Promise<ZarrArrayInfo> {
  validateOptions(options);
  const lease = await beginArrayWrite(ref);
  try {
    return await createArrayHeld(ref, options);
  } finally {
    await lease.release();
  }
}
