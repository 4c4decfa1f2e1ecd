/**
 * Chunk specifications, as dask.array's normalize_chunks reads them: a number (the same size
 * on every axis), one entry per axis (a size, -1 or null for the whole axis, "auto", a byte
 * string such as "64MiB" meaning "auto" with that target, or an explicit list of sizes), a
 * dict `{ axis: entry }` (missing axes whole), or "auto" / a byte string for the whole array.
 * "auto" aims at a chunk of `array.chunk-size` bytes (128 MiB), keeping explicit axes as given.
 *
 * Sizes are planned first and the grid is checked (limits.ts) before any chunk list is built.
 */
import { InvalidOptionError } from "../core/errors.js";
import { parseBytes } from "../core/units.js";
import { arrayChunkSizeBytes } from "../config/sections.js";
import { autoSizesFromPrevious } from "./auto-chunks-previous.js";
import { checkArrayShape, checkBlockGrid } from "./limits.js";

export type Chunks = number[][];
export type AxisChunkSpec = number | null | string | readonly number[];
export type ChunkSpec = number | string | readonly AxisChunkSpec[] | Chunks | { readonly [axis: number]: AxisChunkSpec };

/**
 * The target of "auto" chunks and the rechunk planner's block limit: the config key
 * `array.chunk-size` (default 128 MiB), read at each call as Dask reads it.
 */
export function autoChunkBytes(): number {
  return arrayChunkSizeBytes();
}

function regular(length: number, size: number): number[] {
  if (length === 0) return [0];
  const out: number[] = [];
  for (let start = 0; start < length; start += size) out.push(Math.min(size, length - start));
  return out;
}

function isDictSpec(spec: ChunkSpec): spec is { readonly [axis: number]: AxisChunkSpec } {
  return typeof spec === "object" && spec !== null && !Array.isArray(spec);
}

/** The axis a dict key names (negative counts from the end), or an error naming the key. */
function dictAxis(key: string, ndim: number, spec: unknown): number {
  const value = Number(key);
  const axis = value < 0 ? value + ndim : value;
  if (key.trim() === "" || !Number.isInteger(value) || axis < 0 || axis >= ndim) {
    throw new InvalidOptionError(`chunks ${JSON.stringify(spec)}: key ${JSON.stringify(key)} is not an axis of an array with ${ndim} axes`);
  }
  return axis;
}

/**
 * One entry per axis from any spec. A dict's missing axes get `missing(axis)`: the whole axis
 * (null) when making an array, the current chunks in rechunk (Dask's two readings).
 */
export function chunkEntries(spec: ChunkSpec, ndim: number, missing: (axis: number) => AxisChunkSpec = () => null): AxisChunkSpec[] {
  if (typeof spec === "number" || typeof spec === "string") return new Array<AxisChunkSpec>(ndim).fill(spec);
  if (Array.isArray(spec)) return [...(spec as readonly AxisChunkSpec[])];
  if (isDictSpec(spec)) {
    const out: Array<AxisChunkSpec | undefined> = new Array<AxisChunkSpec | undefined>(ndim).fill(undefined);
    for (const [key, entry] of Object.entries(spec)) {
      const axis = dictAxis(key, ndim, spec);
      if (out[axis] !== undefined) throw new InvalidOptionError(`chunks ${JSON.stringify(spec)} names axis ${axis} twice`);
      out[axis] = entry;
    }
    return out.map((entry, axis) => entry ?? missing(axis));
  }
  throw new InvalidOptionError(`chunks ${String(spec)} is not a number, a string, a list or a { axis: size } object`);
}

/** The largest of many sizes (a spread into Math.max overflows the stack for long lists). */
export function largestOf(sizes: readonly number[]): number {
  let largest = 0;
  for (const size of sizes) if (size > largest) largest = size;
  return largest;
}

/** The smallest of many sizes (Infinity for none; a spread into Math.min overflows the stack for long lists). */
export function smallestOf(sizes: readonly number[]): number {
  let smallest = Infinity;
  for (const size of sizes) if (size < smallest) smallest = size;
  return smallest;
}

/** Per axis: a regular size to expand, an explicit list, or "auto". */
type PlannedAxis = { size: number } | { sizes: number[] } | "auto";

export function normalizeChunks(spec: ChunkSpec, shape: readonly number[], itemsize: number, previous?: Chunks, what = "chunks"): Chunks {
  checkArrayShape(shape, what);
  const ndim = shape.length;
  const entries = chunkEntries(spec, ndim);
  if (entries.length !== ndim) {
    throw new InvalidOptionError(`chunks ${JSON.stringify(spec)} has ${entries.length} entries; the array has ${ndim} axes (shape [${shape.join(", ")}])`);
  }
  let limit: number | undefined;
  const plan: PlannedAxis[] = entries.map((entry, axis) => {
    const length = shape[axis];
    if (typeof entry === "string") {
      if (entry !== "auto") {
        const bytes = parseBytes(entry, `chunks for axis ${axis}`);
        if (limit !== undefined && bytes !== limit) throw new InvalidOptionError(`chunks ${JSON.stringify(spec)} gives two different byte targets (${limit} and ${bytes}); give one`);
        limit = bytes;
      }
      return "auto";
    }
    if (entry === null || entry === -1) return { size: Math.max(length, 1) };
    if (Array.isArray(entry)) {
      const sizes = [...entry] as number[];
      const total = sizes.reduce((a, b) => a + b, 0);
      if (sizes.length === 0 || total !== length || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
        throw new InvalidOptionError(`chunks for axis ${axis} [${sizes.join(", ")}] must be non-negative integers summing to ${length}`);
      }
      return { sizes };
    }
    const size = entry as number;
    if (typeof size !== "number" || !Number.isInteger(size) || size <= 0) {
      throw new InvalidOptionError(`chunk size ${JSON.stringify(entry)} for axis ${axis} must be a positive integer, -1, null, "auto" or a byte size such as "64MiB"`);
    }
    return { size: Math.min(size, Math.max(length, 1)) };
  });
  const autoAxes = plan.map((p, axis) => (p === "auto" ? axis : -1)).filter((axis) => axis >= 0);
  if (autoAxes.length > 0) {
    let fixedElements = 1;
    plan.forEach((p) => { if (p !== "auto") fixedElements *= "size" in p ? p.size : largestOf(p.sizes); });
    const limitBytes = limit ?? autoChunkBytes();
    if (previous !== undefined && autoAxes.every((axis) => (previous[axis]?.length ?? 0) > 0)) {
      // Dask's auto_chunks with previous chunks: the stored chunks' proportions, scaled together.
      for (const [axis, size] of autoSizesFromPrevious(shape, autoAxes, fixedElements, limitBytes, itemsize, previous)) {
        plan[axis] = { size: Math.max(1, Math.min(size, Math.max(shape[axis], 1))) };
      }
    } else {
      // Dask's auto_chunks without: axes shorter than the ideal size take their whole length; the rest share the budget.
      let budget = limitBytes / itemsize / fixedElements;
      let remaining = [...autoAxes];
      for (let changed = true; changed && remaining.length > 0;) {
        changed = false;
        const ideal = Math.pow(Math.max(budget, 1), 1 / remaining.length);
        for (const axis of [...remaining]) {
          if (shape[axis] <= ideal) {
            plan[axis] = { size: Math.max(shape[axis], 1) };
            budget /= Math.max(shape[axis], 1);
            remaining = remaining.filter((a) => a !== axis);
            changed = true;
          }
        }
      }
      const ideal = Math.max(1, Math.floor(Math.pow(Math.max(budget, 1), 1 / Math.max(remaining.length, 1))));
      for (const axis of remaining) plan[axis] = { size: Math.min(ideal, shape[axis]) };
    }
  }
  const resolved = plan as Array<{ size: number } | { sizes: number[] }>;
  checkBlockGrid(
    shape,
    resolved.map((p, axis) => ("size" in p ? Math.max(1, Math.ceil(shape[axis] / p.size)) : p.sizes.length)),
    resolved.map((p, axis) => ("size" in p ? Math.min(p.size, shape[axis]) : largestOf(p.sizes))),
    what,
  );
  return resolved.map((p, axis) => ("size" in p ? regular(shape[axis], p.size) : p.sizes));
}

/** The block along an axis that holds position `i` (offsets from chunkOffsets, ascending; i inside): a binary search. */
export function blockOf(offsets: readonly number[], i: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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
