/**
 * Chunk specifications, as dask.array's normalize_chunks reads them: a number (the same size
 * on every axis), one entry per axis (a size, -1 or null for the whole axis, "auto", or an
 * explicit list of sizes), or "auto" / a byte string for the whole array. "auto" aims at a
 * chunk of `array.chunk-size` bytes (128 MiB), keeping explicit axes as given.
 */
import { InvalidOptionError } from "../core/errors.js";
import { parseBytes } from "../core/units.js";

export type Chunks = number[][];
export type AxisChunkSpec = number | null | "auto" | readonly number[];
export type ChunkSpec = number | string | readonly AxisChunkSpec[] | Chunks;

export const defaultChunkBytes = 128 * 2 ** 20;

function regular(length: number, size: number): number[] {
  if (length === 0) return [0];
  const out: number[] = [];
  for (let start = 0; start < length; start += size) out.push(Math.min(size, length - start));
  return out;
}

export function normalizeChunks(spec: ChunkSpec, shape: readonly number[], itemsize: number, previous?: Chunks): Chunks {
  const ndim = shape.length;
  let perAxis: AxisChunkSpec[];
  let limit = defaultChunkBytes;
  if (typeof spec === "number") perAxis = shape.map(() => spec);
  else if (typeof spec === "string") {
    if (spec !== "auto") limit = parseBytes(spec, "chunks");
    perAxis = shape.map(() => "auto");
  } else perAxis = [...spec];
  if (perAxis.length !== ndim) {
    throw new InvalidOptionError(`chunks ${JSON.stringify(spec)} has ${perAxis.length} entries; the array has ${ndim} axes (shape [${shape.join(", ")}])`);
  }
  const out: Array<number[] | null> = perAxis.map((entry, axis) => {
    const length = shape[axis];
    if (entry === "auto") return null;
    if (entry === null || entry === -1) return regular(length, Math.max(length, 1));
    if (Array.isArray(entry)) {
      const sizes = [...entry] as number[];
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total !== length || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
        throw new InvalidOptionError(`chunks for axis ${axis} [${sizes.join(", ")}] must be non-negative integers summing to ${length}`);
      }
      return sizes;
    }
    const size = entry as number;
    if (!Number.isInteger(size) || size <= 0) {
      throw new InvalidOptionError(`chunk size ${JSON.stringify(entry)} for axis ${axis} must be a positive integer, -1 or null`);
    }
    return regular(length, Math.min(size, Math.max(length, 1)));
  });
  const autoAxes = out.map((c, axis) => (c === null ? axis : -1)).filter((axis) => axis >= 0);
  if (autoAxes.length > 0) {
    let fixedElements = 1;
    out.forEach((c) => { if (c) fixedElements *= Math.max(...c, 1); });
    let budget = limit / itemsize / fixedElements;
    let remaining = [...autoAxes];
    // Axes shorter than the ideal size take their whole length; the rest share the budget.
    for (let changed = true; changed && remaining.length > 0;) {
      changed = false;
      const ideal = Math.pow(Math.max(budget, 1), 1 / remaining.length);
      for (const axis of [...remaining]) {
        if (shape[axis] <= ideal) {
          out[axis] = regular(shape[axis], Math.max(shape[axis], 1));
          budget /= Math.max(shape[axis], 1);
          remaining = remaining.filter((a) => a !== axis);
          changed = true;
        }
      }
    }
    const ideal = Math.max(1, Math.floor(Math.pow(Math.max(budget, 1), 1 / Math.max(remaining.length, 1))));
    for (const axis of remaining) {
      const hint = previous?.[axis]?.[0];
      const size = hint && hint < ideal ? Math.max(hint, Math.floor(ideal / hint) * hint) : ideal;
      out[axis] = regular(shape[axis], Math.min(size, shape[axis]));
    }
  }
  return out as Chunks;
}

/** Start index of every chunk along each axis, plus the end. */
export function chunkOffsets(chunks: Chunks): number[][] {
  return chunks.map((sizes) => {
    const offsets = [0];
    for (const size of sizes) offsets.push(offsets[offsets.length - 1] + size);
    return offsets;
  });
}

/** The region [start, stop) that block `index` covers, from the grid's chunkOffsets. */
export function blockRegion(offsets: readonly number[][], index: readonly number[]): { start: number[]; stop: number[] } {
  return { start: index.map((i, a) => offsets[a][i]), stop: index.map((i, a) => offsets[a][i + 1]) };
}

export function blockCounts(chunks: Chunks): number[] {
  return chunks.map((sizes) => sizes.length);
}

/** Every block index of a grid, in C order. */
export function* blockIndices(counts: readonly number[]): Generator<number[]> {
  const total = counts.reduce((a, b) => a * b, 1);
  const index = new Array<number>(counts.length).fill(0);
  for (let n = 0; n < total; n++) {
    yield [...index];
    for (let axis = counts.length - 1; axis >= 0; axis--) {
      if (++index[axis] < counts[axis]) break;
      index[axis] = 0;
    }
  }
}

/** The half-open range of block numbers along one axis that intersect [start, stop). */
export function blocksOverlapping(offsets: readonly number[], start: number, stop: number): [number, number] {
  let first = 0;
  while (first < offsets.length - 2 && offsets[first + 1] <= start) first++;
  let last = first;
  while (last < offsets.length - 1 && offsets[last] < stop) last++;
  return [first, Math.max(last, first + 1)];
}

export function sameChunks(a: Chunks, b: Chunks): boolean {
  return a.length === b.length && a.every((sizes, axis) => sizes.length === b[axis].length && sizes.every((s, i) => s === b[axis][i]));
}
