/**
 * The calling process's half of toHdf5: HDF5 has one writer at a time, so the workers compute
 * the blocks into staging files (staged-blocks.ts) and this writes them into one HDF5 file, a block at a
 * time in C order (memory: one block, plus, for a contiguous dataset, the dataset itself,
 * which HDF5 must be given whole when h5wasm creates it). A chunked dataset is created empty
 * with its final shape as its maximum shape, grown to that shape, then filled block by block.
 */
import type { Dtype, File, Group } from "h5wasm/node";
import { type DType, type TypedArray, dtypeInfo } from "../ndarray/dtype.js";
import { ascontiguousarray } from "../ndarray/copy.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { Hdf5ExistsError, Hdf5FormatError, Hdf5UnsupportedError } from "./errors.js";
import { hdf5Failure, loadH5wasm } from "./h5wasm-module.js";
import type { DatasetLayout } from "./write-options.js";
import { loadStagedBlock } from "./staged-blocks.js";

export interface DatasetToWrite {
  /** The dataset's path in the file, "/a/b". */
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly layout: DatasetLayout;
  /** Every block, in C order of blocks: its box and the staging file that holds it. */
  readonly blocks: ReadonlyArray<{ start: readonly number[]; stop: readonly number[]; file: string }>;
}

/** h5wasm's spelling of each dtype (struct-module codes; complex as h5py's compound {r, i}). */
const h5wasmTypes: Partial<Record<DType, Dtype>> = {
  int8: "<b", uint8: "<B", int16: "<h", uint16: "<H", int32: "<i", uint32: "<I", int64: "<q", uint64: "<Q",
  float32: "<f", float64: "<d", complex64: [["r", "<f"], ["i", "<f"]], complex128: [["r", "<d"], ["i", "<d"]],
};

/** Refuses a dtype the writer cannot give h5py back exactly (bool: h5wasm writes no enum type). */
export function checkWritableDtype(dtype: DType, where: string): void {
  if (h5wasmTypes[dtype] === undefined) {
    throw new Hdf5UnsupportedError(`toHdf5: ${where} is ${dtype}, which tessera's HDF5 writer (h5wasm) cannot store as h5py's ${dtype} (it writes no enum type); write x.astype("uint8") and convert when reading`);
  }
}

/** What write_slice takes for a block: its values, or, for complex, the r and i columns. */
function sliceData(block: NDArray): TypedArray | Map<string, TypedArray> {
  const values = ascontiguousarray(block);
  const info = dtypeInfo(values.dtype);
  const count = values.shape.reduce((a, b) => a * b, 1);
  const storage = values.storage.subarray(values.offset * info.lanes, (values.offset + count) * info.lanes);
  if (info.lanes === 1) return storage;
  const real = new (storage.constructor as Float64ArrayConstructor)(count);
  const imag = new (storage.constructor as Float64ArrayConstructor)(count);
  const pairs = storage as Float64Array;
  for (let i = 0; i < count; i++) {
    real[i] = pairs[2 * i];
    imag[i] = pairs[2 * i + 1];
  }
  return new Map([["r", real], ["i", imag]]);
}

/** The group that holds `name`, created along the way where missing. */
function parentGroup(file: File, name: string): { group: Group; leaf: string } {
  const parts = name.split("/").filter((part) => part !== "");
  let group: Group = file;
  for (const part of parts.slice(0, -1)) {
    const child = group.keys().includes(part) ? group.get(part) : group.create_group(part);
    if (!child || (child as { type?: string }).type !== "Group") throw new Hdf5ExistsError(`toHdf5: ${name} cannot be made: ${part} exists and is not a group`);
    group = child as Group;
  }
  const leaf = parts[parts.length - 1];
  if (group.keys().includes(leaf)) throw new Hdf5ExistsError(`toHdf5: the file already holds ${name}; write another dataset name, or overwrite: true to replace the whole file`);
  return { group, leaf };
}

function writeDataset(file: File, dataset: DatasetToWrite): void {
  const { name, shape, dtype, layout } = dataset;
  const { group, leaf } = parentGroup(file, name);
  const type = h5wasmTypes[dtype] as Dtype;
  const info = dtypeInfo(dtype);
  const size = shape.reduce((a, b) => a * b, 1);
  const columns = (count: number) => (info.lanes === 1 ? new info.array(count) : new Map([["r", new info.array(count)], ["i", new info.array(count)]]));
  const filter = layout.filter ? { compression: layout.filter.id, compression_opts: layout.filter.options } : {};
  const load = (path: string, start: readonly number[] = [], stop: readonly number[] = []) => loadStagedBlock(path, stop.map((end, axis) => end - start[axis]), dtype);
  if (shape.length === 0) {
    // A scalar dataspace takes no hyperslab: the one value is given when the dataset is made.
    group.create_dataset({ name: leaf, data: sliceData(load(dataset.blocks[0].file)), shape: [], dtype: type });
    return;
  }
  const created = layout.chunks === null
    ? group.create_dataset({ name: leaf, data: columns(size), shape: [...shape], dtype: type })
    : group.create_dataset({ name: leaf, data: columns(0), shape: shape.map(() => 0), maxshape: [...shape], chunks: layout.chunks, dtype: type, ...filter });
  if (layout.chunks !== null) created.resize([...shape]);
  for (const { start, stop, file: path } of dataset.blocks) {
    if (stop.some((end, axis) => end === start[axis])) continue;
    created.write_slice(start.map((s, axis) => [s, stop[axis]]), sliceData(load(path, start, stop)));
  }
}

/**
 * Writes `datasets` into the HDF5 file at `path`, a new one or (`append`) a copy of an
 * existing file the caller made there; the caller renames it into place once this returns.
 */
export async function writeHdf5File(path: string, datasets: readonly DatasetToWrite[], append: boolean): Promise<void> {
  const { h5wasm } = await loadH5wasm();
  let file: File;
  try {
    file = new h5wasm.File(path, append ? "a" : "w");
  } catch (error) {
    throw new Hdf5FormatError(`toHdf5: HDF5 cannot open ${path} for writing: ${hdf5Failure(error)}`, { cause: error });
  }
  try {
    for (const dataset of datasets) {
      try {
        writeDataset(file, dataset);
      } catch (error) {
        if (error instanceof Error && error.name.startsWith("Hdf5")) throw error;
        throw new Hdf5FormatError(`toHdf5: writing ${dataset.name} failed: ${hdf5Failure(error)}`, { cause: error });
      }
    }
  } finally {
    file.close();
  }
}
