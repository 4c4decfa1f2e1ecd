/**
 * The two expressions under ta.overlap. Both are one task per block at most, and neither runs
 * user code: overlap and the boundary pads are boxes of the input (a halo, a padded edge)
 * assembled as map_overlap's halos are (LowerContext.region, the boundary padding the cells
 * past the edges); a trim is a slice of each block.
 */
import { functionRefOf } from "../graph/function-travel.js";
import type { AxisBoundary } from "../ndarray/region-assembly.js";
import { slice } from "../ndarray/slice.js";
import { blockCounts, blockIndices, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";

/** Per axis, each output block's box [start, stop) in the input's coordinates (past its edges where the boundary pads). */
export type AxisBoxes = ReadonlyArray<ReadonlyArray<readonly [number, number]>>;

/**
 * Blocks that are boxes of the input: block (i, j, …) is the box boxes[0][i] × boxes[1][j] × …,
 * cells outside the input filled by `boundary`. The halos of da.overlap.overlap and the
 * padded edges of da.overlap.boundaries are both such boxes.
 */
export class BoxBlocksExpr implements ArrayExpr {
  readonly kind = "box-blocks";
  constructor(readonly input: ArrayNode, readonly boxes: AxisBoxes, readonly boundary: readonly AxisBoundary[]) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const start = index.map((i, axis) => this.boxes[axis][i][0]);
      const stop = index.map((i, axis) => this.boxes[axis][i][1]);
      // A box that is exactly one block of the input is that block, without a task of its own.
      ctx.addBlock(self, index, ctx.region(this.input, start, stop, this.boundary));
    }
  }
}

/** Per axis, the cells each block loses at its start and at its end. */
export type AxisCuts = ReadonlyArray<ReadonlyArray<readonly [number, number]>>;

/** Each block of the input with cuts[axis][i] cells cut off its two sides (da.overlap.trim_internal). */
export class TrimBlocksExpr implements ArrayExpr {
  readonly kind = "trim-blocks";
  constructor(readonly input: ArrayNode, readonly cuts: AxisCuts) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(this.input.chunks);
    for (const index of blockIndices(blockCounts(this.input.chunks))) {
      const start = index.map((i, axis) => offsets[axis][i]);
      const stop = index.map((i, axis) => offsets[axis][i + 1]);
      const block = ctx.region(this.input, start, stop);
      const cut = index.map((i, axis) => this.cuts[axis][i]);
      if (cut.every(([front, back]) => front === 0 && back === 0)) {
        ctx.addBlock(self, index, block);
        continue;
      }
      const items = cut.map(([front, back], axis) => ({ start: front, stop: stop[axis] - start[axis] - back }));
      ctx.addBlock(self, index, { fn: functionRefOf(slice), args: [block, ...items] });
    }
  }
}
