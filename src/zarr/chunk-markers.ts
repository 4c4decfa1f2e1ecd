/**
 * Completion markers: which chunks of an array a computation has finished writing, so that
 * a write killed halfway (a crash, a walltime) can be resumed with only the missing chunks.
 *
 * Inside the array's directory, beside its chunks (so they move and are deleted with it):
 *
 *     .tessera-done/token              { token, shape, chunks, dtype }: which computation writes here
 *     .tessera-done/<token>/<i.j.k>    empty: chunk (i, j, k) is complete
 *
 * A marker is written only after its chunk's atomic write has landed (writeChunkMarked), so
 * a marker always means a complete chunk of *that* computation; a chunk without a marker may
 * be complete or not and is simply written again. Zarr readers ignore both (no Zarr key
 * starts with "."). The token is the caller's digest of the computation.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { defineBuiltin } from "../core/builtin.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { type ResolvedRef, type ZarrRef, resolveRef } from "./zarr-ref.js";
import { fencedWrite, openForBlockWrite, storeChunk } from "./chunk-io.js";
import { markerDirectoryName } from "./node-files.js";
import { storeFor } from "./open-array.js";

export interface ResumeToken {
  token: string;
  shape: number[];
  chunks: number[];
  dtype: string;
}

function markerKey(ref: ResolvedRef, ...parts: string[]): `/${string}` {
  return `/${[ref.component, markerDirectoryName, ...parts].filter((part) => part !== "").join("/")}`;
}

/** The token recorded for the array at `ref`, or undefined when none was. */
export async function readResumeToken(ref: ZarrRef): Promise<ResumeToken | undefined> {
  const resolved = resolveRef(ref);
  const bytes = storeFor(resolved.path).getSync(markerKey(resolved, "token")); // before a graph's first task: atomic-fs-store.ts says why synchronous
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as ResumeToken;
  } catch {
    return undefined; // unreadable: treated as absent, so the caller refuses to resume
  }
}

/** Records which computation writes the array at `ref` (before any chunk is written). */
export async function writeResumeToken(ref: ZarrRef, token: ResumeToken): Promise<void> {
  const resolved = resolveRef(ref);
  await storeFor(resolved.path).set(markerKey(resolved, "token"), new TextEncoder().encode(JSON.stringify(token)));
  await fs.mkdir(storeFor(resolved.path).pathOf(markerKey(resolved, token.token)), { recursive: true });
}

/** The chunks marked complete for `token`, as "i.j.k" strings. */
export async function completedChunks(ref: ZarrRef, token: string): Promise<Set<string>> {
  const resolved = resolveRef(ref);
  const directory = storeFor(resolved.path).pathOf(markerKey(resolved, token));
  const names = await fs.readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  return new Set(names.filter((name) => /^\d+(\.\d+)*$/.test(name)));
}

async function writeChunkMarkedImpl(ref: ZarrRef, chunkCoords: number[], block: NDArray, token: string): Promise<void> {
  const target = await openForBlockWrite(ref, chunkCoords, block, "writeChunkMarked");
  const resolved = resolveRef(ref);
  const marker = storeFor(resolved.path).pathOf(markerKey(resolved, token, chunkCoords.join(".")));
  // Chunk and marker under one claim of the write's fence: a marker landing after the release
  // could outlive a later overwrite's deletion of the markers, and a resume would skip its chunk.
  await fencedWrite(ref, target, async () => {
    await storeChunk(target, block);
    // An empty file; its directory was made with the token. Created after the chunk landed.
    await fs.writeFile(marker, "").catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      await fs.mkdir(path.dirname(marker), { recursive: true });
      await fs.writeFile(marker, "");
    });
  });
}

/** Writes one chunk (as writeChunk does), then marks it complete for `token`. */
export const writeChunkMarked: (ref: ZarrRef, chunkCoords: number[], block: NDArray, token: string) => Promise<void> =
  defineBuiltin("zarr.writeChunkMarked", writeChunkMarkedImpl);
