/**
 * Writing an array to Zarr: one task per *storage* chunk, each assembling exactly that
 * chunk's region from the array's blocks and writing it atomically (temporary file +
 * rename). Writes therefore never straddle storage chunks: no read-modify-write, no two
 * tasks touching one chunk, and irregular array chunks (which Dask refuses) are fine.
 * With a token, each task then marks its chunk complete (for resuming, resume.ts); chunks
 * in `skip` are complete already and get no task.
 */
import { functionRefOf } from "../graph/function-travel.js";
import { writeChunk, writeChunkMarked, type ZarrRef } from "../zarr/index.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";

export class StoreExpr implements ArrayExpr {
  readonly kind = "store";
  constructor(readonly input: ArrayNode, readonly ref: ZarrRef, readonly storageChunks: Chunks, readonly skip: ReadonlySet<string> = new Set(), readonly token?: string) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(this.storageChunks);
    for (const index of blockIndices(blockCounts(this.storageChunks))) {
      if (this.skip.has(index.join("."))) continue;
      const { start, stop } = blockRegion(offsets, index);
      const region = ctx.region(this.input, start, stop);
      ctx.addBlock(self, index, this.token === undefined
        ? { fn: functionRefOf(writeChunk), args: [this.ref, index, region] }
        : { fn: functionRefOf(writeChunkMarked), args: [this.ref, index, region, this.token] });
    }
  }
}
