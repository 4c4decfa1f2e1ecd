/** fromZarr: a stored Zarr array (v2 or v3) as a lazy array whose blocks are read on the workers. */
import { tokenize } from "../core/ids.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { openArrayForGraph } from "../zarr/index.js";
import { LazyArray } from "./array.js";
import { type ChunkSpec, normalizeChunks } from "./chunks.js";
import { FromZarrExpr, storedChunksOf } from "./sources.js";

/** Opens a Zarr array lazily; `chunks` defaults to the stored chunks. */
export async function fromZarr(path: string, options: { component?: string; chunks?: ChunkSpec } = {}): Promise<LazyArray> {
  // The tasks' ref carries the stamp of the metadata read here: a worker whose cached open
  // of the array is older reopens it, and an array replaced after this refuses to be read.
  const { info, ref } = await openArrayForGraph({ path, ...(options.component ? { component: options.component } : {}) });
  const chunks = options.chunks !== undefined
    // Only the first size of each axis is a hint to "auto": the stored grid itself may be too large to list.
    ? normalizeChunks(options.chunks, info.shape, dtypeInfo(info.dtype).itemsize, info.chunks.map((size) => [size]))
    : storedChunksOf(info);
  // The stamp (the metadata's content) in the name: an array replaced with another layout has
  // other blocks than the ones a cluster may still hold. Content, not the file's inode or
  // mtime: a `touch` or an identical rewrite keeps the names, and with them a resume token.
  const name = `from-zarr-${tokenize(info.path, info.component ?? "", info.shape, info.dtype, chunks, ref.stamp ?? "")}`;
  return new LazyArray(name, info.shape, chunks, info.dtype, new FromZarrExpr(ref, info.chunks));
}
