/**
 * `label` on a chunked array, the dask-image way: label every block alone, make the block labels
 * unique across the array, merge the labels that touch across chunk boundaries with a
 * union-find, and relabel every block. The result is scipy's `label` of the whole array (the
 * numbering included, see label-merge.ts), and the number of components is a 0-d array.
 *
 * Graph, for B blocks: B label tasks, each keeping its block's foreground bits, run labels and
 * faces on its worker; B summaries (count, first cells); per pair of blocks that touch (a
 * face, edge or corner, label-boundary.ts) the label pairs that touch, from the facing layer of
 * each (cut on the block's worker; small blocks send all faces in one task and pair them with
 * their later neighbours in one task, label-contacts.ts); one merge task (fan-in
 * of the summaries and the pairs) that builds the table from block labels to final labels; B
 * relabel tasks, each painting its block once from its bits through that table. No block ever
 * moves between workers; only layers to their boundary task, pairs and the table do.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { TaskRef } from "../protocol/payload.js";
import { checkLabelOptions, earlierNeighbours } from "../ndimage/label.js";
import type { Grid } from "../ndimage/footprint.js";
import { LazyArray } from "./array.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { callTask } from "./lower.js";
import { contactKinds } from "./label-boundary.js";
import { localKey, lowerContacts, mergedLabelsEstimate } from "./label-contacts.js";
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
    const grid = blockCounts(input.chunks);
    const kinds = contactKinds(offsets, input.shape.length);
    const summaries: TaskRef[] = [];
    for (const index of blockIndices(grid)) {
      const { start, stop } = blockRegion(starts, index);
      const spec = { neighbours, blockStart: start, shape: [...input.shape], faces: facesNeeded(chunks, offsets, index) };
      ctx.graph.add(callTask(localKey(self.name, index), { fn: functionRefOf(labelBlockTask), args: [ctx.region(input, start, stop), spec] }));
      const summaryKey = `${self.name}-summary-${index.join(".")}`;
      // Summed over every block at the merge: the whole array's density, not one block's bound.
      const labels = mergedLabelsEstimate(stop.reduce((p, s, a) => p * (s - start[a]), 1));
      ctx.addTask(summaryKey, { fn: functionRefOf(labelSummary), args: [new TaskRef(localKey(self.name, index))] }, { array: input, outputBytes: 8 * labels + 64 });
      summaries.push(new TaskRef(summaryKey));
    }
    const { contacts, pairs } = lowerContacts(self.name, input, ctx, kinds);
    // Not a block task: a block task would take its inputs' steps in (fuse.ts), and the
    // summaries fused into the merge would bring every labelled block to its worker. The node's
    // block is the merge's result under its own key. It holds the summaries and the pairs (their
    // estimates, from lower.ts), the union-find and numbering (32 bytes a label) and the table.
    const mergeKey = `${self.name}-table`;
    const labels = mergedLabelsEstimate(input.shape.reduce((p, n) => p * n, 1));
    const call = { fn: functionRefOf(mergeBlockLabels), args: [summaries, pairs, { contacts }] };
    ctx.addTask(mergeKey, call, { array: input, outputBytes: 4 * labels + 8 * summaries.length, scratchBytes: 32 * labels });
    ctx.addBlock(self, [], new TaskRef(mergeKey));
  }
}

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
  checkLabelOptions(options, array.ndim, "label");
  const neighbours = earlierNeighbours(options.structure, array.ndim);
  const token = tokenize(array.name, neighbours);
  const merge: ArrayNode = { name: `label-merge-${token}`, shape: [], chunks: [], dtype: "int32", expr: new LabelMergeExpr(array, neighbours) };
  const labels = new LazyArray(`label-${token}`, array.shape, array.chunks, "int32", new RelabelExpr(merge, array));
  const count = new LazyArray(`label-count-${token}`, [], [], "int32", new LabelCountExpr(merge));
  return [labels, count];
}
