/**
 * The computed blocks of an array joined into one NDArray. Where the array's sizes are
 * unknown (unknown-chunks.ts), the blocks' own shapes give them; where they are known, a block
 * of another shape (a user's function in mapBlocks / blockwise / reduction returning more or
 * fewer elements than its chunks say) is refused by name: joined, it would leave zeros or be
 * cut short, silently (Dask returns an array of another shape than it declared).
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray } from "../ndarray/ndarray.js";
import { assembleRegion } from "../ndarray/region-assembly.js";
import { blockCounts, blockIndices, chunkOffsets } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { chunksFromShapes, hasUnknownChunks } from "./unknown-chunks.js";

export function assembleBlocks(array: ArrayNode, blocks: NDArray[]): NDArray {
  const chunks = hasUnknownChunks(array.chunks) ? chunksFromShapes(blockCounts(array.chunks), blocks.map((b) => b.shape)) : array.chunks;
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  if (blocks.length === 1 && blocks[0] instanceof NDArray && blocks[0].dtype === array.dtype && blocks[0].shape.length === shape.length && blocks[0].shape.every((n, a) => n === shape[a])) {
    return blocks[0];
  }
  refuseBlocksOfAnotherDType(array, blocks);
  if (!hasUnknownChunks(array.chunks)) refuseMisshapenBlocks(array, blocks);
  const offsets = chunkOffsets(chunks);
  const origins = [...blockIndices(blockCounts(chunks))].map((index) => index.map((i, a) => offsets[a][i]));
  return assembleRegion({
    blocks, origins, start: shape.map(() => 0), stop: [...shape], shape: [...shape],
    boundary: shape.map(() => ({ kind: "none" })), dtype: array.dtype,
  });
}

function refuseMisshapenBlocks(array: ArrayNode, blocks: NDArray[]): void {
  let i = 0;
  for (const index of blockIndices(blockCounts(array.chunks))) {
    const block = blocks[i++];
    const expected = index.map((b, a) => array.chunks[a][b]);
    if (!(block instanceof NDArray)) continue;
    if (block.shape.length !== expected.length || block.shape.some((n, a) => n !== expected[a])) {
      throw new InvalidOptionError(
        `${array.name}: block [${index.join(", ")}] has shape [${block.shape.join(", ")}] where the array's chunks give [${expected.join(", ")}]; ` +
          "the function that made it returned another shape than declared (give the output's chunks: chunks / adjustChunks / dropAxis / newAxis, or keepdims as the call passes it)",
      );
    }
  }
}

/**
 * A block of another dtype than the array's: joined, it would be cast to the declared dtype
 * (float results truncated into an int array), where a lone block would come back as it is.
 */
function refuseBlocksOfAnotherDType(array: ArrayNode, blocks: NDArray[]): void {
  const odd = blocks.findIndex((block) => block instanceof NDArray && block.dtype !== array.dtype);
  if (odd < 0) return;
  throw new InvalidOptionError(
    `${array.name}: block ${odd} (in C order) has dtype ${blocks[odd].dtype} where the array declares ${array.dtype}; ` +
      "the function that made it returned another dtype than declared (give its output's dtype: the dtype option, or astype inside the function)",
  );
}
