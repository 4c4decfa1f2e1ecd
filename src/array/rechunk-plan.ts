/**
 * Planning a rechunk (after dask.array's plan_rechunk, simplified). A rechunk is a view: each
 * new block assembles its region from the old blocks it overlaps. That is ideal when old and
 * new chunks are alike, but a transposition-like rechunk (rows to columns) makes every new
 * block read every old block along an axis: old × new edges, an all-to-all graph. When the
 * edges exceed `threshold` × (old + new blocks), an intermediate chunking is materialised:
 * per axis the coarser of the two, as long as its blocks stay under the chunk-size limit,
 * so each step touches few blocks.
 */
import { largestOf, type Chunks } from "./chunks.js";

/** Edges of old→new: per axis, the blocks of either side that some block of the other meets. */
export function rechunkEdges(from: Chunks, to: Chunks): number {
  return from.reduce((edges, sizes, axis) => edges * (sizes.length + to[axis].length - 1), 1);
}

const blocks = (chunks: Chunks) => chunks.reduce((n, sizes) => n * sizes.length, 1);
const largestBlockBytes = (chunks: Chunks, itemsize: number) => chunks.reduce((n, sizes) => n * Math.max(largestOf(sizes), 1), itemsize);

/** The intermediate chunkings to materialise between `from` and `to` (none, or one). */
export function planRechunk(from: Chunks, to: Chunks, itemsize: number, limitBytes: number, threshold = 4): Chunks[] {
  const direct = rechunkEdges(from, to);
  if (direct <= threshold * (blocks(from) + blocks(to))) return [];
  const middle: Chunks = from.map((sizes, axis) => (sizes.length <= to[axis].length ? [...sizes] : [...to[axis]]));
  // Too big a block: take the finer chunking back on the axes where it shrinks blocks most.
  const axes = middle.map((_, axis) => axis).sort((a, b) => largestOf(middle[b]) - largestOf(middle[a]));
  for (const axis of axes) {
    if (largestBlockBytes(middle, itemsize) <= limitBytes) break;
    middle[axis] = from[axis].length > to[axis].length ? [...from[axis]] : [...to[axis]];
  }
  if (largestBlockBytes(middle, itemsize) > limitBytes) return [];
  const stepped = rechunkEdges(from, middle) + rechunkEdges(middle, to);
  return stepped < direct ? [middle] : [];
}
