/**
 * Writing an array to Zarr: one task per *storage* chunk, each assembling exactly that
 * chunk's region from the array's blocks and writing it atomically (temporary file +
 * rename). Writes therefore never straddle storage chunks: no read-modify-write, no two
 * tasks touching one chunk, and irregular array chunks (which Dask refuses) are fine.
 * With a token, each task then marks its chunk complete (for resuming, resume.ts); chunks
 * in `skip` are complete already and get no task.
 */
import { builtinNameOf } from "../core/builtin.js";
import { writeChunk, writeChunkMarked, type ZarrRef } from "../zarr/index.js";
import { blockCounts, blockIndices, chunkOffsets, type Chunks } from "./chunks.js";
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
      const start = index.map((i, a) => offsets[a][i]);
      const stop = index.map((i, a) => offsets[a][i + 1]);
      const region = ctx.region(this.input, start, stop);
      ctx.addBlock(self, index, this.token === undefined
        ? { fn: { builtin: builtinNameOf(writeChunk) as string }, args: [this.ref, index, region] }
        : { fn: { builtin: builtinNameOf(writeChunkMarked) as string }, args: [this.ref, index, region, this.token] });
    }
  }
}
