/**
 * Writing an array into a Zarr array: the whole of it (toZarr), or a region of an existing
 * one (toZarr with `region`, store), Dask's `to_zarr(region=…)` / `da.store(regions=…)`.
 *
 * The expression's blocks are the pieces of the written box cut at *storage* chunk
 * boundaries (Dask's rechunk to `new_blockdim` before a region store), so each task writes
 * inside exactly one storage chunk and no two tasks touch one chunk. A piece that covers its
 * whole chunk is written as one atomic chunk write, no read needed; a piece that covers part
 * of a chunk (a region edge that is not on a chunk boundary) reads the stored chunk, pastes
 * itself in and writes the chunk back, which is safe only when nobody else writes that chunk
 * meanwhile (store.ts refuses such regions unless told `safeChunks: false`). For whole-array
 * writes the pieces are the storage chunks; irregular array chunks (which Dask refuses) are
 * fine. With a token, each whole-chunk task then marks its chunk complete (for resuming,
 * resume.ts); chunks in `skip` are complete already and get no task.
 */
import { functionRefOf } from "../graph/function-travel.js";
import { type ZarrRef, writeChunk, writeChunkMarked, writeChunkPart } from "../zarr/index.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";

/** Where the written array lands: the Zarr array's shape and storage chunks, and the box's corner. */
export interface StoreLayout {
  ref: ZarrRef;
  /** The target array's shape and (regular) storage chunk shape. */
  targetShape: readonly number[];
  storageChunks: readonly number[];
  /** The target index of the written array's element [0, 0, …]. */
  offset: readonly number[];
}

/** One task: the piece [start, stop) of the written array, inside storage chunk `coords`. */
export interface StorePiece {
  index: number[];
  start: number[];
  stop: number[];
  coords: number[];
  /** Where the piece starts inside its chunk. */
  offsetInChunk: number[];
  /** The piece covers its whole chunk (as far as the chunk lies inside the array). */
  whole: boolean;
}

/** The sizes of [offset, offset + length) cut at every multiple of `chunk`. */
function piecesAlong(offset: number, length: number, chunk: number): number[] {
  if (length === 0) return [0];
  const sizes: number[] = [];
  for (let at = offset; at < offset + length;) {
    const next = Math.min((Math.floor(at / chunk) + 1) * chunk, offset + length);
    sizes.push(next - at);
    at = next;
  }
  return sizes;
}

/** The written array's chunking: its box cut at the storage chunk boundaries. */
export function storePieceChunks(shape: readonly number[], layout: StoreLayout): Chunks {
  return shape.map((length, axis) => piecesAlong(layout.offset[axis], length, layout.storageChunks[axis]));
}

/** Every non-empty piece of a store node, in C order. */
export function* storePieces(chunks: Chunks, layout: StoreLayout): Generator<StorePiece> {
  const offsets = chunkOffsets(chunks);
  for (const index of blockIndices(blockCounts(chunks))) {
    const { start, stop } = blockRegion(offsets, index);
    if (start.some((s, axis) => s === stop[axis])) continue;
    const coords = start.map((s, axis) => Math.floor((s + layout.offset[axis]) / layout.storageChunks[axis]));
    const offsetInChunk = start.map((s, axis) => s + layout.offset[axis] - coords[axis] * layout.storageChunks[axis]);
    const whole = coords.every((c, axis) => {
      const extent = Math.min(layout.storageChunks[axis], layout.targetShape[axis] - c * layout.storageChunks[axis]);
      return offsetInChunk[axis] === 0 && stop[axis] - start[axis] === extent;
    });
    yield { index, start, stop, coords, offsetInChunk, whole };
  }
}

export class StoreExpr implements ArrayExpr {
  readonly kind = "store";
  constructor(
    readonly input: ArrayNode,
    readonly layout: StoreLayout,
    readonly skip: ReadonlySet<string> = new Set(),
    readonly token?: string,
  ) {}

  get inputs(): ArrayNode[] {
    return [this.input];
  }

  /** The pieces that get a task: all but the complete chunks in `skip`. */
  *pieces(self: ArrayNode): Generator<StorePiece> {
    for (const piece of storePieces(self.chunks, this.layout)) if (!this.skip.has(piece.coords.join("."))) yield piece;
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { ref } = this.layout;
    for (const piece of this.pieces(self)) {
      const region = ctx.region(this.input, piece.start, piece.stop);
      if (!piece.whole) ctx.addBlock(self, piece.index, { fn: functionRefOf(writeChunkPart), args: [ref, piece.coords, piece.offsetInChunk, region] });
      else if (this.token === undefined) ctx.addBlock(self, piece.index, { fn: functionRefOf(writeChunk), args: [ref, piece.coords, region] });
      else ctx.addBlock(self, piece.index, { fn: functionRefOf(writeChunkMarked), args: [ref, piece.coords, region, this.token] });
    }
  }
}
