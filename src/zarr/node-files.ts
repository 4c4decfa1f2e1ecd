/**
 * Which files in a Zarr node's directory are Zarr's, which are tessera's own, and which
 * belong to someone else; and the two rules built on that:
 *
 * - Writes never mix with files they did not create: an array or group is created only in a
 *   directory that is absent, empty, or already a Zarr node (`checkWritableTarget`). A
 *   home directory or a data folder is refused, naming what is in it.
 * - Writes never delete files they did not create: replacing a node (`deleteNodeKeys`)
 *   deletes its Zarr keys only (metadata files, chunk keys, tessera's completion markers, data generation and
 *   abandoned temporary files) and, for a group, its child nodes' keys; every other file and
 *   directory stays, byte for byte.
 *
 * An array's chunk keys are the ones its own metadata can produce (chunk-key-layout.ts: its
 * dimension count, separator and encoding), links among them included (the link is unlinked,
 * its target never touched). Only where that metadata cannot be read are they recognized by
 * the grammar of every encoding of both versions: "0.1.2" and "0/1/2" (v2, and v3's "v2"
 * encoding), "c/0/1/2" and "c.0.1.2" (v3 default), "0" and "c" for 0-d arrays.
 */
import { lstatSync, promises as fs, readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { isErrno } from "./atomic-fs-store.js";
import { ZarrForeignFilesError } from "./errors.js";
import { type ChunkKeyMatcher, layoutMatcher, readChunkKeyLayouts } from "./chunk-key-layout.js";
import { isPartialWrite, removeAbandonedPartials } from "./partial-files.js";

/** Metadata keys of a node, both versions (`.zmetadata`: zarr-python's consolidated metadata). */
const metadataNames = new Set([".zarray", ".zattrs", ".zgroup", "zarr.json", ".zmetadata"]);

/** tessera's completion markers (chunk-markers.ts), beside an array's chunks. */
export const markerDirectoryName = ".tessera-done";
/**
 * A node's data generation (data-generation.ts): a random id each region write records, so
 * that fromZarr's block names change with data written under unchanged metadata.
 */
export const dataGenerationName = ".tessera-generation";
/**
 * The directory of a node's write leases (write-lease.ts), their write fences (write-fence.ts)
 * and a replacing write's gates (write-gate.ts): the bookkeeping that is found by listing. A
 * region write lists it for the other region writes' leases; in the node's own directory that
 * listing would read every chunk name of a flat array (20,000 chunks: 23 ms a lease, more on
 * Lustre or NFS). It exists only while a lease is held: the last release removes it.
 */
export const leaseDirectoryName = ".tessera-leases";
/** In the lease directory: one exclusive lease, any number of region (shared) ones. */
export const exclusiveLeaseName = "write-lease";
export const regionLeasePrefix = "region-lease-";
/** In the lease directory: a replacing write's gate, named after the lease. */
export const writeGatePrefix = `${exclusiveLeaseName}.open-`;
/**
 * Where tessera before the lease directory kept leases and gates: in the node's directory.
 * Still tessera's entries (a store such a version left is not foreign, and a replacing write
 * deletes its gates); its leases are not honoured (write-lease.ts says why).
 */
const legacyExclusiveLeaseName = ".tessera-write-lease";
const legacyRegionLeasePrefix = ".tessera-region-lease-";
const legacyWriteGatePrefix = `${legacyExclusiveLeaseName}.open-`;

/** The lease directory of the node in `nodeDirectory`. */
export function leaseDirectoryOf(nodeDirectory: string): string {
  return path.join(nodeDirectory, leaseDirectoryName);
}

const chunkKeyPattern = /^(c|\d+)([./]\d+)*$/;
const chunkDirectoryPattern = /^(c|\d+)$/;

/** Files and directories tessera itself puts in a node: the lease directory, markers, temporary files. */
export function isTesseraEntry(name: string): boolean {
  return name === markerDirectoryName || name === dataGenerationName || name === leaseDirectoryName ||
    name.startsWith(legacyExclusiveLeaseName) || name.startsWith(legacyRegionLeasePrefix) || isPartialWrite(name);
}

async function entriesOf(directory: string): Promise<import("node:fs").Dirent[] | undefined> {
  try {
    return await fs.readdir(directory, { withFileTypes: true });
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return undefined;
    throw error;
  }
}

async function hasFile(directory: string, name: string): Promise<boolean> {
  return fs.lstat(path.join(directory, name)).then((stats) => stats.isFile(), () => false);
}

/** Whether a directory is a Zarr node: it has a `.zarray`, `.zgroup` or `zarr.json`. */
export async function isNodeDirectory(directory: string): Promise<boolean> {
  for (const name of [".zarray", ".zgroup", "zarr.json"]) if (await hasFile(directory, name)) return true;
  return false;
}

function foreignFilesError(directory: string, foreign: string[], what: string): ZarrForeignFilesError {
  const shown = foreign.slice(0, 5).map((name) => JSON.stringify(name)).join(", ");
  return new ZarrForeignFilesError(
    `${directory} is not a Zarr store but holds other files (${shown}${foreign.length > 5 ? `, and ${foreign.length - 5} more` : ""}); ` +
      `tessera writes ${what} only into a directory that does not exist yet, is empty, or is already a Zarr store, ` +
      `and never writes among or deletes other files. Choose a new path, e.g. ${path.join(directory, "output.zarr")}`,
  );
}

/**
 * Refuses to create the node `component` of the store at `root` when that would write into a
 * directory holding other files: the node's own directory, and every level above it that is
 * not a Zarr group yet (which may hold nothing but the way down to the node). `what` names
 * the write in the error ("the array component \"results\"").
 */
export async function checkWritableTarget(root: string, component: string, what: string): Promise<void> {
  const parts = component === "" ? [] : component.split("/");
  for (let level = 0; level <= parts.length; level++) {
    const directory = path.join(root, ...parts.slice(0, level));
    // A Zarr node first, by its metadata file: an array being replaced is not listed (its
    // directory may hold 100,000s of chunks), and a synchronous lstat is a few µs where an
    // asynchronous call waits a trip through libuv's pool before the first task can start.
    if (isNodeDirectorySync(directory)) continue;
    const entries = await entriesOf(directory);
    if (entries === undefined) return; // absent: this level and all below it will be new
    const next = parts[level];
    const foreign = entries
      .filter((entry) => !isTesseraEntry(entry.name) && !(entry.name === next && entry.isDirectory()))
      .map((entry) => entry.name);
    if (foreign.length > 0) throw foreignFilesError(directory, foreign, what);
  }
}

/** Whether `relative` (a "/"-joined path under an array's directory) is a chunk key. */
function isChunkKey(relative: string): boolean {
  return chunkKeyPattern.test(relative);
}

/** Chunk subdirectories and tessera's marker directory: where an array's own files live. */
function isArrayOwnDirectory(relative: string): boolean {
  const names = relative.split("/");
  if (names[0] === markerDirectoryName) return true;
  return names.every((name, i) => (i === 0 ? chunkDirectoryPattern.test(name) : /^\d+$/.test(name)));
}

/** Removes the abandoned temporary files of an array: in its directory, chunk subdirectories and markers. */
export function removeAbandonedArrayPartials(directory: string): Promise<number> {
  return removeAbandonedPartials(directory, isArrayOwnDirectory);
}

/**
 * Chunk files unlinked at once when an array is replaced: one at a time, each unlink waits a
 * whole trip through libuv's pool (the 256 chunk files of the DoG's 128×512×512 output took
 * ~40 ms CPU and 80+ ms wall on a busy machine, all before the first task can start).
 */
const unlinksInFlight = 16;

async function unlinkAll(files: readonly string[]): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const unlinker = async () => {
    while (next < files.length && failure === null) {
      const file = files[next++];
      await fs.unlink(file).catch((error: unknown) => {
        if (!isErrno(error, "ENOENT")) failure ??= { error }; // ENOENT: gone already, as a forced rm allows
      });
    }
  };
  // Every deleter stops and is waited for before the first error is raised: the caller never
  // sees the failure while deletions still go on behind it.
  await Promise.all(Array.from({ length: Math.min(unlinksInFlight, files.length) }, unlinker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/**
 * Removes a directory and everything in it, as `fs.rm(directory, { recursive: true, force:
 * true })` does (links are unlinked, never followed), with its files unlinked `unlinksInFlight`
 * at a time: rm takes them one after another, each with an lstat first (the 33 files of the
 * DoG's completion markers took ~2.5 ms against ~1.7 ms so, at load 5 on 2 cores).
 */
async function removeTree(directory: string): Promise<void> {
  // The root is looked at, not followed: a link (or a file) in its place is unlinked itself, as rm does.
  const root = await fs.lstat(directory).catch((error: unknown) => {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  });
  if (root === undefined) return;
  if (!root.isDirectory()) return unlinkAll([directory]);
  const entries = await entriesOf(directory);
  if (entries === undefined) return;
  const files = entries.filter((entry) => !entry.isDirectory()).map((entry) => path.join(directory, entry.name));
  const below = entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(directory, entry.name));
  // Every part is waited for before a failure is raised, as in unlinkAll.
  const failed = (await Promise.allSettled([unlinkAll(files), ...below.map(removeTree)])).find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  await fs.rmdir(directory).catch((error: unknown) => {
    if (!isErrno(error, "ENOENT")) throw error;
  });
}

/**
 * The chunk keys of an array whose metadata could not be read: any name of the grammar of
 * either version. Wider than the array's own keys (a user's folder "2024" would match), so it
 * serves only when nothing better is known; the old metadata is the only record of the layout.
 */
const grammarMatcher: ChunkKeyMatcher = {
  isKey: isChunkKey,
  isKeyDirectory: (relative) => isArrayOwnDirectory(relative) && relative !== markerDirectoryName,
};

/**
 * Deletes an array node's chunk keys under `relative`; returns whether the directory is left
 * empty. A key that is a symbolic link (to a chunk file, or to a directory of them) is a key
 * like any other: the link itself is unlinked, never followed, and its target is left alone.
 */
async function deleteChunkKeys(directory: string, relative: string, keys: ChunkKeyMatcher): Promise<boolean> {
  const entries = (await entriesOf(directory)) ?? [];
  let kept = 0;
  const files: string[] = [];
  for (const entry of entries) {
    const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
    const full = path.join(directory, entry.name);
    if ((entry.isFile() || entry.isSymbolicLink()) && keys.isKey(child)) {
      files.push(full);
    } else if (relative === "" && entry.isFile() && entry.name.startsWith(legacyWriteGatePrefix)) {
      files.push(full); // the gate of an earlier write of the array, left by a killed writer of an earlier tessera
    } else if (entry.isSymbolicLink() && keys.isKeyDirectory(child)) {
      files.push(full); // a linked chunk directory: descending would delete files in its target
    } else if (entry.isDirectory() && keys.isKeyDirectory(child)) {
      if (await deleteChunkKeys(full, child, keys)) await fs.rmdir(full).catch(() => undefined);
      else kept++;
    } else {
      kept++;
    }
  }
  await unlinkAll(files);
  return kept === 0;
}

/**
 * Deletes the Zarr keys of the node in `directory` (an array or a group, recursively through
 * child nodes) and tessera's own markers and abandoned temporary files; every other file
 * stays. An array's chunk keys are the ones its metadata can produce (its dimension count,
 * separator and encoding), read before the metadata goes. Directories left empty are
 * removed, except `directory` itself.
 */
export async function deleteNodeKeys(directory: string): Promise<void> {
  const isArray = (await hasFile(directory, ".zarray")) || (await readNodeType(directory)) === "array";
  // Unreadable metadata (corrupt JSON, a separator zarr never writes): the layout is unknown,
  // so the keys are taken by the grammar of both versions as before this was read, which may
  // also take a user's directory named like a chunk index.
  const layouts = isArray ? await readChunkKeyLayouts(directory) : undefined;
  // Side by side (each waits a trip through libuv's pool), but all gone before any chunk goes.
  // The data generation goes with them: the node's next data is not the data it named.
  const metadataGone = await Promise.allSettled([...metadataNames, dataGenerationName].map(async (name) => {
    if (await hasFile(directory, name)) await fs.rm(path.join(directory, name), { force: true });
  }));
  const failed = metadataGone.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  if (isArray) {
    await removeAbandonedArrayPartials(directory);
    // Every completion marker goes before any chunk: a marker that outlived its chunk would make
    // a resumed write skip a chunk that is not there.
    await removeTree(path.join(directory, markerDirectoryName));
    await deleteChunkKeys(directory, "", layouts === undefined ? grammarMatcher : layoutMatcher(layouts));
    return;
  }
  await removeAbandonedPartials(directory, () => false);
  for (const entry of (await entriesOf(directory)) ?? []) {
    const child = path.join(directory, entry.name);
    if (!entry.isDirectory() || !(await isNodeDirectory(child))) continue;
    await deleteNodeKeys(child);
    await fs.rmdir(child).catch(() => undefined); // only when nothing else is left in it
  }
}

async function readNodeType(directory: string): Promise<unknown> {
  try {
    return (JSON.parse(await fs.readFile(path.join(directory, "zarr.json"), "utf8")) as { node_type?: unknown }).node_type;
  } catch {
    return undefined;
  }
}

/** Whether `directory` holds an array's metadata (v2 .zarray, or a v3 zarr.json of node_type "array"). */
function isArrayDirectorySync(directory: string): boolean {
  try {
    if (lstatSync(path.join(directory, ".zarray")).isFile()) return true;
  } catch {
    // not a v2 array
  }
  try {
    return (JSON.parse(readFileSync(path.join(directory, "zarr.json"), "utf8")) as { node_type?: unknown }).node_type === "array";
  } catch {
    return false; // no (readable) v3 metadata: listed as before
  }
}

function isNodeDirectorySync(directory: string): boolean {
  const isFile = (name: string) => {
    try {
      return lstatSync(path.join(directory, name)).isFile();
    } catch {
      return false;
    }
  };
  return isFile(".zarray") || isFile(".zgroup") || isFile("zarr.json");
}

/**
 * The directories under `directory` (itself excluded) whose leases a replace of it must see,
 * for the checks before a group is replaced: every Zarr node below it, and every directory
 * holding a lease directory, which may be no node (yet): a node whose writer has taken its
 * lease but not written its metadata, or has deleted it to replace the node. Such a node may
 * sit below directories that are no nodes yet either (creating the array "a/b/c" makes "a"
 * and "b" plain directories and writes their groups' metadata after its lease is taken), so
 * those are descended too while they hold nothing but directories and tessera's own entries:
 * a directory with other files is someone else's (nodes are created only where nothing else
 * is: checkWritableTarget), listed once and no further. Synchronous, as the write lease that
 * calls it (write-lease.ts says why).
 */
export function descendantNodeDirectories(directory: string): string[] {
  // No node sits below an array: its directory (maybe 100,000s of chunk files) is not listed.
  if (isArrayDirectorySync(directory)) return [];
  return leasedDirectoriesBelow(directory, true);
}

function leasedDirectoriesBelow(directory: string, isNode: boolean): string[] {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return [];
    throw error;
  }
  if (!isNode && entries.some((entry) => !entry.isDirectory() && !isTesseraEntry(entry.name))) return [];
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || isTesseraEntry(entry.name)) continue;
    const child = path.join(directory, entry.name);
    if (isNodeDirectorySync(child)) found.push(child, ...descendantNodeDirectories(child));
    // Not descended: an array being replaced has lost its metadata but may still hold its chunks.
    else if (lstatSync(leaseDirectoryOf(child), { throwIfNoEntry: false })?.isDirectory()) found.push(child);
    else found.push(...leasedDirectoriesBelow(child, false));
  }
  return found;
}
