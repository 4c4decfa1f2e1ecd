/**
 * The halo overhead of a mapOverlap (cells read ÷ cells written, with one task per chunk) and,
 * when it is above 2×, the chunking that would bring it under: the course's advice on chunk
 * size for overlapping computations ("chunks much larger than the depth"), computed for the
 * user. Cells read are those inside the array (a boundary's padding is made, not read).
 */
export interface HaloAdvice {
  /** Cells read ÷ cells written when every chunk is one task. */
  overhead: number;
  /** Chunk sizes (whole multiples of the current ones, at most the shape) with overhead ≤ 2, or null when none is needed or none exists. */
  suggestedChunks: number[] | null;
}

/** Cells read ÷ cells written along one axis: each chunk reads its extent plus `depth` on each side, clipped to the array. */
function axisOverhead(length: number, chunk: number, depth: number): number {
  if (length === 0) return 1;
  let read = 0;
  for (let lo = 0; lo < length; lo += chunk) read += Math.min(length, lo + chunk + depth) - Math.max(0, lo - depth);
  return read / length;
}

function overheadOf(shape: readonly number[], chunks: readonly number[], depth: readonly number[]): number {
  return shape.reduce((product, length, axis) => product * axisOverhead(length, chunks[axis], depth[axis]), 1);
}

/** The overhead of chunks `chunks` (regular, per axis) with `depth` cells of halo per axis, and the advice. */
export function haloAdvice(shape: readonly number[], chunks: readonly number[], depth: readonly number[], limit = 2): HaloAdvice {
  const overhead = overheadOf(shape, chunks, depth);
  if (overhead <= limit) return { overhead, suggestedChunks: null };
  // Grow every axis with a halo by the same whole factor (capped at the shape) until it fits.
  for (let factor = 2; ; factor++) {
    const grown = chunks.map((chunk, axis) => (depth[axis] > 0 ? Math.min(shape[axis], chunk * factor) : chunk));
    if (overheadOf(shape, grown, depth) <= limit) return { overhead, suggestedChunks: grown };
    if (grown.every((chunk, axis) => depth[axis] === 0 || chunk === shape[axis])) return { overhead, suggestedChunks: null };
  }
}

/** One line for a person: the overhead and, when too high, the chunks to use instead. */
export function describeHaloAdvice(chunks: readonly number[], depth: readonly number[], advice: HaloAdvice): string {
  const ratio = `${advice.overhead.toFixed(1)}×`;
  const what = `halo overhead with chunks (${chunks.join(", ")}) and depth ${depth.every((d) => d === depth[0]) ? depth[0] : `(${depth.join(", ")})`}: ${ratio} cells read per cell written`;
  if (advice.overhead <= 2) return what;
  return advice.suggestedChunks
    ? `${what}; chunks of (${advice.suggestedChunks.join(", ")}) would bring it under 2× (tessera already computes neighbouring chunks together, which cuts it)`
    : `${what}; no chunking of this shape brings it under 2× (the depth is large against the array)`;
}
