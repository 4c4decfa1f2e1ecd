/**
 * The sizes a lazy array may describe, checked before anything is built from them. A shape or
 * chunking that cannot exist must be refused up front: V8 answers an impossible allocation
 * (a list of half a billion chunk sizes, say) with a fatal abort that no try/catch can stop,
 * and an array that passes here but not there fails far from the call that made it.
 *
 *   - lengths and element counts stay exact JS integers (at most 2^53 − 1);
 *   - at most 2^24 blocks per array: every block becomes a task with its own key when the
 *     array is computed, and 16.7 million tasks are gigabytes of graph (Dask advises well
 *     under a million);
 *   - one block holds at most what one TypedArray can (ndarray's maxBlockElements).
 */
import { InvalidOptionError } from "../core/errors.js";
import { maxBlockElements } from "../ndarray/ndarray.js";

export const maxBlocksPerArray = 2 ** 24;

/** Refuses shapes that are not lists of exact non-negative integers with an exact size. */
export function checkArrayShape(shape: readonly number[], what: string): void {
  if (!Array.isArray(shape)) throw new InvalidOptionError(`${what}: shape must be a list of integers, got ${String(shape)}`);
  let size = 1;
  for (const n of shape) {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
      throw new InvalidOptionError(`${what}: shape [${shape.join(", ")}] must hold non-negative integers of at most 2^53 − 1`);
    }
    size *= n;
  }
  if (!Number.isSafeInteger(size)) {
    throw new InvalidOptionError(
      `${what}: shape [${shape.join(", ")}] has more than 2^53 − 1 elements, more than JavaScript numbers count exactly; tessera cannot index such an array`,
    );
  }
}

/**
 * Refuses a chunk grid before its chunk lists exist: `counts` blocks per axis, the largest
 * block `largest` elements along each axis. The message proposes chunks that would fit.
 */
export function checkBlockGrid(shape: readonly number[], counts: readonly number[], largest: readonly number[], what: string): void {
  const blocks = counts.reduce((a, b) => a * b, 1);
  if (blocks > maxBlocksPerArray) {
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
  const elements = largest.reduce((a, b) => a * b, 1);
  if (elements > maxBlockElements) {
    throw new InvalidOptionError(
      `${what}: a block of shape [${largest.join(", ")}] has ${elements} elements; one block holds at most ${maxBlockElements} ` +
        `(the TypedArray limit). Choose smaller chunks`,
    );
  }
}
