/**
 * `label` on a chunked array, the dask-image way: label every block alone, make the block labels
 * unique across the array, merge the labels that touch across chunk boundaries with a
 * union-find, and relabel every block. The result is scipy's `label` of the whole array (the
 * numbering included, see label-merge.ts), and the number of components is a 0-d array.
 *
 * Graph, for B blocks: B label tasks, each keeping its block's foreground bits and run labels
 * on its worker; B summaries (count, first cells, faces — a few layers, not the block); one
 * merge task (fan-in of the summaries) that builds the table from block labels to final
 * labels; B relabel tasks, each painting its block once from its bits through that table. No
 * block ever moves between workers; only faces and the table do.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { TaskRef } from "../protocol/payload.js";
import { earlierNeighbours } from "../ndimage/label.js";
import type { Grid } from "../ndimage/footprint.js";
import { LazyArray } from "./array.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { callTask } from "./lower.js";
import { facesNeeded, mergeBlockLabels } from "./label-merge.js";
import { labelBlockTask, labelCount, labelSummary, relabelBlock } from "./label-tasks.js";

export interface LazyLabelOptions {
  /** A symmetric 3×…×3 structure; default: faces only. */
  structure?: Grid;
}

/**
 * The per-block labelling and the merge: its one block is the merge's result (MergedLabels, not
 * an array), read by the relabelled blocks and the count. A node of its own, so the count still
 * finds it when the labels were persisted (then the blocks are labelled again for it).
 */
class LabelMergeExpr implements ArrayExpr {
  readonly kind = "label-merge";
  constructor(readonly input: ArrayNode, readonly neighbours: number[][]) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, neighbours } = this;
    const offsets = [...neighbours, ...neighbours.map((o) => o.map((d) => -d))];
    const starts = chunkOffsets(input.chunks);
    const chunks = input.chunks.map((sizes) => [...sizes]);
    const summaries: TaskRef[] = [];
    for (const index of blockIndices(blockCounts(input.chunks))) {
      const { start, stop } = blockRegion(starts, index);
      const spec = { neighbours, blockStart: start, shape: [...input.shape], faces: facesNeeded(chunks, offsets, index) };
      ctx.graph.add(callTask(localKey(self.name, index), { fn: functionRefOf(labelBlockTask), args: [ctx.region(input, start, stop), spec] }));
      const summaryKey = `${self.name}-summary-${index.join(".")}`;
      ctx.graph.add(callTask(summaryKey, { fn: functionRefOf(labelSummary), args: [new TaskRef(localKey(self.name, index))] }));
      summaries.push(new TaskRef(summaryKey));
    }
    // Not a block task: a block task would take its inputs' steps in (fuse.ts), and the
    // summaries fused into the merge would bring every labelled block to its worker. The node's
    // block is the merge's result under its own key.
    const mergeKey = `${self.name}-table`;
    const tableBytes = 4 * Math.ceil(input.shape.reduce((p, n) => p * n, 1) / 8);
    ctx.addTask(mergeKey, { fn: functionRefOf(mergeBlockLabels), args: [summaries, { chunks, offsets }] }, { array: input, outputBytes: tableBytes });
    ctx.addBlock(self, [], new TaskRef(mergeKey));
  }
}

const localKey = (mergeName: string, index: readonly number[]): string => `${mergeName}-local-${index.join(".")}`;

/** The final labels: each block painted once from its bits through the merge's table. */
class RelabelExpr implements ArrayExpr {
  readonly kind = "label";
  constructor(readonly merge: ArrayNode, readonly input: ArrayNode) {}
  get inputs(): ArrayNode[] {
    return [this.merge];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { merge, input } = this;
    ctx.ensure(merge);
    const table = ctx.region(merge, [], []);
    const starts = chunkOffsets(input.chunks);
    [...blockIndices(blockCounts(input.chunks))].forEach((index, block) => {
      const { start, stop } = blockRegion(starts, index);
      const shape = stop.map((s, a) => s - start[a]);
      ctx.addBlock(self, index, { fn: functionRefOf(relabelBlock), args: [new TaskRef(localKey(merge.name, index)), table, block, shape] });
    });
  }
}

/** The number of components, a 0-d int32 array. */
class LabelCountExpr implements ArrayExpr {
  readonly kind = "label-count";
  constructor(readonly merge: ArrayNode) {}
  get inputs(): ArrayNode[] {
    return [this.merge];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    ctx.ensure(this.merge);
    ctx.addBlock(self, [], { fn: functionRefOf(labelCount), args: [ctx.region(this.merge, [], [])] });
  }
}

/**
 * Connected components of the nonzero cells of a chunked array: [labels (int32, the input's
 * chunks), number of components (0-d int32)], equal to scipy.ndimage.label of the whole array.
 */
export function label(array: LazyArray, options: LazyLabelOptions = {}): [LazyArray, LazyArray] {
  const neighbours = earlierNeighbours(options.structure, array.ndim);
  const token = tokenize(array.name, neighbours);
  const merge: ArrayNode = { name: `label-merge-${token}`, shape: [], chunks: [], dtype: "int32", expr: new LabelMergeExpr(array, neighbours) };
  const labels = new LazyArray(`label-${token}`, array.shape, array.chunks, "int32", new RelabelExpr(merge, array));
  const count = new LazyArray(`label-count-${token}`, [], [], "int32", new LabelCountExpr(merge));
  return [labels, count];
}
