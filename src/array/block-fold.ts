/**
 * A fold of every block of an array into one result block, for the operations whose result
 * does not keep the input's axes (histogram, percentile): each block becomes a partial (one
 * task per block, fused with what computes it and run where it lives), partials are combined
 * `splitEvery` at a time in block order, level after level, until one is left, which is
 * finished into the single result block. Like the tree reduction, no task holds more than
 * `splitEvery` partials, and every level spreads over the workers. A fold may read the same
 * box of further arrays of the input's shape beside each block (per-label measurements read
 * values and labels), and may be given the box's first cell (`withOrigin`).
 */
import { functionRefOf } from "../graph/function-travel.js";
import type { AnyFunction } from "../core/builtin.js";
import { TaskRef } from "../protocol/payload.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";

export interface FoldSteps {
  /** (block, ...the same box of each further input, options, origin if withOrigin) → partial. */
  partial: AnyFunction;
  /** Pass each partial the first cell of its box in the whole array. */
  withOrigin?: boolean;
  /** (partials, options) → partial. */
  combine: AnyFunction;
  /** (partial, options) → the result block. */
  finish: AnyFunction;
  /** Bytes of one partial, for the plan's memory estimate. */
  partialBytes: number;
}

/**
 * Options holding more list entries than this (a measurement's label index, histogram edges)
 * travel once, as a task of their own that every step of the fold reads, instead of inside
 * every task: a 100 000-label index in 64 block tasks was 41 MB of graph. Smaller options stay
 * inline, so the steps keep their single dependency and fuse with what computes their block.
 */
export const inlineOptionEntries = 1024;

/** Entries of the lists and typed arrays among the options' own values. */
function listEntries(options: unknown): number {
  if (options === null || typeof options !== "object") return 0;
  let entries = 0;
  for (const value of Object.values(options)) {
    if (Array.isArray(value)) entries += value.length;
    else if (ArrayBuffer.isView(value)) entries += value.byteLength / 8;
  }
  return entries;
}

export class BlockFoldExpr implements ArrayExpr {
  readonly kind = "block-fold";
  constructor(
    readonly input: ArrayNode, readonly steps: FoldSteps, readonly options: unknown, readonly splitEvery: number,
    /** Arrays of the input's shape read box for box beside it (any chunking). */
    readonly others: readonly ArrayNode[] = [],
  ) {}
  get inputs(): ArrayNode[] {
    return [this.input, ...this.others];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, steps } = this;
    const offsets = chunkOffsets(input.chunks);
    const memory = { array: input, outputBytes: steps.partialBytes };
    let options: unknown = this.options;
    const entries = listEntries(options);
    if (entries > inlineOptionEntries) {
      const key = `${self.name}-options`;
      ctx.addTask(key, { fn: { builtin: "graph.identity" }, args: [options] }, { array: input, outputBytes: 8 * entries });
      options = new TaskRef(key);
    }
    let keys: string[] = [];
    for (const index of blockIndices(blockCounts(input.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const key = `${self.name}-partial-0-${index.join(".")}`;
      const boxes = [input, ...this.others].map((array) => ctx.region(array, start, stop));
      ctx.addTask(key, { fn: functionRefOf(steps.partial), args: [...boxes, options, ...(steps.withOrigin ? [start] : [])] }, memory);
      keys.push(key);
    }
    for (let level = 1; keys.length > 1; level++) {
      const next: string[] = [];
      for (let i = 0; i < keys.length; i += this.splitEvery) {
        const key = `${self.name}-partial-${level}-${next.length}`;
        const members = keys.slice(i, i + this.splitEvery).map((member) => new TaskRef(member));
        ctx.addTask(key, { fn: functionRefOf(steps.combine), args: [members, options] }, { ...memory, scratchBytes: steps.partialBytes });
        next.push(key);
      }
      keys = next;
    }
    ctx.addBlock(self, self.shape.map(() => 0), { fn: functionRefOf(steps.finish), args: [new TaskRef(keys[0]), options] });
  }
}
