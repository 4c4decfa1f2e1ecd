/**
 * Views: arrays whose blocks are regions of another array with no computation — rechunk,
 * squeeze and basic slicing (integers and unit-step slices). A consumer reading a view
 * assembles its region straight from the blocks under it, so `rechunk` never materialises
 * split-and-merge tasks and costs nothing when a halo or a write reads through it.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { slice } from "../ndarray/slice.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext, ViewMapping } from "./expr.js";

/** Block tasks of a view, for when something reads its blocks one by one. */
function lowerViewBlocks(self: ArrayNode, ctx: LowerContext): void {
  const offsets = chunkOffsets(self.chunks);
  for (const index of blockIndices(blockCounts(self.chunks))) {
    const { start, stop } = blockRegion(offsets, index);
    ctx.addBlock(self, index, ctx.region(self, start, stop));
  }
}

/** Same data, new chunks. */
export class RechunkExpr implements ArrayExpr {
  readonly kind = "rechunk";
  constructor(readonly input: ArrayNode) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  view(_self: ArrayNode, start: readonly number[], stop: readonly number[]): ViewMapping {
    return { input: this.input, start: [...start], stop: [...stop], axisMap: start.map((_, axis) => axis) };
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    lowerViewBlocks(self, ctx);
  }
}

/**
 * A rechunk whose blocks are real tasks (an intermediate step of a planned rechunk, see
 * rechunk-plan.ts): readers assemble regions from these blocks, not through them.
 */
export class MaterializedRechunkExpr implements ArrayExpr {
  readonly kind = "rechunk-merge";
  constructor(readonly input: ArrayNode) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      ctx.addBlock(self, index, ctx.region(this.input, start, stop));
    }
  }
}

/**
 * Basic indexing: per input axis either a fixed index (the axis disappears) or a unit-step
 * range [start, start + length). Squeeze is the case where every dropped axis has length 1.
 */
export class SliceExpr implements ArrayExpr {
  readonly kind = "slice";
  constructor(
    readonly input: ArrayNode,
    readonly selection: ReadonlyArray<{ index: number } | { start: number; length: number }>,
  ) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  view(self: ArrayNode, start: readonly number[], stop: readonly number[]): ViewMapping | undefined {
    const inputStart: number[] = [];
    const inputStop: number[] = [];
    const axisMap: number[] = [];
    let axis = 0;
    for (let inputAxis = 0; inputAxis < this.selection.length; inputAxis++) {
      const item = this.selection[inputAxis];
      if ("index" in item) {
        inputStart.push(item.index);
        inputStop.push(item.index + 1);
        continue;
      }
      // A region past the view's own edges (padding) cannot be mapped when the slice moved
      // the edges: boundaries apply at the view's edges, so the view materialises instead.
      const moved = item.start !== 0 || item.length !== this.input.shape[inputAxis];
      if (moved && (start[axis] < 0 || stop[axis] > self.shape[axis])) return undefined;
      inputStart.push(item.start + start[axis]);
      inputStop.push(item.start + stop[axis]);
      axisMap.push(inputAxis);
      axis++;
    }
    return { input: this.input, start: inputStart, stop: inputStop, axisMap };
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    lowerViewBlocks(self, ctx);
  }
}

/** The chunks of a unit-step slice: the input's chunk boundaries inside the range. */
export function slicedChunks(chunks: readonly number[], start: number, length: number): number[] {
  if (length === 0) return [0];
  const offsets = chunkOffsets([[...chunks]])[0];
  const out: number[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const lo = Math.max(offsets[i], start);
    const hi = Math.min(offsets[i + 1], start + length);
    if (hi > lo) out.push(hi - lo);
  }
  return out;
}

/**
 * Strided selection inside a covering view: output axis a takes every `step`-th cell of the
 * view starting at `first` (from the end for negative steps). As in Dask (`_slice_1d`), each
 * output chunk is what one view block holds of the selection, in selection order, blocks
 * holding none left out, so every output block reads from one input block per axis.
 */
export function stridedSliceNode(view: ArrayNode, strides: ReadonlyArray<{ first: number; count: number; step: number } | null>): ArrayNode {
  const chunks = view.chunks.map((sizes, axis) => {
    const stride = strides[axis];
    return stride ? stridedChunks(sizes, stride) : [...sizes];
  });
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  const name = `getitem-${tokenize(view.name, strides)}`;
  return { name, shape, chunks, dtype: view.dtype, expr: new StridedSliceExpr(view, strides) };
}

/** Per view block (walked in the step's direction), how many of the `count` selected cells it holds. */
function stridedChunks(sizes: readonly number[], { first, count, step }: { first: number; count: number; step: number }): number[] {
  const offsets = chunkOffsets([[...sizes]])[0];
  const stride = Math.abs(step);
  const out: number[] = [];
  for (let b = 0; b < sizes.length; b++) {
    const i = step > 0 ? b : sizes.length - 1 - b;
    // Selected cell k sits at first + k * step; the ks whose cell falls in [lo, hi).
    const [lo, hi] = [offsets[i], offsets[i + 1]];
    const kFrom = step > 0 ? Math.ceil((lo - first) / stride) : Math.floor((first - hi) / stride) + 1;
    const kTo = step > 0 ? Math.ceil((hi - first) / stride) : Math.floor((first - lo) / stride) + 1;
    const held = Math.min(kTo, count) - Math.max(kFrom, 0);
    if (held > 0) out.push(held);
  }
  return out.length > 0 ? out : [0];
}

class StridedSliceExpr implements ArrayExpr {
  readonly kind = "strided-slice";
  constructor(readonly input: ArrayNode, readonly strides: ReadonlyArray<{ first: number; count: number; step: number } | null>) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const start: number[] = [];
      const stop: number[] = [];
      const items: Array<{ start: number; stop?: number; step: number }> = [];
      index.forEach((i, axis) => {
        const [j0, j1] = [offsets[axis][i], offsets[axis][i + 1]];
        const stride = this.strides[axis];
        // An empty selection along a strided axis reads nothing (its first cell may lie before the view).
        if (!stride || j1 === j0) {
          start.push(j0);
          stop.push(j1);
          items.push({ start: 0, stop: j1 - j0, step: 1 });
          return;
        }
        const a = stride.first + j0 * stride.step;
        const b = stride.first + (j1 - 1) * stride.step;
        const lo = Math.min(a, b);
        start.push(lo);
        stop.push(Math.max(a, b) + 1);
        items.push(stride.step > 0 ? { start: 0, step: stride.step } : { start: a - lo, step: stride.step });
      });
      ctx.addBlock(self, index, { fn: functionRefOf(slice), args: [ctx.region(this.input, start, stop), ...items] });
    }
  }
}
