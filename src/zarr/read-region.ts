/**
 * Reading a box [start, stop) of an array: every chunk that overlaps the box is decoded
 * (a few at a time) and its overlap copied into one C-ordered result. Missing chunks
 * contribute the fill value.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { constantView, copyStrided } from "../ndarray/strided-copy.js";
import { fillSource, readStoredChunk } from "./chunk-io.js";
import { openedArray } from "./open-array.js";
import { type ZarrRef, resolveRef } from "./zarr-ref.js";

const concurrentChunkReads = 8;

function checkBox(shape: readonly number[], start: unknown, stop: unknown, where: string): void {
  const valid =
    Array.isArray(start) && Array.isArray(stop) && start.length === shape.length && stop.length === shape.length &&
    start.every((s, axis) => Number.isInteger(s) && s >= 0 && Number.isInteger(stop[axis]) && s <= stop[axis] && stop[axis] <= shape[axis]);
  if (!valid) {
    throw new InvalidOptionError(
      `region start ${JSON.stringify(start)} stop ${JSON.stringify(stop)} is not a box inside ${where}, of shape [${shape.join(", ")}]`,
    );
  }
}

/** Chunk coordinates from `first` to `last` (inclusive) on every axis, in C order. */
function* overlappingChunks(first: readonly number[], last: readonly number[]): Generator<number[]> {
  const coords = [...first];
  if (coords.some((c, axis) => c > last[axis])) return;
  while (true) {
    yield [...coords];
    let axis = coords.length - 1;
    while (axis >= 0 && coords[axis] === last[axis]) {
      coords[axis] = first[axis];
      axis--;
    }
    if (axis < 0) return;
    coords[axis]++;
  }
}

async function readRegionImpl(ref: ZarrRef, start: number[], stop: number[]): Promise<NDArray> {
  const array = await openedArray(resolveRef(ref));
  const { shape, chunks, dtype } = array.metadata;
  checkBox(shape, start, stop, array.where);
  const outShape = start.map((s, axis) => stop[axis] - s);
  const outStrides = cStrides(outShape);
  const data = allocate(dtype, shapeSize(outShape));
  const result = new NDArray(data, outShape, { dtype });
  if (result.size === 0) return result;

  const firstChunk = start.map((s, axis) => Math.floor(s / chunks[axis]));
  const lastChunk = stop.map((s, axis) => Math.ceil(s / chunks[axis]) - 1);
  const chunksToRead = overlappingChunks(firstChunk, lastChunk);
  const fill = fillSource(array);

  const copyChunk = async (coords: number[]) => {
    const stored = await readStoredChunk(array, coords);
    const lower = coords.map((c, axis) => Math.max(start[axis], c * chunks[axis]));
    const upper = coords.map((c, axis) => Math.min(stop[axis], (c + 1) * chunks[axis]));
    const overlap = lower.map((low, axis) => upper[axis] - low);
    const targetOffset = lower.reduce((sum, low, axis) => sum + (low - start[axis]) * outStrides[axis], 0);
    const target = { data, strides: outStrides, offset: targetOffset };
    if (!stored) {
      copyStrided(constantView(fill.data, shape.length), target, overlap);
      return;
    }
    const sourceOffset = lower.reduce((sum, low, axis) => sum + (low - coords[axis] * chunks[axis]) * stored.strides[axis], 0);
    copyStrided({ data: stored.data, strides: stored.strides, offset: sourceOffset }, target, overlap);
  };

  // The readers share one iterator: the chunk list is never materialized (a box may cover millions).
  const reader = async () => {
    for (let next = chunksToRead.next(); !next.done; next = chunksToRead.next()) await copyChunk(next.value);
  };
  const readers = Math.min(concurrentChunkReads, firstChunk.reduce((count, first, axis) => count * (lastChunk[axis] - first + 1), 1));
  await Promise.all(Array.from({ length: readers }, reader));
  return result;
}

/** Reads the box [start, stop) of an array into one C-ordered NDArray in shared memory. */
export const readRegion: (ref: ZarrRef, start: number[], stop: number[]) => Promise<NDArray> = defineBuiltin("zarr.readRegion", readRegionImpl);
