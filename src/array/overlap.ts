/**
 * map_overlap: each block is extended by `depth` cells from its neighbours (or by boundary
 * padding at the array's edges), the function runs on the extended block, and the halo is
 * trimmed off again. Unlike Dask, a depth larger than a chunk needs no rechunking: the halo
 * is assembled from as many neighbours as it spans, so the user's chunks are kept.
 *
 * The halo of a block is one task (ctx.region), so several filters over the same array and
 * depth share it. When the function can compute just a sub-box of its output (ndimage's
 * region kernels), it is asked for the block's core directly: the trimmed-away halo of the
 * output is never computed (shrinking passes), which is most of the work at depth 40.
 *
 * The blocks computed are the node's own (trimmed) chunks. They are the input's chunks, except
 * in a grouped copy of the node (overlap-groups.ts), whose chunks are several of the input's
 * at once: one halo and one filter call then serve them all.
 */
import { tokenize } from "../core/ids.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import type { AxisBoundary } from "../ndarray/region-assembly.js";
import { functionRefOf } from "../graph/function-travel.js";
import { slice } from "../ndarray/slice.js";
import { TaskRef } from "../protocol/payload.js";
import { blockCounts, blockIndices, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { callTask } from "./lower.js";

export interface OverlapSpec {
  depth: number[];
  boundary: AxisBoundary[];
  trim: boolean;
  fn: FunctionRef;
  /** The function accepts `outputRegion` (computes only the core). */
  regionCapable: boolean;
  fnOptions: Record<string, unknown> | undefined;
  /**
   * The filter's radius per axis, present only when blocks may be grouped: a window-local
   * region kernel (ndimage/region-kernel.ts) whose radius the depth covers, trimmed.
   */
  radius?: number[];
  /**
   * Read each halo straight from the source (a grouped copy: few large halos, see
   * RegionOptions), the reading thread keeping up to `cacheBytes` of decoded storage chunks.
   */
  directRead?: { cacheBytes: number };
}

/** Per axis, the halo extent [start, stop) of the block spanning [lo, hi). */
export function haloBox(lo: number, hi: number, depth: number, boundary: AxisBoundary, length: number): [number, number] {
  if (boundary.kind === "none") return [Math.max(0, lo - depth), Math.min(length, hi + depth)];
  return [lo - depth, hi + depth];
}

export class OverlapExpr implements ArrayExpr {
  readonly kind = "overlap";
  constructor(readonly input: ArrayNode, readonly spec: OverlapSpec) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, spec } = this;
    // Trimmed, the node's chunks are the cores (the input's, or groups of them); untrimmed
    // blocks carry their halos, so the cores are the input's chunks.
    const cores = spec.trim ? self.chunks : input.chunks;
    const offsets = chunkOffsets(cores);
    for (const index of blockIndices(blockCounts(cores))) {
      const core = index.map((i, a) => [offsets[a][i], offsets[a][i + 1]] as const);
      const halo = core.map(([lo, hi], a) => haloBox(lo, hi, spec.depth[a], spec.boundary[a], input.shape[a]));
      // Read directly, the halo is its own group's (shared by the filters on the same blocks).
      const direct = spec.directRead ? { direct: { reader: tokenize(input.name, core), cacheBytes: spec.directRead.cacheBytes } } : {};
      const haloRef = ctx.region(input, halo.map((h) => h[0]), halo.map((h) => h[1]), spec.boundary, direct);
      const coreInHalo = { start: core.map(([lo], a) => lo - halo[a][0]), stop: core.map(([, hi], a) => hi - halo[a][0]) };
      if (!spec.trim) {
        ctx.addBlock(self, index, { fn: spec.fn, args: spec.fnOptions !== undefined ? [haloRef, spec.fnOptions] : [haloRef] });
      } else if (spec.regionCapable) {
        ctx.addBlock(self, index, { fn: spec.fn, args: [haloRef, { ...spec.fnOptions, outputRegion: coreInHalo }] });
      } else {
        const fullKey = `${self.name}-untrimmed-${tokenize(index)}`;
        ctx.graph.add(callTask(fullKey, { fn: spec.fn, args: spec.fnOptions !== undefined ? [haloRef, spec.fnOptions] : [haloRef] }));
        const items = coreInHalo.start.map((s, a) => ({ start: s, stop: coreInHalo.stop[a] }));
        ctx.addBlock(self, index, { fn: functionRefOf(slice), args: [new TaskRef(fullKey), ...items] });
      }
    }
  }
}
