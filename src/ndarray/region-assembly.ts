/**
 * Assembling one box of a chunked array from the blocks that cover it, with boundary cells
 * filled as dask.array's overlap boundaries do (Dask's `boundary`, NumPy pad semantics):
 *   none      the box must lie inside the array
 *   nearest   repeat the edge value                     (np.pad "edge")
 *   reflect   mirror including the edge element         (np.pad "symmetric")
 *   periodic  wrap around                               (np.pad "wrap")
 *   constant  a fixed value
 * This is how halos for mapOverlap, rechunked blocks and chunk-aligned writes are built, so
 * it is on the hot path: in-bounds parts are copied as contiguous runs (TypedArray.set), and
 * only boundary cells go through an index map.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { castScalar } from "./cast-expressions.js";
import { assign } from "./copy.js";
import { type DType, isComplexDType } from "./dtype.js";
import { NDArray, allocate, cStrides, shapeSize } from "./ndarray.js";
import { copyRun, copyStrided } from "./strided-copy.js";

export type BoundaryKind = "none" | "nearest" | "reflect" | "periodic" | "constant";

export interface AxisBoundary {
  kind: BoundaryKind;
  /** The fill value for "constant". */
  value?: number;
}

export interface RegionRequest {
  /** Blocks of the base array that intersect the box, with the base index of their first cell. */
  blocks: NDArray[];
  origins: number[][];
  /** The box, in base coordinates (may extend past the array's edges where boundaries pad). */
  start: number[];
  stop: number[];
  /** The base array's shape. */
  shape: number[];
  boundary: AxisBoundary[];
  dtype: DType;
  /** Axes of the box (each of length 1) to drop from the result (integer indexing, squeeze). */
  dropAxes?: number[];
}

/** Base index for box coordinate `x` on an axis of length n, or -1 for a constant cell. */
export function sourceIndex(x: number, n: number, boundary: AxisBoundary, axis: number): number {
  if (x >= 0 && x < n) return x;
  switch (boundary.kind) {
    case "nearest": return x < 0 ? 0 : n - 1;
    case "periodic": return ((x % n) + n) % n;
    case "reflect": {
      const period = 2 * n;
      const r = ((x % period) + period) % period;
      return r < n ? r : period - 1 - r;
    }
    case "constant": return -1;
    default:
      throw new InvalidOptionError(`region index ${x} is outside axis ${axis} of length ${n} and the boundary is "none"`);
  }
}

/** Copies the part of `block` inside [lo, hi) (base coordinates) into `target` (covering [lo, hi)). */
function copyBlockInto(target: NDArray, lo: number[], block: NDArray, origin: number[]): void {
  const size: number[] = [];
  let sourceOffset = block.offset;
  let targetOffset = target.offset;
  for (let axis = 0; axis < target.ndim; axis++) {
    const begin = Math.max(lo[axis], origin[axis]);
    const end = Math.min(lo[axis] + target.shape[axis], origin[axis] + block.shape[axis]);
    if (end <= begin) return;
    sourceOffset += (begin - origin[axis]) * block.strides[axis];
    targetOffset += (begin - lo[axis]) * target.strides[axis];
    size.push(end - begin);
  }
  const last = target.ndim - 1;
  const contiguousRows = target.ndim > 0 && block.strides[last] === 1 && target.strides[last] === 1;
  // Complex blocks (two storage slots per element) take the assign path, which knows them.
  if (block.dtype === target.dtype && contiguousRows && !isComplexDType(block.dtype)) {
    copyStrided(
      { data: block.data, strides: block.strides, offset: sourceOffset },
      { data: target.data, strides: target.strides, offset: targetOffset },
      size,
    );
    return;
  }
  // Casts and strided rows go through the compiled loops, one per dtype pair.
  assign(
    new NDArray(target.storage, size, { strides: target.strides, offset: targetOffset, dtype: target.dtype }),
    new NDArray(block.storage, size, { strides: block.strides, offset: sourceOffset, dtype: block.dtype }),
  );
}

export const assembleRegion = defineBuiltin("ndarray.assembleRegion", function assembleRegion(request: RegionRequest): NDArray {
  const { start, stop, shape, boundary, dtype } = request;
  const ndim = shape.length;
  const maps: Int32Array[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  let identity = true;
  for (let axis = 0; axis < ndim; axis++) {
    const length = stop[axis] - start[axis];
    const map = new Int32Array(length);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < length; i++) {
      const source = sourceIndex(start[axis] + i, shape[axis], boundary[axis] ?? { kind: "none" }, axis);
      map[i] = source;
      if (source >= 0) {
        min = Math.min(min, source);
        max = Math.max(max, source);
      }
      // A constant cell maps to -1, which is also the coordinate of the first padded cell.
      if (source < 0 || source !== start[axis] + i) identity = false;
    }
    maps.push(map);
    lo.push(Number.isFinite(min) ? min : 0);
    hi.push(Number.isFinite(max) ? max + 1 : 0);
  }
  // The in-bounds cells the box needs, copied block by block.
  const boxShape = lo.map((l, axis) => hi[axis] - l);
  const box = new NDArray(allocate(dtype, shapeSize(boxShape)), boxShape, { dtype });
  for (let b = 0; b < request.blocks.length; b++) copyBlockInto(box, lo, request.blocks[b], request.origins[b]);
  let result = box;
  if (!identity) result = gather(box, maps, lo, boundary, dtype);
  const drop = request.dropAxes ?? [];
  if (drop.length === 0) return result;
  const kept = result.shape.filter((_, axis) => !drop.includes(axis));
  return new NDArray(result.storage, kept, { dtype });
});

/**
 * The last axis of a map as runs: consecutive source indices copy as one block (set), and
 * constant cells as one fill. Padding makes only a few runs per row, so rows copy at memory
 * speed instead of cell by cell.
 */
function lastAxisRuns(map: Int32Array, lo: number): Array<{ out: number; length: number; source: number }> {
  const runs: Array<{ out: number; length: number; source: number }> = [];
  for (let i = 0; i < map.length;) {
    const first = map[i];
    let j = i + 1;
    if (first < 0) while (j < map.length && map[j] < 0) j++;
    else while (j < map.length && map[j] === first + (j - i)) j++;
    runs.push({ out: i, length: j - i, source: first < 0 ? -1 : first - lo });
    i = j;
  }
  return runs;
}

/** out[i…] = box[map[i] − lo …], or the constant where a map says -1. */
function gather(box: NDArray, maps: Int32Array[], lo: number[], boundary: AxisBoundary[], dtype: DType): NDArray {
  const shape = maps.map((m) => m.length);
  if (shape.length === 0) return box;
  const out = allocate(dtype, shapeSize(shape)) as Float64Array;
  const source = box.data as Float64Array;
  const boxStrides = cStrides(box.shape);
  const ndim = shape.length;
  // Stored as NumPy casts it (a bigint for int64/uint64, whose arrays refuse a number fill).
  // Per axis: Dask pads the axes in order, so a corner outside several constant axes takes the
  // value of the last of them (boundary { 0: 100, 1: 5 } gives 5 in the corners).
  const constants = shape.map((_, axis) => castScalar(boundary[axis]?.kind === "constant" ? boundary[axis].value ?? 0 : 0, "float64", dtype) as number);
  const last = ndim - 1;
  const runs = lastAxisRuns(maps[last], lo[last]);
  const rowLength = shape[last];
  const rows = out.length / Math.max(rowLength, 1);
  const index = new Array<number>(ndim).fill(0);
  for (let row = 0, o = 0; row < rows; row++, o += rowLength) {
    let base = 0;
    let outside = -1;
    for (let axis = 0; axis < last; axis++) {
      const s = maps[axis][index[axis]];
      if (s < 0) outside = axis;
      base += (s - lo[axis]) * boxStrides[axis];
    }
    for (const run of runs) {
      // The last axis pads after the others: its constant wins in a corner.
      if (run.source < 0) out.fill(constants[last], o + run.out, o + run.out + run.length);
      else if (outside >= 0) out.fill(constants[outside], o + run.out, o + run.out + run.length);
      else copyRun(out, o + run.out, source, base + run.source, run.length);
    }
    for (let axis = last - 1; axis >= 0; axis--) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
  }
  return new NDArray(out, shape, { dtype });
}

/** The range of base indices a box [start, stop) reads on one axis (empty: [0, 0]). */
export function sourceRangeOf(start: number, stop: number, n: number, boundary: AxisBoundary, axis: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  // In-bounds part directly; padding cells one by one (they are few: the depth).
  if (stop > 0 && start < n) {
    lo = Math.max(start, 0);
    hi = Math.min(stop, n);
  }
  for (let x = start; x < Math.min(stop, 0); x++) {
    const s = sourceIndex(x, n, boundary, axis);
    if (s >= 0) { lo = Math.min(lo, s); hi = Math.max(hi, s + 1); }
  }
  for (let x = Math.max(start, n); x < stop; x++) {
    const s = sourceIndex(x, n, boundary, axis);
    if (s >= 0) { lo = Math.min(lo, s); hi = Math.max(hi, s + 1); }
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 0];
}
