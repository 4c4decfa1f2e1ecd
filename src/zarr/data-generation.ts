/**
 * A node's data generation: a random id that every region write into an existing array
 * records in the node (`.tessera-generation`, node-files.ts), for fromZarr's block names.
 *
 * Those names are deterministic (a resume token is built from them), and a cluster reuses
 * the blocks it holds under a name. A region write changes the data and leaves the metadata,
 * and the computation token recorded by the toZarr that created the array (chunk-markers.ts),
 * as they were; the generation is what changes with it. It is written at the write's start,
 * under its lease and before its first chunk (a fromZarr during the write gets names other
 * than the ones before it), and again at its end, success or not (a fromZarr after the write
 * gets names other than those of one during it). Replacing the array deletes it with the
 * old keys. Written atomically (the store's temporary file and rename): a reader sees one id
 * or the other, never a torn one. Zarr readers ignore it: no Zarr key starts with ".".
 */
import { randomBytes } from "node:crypto";
import { dataGenerationName } from "./node-files.js";
import { storeFor } from "./open-array.js";
import { type ZarrRef, keyInNode, resolveRef } from "./zarr-ref.js";

/** The generation recorded for the array at `ref`, or undefined when none was (no region write since it was created). */
export async function readDataGeneration(ref: ZarrRef): Promise<string | undefined> {
  const resolved = resolveRef(ref);
  const bytes = await storeFor(resolved.path).get(keyInNode(resolved.component, dataGenerationName));
  return bytes ? new TextDecoder().decode(bytes) : undefined;
}

/** Records a fresh generation for the array at `ref`; the caller holds a write lease of it. */
export async function recordDataGeneration(ref: ZarrRef): Promise<void> {
  const resolved = resolveRef(ref);
  await storeFor(resolved.path).set(keyInNode(resolved.component, dataGenerationName), new TextEncoder().encode(randomBytes(16).toString("hex")));
}
