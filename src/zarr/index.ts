// The Zarr layer: what the lazy array layer and the workers call. Not a public entry point
// of the package; `tessera/array` re-exports what users need (fromZarr, toZarr).
export type { ZarrRef, ZarrArrayInfo } from "./zarr-ref.js";
export { openArray, openArrayForGraph } from "./open-array.js";
export { beginArrayWrite, beginRegionWrite, createArray, createArrayHeld, prepareArrayHeld, removeAbandonedWrites } from "./create-array.js";
export { closeWriteGate, openWriteGate } from "./write-gate.js";
export type { WriteLease } from "./write-lease.js";
export type { CreateArrayOptions } from "./create-array.js";
export type { CompressorSpec } from "./compressor-spec.js";
export { resolveCompressor } from "./compressor-spec.js";
export { readChunk, writeChunk, writeChunkPart, chunkExists } from "./chunk-io.js";
export { readResumeToken, writeChunkMarked } from "./chunk-markers.js";
export { type GenerationWrite, beginDataGeneration, readDataGeneration } from "./data-generation.js";
export { readRegion } from "./read-region.js";
export { beginGroupWrite, createGroupHeld, readGroupAttributes, writeGroupAttributesHeld } from "./create-group.js";
export { type OmeAxis, axesToWrite, metersPer } from "./ome-ngff-axes.js";
export {
  type MultiscaleDataset, type MultiscaleDescription, type MultiscaleRead, checkLevelDimensions, checkOmero, multiscalesAttributes, readMultiscale,
} from "./ome-ngff-metadata.js";
export { AtomicFileSystemStore } from "./atomic-fs-store.js";
export { isPartialWrite } from "./partial-files.js";
export {
  ZarrArrayChangedError, ZarrArrayExistsError, ZarrCorruptChunkError, ZarrForeignFilesError, ZarrInvalidKeyError, ZarrMetadataError, ZarrNotADirectoryError,
  ZarrNotFoundError, ZarrUnknownCodecError, ZarrUnsupportedError, ZarrWriteConflictError,
} from "./errors.js";
export { type ChunkGroupWrite, writeChunkGroup } from "./chunk-group-write.js";
