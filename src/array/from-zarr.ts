/** fromZarr: a stored Zarr array (v2 or v3) as a lazy array whose blocks are read on the workers. */
import { tokenize } from "../core/ids.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { LazyArray } from "./array.js";
import { type ChunkSpec, normalizeChunks } from "./chunks.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { FromZarrExpr, storedChunksOf } from "./sources.js";
import { readZarrSource } from "./zarr-source-identity.js";

/** Opens a Zarr array lazily; `chunks` defaults to the stored chunks. */
export async function fromZarr(path: string, options: { component?: string; chunks?: ChunkSpec } = {}): Promise<LazyArray> {
  // A misspelt `compnent` must not open the store's root array, nor `chunkz` its stored chunks.
  refuseUnknownOptions("fromZarr", options, ["component", "chunks"]);
  // The tasks' ref carries the stamp of the metadata read here: a worker whose cached open
  // of the array is older reopens it, and an array replaced after this refuses to be read.
  const { info, ref, identity } = await readZarrSource({ path, ...(options.component ? { component: options.component } : {}) });
  const chunks = options.chunks !== undefined
    // Only the first size of each axis is a hint to "auto": the stored grid itself may be too large to list.
    ? normalizeChunks(options.chunks, info.shape, dtypeInfo(info.dtype).itemsize, info.chunks.map((size) => [size]))
    : storedChunksOf(info);
  // A cluster reuses the blocks it holds under a name, so the name must change with the data.
  // The stamp (the metadata's content): an array replaced with another layout. Content, not
  // the file's inode or mtime: a `touch` or an identical rewrite keeps the names, and with
  // them a resume token built from them (resume.ts). Under the same metadata, what tessera's
  // writes record beside the chunks: the token of the computation a toZarr wrote there (another
  // computation written over it gives other names; the same one, the same data and names, so
  // a rerun of a pipeline still resumes) and the data generation every region write (toZarr
  // with region, store, toOmeZarr) records (deterministic: a job run again keeps its names).
  // A graph built before such a change is refused when it is computed after it
  // (changed-sources.ts). Not covered: another writer (zarr-python, a copy of
  // other chunk files) changing chunks under identical metadata; the old names, and any
  // blocks a cluster holds under them, stay. Nor a fromZarr of a toZarr's output built while
  // it writes, or after it failed or was killed: its names are those of the finished array
  // (the same computation completing it, or resuming, keeps the token).
  const name = `from-zarr-${tokenize(info.path, info.component ?? "", info.shape, info.dtype, chunks, identity.stamp, identity.token, identity.generation)}`;
  return new LazyArray(name, info.shape, chunks, info.dtype, new FromZarrExpr(ref, info.chunks, identity));
}
