/**
 * Integer-array indexing along one axis of a lazy array (`x.get(":", [5, 1, 1, 9])`), planned as
 * Dask 2022.12 plans it (`slicing.take` / `slicing_plan`): the index list is cut into runs of
 * consecutive entries that fall in the same input block, and each run is one output chunk read
 * from that one block, so no task gathers from more than one block per axis. An index in
 * order gives one chunk per block it touches; a shuffled one gives many small chunks (logged,
 * as Dask warns).
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { take } from "../ndarray/take.js";
import { blockCounts, blockIndices, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { addEmptyBlock, blockOf, selectionGrid } from "./selection-grid.js";

interface Run {
  block: number;
  start: number;
  stop: number;
}

export function takeNode(input: ArrayNode, axis: number, indices: readonly number[], warn: (message: string) => void): ArrayNode {
  const offsets = chunkOffsets(input.chunks)[axis];
  const runs: Run[] = [];
  indices.forEach((index, i) => {
    const block = blockOf(offsets, index);
    const last = runs[runs.length - 1];
    if (last && last.block === block) last.stop = i + 1;
    else runs.push({ block, start: i, stop: i + 1 });
  });
  const inputBlocks = input.chunks[axis].length;
  if (runs.length >= 10 * inputBlocks) {
    warn(`indexing axis ${axis} with an out-of-order list makes ${runs.length} chunks from ${inputBlocks}; sorting the index first gives fewer, larger tasks`);
  }
  const { shape, chunks } = selectionGrid(input, axis, 1, runs.map((r) => r.stop - r.start));
  const positions = Float64Array.from(indices);
  const name = `getitem-${tokenize(input.name, "take", axis, positions)}`;
  return { name, shape, chunks, dtype: input.dtype, expr: new TakeExpr(input, axis, positions, runs) };
}

class TakeExpr implements ArrayExpr {
  readonly kind = "take";
  constructor(readonly input: ArrayNode, readonly axis: number, readonly positions: Float64Array, readonly runs: readonly Run[]) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, axis } = this;
    const inputOffsets = chunkOffsets(input.chunks);
    const outputOffsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const run = this.runs[index[axis]];
      if (!run) {
        // No index at all: the one block along this axis is empty.
        addEmptyBlock(self, index, outputOffsets, ctx);
        continue;
      }
      const picked = this.positions.subarray(run.start, run.stop);
      let lo = Infinity;
      let hi = -Infinity;
      for (const p of picked) {
        lo = Math.min(lo, p);
        hi = Math.max(hi, p);
      }
      const start = index.map((i, a) => (a === axis ? lo : inputOffsets[a][i]));
      const stop = index.map((i, a) => (a === axis ? hi + 1 : inputOffsets[a][i + 1]));
      // A plain list travels in the task's header; the kernel reads it as NumPy reads a list.
      const local = Array.from(picked, (p) => p - lo);
      ctx.addBlock(self, index, { fn: functionRefOf(take), args: [ctx.region(input, start, stop), local, { axis }] });
    }
  }
}
