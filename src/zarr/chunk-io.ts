/**
 * Whole-chunk reads and writes: what the lazy array layer's tasks call on workers.
 *
 * A chunk is seen as the array sees it: an edge chunk is cut to the array's bounds on read,
 * and padded with the fill value on write (the bytes stored are always a full chunk, as
 * zarr-python stores them). A chunk with no file reads as the fill value. Writes go through
 * the atomic store, so a reader never sees a partial chunk and a killed writer leaves none.
 *
 * A write through a ref with a write fence (a toZarr's store task) claims it for the chunk's
 * read-modify-write and store only (write-fence.ts): after the array is opened (and its write
 * gate passed), so a release never waits for a task that waits for its gate.
 *
 * The exported functions take plain data (a ZarrRef and numbers) and are tagged as builtins,
 * so tasks can name them across processes.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { type DType, type TypedArray, dtypeInfo } from "../ndarray/dtype.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { type ZarrFillValue, copyElements, fillElements, isZeroFill, lanesOf } from "./element-copy.js";
import { borrowChunkBuffer, returnChunkBuffer, returnEncodedBytes } from "./chunk-scratch.js";
import type { DecodedChunk } from "./chunk-pipeline.js";
import { type OpenedArray, openedArray } from "./open-array.js";
import { claimedWrite } from "./write-fence.js";
import { type ZarrRef, resolveRef } from "./zarr-ref.js";

/** Chunks per axis: ceil(shape / chunks). */
function chunkGridShape(array: OpenedArray): number[] {
  const { shape, chunks } = array.metadata;
  return shape.map((n, axis) => Math.ceil(n / chunks[axis]));
}

/** The chunk's extent inside the array (edge chunks are shorter). */
export function chunkExtent(array: OpenedArray, coords: readonly number[]): number[] {
  const { shape, chunks } = array.metadata;
  return coords.map((c, axis) => Math.min(chunks[axis], shape[axis] - c * chunks[axis]));
}

export function checkChunkCoords(array: OpenedArray, coords: unknown): number[] {
  const grid = chunkGridShape(array);
  if (
    !Array.isArray(coords) || coords.length !== grid.length ||
    !coords.every((c, axis) => Number.isInteger(c) && c >= 0 && c < grid[axis])
  ) {
    throw new InvalidOptionError(
      `chunk coordinates ${JSON.stringify(coords)} are outside ${array.where}, whose chunk grid is [${grid.join(", ")}]`,
    );
  }
  return coords as number[];
}

/** The stored chunk decoded in full (chunk shape, native order), or undefined when it has no file. */
export async function readStoredChunk(array: OpenedArray, coords: readonly number[]): Promise<DecodedChunk | undefined> {
  const key = array.chunkKey(coords);
  const bytes = await array.store.get(key);
  if (!bytes) return undefined;
  return array.pipeline.decode(bytes, key.slice(1));
}

/** Fills a newly allocated (zeroed) TypedArray with a Zarr fill value; null reads as 0. */
export function fillWith(data: TypedArray, dtype: DType, value: ZarrFillValue): void {
  if (isZeroFill(value)) return; // new buffers start zeroed
  fillAll(data, dtype, value);
}

/** Fills every element of a buffer that may hold old data (a reused one) with a Zarr fill value. */
function fillAll(data: TypedArray, dtype: DType, value: ZarrFillValue): void {
  fillElements(data, dtype, value);
}

/** A one-element buffer holding the fill value, for broadcasting into missing chunks. */
export function fillSource(array: OpenedArray): NDArray {
  const data = allocate(array.metadata.dtype, 1, false);
  fillWith(data, array.metadata.dtype, array.metadata.fillValue);
  return new NDArray(data, [1], { dtype: array.metadata.dtype });
}

async function readChunkImpl(ref: ZarrRef, chunkCoords: number[]): Promise<NDArray> {
  const array = await openedArray(resolveRef(ref));
  const coords = checkChunkCoords(array, chunkCoords);
  const { dtype, chunks } = array.metadata;
  const extent = chunkExtent(array, coords);
  const stored = await readStoredChunk(array, coords);
  if (stored) {
    const isWhole = extent.every((n, axis) => n === chunks[axis]);
    const cOrder = cStrides(chunks);
    const isCOrder = stored.strides.every((stride, axis) => stride === cOrder[axis] || chunks[axis] === 1);
    if (isWhole && isCOrder && stored.data.buffer instanceof SharedArrayBuffer) {
      return new NDArray(stored.data, chunks, { dtype });
    }
  }
  const data = allocate(dtype, shapeSize(extent));
  const target = { data, strides: cStrides(extent), offset: 0 };
  if (stored) copyElements({ data: stored.data, strides: stored.strides, offset: 0 }, target, extent, lanesOf(dtype));
  else fillWith(data, dtype, array.metadata.fillValue);
  return new NDArray(data, extent, { dtype });
}

/** Where a block is written: the opened array, the checked chunk coordinates and the chunk's extent. */
export interface ChunkWriteTarget {
  array: OpenedArray;
  coords: number[];
  extent: number[];
}

/**
 * The array, checked chunk coordinates and the chunk's extent for a write of `block`, refusing
 * a block of another dtype and an array stored with a codec tessera cannot encode.
 */
export async function openForBlockWrite(ref: ZarrRef, chunkCoords: number[], block: NDArray, what: string): Promise<ChunkWriteTarget> {
  const array = await openedArray(resolveRef(ref));
  array.pipeline.checkWritable();
  const coords = checkChunkCoords(array, chunkCoords);
  if (!(block instanceof NDArray)) throw new InvalidOptionError(`${what} needs an NDArray block for ${array.where}`);
  if (block.dtype !== array.metadata.dtype) {
    throw new InvalidOptionError(`block dtype ${block.dtype} does not match ${array.where}, which holds ${array.metadata.dtype}; cast the block first`);
  }
  return { array, coords, extent: chunkExtent(array, coords) };
}

/** Runs `write` under a claim of the ref's write fence, if it has one. */
export function fencedWrite<T>(ref: ZarrRef, target: ChunkWriteTarget, write: () => Promise<T>): Promise<T> {
  return claimedWrite(resolveRef(ref).writeFence, target.array.where, write);
}

async function writeChunkImpl(ref: ZarrRef, chunkCoords: number[], block: NDArray): Promise<void> {
  const target = await openForBlockWrite(ref, chunkCoords, block, "writeChunk");
  await fencedWrite(ref, target, () => storeChunk(target, block));
}

/** Encodes `block` (the chunk's in-bounds shape, or the full chunk) and stores it as the chunk's key, atomically. */
export async function storeChunk({ array, coords, extent }: ChunkWriteTarget, block: NDArray): Promise<void> {
  const { dtype, chunks, fillValue } = array.metadata;
  const fitsExtent = block.shape.length === extent.length && block.shape.every((n, axis) => n === extent[axis]);
  const fitsChunk = block.shape.length === chunks.length && block.shape.every((n, axis) => n === chunks[axis]);
  if (!fitsExtent && !fitsChunk) {
    throw new InvalidOptionError(
      `block of shape [${block.shape.join(", ")}] does not fit chunk [${coords.join(", ")}] of ${array.where}, ` +
        `which needs shape [${extent.join(", ")}]${fitsExtent ? "" : ` (or the full chunk [${chunks.join(", ")}])`}`,
    );
  }
  const size = shapeSize(chunks);
  const itemsize = dtypeInfo(dtype).itemsize;
  let data = block.storage;
  // The codecs encode the whole underlying buffer: only a buffer that is exactly this chunk goes as is.
  const usableAsIs = fitsChunk && block.offset === 0 && block.isContiguous() &&
    data.byteOffset === 0 && data.buffer.byteLength === size * itemsize;
  if (!usableAsIs) {
    // Every element is written below (fill, then the block), so a reused buffer's old contents never show.
    data = borrowChunkBuffer(dtype, size);
    if (!fitsChunk) fillAll(data, dtype, fillValue);
    copyElements({ data: block.storage, strides: block.strides, offset: block.offset }, { data, strides: cStrides(chunks), offset: 0 }, block.shape, lanesOf(dtype));
  }
  let bytes: Uint8Array | undefined;
  try {
    const key = array.chunkKey(coords);
    bytes = await array.pipeline.encode(data, key.slice(1));
    // Uncompressed, the bytes may be the buffer itself: it goes back only once they are stored.
    await array.store.set(key, bytes);
  } finally {
    // The encoded frame, when the write pool lent it, goes back too (once its file is written).
    if (bytes && bytes.buffer !== data.buffer) returnEncodedBytes(bytes);
    if (!usableAsIs) returnChunkBuffer(data);
  }
}

/**
 * Writes `block` into part of a chunk, at `offset` inside it: the stored chunk (or the fill
 * value) is read, the block pasted in, and the whole chunk written atomically. Safe only when
 * no other task or process writes the same chunk meanwhile (store.ts's `safeChunks` rule).
 */
async function writeChunkPartImpl(ref: ZarrRef, chunkCoords: number[], offset: number[], block: NDArray): Promise<void> {
  const target = await openForBlockWrite(ref, chunkCoords, block, "writeChunkPart");
  const { array, coords, extent } = target;
  const { dtype, chunks, fillValue } = array.metadata;
  const fits = Array.isArray(offset) && offset.length === extent.length && block.shape.length === extent.length &&
    offset.every((o, axis) => Number.isInteger(o) && o >= 0 && o + block.shape[axis] <= extent[axis]);
  if (!fits) {
    throw new InvalidOptionError(
      `block of shape [${block.shape.join(", ")}] at offset ${JSON.stringify(offset)} does not fit inside chunk [${coords.join(", ")}] ` +
        `of ${array.where}, whose extent is [${extent.join(", ")}]`,
    );
  }
  // The read is claimed too: a chunk read before a release and written after it would undo a later writer's.
  await fencedWrite(ref, target, async () => {
    const data = allocate(dtype, shapeSize(chunks), false);
    const strides = cStrides(chunks);
    const stored = await readStoredChunk(array, coords);
    if (stored) copyElements({ data: stored.data, strides: stored.strides, offset: 0 }, { data, strides, offset: 0 }, chunks, lanesOf(dtype));
    else fillWith(data, dtype, fillValue);
    const at = offset.reduce((sum, o, axis) => sum + o * strides[axis], 0);
    copyElements({ data: block.storage, strides: block.strides, offset: block.offset }, { data, strides, offset: at }, block.shape, lanesOf(dtype));
    await storeChunk(target, new NDArray(data, chunks, { dtype }));
  });
}

async function chunkExistsImpl(ref: ZarrRef, chunkCoords: number[]): Promise<boolean> {
  const array = await openedArray(resolveRef(ref));
  return array.store.has(array.chunkKey(checkChunkCoords(array, chunkCoords)));
}

/**
 * Reads one chunk as the array sees it: edge chunks cut to the array's bounds, a missing
 * chunk filled with the fill value. C-ordered, in shared memory.
 */
export const readChunk: (ref: ZarrRef, chunkCoords: number[]) => Promise<NDArray> = defineBuiltin("zarr.readChunk", readChunkImpl);

/**
 * Writes one whole chunk atomically. `block` has the chunk's in-bounds shape (or the full
 * chunk shape); an edge chunk is padded with the fill value before encoding.
 */
export const writeChunk: (ref: ZarrRef, chunkCoords: number[], block: NDArray) => Promise<void> = defineBuiltin("zarr.writeChunk", writeChunkImpl);

/** Writes `block` at `offset` inside one chunk, keeping the rest of the chunk (read, modify, write). */
export const writeChunkPart: (ref: ZarrRef, chunkCoords: number[], offset: number[], block: NDArray) => Promise<void> =
  defineBuiltin("zarr.writeChunkPart", writeChunkPartImpl);

/** Whether the chunk has a file (a missing chunk reads as the fill value). */
export const chunkExists: (ref: ZarrRef, chunkCoords: number[]) => Promise<boolean> = chunkExistsImpl;
