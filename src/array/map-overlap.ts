/**
 * The user-facing side of map_overlap: reading `depth` and `boundary` as Dask does,
 * refusing what Dask refuses (with clearer messages), inferring the dtype, and building the
 * overlap expression (overlap.ts).
 *
 * depth: a number (every axis), a list (per axis) or `{ axis: n }` (missing axes 0).
 * boundary: "none" (default, as Dask ≥ 2022.03), "reflect", "periodic", "nearest", or a
 * number (constant), for all axes, per axis (list) or `{ axis: … }`.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { builtinNameOf } from "../core/builtin.js";
import { functionRefOf } from "../graph/function-travel.js";
import { edgeModesOf, isRegionKernel, isWindowLocal } from "../ndimage/region-kernel.js";
import type { AxisBoundary } from "../ndarray/region-assembly.js";
import { toDType, type DType } from "../ndarray/dtype.js";
import { chunkOffsets, largestOf, smallestOf } from "./chunks.js";
import { maxBlockElements } from "../ndarray/ndarray.js";
import type { ArrayNode } from "./expr.js";
import { inferDtype } from "./meta.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { OverlapExpr, haloBox } from "./overlap.js";

export type BoundarySpec = "none" | "reflect" | "periodic" | "nearest" | number;

export interface MapOverlapOptions {
  depth: number | number[] | Record<number, number>;
  boundary?: BoundarySpec | BoundarySpec[] | Record<number, BoundarySpec>;
  trim?: boolean;
  /** Dask merges chunks smaller than the depth; tessera reads halos across several chunks
   * instead. false refuses depths larger than a chunk, as Dask does. */
  allowRechunk?: boolean;
  dtype?: DType | string;
  name?: string;
}

const mapOverlapOptionKeys: ReadonlyArray<keyof MapOverlapOptions> = ["depth", "boundary", "trim", "allowRechunk", "dtype", "name"];

function perAxis<T>(value: T | T[] | Record<number, T> | undefined, ndim: number, fallback: T, what: string): T[] {
  if (value === undefined) return new Array<T>(ndim).fill(fallback);
  if (Array.isArray(value)) {
    if (value.length !== ndim) throw new InvalidOptionError(`${what} [${value.join(", ")}] has ${value.length} entries; the array has ${ndim} axes`);
    return [...value];
  }
  if (typeof value === "object" && value !== null) {
    const out = new Array<T>(ndim).fill(fallback);
    for (const [key, item] of Object.entries(value as Record<string, T>)) {
      const axis = Number(key) < 0 ? Number(key) + ndim : Number(key);
      if (!Number.isInteger(axis) || axis < 0 || axis >= ndim) throw new InvalidOptionError(`${what}: axis ${key} does not exist (the array has ${ndim} axes)`);
      out[axis] = item;
    }
    return out;
  }
  return new Array<T>(ndim).fill(value as T);
}

function toBoundary(spec: BoundarySpec, axis: number): AxisBoundary {
  if (typeof spec === "number") return { kind: "constant", value: spec };
  if (spec === "none" || spec === "reflect" || spec === "periodic" || spec === "nearest") return { kind: spec };
  throw new InvalidOptionError(
    `boundary ${JSON.stringify(spec)} for axis ${axis} is not one of "none", "reflect", "periodic", "nearest" or a number`,
  );
}

/**
 * Dask's padding kinds and the filter modes that extend a line with the same cells, reading
 * only cells near the edge. Not periodic/"wrap": on a halo cut at one edge of the array, the
 * filter would wrap around to the halo's far end, not the array's.
 */
const samePadding: Partial<Record<AxisBoundary["kind"], string>> = { nearest: "nearest", reflect: "reflect" };

/**
 * The halo's boundary per axis for a window-local filter whose radius the depth covers: where
 * padding would repeat what the filter's own edge mode reads anyway (boundary "nearest" and
 * mode "nearest", …), or where the filter reads nothing beyond the block (radius 0), the halo
 * stops at the array's edge instead, and the filter extends the line itself: the same cells,
 * without filtering the padding.
 */
function unpaddedBoundary(boundary: readonly AxisBoundary[], radius: readonly number[], modes: ReadonlyArray<string | undefined> | undefined): AxisBoundary[] {
  return boundary.map((b, axis) => {
    const same = b.kind !== "none" && (radius[axis] === 0 || (modes !== undefined && samePadding[b.kind] === modes[axis]));
    return same ? { kind: "none" } : b;
  });
}

/**
 * The axes a region kernel wraps around (mode "wrap"/"grid-wrap") for these options: its stated
 * edge modes, else its `mode` option (one mode, or one per axis). Unreadable modes count as not
 * wrapping: the filter refuses them itself.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function wrappedAxes(fn: Function, fnOptions: Record<string, unknown>, ndim: number): boolean[] {
  const stated = edgeModesOf(fn, fnOptions, ndim);
  if (stated !== undefined) return stated.map((mode) => mode === "wrap");
  const wraps = (mode: unknown): boolean => mode === "wrap" || mode === "grid-wrap";
  const mode = fnOptions.mode;
  if (Array.isArray(mode)) return mode.length === ndim ? mode.map(wraps) : new Array<boolean>(ndim).fill(false);
  return new Array<boolean>(ndim).fill(wraps(mode));
}

/**
 * Boundary "none" means the filter's own mode at the array's edges. A filter that wraps reads
 * the far side of the array there, which a halo cut at the edge does not hold (it would wrap
 * around the halo instead, silently wrong near every edge): on those axes the halo wraps too.
 */
function wrapHalos(boundary: AxisBoundary[], radius: readonly number[], wrapped: readonly boolean[]): AxisBoundary[] {
  return boundary.map((b, axis) => (b.kind === "none" && wrapped[axis] && radius[axis] > 0 ? { kind: "periodic" } : b));
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function mapOverlapNode(input: ArrayNode, fn: Function, options: MapOverlapOptions, fnOptions: Record<string, unknown> | undefined, warn: (message: string) => void): ArrayNode {
  if (!options || options.depth === undefined) throw new InvalidOptionError("mapOverlap needs { depth }, e.g. { depth: 40, boundary: \"nearest\" }");
  // A misspelt `boundry` must not run with boundary "none" unseen.
  refuseUnknownOptions("mapOverlap", options, mapOverlapOptionKeys);
  const ndim = input.shape.length;
  const depth = perAxis(options.depth, ndim, 0, "depth");
  depth.forEach((d, axis) => {
    if (!Number.isInteger(d) || d < 0) throw new InvalidOptionError(`depth ${d} for axis ${axis} must be a non-negative integer`);
  });
  let boundary = perAxis<BoundarySpec>(options.boundary, ndim, "none", "boundary").map(toBoundary);
  // A block with its halo is one buffer: refuse a depth that makes it impossible, before lowering.
  const haloShape = input.chunks.map((sizes, axis) => largestOf(sizes) + (boundary[axis].kind === "none" ? Math.min(2 * depth[axis], input.shape[axis]) : 2 * depth[axis]));
  if (haloShape.reduce((a, b) => a * b, 1) > maxBlockElements) {
    throw new InvalidOptionError(
      `mapOverlap: depth [${depth.join(", ")}] makes blocks with halos of up to [${haloShape.join(", ")}] elements, more than one block can hold (${maxBlockElements}); use a smaller depth or smaller chunks`,
    );
  }
  if (options.allowRechunk === false) {
    depth.forEach((d, axis) => {
      const smallest = smallestOf(input.chunks[axis]);
      if (d > smallest) {
        throw new InvalidOptionError(
          `overlap depth ${d} is larger than the smallest chunk (${smallest}) along axis ${axis}; ` +
            `rechunk to chunks of at least ${d}, or leave allowRechunk at its default (true) so halos span several chunks`,
        );
      }
    });
  }
  const regionCapable = isRegionKernel(fn);
  let radius: number[] | undefined;
  if (regionCapable && fnOptions) {
    radius = (fn as unknown as { kernelRadius(options: unknown, ndim: number): number[] }).kernelRadius(fnOptions, ndim);
    radius.forEach((r, axis) => {
      if (r > depth[axis]) warn(`mapOverlap depth ${depth[axis]} on axis ${axis} is smaller than the filter's radius ${r}: block edges will differ from filtering the whole array`);
    });
  }
  const trim = options.trim ?? true;
  if (trim && radius !== undefined) boundary = wrapHalos(boundary, radius, wrappedAxes(fn, fnOptions as Record<string, unknown>, ndim));
  // Neighbouring blocks may share one call (overlap-groups.ts) only where that cannot change a
  // cell: a window-local filter whose radius the halo covers, trimmed back to the blocks.
  const groupable = trim && radius !== undefined && isWindowLocal(fn) && radius.every((r, axis) => r <= depth[axis]);
  const haloBoundary = groupable ? unpaddedBoundary(boundary, radius as number[], edgeModesOf(fn, fnOptions, ndim)) : boundary;
  const dtype = options.dtype !== undefined ? toDType(options.dtype, "mapOverlap dtype") : inferDtype(fn, [{ dtype: input.dtype, ndim }], fnOptions, "mapOverlap");
  let chunks = input.chunks.map((sizes) => [...sizes]);
  if (!trim) {
    const offsets = chunkOffsets(input.chunks);
    chunks = input.chunks.map((sizes, axis) => sizes.map((_, i) => {
      const [lo, hi] = haloBox(offsets[axis][i], offsets[axis][i + 1], depth[axis], boundary[axis], input.shape[axis]);
      return hi - lo;
    }));
  }
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  const ref = functionRefOf(fn);
  const prefix = options.name ?? (builtinNameOf(fn) ?? (fn.name || "map-overlap")).replace(/^ndimage\.|^ndarray\./, "");
  const name = `${prefix}-${tokenize(input.name, ref, depth, boundary, trim, fnOptions)}`;
  return { name, shape, chunks, dtype, expr: new OverlapExpr(input, { depth, boundary: haloBoundary, trim, fn: ref, regionCapable, fnOptions, ...(groupable ? { radius } : {}) }) };
}
