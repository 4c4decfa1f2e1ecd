/**
 * Boolean-mask indexing of a lazy array with a concrete mask (`x.get(mask)`, `x.get(":", rowMask)`).
 * The mask is known, so the result's chunks are too (Dask, which also accepts lazy masks,
 * gives NaN chunk sizes here). The trues are taken in C order over the masked axes, as NumPy
 * does, which groups them by block along the first masked axis: one output chunk per such
 * block with any true, the chunking Dask gets by ravelling. Each chunk reads only the bounding
 * box of its trues, with the mask cut to that box.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { maskSelect } from "../ndarray/mask-select.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { blockCounts, blockIndices, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { callTask } from "./lower.js";
import { TaskRef } from "../protocol/payload.js";
import { addEmptyBlock, blockOf, selectionGrid } from "./selection-grid.js";

/** The trues of the mask that fall in one block along the first masked axis. */
interface MaskPiece {
  count: number;
  /** Bounding box of the trues over the masked axes. */
  lo: number[];
  hi: number[];
}

function maskPieces(mask: NDArray, firstAxisOffsets: readonly number[]): MaskPiece[] {
  const k = mask.ndim;
  const flags = mask.toTypedArray();
  const byBlock = new Map<number, MaskPiece>();
  const coords = new Array<number>(k).fill(0);
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] !== 0) {
      const block = blockOf(firstAxisOffsets, coords[0]);
      let piece = byBlock.get(block);
      if (!piece) byBlock.set(block, (piece = { count: 0, lo: [...coords], hi: [...coords] }));
      piece.count++;
      for (let d = 0; d < k; d++) {
        if (coords[d] < piece.lo[d]) piece.lo[d] = coords[d];
        if (coords[d] > piece.hi[d]) piece.hi[d] = coords[d];
      }
    }
    for (let d = k - 1; d >= 0; d--) {
      if (++coords[d] < mask.shape[d]) break;
      coords[d] = 0;
    }
  }
  // C order visits the blocks along the first axis in order.
  return [...byBlock.entries()].sort((a, b) => a[0] - b[0]).map(([, piece]) => piece);
}

export function maskSelectNode(input: ArrayNode, axis: number, mask: NDArray): ArrayNode {
  const k = mask.ndim;
  const pieces = maskPieces(mask, chunkOffsets(input.chunks)[axis]);
  const { shape, chunks } = selectionGrid(input, axis, k, pieces.map((piece) => piece.count));
  const name = `getitem-${tokenize(input.name, "mask", axis, mask)}`;
  return { name, shape, chunks, dtype: input.dtype, expr: new MaskSelectExpr(input, axis, mask, pieces) };
}

class MaskSelectExpr implements ArrayExpr {
  readonly kind = "mask-select";
  constructor(readonly input: ArrayNode, readonly axis: number, readonly mask: NDArray, readonly pieces: readonly MaskPiece[]) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, axis, mask } = this;
    const k = mask.ndim;
    const inputOffsets = chunkOffsets(input.chunks);
    const outputOffsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const piece = this.pieces[index[axis]];
      if (!piece) {
        addEmptyBlock(self, index, outputOffsets, ctx);
        continue;
      }
      // Input axis a: before the mask from the output index; masked: the box; after: shifted.
      const start: number[] = [];
      const stop: number[] = [];
      for (let a = 0; a < input.shape.length; a++) {
        if (a >= axis && a < axis + k) {
          start.push(piece.lo[a - axis]);
          stop.push(piece.hi[a - axis] + 1);
        } else {
          const i = index[a < axis ? a : a - k + 1];
          start.push(inputOffsets[a][i]);
          stop.push(inputOffsets[a][i + 1]);
        }
      }
      // The mask's box travels as a list of 0/1 in a small task of its own (fused into this one).
      const box = nd.slice(mask, ...piece.lo.map((lo, d) => ({ start: lo, stop: piece.hi[d] + 1 })));
      const boxKey = `${self.name}-mask-${index.join(".")}`;
      ctx.graph.add(callTask(boxKey, { fn: functionRefOf(nd.array), args: [Array.from(box.toTypedArray() as Uint8Array), { shape: [...box.shape], dtype: "bool" }] }));
      ctx.addBlock(self, index, { fn: functionRefOf(maskSelect), args: [ctx.region(input, start, stop), new TaskRef(boxKey), { axis }] });
    }
  }
}
