/**
 * The read task of fromHdf5: one box [start, stop) of a dataset, read on the worker into a
 * C-ordered NDArray of the dtype the caller mapped (native byte order: HDF5 converts a
 * big-endian dataset while reading). The file must still be the version the array was made
 * from (its stamp): a file changed since is refused, so one result never mixes two versions.
 */
import { defineBuiltin } from "../core/builtin.js";
import { type DType, dtypeInfo } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { describeDataset, findDataset } from "./dataset-info.js";
import { Hdf5FileChangedError, Hdf5FormatError } from "./errors.js";
import { type FileStamp, sameStamp, stampOf } from "./file-stamp.js";
import { hdf5Failure, loadH5wasm } from "./h5wasm-module.js";
import { withOpenFile } from "./open-files.js";

/** Reads [start, stop) of dataset `name` of the file at `path` (absolute), whose stamp must be `stamp`. */
export const readRegion = defineBuiltin("hdf5.readRegion", async function readRegion(
  path: string, name: string, stamp: FileStamp, start: readonly number[], stop: readonly number[], dtype: DType,
): Promise<NDArray> {
  const what = `fromHdf5(${path}, ${name})`;
  const now = stampOf(path, what);
  if (!sameStamp(now, stamp)) {
    throw new Hdf5FileChangedError(`${what}: the file changed after the array was made from it (size or modification time differ); make the array again with fromHdf5`);
  }
  const shape = start.map((s, axis) => stop[axis] - s);
  const info = dtypeInfo(dtype);
  const count = shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, count);
  if (count === 0) return new NDArray(data, shape, { dtype });
  const { module } = await loadH5wasm();
  const bytes = new Uint8Array(data.buffer, data.byteOffset, count * info.itemsize);
  await withOpenFile(path, now, what, (file) => {
    const dataset = findDataset(file, name, what);
    const described = describeDataset(dataset, what);
    if (described.dtype !== dtype || described.shape.length !== shape.length) {
      throw new Hdf5FileChangedError(`${what}: the dataset is now ${described.dtype} of shape [${described.shape.join(", ")}], not the array's ${dtype}; make the array again with fromHdf5`);
    }
    const nbytes = bytes.length;
    if (dataset.metadata.size !== info.itemsize) throw new Hdf5FileChangedError(`${what}: the dataset's elements are ${dataset.metadata.size} bytes, not the ${info.itemsize} of ${dtype}`);
    const pointer = module._malloc(nbytes);
    if (pointer === 0) throw new Hdf5FormatError(`${what}: h5wasm could not allocate ${nbytes} bytes for a block of shape [${shape.join(", ")}]; use smaller chunks`);
    try {
      // A 0-d dataset has a scalar dataspace, which takes no hyperslab: it is read whole (null lists).
      const whole = shape.length === 0;
      module.get_dataset_data(file.file_id, dataset.path, whole ? null : shape.map(BigInt), whole ? null : start.map(BigInt), whole ? null : shape.map(() => 1n), BigInt(pointer));
      bytes.set(module.HEAPU8.subarray(pointer, pointer + nbytes));
    } catch (error) {
      throw new Hdf5FormatError(`${what}: reading [${start.join(", ")}] to [${stop.join(", ")}] failed: ${hdf5Failure(error)}`, { cause: error });
    } finally {
      module._free(pointer);
    }
  });
  if (dtype === "bool") {
    // h5py's bool is an int8 enum; any non-zero byte reads as True, as NumPy's view to bool does.
    for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i] === 0 ? 0 : 1;
  }
  return new NDArray(data, shape, { dtype });
});
