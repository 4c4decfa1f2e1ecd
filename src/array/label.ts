/**
 * `label` on a chunked array, the dask-image way: label every block alone, offset the block
 * labels so they are unique across the array, pair the labels that touch across block faces,
 * merge the pairs with a union-find and relabel every block. The result is scipy's `label` of the
 * whole array (see label-tasks.ts for why even the numbering agrees), and the number of
 * components is a 0-d array.
 *
 * Graph, for B blocks: B label tasks and B small summaries (count and first cells per label);
 * one offsets task (fan-in of the summaries); B offset-label blocks; B pair tasks, each on its
 * block plus a one-cell halo; one table task (fan-in of the pairs); B relabelled blocks. Only
 * counts, pairs and tables travel between blocks — never the label blocks themselves, except the
 * one-cell halos.
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
import { applyRelabel, boundaryPairs, globalLabels, labelBlockTask, labelCount, labelOffsets, labelSummary, relabelTable } from "./label-tasks.js";

export interface LazyLabelOptions {
  /** A symmetric 3×…×3 structure; default: faces only. */
  structure?: Grid;
}

const offsetsKey = (globalName: string): string => `${globalName}-offsets`;
const tableKey = (labelsName: string): string => `${labelsName}-table`;

/** Block labels made unique across the array (int32, same chunks as the input). */
class OffsetLabelsExpr implements ArrayExpr {
  readonly kind = "label-blocks";
  constructor(readonly input: ArrayNode, readonly neighbours: number[][]) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input } = this;
    const offsets = chunkOffsets(input.chunks);
    const summaries: TaskRef[] = [];
    const locals: Array<[number[], TaskRef]> = [];
    for (const index of blockIndices(blockCounts(input.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const localKey = `${self.name}-local-${index.join(".")}`;
      const spec = { neighbours: this.neighbours, blockStart: start, shape: [...input.shape] };
      ctx.graph.add(callTask(localKey, { fn: functionRefOf(labelBlockTask), args: [ctx.region(input, start, stop), spec] }));
      const summaryKey = `${self.name}-summary-${index.join(".")}`;
      ctx.graph.add(callTask(summaryKey, { fn: functionRefOf(labelSummary), args: [new TaskRef(localKey)] }));
      summaries.push(new TaskRef(summaryKey));
      locals.push([index, new TaskRef(localKey)]);
    }
    ctx.graph.add(callTask(offsetsKey(self.name), { fn: functionRefOf(labelOffsets), args: [summaries] }));
    locals.forEach(([index, local], block) => {
      ctx.addBlock(self, index, { fn: functionRefOf(globalLabels), args: [local, new TaskRef(offsetsKey(self.name)), block] });
    });
  }
}

/** The final labels: block labels merged across faces and numbered as scipy numbers them. */
class MergedLabelsExpr implements ArrayExpr {
  readonly kind = "label-merge";
  constructor(readonly blocks: ArrayNode, readonly offsets: number[][]) {}
  get inputs(): ArrayNode[] {
    return [this.blocks];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { blocks } = this;
    const chunkStarts = chunkOffsets(blocks.chunks);
    const pairs: TaskRef[] = [];
    const indices = [...blockIndices(blockCounts(blocks.chunks))];
    for (const index of indices) {
      const { start, stop } = blockRegion(chunkStarts, index);
      const haloStart = start.map((s) => Math.max(0, s - 1));
      const haloStop = stop.map((s, a) => Math.min(blocks.shape[a], s + 1));
      const spec = { coreStart: start.map((s, a) => s - haloStart[a]), coreStop: stop.map((s, a) => s - haloStart[a]), offsets: this.offsets };
      const key = `${self.name}-pairs-${index.join(".")}`;
      ctx.graph.add(callTask(key, { fn: functionRefOf(boundaryPairs), args: [ctx.region(blocks, haloStart, haloStop), spec] }));
      pairs.push(new TaskRef(key));
    }
    ctx.ensure(blocks);
    ctx.graph.add(callTask(tableKey(self.name), { fn: functionRefOf(relabelTable), args: [pairs, new TaskRef(offsetsKey(blocks.name))] }));
    for (const index of indices) {
      const { start, stop } = blockRegion(chunkStarts, index);
      ctx.addBlock(self, index, { fn: functionRefOf(applyRelabel), args: [ctx.region(blocks, start, stop), new TaskRef(tableKey(self.name))] });
    }
  }
}

/** The number of components, a 0-d int32 array. */
class LabelCountExpr implements ArrayExpr {
  readonly kind = "label-count";
  constructor(readonly labels: ArrayNode) {}
  get inputs(): ArrayNode[] {
    return [this.labels];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    ctx.ensure(this.labels);
    ctx.addBlock(self, [], { fn: functionRefOf(labelCount), args: [new TaskRef(tableKey(this.labels.name))] });
  }
}

/**
 * Connected components of the nonzero cells of a chunked array: [labels (int32, the input's
 * chunks), number of components (0-d int32)], equal to scipy.ndimage.label of the whole array.
 */
export function label(array: LazyArray, options: LazyLabelOptions = {}): [LazyArray, LazyArray] {
  const neighbours = earlierNeighbours(options.structure, array.ndim);
  const offsets = [...neighbours, ...neighbours.map((o) => o.map((d) => -d))];
  const token = tokenize(array.name, neighbours);
  const blocks = new LazyArray(`label-blocks-${token}`, array.shape, array.chunks, "int32", new OffsetLabelsExpr(array, neighbours));
  const labels = new LazyArray(`label-${token}`, array.shape, array.chunks, "int32", new MergedLabelsExpr(blocks, offsets));
  const count = new LazyArray(`label-count-${token}`, [], [], "int32", new LabelCountExpr(labels));
  return [labels, count];
}
