/**
 * The refusals of the HDF5 layer. Each names the file (and dataset, dtype or filter) it is
 * about and says what to do, so a message read in a worker's log is enough.
 */
import { TesseraError } from "../core/errors.js";

/** No file at the path, no dataset at the name, or a group where a dataset was expected. */
export class Hdf5NotFoundError extends TesseraError {
  override name = "Hdf5NotFoundError";
}

/** The path names a file that is not HDF5 (no signature), or one HDF5 cannot open. */
export class Hdf5FormatError extends TesseraError {
  override name = "Hdf5FormatError";
}

/** A dtype, filter or layout tessera does not read or write: the message says what to do. */
export class Hdf5UnsupportedError extends TesseraError {
  override name = "Hdf5UnsupportedError";
}

/** The file changed after the array was made from it: its blocks would mix two versions. */
export class Hdf5FileChangedError extends TesseraError {
  override name = "Hdf5FileChangedError";
}

/** A target file or dataset that exists where a write was asked not to replace it. */
export class Hdf5ExistsError extends TesseraError {
  override name = "Hdf5ExistsError";
}
