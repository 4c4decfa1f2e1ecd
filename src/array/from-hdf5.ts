/**
 * fromHdf5: a dataset of an HDF5 file as a lazy array whose blocks are read on the workers
 * (Dask's `da.from_array(h5py.File(path)[dataset], chunks=...)`). The caller opens the file
 * once to learn the dataset's shape, dtype, chunks and filters, refusing by name what cannot
 * be read (strings, other compounds, references; filters h5wasm does not decode, such as lzf,
 * blosc, bitshuffle or zstd) before any task runs. Each block is then one hyperslab read
 * (`hdf5.readRegion`) by the worker that computes it.
 *
 * Workers open the file themselves, so on a cluster it must be on a file system every worker
 * sees, at the same path (as with Dask's h5py reads); a relative path is resolved on the
 * caller's side. The array's name is made from the resolved path, the dataset and the file's
 * size and modification time: a rewritten file gives new names, and a read of a file changed
 * since the array was made is refused (Hdf5FileChangedError), never mixed into the result.
 */
import { InvalidOptionError } from "../core/errors.js";
import { filesystemPathOf } from "../core/file-paths.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { describeDataset, findDataset, openFile, readRegion, stampOf } from "../hdf5/index.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { LazyArray } from "./array.js";
import { type ChunkSpec, blockRegion, chunkOffsets, normalizeChunks } from "./chunks.js";
import { PerBlockExpr } from "./per-block.js";

export interface FromHdf5Options {
  /**
   * The blocks, as Dask's from_array reads them; default "auto": blocks of about
   * `array.chunk-size` bytes that are whole multiples of the dataset's own HDF5 chunks
   * (Dask's previous_chunks), so no HDF5 chunk is decoded by two tasks along an axis it can avoid.
   */
  chunks?: ChunkSpec;
}

const readRef = functionRefOf(readRegion);

/** Opens dataset `dataset` (e.g. "/t00000/s00/0/cells") of the HDF5 file at `path` lazily. */
export async function fromHdf5(path: string, dataset: string, options: FromHdf5Options = {}): Promise<LazyArray> {
  if (typeof path !== "string" || path === "") throw new InvalidOptionError(`fromHdf5: path must be a file path, got ${JSON.stringify(path)}`);
  if (typeof dataset !== "string") throw new InvalidOptionError(`fromHdf5: dataset must be the dataset's path in the file (e.g. "/t00000/s00/0/cells"), got ${JSON.stringify(dataset)}`);
  refuseUnknownKeys(options, ["chunks"], "fromHdf5");
  const file = filesystemPathOf("fromHdf5: path", path);
  const name = `/${dataset.split("/").filter((part) => part !== "").join("/")}`;
  const what = `fromHdf5(${file}, ${name})`;
  const stamp = stampOf(file, what);
  const opened = await openFile(file, stamp, what);
  let info;
  try {
    info = describeDataset(findDataset(opened, name, what), what);
  } finally {
    opened.close();
  }
  const { shape, dtype, storedChunks } = info;
  const previous = storedChunks ? storedChunks.map((size) => [size]) : undefined;
  const chunks = normalizeChunks(options.chunks ?? "auto", shape, dtypeInfo(dtype).itemsize, previous);
  const offsets = chunkOffsets(chunks);
  const expr = new PerBlockExpr(readRef, [], (index) => {
    const { start, stop } = blockRegion(offsets, index);
    return { blocks: [], args: [file, name, stamp, start, stop, dtype] };
  });
  const token = tokenize(file, name, stamp.size, stamp.mtimeMs, stamp.ino, shape, dtype, chunks);
  return new LazyArray(`from-hdf5-${token}`, shape, chunks, dtype, expr);
}
