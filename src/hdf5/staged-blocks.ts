/**
 * toHdf5's staging files: each block a worker computed, as its raw C-ordered element bytes
 * (complex as interleaved (re, im) pairs), for the calling process to write into the HDF5
 * file. Shape and dtype travel in the graph, not in the file. A block is written to a
 * temporary name and renamed, so a file at its final name is always whole.
 */
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../core/atomic-file.js";
import { defineBuiltin } from "../core/builtin.js";
import { ascontiguousarray } from "../ndarray/copy.js";
import { type DType, dtypeInfo } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { Hdf5FormatError } from "./errors.js";

/** Saves `block`'s elements as `path`; gives back [bytes written] as a 1-element array. */
export const saveStagedBlock = defineBuiltin("hdf5.saveStagedBlock", function saveStagedBlock(block: NDArray, path: string): NDArray {
  const values = ascontiguousarray(block);
  const info = dtypeInfo(values.dtype);
  const storage = values.storage.subarray(values.offset * info.lanes, (values.offset + values.size) * info.lanes);
  const bytes = new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength);
  writeFileAtomic(path, bytes);
  return new NDArray(new Float64Array([bytes.length]), [1], { dtype: "float64" });
});

/** The block saved at `path`, which must hold `shape` elements of `dtype`. */
export function loadStagedBlock(path: string, shape: readonly number[], dtype: DType): NDArray {
  const bytes = readFileSync(path);
  const count = shape.reduce((a, b) => a * b, 1);
  const info = dtypeInfo(dtype);
  if (bytes.length !== count * info.itemsize) throw new Hdf5FormatError(`toHdf5: the staged block ${path} holds ${bytes.length} bytes, not the ${count * info.itemsize} of [${shape.join(", ")}] ${dtype}`);
  const data = allocate(dtype, count, false);
  new Uint8Array(data.buffer, data.byteOffset, bytes.length).set(bytes);
  return new NDArray(data, [...shape], { dtype });
}
