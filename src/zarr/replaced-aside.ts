/**
 * Replacing an existing array (createArray and toZarr with `overwrite`) without deleting its
 * old keys on the write's critical path.
 *
 * Unlinking a chunk file frees its blocks: the 32 chunks and markers of the DoG's 64×256×256
 * output took 4–5 ms, all before the first task could start (2% of that run), and the 256 of
 * 128×512×512 eight times as many. Renaming them is a change of a directory entry only
 * (~0.5 ms for the same 34 entries). So the old array's keys are moved, under the node's
 * exclusive write lease, into one folder `.tessera-replaced-<random>` inside the array's
 * directory; the new metadata is written after that; and the folder is deleted while the new
 * chunks are computed (toZarr waits for it before it returns and releases its lease;
 * createArray waits at once).
 *
 * What a reader can see:
 * - never an old chunk under the new metadata: every old key is out of the array's key space
 *   (no Zarr key starts with ".") before the new metadata is written. The old metadata is
 *   moved first, so the old array disappears before any of its chunks does, as the deletion
 *   it replaces did.
 * - a writer killed after the move leaves the old keys only in that clearly named folder. The
 *   next overwrite of the array moves such folders into its own and deletes them with it, and
 *   deleteNodeKeys (replacing the parent group, or the array itself) deletes them too.
 * - files that are not the array's stay where they are, byte for byte (node-files.ts's rule):
 *   only metadata, chunk keys and tessera's markers move; a chunk directory that also holds
 *   another file is not moved whole: its chunk keys are deleted one by one, as before.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { createLogger } from "../core/log.js";
import {
  chunkDirectoryPattern, deleteChunkKeys, entriesOf, isArrayOwnDirectory, isChunkKey, markerDirectoryName, metadataNames, replacedAsidePrefix,
} from "./node-files.js";

const log = createLogger("zarr");

/** Renames under way at once (each one waits a trip through libuv's pool, as unlinks do). */
const renamesInFlight = 16;

async function renameAll(moves: ReadonlyArray<readonly [string, string]>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const mover = async () => {
    while (next < moves.length && failure === null) {
      const [from, to] = moves[next++];
      await fs.rename(from, to).catch((error: unknown) => {
        failure ??= { error };
      });
    }
  };
  // Every mover stops and is waited for before the first error is raised.
  await Promise.all(Array.from({ length: Math.min(renamesInFlight, moves.length) }, mover));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/** Whether the chunk directory `relative` (under the array's directory) holds chunk keys and chunk directories only. */
async function holdsOnlyChunkKeys(directory: string, relative: string): Promise<boolean> {
  for (const entry of (await entriesOf(directory)) ?? []) {
    const child = `${relative}/${entry.name}`;
    if (entry.isFile() && isChunkKey(child)) continue;
    if (entry.isDirectory() && isArrayOwnDirectory(child) && (await holdsOnlyChunkKeys(path.join(directory, entry.name), child))) continue;
    return false;
  }
  return true;
}

/**
 * Moves the keys of the array in `directory` (metadata first, then chunk keys, chunk
 * directories, tessera's markers and earlier overwrites' leftover folders) into a new folder
 * inside it, and returns that folder. The caller holds the node's exclusive write lease.
 */
export async function moveArrayKeysAside(directory: string): Promise<string> {
  const entries = (await entriesOf(directory)) ?? [];
  const aside = path.join(directory, `${replacedAsidePrefix}${randomBytes(6).toString("hex")}`);
  await fs.mkdir(aside);
  const metadata: Array<readonly [string, string]> = [];
  const keys: Array<readonly [string, string]> = [];
  const move = (name: string) => [path.join(directory, name), path.join(aside, name)] as const;
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isFile() && metadataNames.has(entry.name)) metadata.push(move(entry.name));
    else if (entry.isFile() && isChunkKey(entry.name)) keys.push(move(entry.name));
    else if (entry.isDirectory() && (entry.name === markerDirectoryName || entry.name.startsWith(replacedAsidePrefix))) keys.push(move(entry.name));
    else if (entry.isDirectory() && chunkDirectoryPattern.test(entry.name)) {
      if (await holdsOnlyChunkKeys(full, entry.name)) keys.push(move(entry.name));
      else if (await deleteChunkKeys(full, entry.name)) await fs.rmdir(full).catch(() => undefined);
    }
  }
  await renameAll(metadata);
  await renameAll(keys);
  return aside;
}

/**
 * Deletes a folder moveArrayKeysAside made (and what it holds). Never rejects: the new array
 * is whole either way, so a folder that cannot be deleted is reported (a warning naming it)
 * and left to the next overwrite of the array, which retries.
 */
export async function removeAside(aside: string): Promise<void> {
  try {
    await fs.rm(aside, { recursive: true, force: true });
  } catch (error) {
    log.warn(`could not delete ${aside}, the replaced array's old chunks (${String(error)}); the next overwrite of the array deletes it, or delete it by hand`);
  }
}
