/**
 * `ta.overlap`: Dask's da.overlap module, the pieces under map_overlap for pipelines it does
 * not cover: overlap (each block extended by its neighbours' cells, or the boundary's padding
 * at the array's edges), a mapBlocks of the user's own, then trimInternal (each block's halo
 * cut off again). boundaries / periodic / reflect / nearest / constant pad only the array's
 * outer edges. Results are lazy, with Dask's chunks and values (test/array/overlap-api.test.ts
 * checks both against Dask 2022.12).
 *
 * Beyond Dask: `allowRechunk: false` keeps chunks smaller than the depth (each halo is read
 * from as many neighbours as it spans) where Dask refuses; a trim larger than a block, and
 * depth or boundary lists of the wrong length, are refused where Dask returned wrong chunks
 * or silently took the missing axes as 0 / "none"; two constant boundaries meet in a corner
 * as Dask's do (the last axis's value).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import type { AxisBoundary } from "../ndarray/region-assembly.js";
import { withArgumentCount } from "./argument-count.js";
import { LazyArray } from "./array.js";
import { chunkOffsets } from "./chunks.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { haloBox } from "./overlap.js";
import { BoxBlocksExpr, TrimBlocksExpr } from "./overlap-api-exprs.js";
import { boundaryPerAxis, depthPerAxis, ensureMinimumChunksize as minimumChunks, type BoundariesSpec, type DepthSpec, type SideDepth } from "./overlap-api-forms.js";
import type { BoundarySpec } from "./map-overlap.js";

/** da.overlap.ensure_minimum_chunksize: chunks along one axis merged until each holds at least `size` cells. */
export const ensureMinimumChunksize = withArgumentCount("ta.overlap.ensureMinimumChunksize", ["size", "chunks"], minimumChunks);
export type { AxisDepth, BoundariesSpec, DepthSpec } from "./overlap-api-forms.js";

export interface OverlapCallOptions {
  /**
   * true (default, as Dask): axes with chunks smaller than the depth are rechunked first
   * (ensureMinimumChunksize), giving Dask's chunks. false keeps the chunks: Dask refuses
   * there, tessera reads each halo from as many neighbours as it spans.
   */
  allowRechunk?: boolean;
}

function checkArray(label: string, x: unknown): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${label} takes a ta.Array; wrap an in-memory array with ta.fromArray(x, { chunks })`);
  return x;
}

/** The array's chunks with every axis holding at least its depth per chunk (Dask's rechunk in overlap). */
function rechunkedForDepth(label: string, x: LazyArray, depths: readonly number[]): LazyArray {
  const chunks = x.chunks.map((sizes, axis) => {
    if (depths[axis] > x.shape[axis]) throw new InvalidOptionError(`${label}: depth ${depths[axis]} along axis ${axis} is larger than the array (${x.shape[axis]} cells)`);
    return minimumChunks(depths[axis], sizes);
  });
  return x.rechunk(chunks);
}

/**
 * Kept chunks (allowRechunk: false): a halo may span several neighbours, but with boundary
 * "none" the blocks next to the edges must still leave a full depth for their neighbours, or
 * an inner block's halo would be cut short and trimInternal would cut away its own cells.
 */
function checkKeptChunks(label: string, x: LazyArray, sides: readonly SideDepth[], boundary: readonly AxisBoundary[]): void {
  sides.forEach(({ before, after }, axis) => {
    const sizes = x.chunks[axis];
    const depth = Math.max(before, after);
    if (boundary[axis].kind !== "none") {
      if (depth > x.shape[axis]) throw new InvalidOptionError(`${label}: depth ${depth} along axis ${axis} is larger than the array (${x.shape[axis]} cells)`);
    } else if (sizes.length > 1 && (sizes[0] < before || sizes[sizes.length - 1] < after)) {
      throw new InvalidOptionError(
        `${label}: with boundary "none" and allowRechunk: false, the first and last chunks along axis ${axis} (${sizes[0]}, ${sizes[sizes.length - 1]}) ` +
          `must hold the depth (${before}, ${after}); leave allowRechunk at its default (true) to merge them as Dask does`,
      );
    }
  });
}

/**
 * da.overlap.overlap: each block extended by `depth` cells of its neighbours; at the array's
 * edges by the boundary's padding, or, with boundary "none", not at all (the edge blocks grow
 * on their inner side only). A [before, after] depth needs boundary "none", as in Dask.
 */
export const overlap = withArgumentCount("ta.overlap.overlap", ["x", "depth", "boundary", "options"], (x: LazyArray, depth: DepthSpec, boundary?: BoundariesSpec, options: OverlapCallOptions = {}): LazyArray => {
  const label = "ta.overlap.overlap";
  checkArray(label, x);
  refuseUnknownOptions(label, options, ["allowRechunk"]);
  const sides = depthPerAxis(label, depth, x.ndim);
  const bounds = boundaryPerAxis(label, boundary, x.ndim);
  sides.forEach((side, axis) => {
    if (side.pair && bounds[axis].kind !== "none") {
      throw new InvalidOptionError(`${label}: an asymmetric depth [${side.before}, ${side.after}] (axis ${axis}) needs boundary "none" (Dask implements no other); the boundary there is ${JSON.stringify(boundary)}`);
    }
  });
  let source = x;
  if (options.allowRechunk ?? true) source = rechunkedForDepth(label, x, sides.map((s) => Math.max(s.before, s.after)));
  else checkKeptChunks(label, x, sides, bounds);
  const offsets = chunkOffsets(source.chunks);
  const boxes = source.chunks.map((sizes, axis) => sizes.map((_, i): [number, number] => {
    const [lo, hi] = [offsets[axis][i], offsets[axis][i + 1]];
    const n = source.shape[axis];
    return [haloBox(lo, hi, sides[axis].before, bounds[axis], n)[0], haloBox(lo, hi, sides[axis].after, bounds[axis], n)[1]];
  }));
  return boxBlocks("overlap", source, boxes, bounds);
});

function boxBlocks(prefix: string, x: LazyArray, boxes: Array<Array<[number, number]>>, boundary: AxisBoundary[]): LazyArray {
  const chunks = boxes.map((axis) => axis.map(([start, stop]) => stop - start));
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  return new LazyArray(`${prefix}-${tokenize(x.name, boxes, boundary)}`, shape, chunks, x.dtype, new BoxBlocksExpr(x, boxes, boundary));
}

/**
 * da.overlap.trim_internal: the halo cut off each block, `axes` cells (a depth in any of
 * overlap's forms) on each side; with boundary "none" the array's outer sides are not cut
 * (overlap did not grow them).
 */
export const trimInternal = withArgumentCount("ta.overlap.trimInternal", ["x", "axes", "boundary"], (x: LazyArray, axes: DepthSpec, boundary?: BoundariesSpec): LazyArray =>
  trimmed("ta.overlap.trimInternal", x, axes, boundary));

/** da.overlap.trim_overlap: trimInternal with the depth given as overlap takes it. */
export const trimOverlap = withArgumentCount("ta.overlap.trimOverlap", ["x", "depth", "boundary"], (x: LazyArray, depth: DepthSpec, boundary?: BoundariesSpec): LazyArray =>
  trimmed("ta.overlap.trimOverlap", x, depth, boundary));

function trimmed(label: string, x: LazyArray, axes: DepthSpec, boundary: BoundariesSpec | undefined): LazyArray {
  checkArray(label, x);
  const sides = depthPerAxis(label, axes, x.ndim);
  const bounds = boundaryPerAxis(label, boundary, x.ndim);
  const cuts = x.chunks.map((sizes, axis) => sizes.map((size, j): [number, number] => {
    const none = bounds[axis].kind === "none";
    const front = none && j === 0 ? 0 : sides[axis].before;
    const back = none && j === sizes.length - 1 ? 0 : sides[axis].after;
    if (front + back > size) {
      throw new InvalidOptionError(`${label}: block ${j} along axis ${axis} has ${size} cells, fewer than the ${front} + ${back} to cut off (is the depth the one overlap was given?)`);
    }
    return [front, back];
  }));
  if (cuts.every((axis) => axis.every(([front, back]) => front === 0 && back === 0))) return x;
  const chunks = x.chunks.map((sizes, axis) => sizes.map((size, j) => size - cuts[axis][j][0] - cuts[axis][j][1]));
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  return new LazyArray(`trim-${tokenize(x.name, cuts)}`, shape, chunks, x.dtype, new TrimBlocksExpr(x, cuts));
}

/** `depth` cells of padding on both outer sides of each axis whose boundary pads (one block each side, as Dask's concatenate). */
function padded(label: string, x: LazyArray, sides: readonly SideDepth[], bounds: readonly AxisBoundary[]): LazyArray {
  const offsets = chunkOffsets(x.chunks);
  const used: AxisBoundary[] = [];
  const boxes = x.chunks.map((sizes, axis) => {
    const inner = sizes.map((_, i): [number, number] => [offsets[axis][i], offsets[axis][i + 1]]);
    const { before: d, pair } = sides[axis];
    const kind = bounds[axis].kind;
    if (pair) throw new InvalidOptionError(`${label}: depth for axis ${axis} is a [before, after] pair; the padding is as deep on both sides, give one number`);
    used.push(d === 0 ? { kind: "none" } : bounds[axis]);
    if (d === 0 || kind === "none") return inner;
    const n = x.shape[axis];
    // Dask's reflect and periodic copy slices of the array itself: no deeper than it is long.
    if ((kind === "reflect" || kind === "periodic") && d > n) throw new InvalidOptionError(`${label}: depth ${d} along axis ${axis} is larger than the array (${n} cells) for boundary "${kind}"`);
    return [[-d, 0] as [number, number], ...inner, [n, n + d] as [number, number]];
  });
  return boxes.every((axis, a) => axis.length === x.chunks[a].length) ? x : boxBlocks("boundaries", x, boxes, used);
}

/** da.overlap.boundaries: pads only the array's outer edges (by `depth`, with `kind`: a boundary in any of overlap's forms). */
export const boundaries = withArgumentCount("ta.overlap.boundaries", ["x", "depth", "kind"], (x: LazyArray, depth: DepthSpec, kind?: BoundariesSpec): LazyArray => {
  const label = "ta.overlap.boundaries";
  checkArray(label, x);
  return padded(label, x, depthPerAxis(label, depth, x.ndim), boundaryPerAxis(label, kind, x.ndim));
});

/** One axis padded by `depth` cells of `kind` (periodic, reflect, nearest, constant). */
function padAxis(label: string, x: LazyArray, axis: number, depth: number, kind: BoundarySpec): LazyArray {
  checkArray(label, x);
  const ndim = x.ndim;
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) throw new InvalidOptionError(`${label}: axis ${JSON.stringify(axis)} does not exist (the array has ${ndim} axes)`);
  const a = axis < 0 ? axis + ndim : axis;
  if (typeof depth !== "number") throw new InvalidOptionError(`${label}: depth ${JSON.stringify(depth)} must be a non-negative integer`);
  return padded(label, x, depthPerAxis(label, { [a]: depth }, ndim), boundaryPerAxis(label, { [a]: kind }, ndim));
}

/** da.overlap.periodic: the far side's `depth` cells copied around to each side of `axis`. */
export const periodic = withArgumentCount("ta.overlap.periodic", ["x", "axis", "depth"], (x: LazyArray, axis: number, depth: number): LazyArray =>
  padAxis("ta.overlap.periodic", x, axis, depth, "periodic"));
/** da.overlap.reflect: each side of `axis` mirrored outwards, the edge cell included. */
export const reflect = withArgumentCount("ta.overlap.reflect", ["x", "axis", "depth"], (x: LazyArray, axis: number, depth: number): LazyArray =>
  padAxis("ta.overlap.reflect", x, axis, depth, "reflect"));
/** da.overlap.nearest: each edge cell of `axis` repeated outwards. */
export const nearest = withArgumentCount("ta.overlap.nearest", ["x", "axis", "depth"], (x: LazyArray, axis: number, depth: number): LazyArray =>
  padAxis("ta.overlap.nearest", x, axis, depth, "nearest"));
/** da.overlap.constant: `depth` cells of `value` (in the array's dtype) on each side of `axis`. */
export const constant = withArgumentCount("ta.overlap.constant", ["x", "axis", "depth", "value"], (x: LazyArray, axis: number, depth: number, value: number): LazyArray => {
  if (typeof value !== "number") throw new InvalidOptionError(`ta.overlap.constant: value ${JSON.stringify(value)} must be a number`);
  return padAxis("ta.overlap.constant", x, axis, depth, value);
});
