/**
 * Reading a box [start, stop) of an array: every chunk that overlaps the box is decoded
 * (a few at a time; when the caller gives a cache budget, through this thread's chunk cache,
 * chunk-cache.ts, so the regions of neighbouring tasks do not decode their shared chunks again) and its overlap copied into one
 * C-ordered result. Missing chunks contribute the fill value. Axes of length 1 the caller
 * does not want (a squeezed view) can be dropped from the result without a copy.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { outputArray } from "../ndarray/block-recycling.js";
import { type DType, dtypeInfo } from "../ndarray/dtype.js";
import { constantView } from "../ndarray/strided-copy.js";
import { copyElements, lanesOf } from "./element-copy.js";
import { fillSource, readStoredChunk } from "./chunk-io.js";
import { cachedStoredChunk, chunkForWholeRead } from "./chunk-cache.js";
import type { DecodedChunk } from "./chunk-pipeline.js";
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

export interface ReadRegionOptions {
  /** Axes of the box, each of length 1, left out of the result. */
  dropAxes?: number[];
  /**
   * Decoded chunk bytes this thread may keep for the next reads (chunk-cache.ts), for reads
   * whose neighbours share storage chunks; 0 (the default) keeps none.
   */
  cacheBytes?: number;
}

function checkCacheBytes(options: ReadRegionOptions, where: string): number {
  const bytes = options.cacheBytes ?? 0;
  if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0) {
    throw new InvalidOptionError(`readRegion cacheBytes ${JSON.stringify(bytes)} for ${where} must be a number of bytes, 0 or more`);
  }
  return bytes;
}

const knownOptions = new Set(["dropAxes", "cacheBytes"]);

function checkDropAxes(options: ReadRegionOptions, start: readonly number[], stop: readonly number[], where: string): number[] {
  const drop = options.dropAxes ?? [];
  if (!Array.isArray(drop) || !drop.every((axis) => Number.isInteger(axis) && axis >= 0 && axis < start.length && stop[axis] - start[axis] === 1)) {
    throw new InvalidOptionError(`readRegion dropAxes ${JSON.stringify(drop)} must name axes of the box [${start.join(", ")}]–[${stop.join(", ")}] of ${where} that have length 1`);
  }
  return drop;
}

async function readRegionImpl(ref: ZarrRef, start: number[], stop: number[], options: ReadRegionOptions = {}): Promise<NDArray> {
  const array = await openedArray(resolveRef(ref));
  const { shape, dtype } = array.metadata;
  checkBox(shape, start, stop, array.where);
  const unknown = Object.keys(options ?? {}).filter((key) => !knownOptions.has(key));
  if (unknown.length > 0) throw new InvalidOptionError(`readRegion does not take ${unknown.join(", ")} (for ${array.where}); it takes dropAxes and cacheBytes`);
  const drop = checkDropAxes(options, start, stop, array.where);
  const result = await readBox(array, start, stop, checkCacheBytes(options, array.where));
  return drop.length === 0 ? result : new NDArray(result.storage, result.shape.filter((_, axis) => !drop.includes(axis)), { dtype });
}

/** A decoded chunk that can be a region's result as it is: C-ordered in shared memory (as readChunk returns it). */
function usableAsResult(stored: DecodedChunk, chunks: readonly number[], dtype: DType): boolean {
  const cOrder = cStrides(chunks);
  return stored.data.buffer instanceof SharedArrayBuffer && stored.data.byteOffset === 0 && stored.data.byteLength === shapeSize(chunks) * dtypeInfo(dtype).itemsize &&
    stored.strides.every((stride, axis) => stride === cOrder[axis] || chunks[axis] === 1);
}

async function readBox(array: Awaited<ReturnType<typeof openedArray>>, start: number[], stop: number[], cacheBytes: number): Promise<NDArray> {
  const { shape, chunks, dtype } = array.metadata;
  const outShape = start.map((s, axis) => stop[axis] - s);
  const outStrides = cStrides(outShape);
  const firstChunk = start.map((s, axis) => Math.floor(s / chunks[axis]));
  const lastChunk = stop.map((s, axis) => Math.ceil(s / chunks[axis]) - 1);
  // Exactly one whole stored chunk: its decode is the result, unless this thread's cache shares it.
  const wholeChunk = outShape.every((n, axis) => n === chunks[axis] && start[axis] % chunks[axis] === 0);
  let known: { coords: number[]; stored: DecodedChunk | undefined } | undefined;
  if (wholeChunk) {
    const { chunk: stored, shared } = await chunkForWholeRead(array, firstChunk, readStoredChunk, cacheBytes);
    if (stored && !shared && usableAsResult(stored, chunks, dtype)) return new NDArray(stored.data, outShape, { dtype });
    known = { coords: firstChunk, stored };
  }
  // Every element is written below (a chunk's overlap or the fill value): a large region may
  // take a buffer a fused task used up (ndarray/block-recycling.ts), e.g. the previous halo.
  const result = outputArray(outShape, dtype);
  const data = result.storage;
  const lanes = lanesOf(dtype);
  if (result.size === 0) return result;

  const chunksToRead = overlappingChunks(firstChunk, lastChunk);
  const fill = fillSource(array);

  const copyChunk = async (coords: number[]) => {
    const stored = known ? known.stored : await cachedStoredChunk(array, coords, readStoredChunk, cacheBytes);
    const lower = coords.map((c, axis) => Math.max(start[axis], c * chunks[axis]));
    const upper = coords.map((c, axis) => Math.min(stop[axis], (c + 1) * chunks[axis]));
    const overlap = lower.map((low, axis) => upper[axis] - low);
    const targetOffset = lower.reduce((sum, low, axis) => sum + (low - start[axis]) * outStrides[axis], 0);
    const target = { data, strides: outStrides, offset: targetOffset };
    if (!stored) {
      copyElements(constantView(fill.storage, shape.length), target, overlap, lanes);
      return;
    }
    const sourceOffset = lower.reduce((sum, low, axis) => sum + (low - coords[axis] * chunks[axis]) * stored.strides[axis], 0);
    copyElements({ data: stored.data, strides: stored.strides, offset: sourceOffset }, target, overlap, lanes);
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
export const readRegion: (ref: ZarrRef, start: number[], stop: number[], options?: ReadRegionOptions) => Promise<NDArray> =
  defineBuiltin("zarr.readRegion", readRegionImpl);
