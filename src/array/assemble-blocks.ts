/**
 * The computed blocks of an array joined into one NDArray. Where the array's sizes are
 * unknown (unknown-chunks.ts), the blocks' own shapes give them.
 */
import { NDArray } from "../ndarray/ndarray.js";
import { assembleRegion } from "../ndarray/region-assembly.js";
import { blockCounts, blockIndices, chunkOffsets } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { chunksFromShapes, hasUnknownChunks } from "./unknown-chunks.js";

export function assembleBlocks(array: ArrayNode, blocks: NDArray[]): NDArray {
  const chunks = hasUnknownChunks(array.chunks) ? chunksFromShapes(blockCounts(array.chunks), blocks.map((b) => b.shape)) : array.chunks;
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  if (blocks.length === 1 && blocks[0] instanceof NDArray && blocks[0].shape.length === shape.length && blocks[0].shape.every((n, a) => n === shape[a])) {
    return blocks[0];
  }
  const offsets = chunkOffsets(chunks);
  const origins = [...blockIndices(blockCounts(chunks))].map((index) => index.map((i, a) => offsets[a][i]));
  return assembleRegion({
    blocks, origins, start: shape.map(() => 0), stop: [...shape], shape: [...shape],
    boundary: shape.map(() => ({ kind: "none" })), dtype: array.dtype,
  });
}
