/**
 * What integer-list and mask selection (take.ts, mask-select.ts) share: the selected axes
 * become one axis chunked by the pieces the selection is cut into (one task each), a block
 * with no piece (nothing selected at all) is an empty block, and positions are found in a
 * block grid by binary search.
 */
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { blockCounts, largestOf, type Chunks } from "./chunks.js";
import type { ArrayNode, LowerContext } from "./expr.js";
import { checkBlockGrid } from "./limits.js";

export { blockOf } from "./chunks.js";

/** Shape and chunks with axes [axis, axis + consumed) replaced by one axis of `pieces` sizes. */
export function selectionGrid(input: ArrayNode, axis: number, consumed: number, pieces: readonly number[]): { shape: number[]; chunks: Chunks } {
  const chunks: Chunks = [
    ...input.chunks.slice(0, axis).map((sizes) => [...sizes]),
    pieces.length > 0 ? [...pieces] : [0],
    ...input.chunks.slice(axis + consumed).map((sizes) => [...sizes]),
  ];
  const shape = chunks.map((sizes) => sizes.reduce((s, n) => s + n, 0));
  checkBlockGrid(shape, blockCounts(chunks), chunks.map(largestOf), "get");
  return { shape, chunks };
}

/** Adds block `index` of `self` as zeros of its shape (a selection of nothing). */
export function addEmptyBlock(self: ArrayNode, index: readonly number[], outputOffsets: readonly number[][], ctx: LowerContext): void {
  const blockShape = index.map((i, a) => outputOffsets[a][i + 1] - outputOffsets[a][i]);
  ctx.addBlock(self, index, { fn: functionRefOf(nd.zeros), args: [blockShape, self.dtype] });
}
