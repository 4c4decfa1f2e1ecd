/**
 * Writing several whole chunks from one block: a block that covers a box of storage chunks
 * (a group of the lazy array's blocks computed in one task, array/overlap-groups.ts) is cut
 * into its chunks, each written atomically as writeChunk writes it, and marked complete for
 * a resumable toZarr when a token is given (chunk-markers.ts). The encode of one chunk runs
 * while earlier chunks' files are being written. The group's chunk writes are under one claim
 * of the write's fence.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { NDArray } from "../ndarray/ndarray.js";
import { slice } from "../ndarray/slice.js";
import { writeChunk } from "./chunk-io.js";
import { writeChunkMarked } from "./chunk-markers.js";
import { type OpenedArray, openedArray } from "./open-array.js";
import { claimedWrite } from "./write-fence.js";
import { type ZarrRef, resolveRef } from "./zarr-ref.js";

export interface ChunkGroupWrite {
  /** Array index of the block's first element: a corner of a storage chunk. */
  origin: number[];
  /** Coordinates of the chunks to write, each inside the block (complete ones are left out). */
  chunks: number[][];
  /** The resumable toZarr's token: each chunk is marked complete after it lands. */
  token?: string;
}

/** Chunk files being written while the next chunk is encoded. */
const writesInFlight = 4;

async function writeChunkGroupImpl(ref: ZarrRef, request: ChunkGroupWrite, block: NDArray): Promise<void> {
  const array = await openedArray(resolveRef(ref));
  // One claim of the write's fence for the whole group (write-fence.ts), taken once the array
  // is open (its gate passed): a create and an unlink per task instead of per chunk, and a
  // release waits for the group's last chunk, as it would for one chunk.
  const { writeFence, ...unfenced } = ref;
  await claimedWrite(writeFence, array.where, () => writeGroup(unfenced, request, block, array));
}

async function writeGroup(ref: ZarrRef, request: ChunkGroupWrite, block: NDArray, array: OpenedArray): Promise<void> {
  const { shape, chunks } = array.metadata;
  if (!(block instanceof NDArray) || block.ndim !== shape.length) throw new InvalidOptionError(`writeChunkGroup needs an NDArray block with ${shape.length} axes for ${array.where}`);
  const { origin } = request;
  if (!origin.every((o, axis) => Number.isInteger(o) && o >= 0 && o % chunks[axis] === 0 && o + block.shape[axis] <= shape[axis])) {
    throw new InvalidOptionError(`a block of shape [${block.shape.join(", ")}] at [${origin.join(", ")}] does not start on a chunk corner inside ${array.where}`);
  }
  const pending = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (const coords of request.chunks) {
    if (failure) break;
    const items = coords.map((c, axis) => {
      const start = c * chunks[axis] - origin[axis];
      const stop = Math.min(start + chunks[axis], shape[axis] - origin[axis]);
      if (start < 0 || stop > block.shape[axis]) {
        throw new InvalidOptionError(`chunk [${coords.join(", ")}] of ${array.where} is not inside the block at [${origin.join(", ")}] of shape [${block.shape.join(", ")}]`);
      }
      return { start, stop };
    });
    const piece = slice(block, ...items);
    const write = request.token === undefined ? writeChunk(ref, coords, piece) : writeChunkMarked(ref, coords, piece, request.token);
    const tracked: Promise<void> = write.then(
      () => void pending.delete(tracked),
      (error: unknown) => {
        pending.delete(tracked);
        failure ??= { error };
      },
    );
    pending.add(tracked);
    if (pending.size >= writesInFlight) await Promise.race(pending);
  }
  // Every started write has settled before this returns (or throws): none outlives the task.
  await Promise.all(pending);
  if (failure) throw failure.error;
}

/** Writes every listed chunk of `block` (which starts at `request.origin`), each atomically. */
export const writeChunkGroup: (ref: ZarrRef, request: ChunkGroupWrite, block: NDArray) => Promise<void> =
  defineBuiltin("zarr.writeChunkGroup", writeChunkGroupImpl);
