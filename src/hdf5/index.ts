// The HDF5 layer (h5wasm): what the lazy array layer and the workers call. Not a public entry
// point of the package; `tessera/array` re-exports what users need (fromHdf5, toHdf5).
export { readRegion } from "./read-region.js";
export { type DatasetInfo, describeDataset, findDataset } from "./dataset-info.js";
export { type FileStamp, stampOf } from "./file-stamp.js";
export { closeOpenFiles, openFile, setHandleReuse, withOpenFile } from "./open-files.js";
export { loadH5wasm, hdf5Failure } from "./h5wasm-module.js";
export { Hdf5ExistsError, Hdf5FileChangedError, Hdf5FormatError, Hdf5NotFoundError, Hdf5UnsupportedError } from "./errors.js";
