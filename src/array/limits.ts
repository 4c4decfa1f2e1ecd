/**
 * The sizes a lazy array may describe, checked before anything is built from them. V8 answers
 * an impossible allocation made while describing an array (a list of half a billion chunk
 * sizes, say) with a fatal abort that no try/catch can stop, so the description is bounded up
 * front:
 *
 *   - every axis length is an exact JS integer (at most 2^53 − 1), so offsets stay exact;
 *   - at most 2^24 blocks per array: each axis's chunk sizes are a list in memory and every
 *     block becomes a task with its own key when the array is computed; 16.7 million tasks
 *     are gigabytes of graph (Dask advises well under a million).
 *
 * A huge array with huge blocks may still be described (and sliced before it is computed):
 * blocks are bounded where they are allocated, by ndarray's checkBlockSize, with an error
 * naming the block's shape.
 */
import { InvalidOptionError } from "../core/errors.js";
import { UnknownChunksError, unknownChunksMessage } from "./unknown-chunks-error.js";

export const maxBlocksPerArray = 2 ** 24;

/** Refuses shapes that are not lists of exact non-negative integers. */
export function checkArrayShape(shape: readonly number[], what: string): void {
  if (!Array.isArray(shape)) throw new InvalidOptionError(`${what}: shape must be a list of integers, got ${String(shape)}`);
  // NaN sizes are an array's unknown chunk sizes (unknown-chunks.ts), reaching an operation that needs them.
  if (shape.some((n) => Number.isNaN(n))) throw new UnknownChunksError(unknownChunksMessage(what));
  for (const n of shape) {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
      throw new InvalidOptionError(`${what}: shape [${shape.join(", ")}] must hold non-negative integers of at most 2^53 − 1`);
    }
  }
}

/**
 * Refuses a chunk grid before its chunk lists exist: `counts` blocks per axis, the largest
 * block `largest` elements along each axis. The message proposes chunks that would fit.
 */
export function checkBlockGrid(shape: readonly number[], counts: readonly number[], largest: readonly number[], what: string): void {
  const blocks = counts.reduce((a, b) => a * b, 1);
  if (!(blocks > maxBlocksPerArray)) return;
  // Double the chunks along the split axes until the grid fits.
  const suggestion = [...largest];
  const countOf = (size: number, axis: number): number => Math.max(1, Math.ceil(shape[axis] / size));
  while (suggestion.reduce((total, size, axis) => total * countOf(size, axis), 1) > maxBlocksPerArray) {
    suggestion.forEach((size, axis) => { if (countOf(size, axis) > 1) suggestion[axis] = Math.min(shape[axis], size * 2); });
  }
  throw new InvalidOptionError(
    `${what}: shape [${shape.join(", ")}] in chunks of at most [${largest.join(", ")}] makes ${blocks} blocks ([${counts.join(", ")}] per axis); ` +
      `an array may have at most ${maxBlocksPerArray} blocks (each becomes a task). Choose larger chunks, e.g. chunks: [${suggestion.join(", ")}]`,
  );
}

/** checkBlockGrid for a regular grid of `blockShape` blocks (the sizes a Zarr file or a store call states). */
export function checkRegularBlockGrid(shape: readonly number[], blockShape: readonly number[], what: string): void {
  checkBlockGrid(shape, shape.map((length, axis) => Math.ceil(length / blockShape[axis])), blockShape, what);
}
