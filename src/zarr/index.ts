// The Zarr layer: what the lazy array layer and the workers call. Not a public entry point
// of the package; `tessera/array` re-exports what users need (fromZarr, toZarr).
export type { ZarrRef, ZarrArrayInfo } from "./zarr-ref.js";
export { openArray } from "./open-array.js";
export { createArray } from "./create-array.js";
export type { CreateArrayOptions } from "./create-array.js";
export type { CompressorSpec } from "./compressor-spec.js";
export { readChunk, writeChunk, chunkExists } from "./chunk-io.js";
export { writeChunkMarked } from "./chunk-markers.js";
export { readRegion } from "./read-region.js";
export { AtomicFileSystemStore, isPartialWrite } from "./atomic-fs-store.js";
export {
  ZarrArrayExistsError, ZarrCorruptChunkError, ZarrMetadataError, ZarrNotADirectoryError, ZarrNotFoundError,
  ZarrUnknownCodecError, ZarrUnsupportedError,
} from "./errors.js";
