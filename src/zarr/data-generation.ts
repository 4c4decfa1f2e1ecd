/**
 * A node's data generation: what region writes into an existing array record in the node
 * (`.tessera-generation`, node-files.ts), for fromZarr's block names.
 *
 * Those names are deterministic (a resume token is built from them), and a cluster reuses
 * the blocks it holds under a name. A region write changes the data and leaves the metadata,
 * and the computation token recorded by the toZarr that created the array (chunk-markers.ts),
 * as they were; the generation is what changes with it. It is deterministic too, so that a
 * job run again (the same writes into the same arrays) gets the same names and its resumable
 * steps resume: a finished write's generation is a digest of the one before it and of the
 * write (its computation, target and region: its store node's name). Writing the very write
 * recorded last again rewrites the same bytes, so it keeps the generation (a job rerun that
 * writes a region of an array it does not recreate). Otherwise, from the write's start (under
 * its lease, before its first chunk) to its end, a random in-progress id stands (a fromZarr
 * during the write reads data no other name may claim), and one again if the write fails.
 * Replacing the array deletes the file with the old keys. Written atomically (the store's
 * temporary file and rename); Zarr readers ignore it: no Zarr key starts with ".".
 */
import { randomBytes } from "node:crypto";
import { tokenize } from "../core/ids.js";
import { dataGenerationName } from "./node-files.js";
import { storeFor } from "./open-array.js";
import { type ZarrRef, keyInNode, resolveRef } from "./zarr-ref.js";

interface GenerationRecord {
  /** What fromZarr's names include. */
  generation: string;
  /** The write that made it ("" while one is in progress or after a failure). */
  lastWrite: string;
}

function keyOf(ref: ZarrRef): { store: ReturnType<typeof storeFor>; key: `/${string}` } {
  const resolved = resolveRef(ref);
  return { store: storeFor(resolved.path), key: keyInNode(resolved.component, dataGenerationName) };
}

async function readRecord(ref: ZarrRef): Promise<GenerationRecord | undefined> {
  const { store, key } = keyOf(ref);
  const bytes = store.getSync(key); // before a graph's first task: atomic-fs-store.ts says why synchronous
  if (!bytes) return undefined;
  const text = new TextDecoder().decode(bytes);
  try {
    const record = JSON.parse(text) as Partial<GenerationRecord>;
    if (typeof record.generation === "string" && typeof record.lastWrite === "string") return { generation: record.generation, lastWrite: record.lastWrite };
  } catch {
    // not a record: its text still names a state no other write made
  }
  return { generation: text, lastWrite: "" };
}

async function writeRecord(ref: ZarrRef, record: GenerationRecord): Promise<void> {
  const { store, key } = keyOf(ref);
  await store.set(key, new TextEncoder().encode(JSON.stringify(record)));
}

const inProgress = (): GenerationRecord => ({ generation: randomBytes(16).toString("hex"), lastWrite: "" });

/** The generation recorded for the array at `ref`, or undefined when none was (no region write since it was created). */
export async function readDataGeneration(ref: ZarrRef): Promise<string | undefined> {
  return (await readRecord(ref))?.generation;
}

/** A region write's generation from its start to its end (see the module comment). */
export interface GenerationWrite {
  /** After the write's last chunk (`written`) or its failure. */
  finish(written: boolean): Promise<void>;
}

/**
 * Records the start of the write named `write` (its store node's name) into the array at
 * `ref`; the caller holds a write lease of it.
 */
export async function beginDataGeneration(ref: ZarrRef, write: string): Promise<GenerationWrite> {
  const previous = await readRecord(ref);
  if (previous !== undefined && previous.lastWrite === write) return { finish: async () => undefined };
  await writeRecord(ref, inProgress());
  const next: GenerationRecord = { generation: tokenize("data-generation", previous?.generation ?? "", write), lastWrite: write };
  return { finish: (written) => writeRecord(ref, written ? next : inProgress()) };
}
