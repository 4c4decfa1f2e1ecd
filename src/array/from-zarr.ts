/** fromZarr: a stored Zarr array (v2 or v3) as a lazy array whose blocks are read on the workers. */
import { tokenize } from "../core/ids.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { openArray } from "../zarr/index.js";
import { LazyArray } from "./array.js";
import { type ChunkSpec, normalizeChunks } from "./chunks.js";
import { FromZarrExpr, storedChunksOf } from "./sources.js";

/** Opens a Zarr array lazily; `chunks` defaults to the stored chunks. */
export async function fromZarr(path: string, options: { component?: string; chunks?: ChunkSpec } = {}): Promise<LazyArray> {
  const info = await openArray({ path, ...(options.component ? { component: options.component } : {}) });
  const chunks = options.chunks !== undefined
    // Only the first size of each axis is a hint to "auto": the stored grid itself may be too large to list.
    ? normalizeChunks(options.chunks, info.shape, dtypeInfo(info.dtype).itemsize, info.chunks.map((size) => [size]))
    : storedChunksOf(info);
  const name = `from-zarr-${tokenize(info.path, info.component ?? "", info.shape, info.dtype, chunks)}`;
  return new LazyArray(name, info.shape, chunks, info.dtype, new FromZarrExpr({ path: info.path, ...(info.component ? { component: info.component } : {}) }, info.chunks));
}
