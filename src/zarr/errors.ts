/**
 * The refusals of the Zarr layer. Each names the store path (and component, chunk key or
 * codec) it is about and says what to do, so a message read in a worker's log is enough.
 */
import { TesseraError } from "../core/errors.js";

/** No store directory, no array at the component, or no node where one was expected. */
export class ZarrNotFoundError extends TesseraError {
  override name = "ZarrNotFoundError";
}

/** The store path names a file where a Zarr directory was expected. */
export class ZarrNotADirectoryError extends TesseraError {
  override name = "ZarrNotADirectoryError";
}

/** An array already exists where `createArray` was asked to make one without `overwrite`. */
export class ZarrArrayExistsError extends TesseraError {
  override name = "ZarrArrayExistsError";
}

/**
 * A directory that holds files which are not Zarr keys (a home directory, a data folder)
 * where an array or group was to be written: tessera neither writes among them nor deletes them.
 */
export class ZarrForeignFilesError extends TesseraError {
  override name = "ZarrForeignFilesError";
}

/** Another writer holds the array or group (its write lease), so this write would race it. */
export class ZarrWriteConflictError extends TesseraError {
  override name = "ZarrWriteConflictError";
}

/** A store key (from a component or a chunk key encoding) that would name a path outside the store. */
export class ZarrInvalidKeyError extends TesseraError {
  override name = "ZarrInvalidKeyError";
}

/** Metadata that is not valid JSON or lacks a field the format requires. */
export class ZarrMetadataError extends TesseraError {
  override name = "ZarrMetadataError";
}

/** A compressor or codec id that no registered codec implements. */
export class ZarrUnknownCodecError extends TesseraError {
  override name = "ZarrUnknownCodecError";
}

/** Valid Zarr that tessera does not handle: float16, complex, strings, sharded arrays, some codecs. */
export class ZarrUnsupportedError extends TesseraError {
  override name = "ZarrUnsupportedError";
}

/** A chunk whose bytes do not decode to exactly one chunk of the array. */
export class ZarrCorruptChunkError extends TesseraError {
  override name = "ZarrCorruptChunkError";
}

/**
 * The array a graph reads or writes was replaced after the graph was built (its metadata file
 * no longer holds the content the graph's layout came from; a touch or an identical rewrite
 * does not count): decoding its chunks with that layout would
 * give wrong values, so its tasks refuse. Build the graph again (fromZarr, toZarr) to use the new array.
 */
export class ZarrArrayChangedError extends TesseraError {
  override name = "ZarrArrayChangedError";
}
