/**
 * `label` on a chunked array, the dask-image way: label every block alone, make the block labels
 * unique across the array, merge the labels that touch across chunk boundaries with a
 * union-find, and relabel every block. The result is scipy's `label` of the whole array (the
 * numbering included, see label-merge.ts), and the number of components is a 0-d array.
 *
 * Graph, for B blocks: B label tasks, each keeping its block's foreground bits, run labels and
 * faces on its worker; B summaries (count, first cells); per pair of blocks that touch (a
 * face, edge or corner, label-boundary.ts) a boundary task reading the facing layer of each
 * (cut on the block's worker) and returning the label pairs that touch; one merge task (fan-in
 * of the summaries and the pairs) that builds the table from block labels to final labels; B
 * relabel tasks, each painting its block once from its bits through that table. No block ever
 * moves between workers; only layers to their boundary task, pairs and the table do.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { TaskRef } from "../protocol/payload.js";
import { earlierNeighbours } from "../ndimage/label.js";
import type { Grid } from "../ndimage/footprint.js";
import { cStrides } from "../ndarray/ndarray.js";
import { LazyArray } from "./array.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { callTask } from "./lower.js";
import { type ContactKind, contactKinds, contactLayer, diagonalLabels, touchingLabels } from "./label-boundary.js";
import { facesNeeded, mergeBlockLabels } from "./label-merge.js";
import { labelBlockTask, labelCount, labelLayer, labelRim, labelSummary, relabelBlock } from "./label-tasks.js";

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
      const labels = labelsEstimate(stop.reduce((p, s, a) => p * (s - start[a]), 1));
      ctx.addTask(summaryKey, { fn: functionRefOf(labelSummary), args: [new TaskRef(localKey(self.name, index))] }, { array: input, outputBytes: 8 * labels + 64 });
      summaries.push(new TaskRef(summaryKey));
    }
    const { contacts, pairs } = this.lowerContacts(self, ctx, kinds);
    // Not a block task: a block task would take its inputs' steps in (fuse.ts), and the
    // summaries fused into the merge would bring every labelled block to its worker. The node's
    // block is the merge's result under its own key. It holds the summaries and the pairs (their
    // estimates, from lower.ts), the union-find and numbering (32 bytes a label) and the table.
    const mergeKey = `${self.name}-table`;
    const labels = labelsEstimate(input.shape.reduce((p, n) => p * n, 1));
    const call = { fn: functionRefOf(mergeBlockLabels), args: [summaries, pairs, { contacts }] };
    ctx.addTask(mergeKey, call, { array: input, outputBytes: 4 * labels + 8 * summaries.length, scratchBytes: 32 * labels });
    ctx.addBlock(self, [], new TaskRef(mergeKey));
  }

  /**
   * The contacts between blocks (label-boundary.ts) and the tasks that reduce them to label
   * pairs. A face contact gets a boundary task of its own, reading the facing layer of each
   * block (a task of its own on that block's worker, cut from the block's face). Edges and
   * corners read thin layers (lines and cells in 3-D): each block's are cut in one rim task, and
   * one diagonal task per block pairs them with its later neighbours' rims — so their count of
   * tasks does not grow with the 3^ndim directions. Returns the contacts (block positions,
   * earlier first) and the tasks, whose pair lists come in the same order.
   */
  private lowerContacts(self: ArrayNode, ctx: LowerContext, kinds: ContactKind[]): { contacts: number[]; pairs: TaskRef[] } {
    const { input } = this;
    const starts = chunkOffsets(input.chunks);
    const grid = blockCounts(input.chunks);
    const blockStrides = cStrides(grid);
    const blockAt = (index: readonly number[]): number => index.reduce((p, i, a) => p + i * blockStrides[a], 0);
    // Empty chunks hold no cells: a contact steps to the next non-empty chunk along each axis.
    const nonEmpty = input.chunks.map((sizes) => sizes.flatMap((n, i) => (n > 0 ? [i] : [])));
    const contacts: number[] = [];
    const pairs: TaskRef[] = [];
    const cut = (index: readonly number[], step: number[], later: boolean): LayerCut => {
      const { start, stop } = blockRegion(starts, index);
      const shape = stop.map((s, a) => s - start[a]);
      const box = contactLayer(shape, step, later);
      const axis = step.findIndex((d) => d !== 0);
      const cells = box.stop.reduce((p, s, a) => p * (s - box.start[a]), 1);
      const face = 2 * axis + (later ? 0 : 1);
      return { face, start: box.start.filter((_, a) => a !== axis), stop: box.stop.filter((_, a) => a !== axis), cells, shape: shape.filter((_, a) => step[a] === 0) };
    };
    const layerTask = (index: readonly number[], step: number[], later: boolean): { ref: TaskRef; layer: LayerCut } => {
      const layer = cut(index, step, later);
      const key = `${self.name}-layer-${index.join(".")}-${stepTag(step)}-${later ? "later" : "earlier"}`;
      ctx.addTask(key, { fn: functionRefOf(labelLayer), args: [new TaskRef(localKey(self.name, index)), layer.face, layer.start, layer.stop] }, { array: input, outputBytes: 4 * layer.cells });
      return { ref: new TaskRef(key), layer };
    };
    // The rims: per block, the thin layers its edge and corner contacts read.
    const rims = new Map<number, { index: readonly number[]; parts: LayerCut[] }>();
    const rimPart = (index: readonly number[], step: number[], later: boolean): { block: number; part: number; layer: LayerCut } => {
      const block = blockAt(index);
      const rim = rims.get(block) ?? { index, parts: [] };
      rims.set(block, rim);
      const layer = cut(index, step, later);
      rim.parts.push(layer);
      return { block, part: rim.parts.length - 1, layer };
    };
    const diagonals = new Map<number, { index: readonly number[]; others: number[]; contacts: Array<{ earlier: ReturnType<typeof rimPart>; later: ReturnType<typeof rimPart>; shifts: number[][] }> }>();
    for (const index of blockIndices(grid)) {
      if (index.some((i, a) => input.chunks[a][i] === 0)) continue;
      for (const { step, offsets } of kinds) {
        const other = index.map((i, a) => {
          if (step[a] === 0) return i;
          const at = nonEmpty[a].indexOf(i) + step[a];
          return at >= 0 && at < nonEmpty[a].length ? nonEmpty[a][at] : -1;
        });
        if (other.includes(-1)) continue;
        const free = step.flatMap((d, a) => (d === 0 ? [a] : []));
        const shifts = offsets.map((o) => free.map((a) => o[a]));
        if (step.filter((d) => d !== 0).length > 1) {
          const group = diagonals.get(blockAt(index)) ?? { index, others: [], contacts: [] };
          diagonals.set(blockAt(index), group);
          group.contacts.push({ earlier: rimPart(index, step, false), later: rimPart(other, step, true), shifts });
          continue;
        }
        const earlier = layerTask(index, step, false);
        const later = layerTask(other, step, true);
        const key = `${self.name}-boundary-${index.join(".")}-${stepTag(step)}`;
        // At most one pair per label on the two layers (a spanning forest), 8 bytes a pair; the
        // labels met are numbered through a Map (about 48 bytes a label) while pairing.
        const labels = labelsEstimate(earlier.layer.cells + later.layer.cells);
        const spec = { shape: earlier.layer.shape, shifts };
        ctx.addTask(key, { fn: functionRefOf(touchingLabels), args: [earlier.ref, later.ref, spec] }, { array: input, outputBytes: 8 * labels, scratchBytes: 48 * labels });
        contacts.push(blockAt(index), blockAt(other));
        pairs.push(new TaskRef(key));
      }
    }
    const rimKey = (index: readonly number[]): string => `${self.name}-rim-${index.join(".")}`;
    for (const { index, parts } of rims.values()) {
      const args = [new TaskRef(localKey(self.name, index)), parts.map(({ face, start, stop }) => ({ face, start, stop }))];
      ctx.addTask(rimKey(index), { fn: functionRefOf(labelRim), args }, { array: input, outputBytes: parts.reduce((sum, part) => sum + 4 * part.cells + 64, 0) });
    }
    for (const [block, { index, contacts: group }] of diagonals) {
      const blocks = [...new Set(group.flatMap(({ earlier, later }) => [earlier.block, later.block]))];
      const rimRefs = blocks.map((b) => new TaskRef(rimKey(rims.get(b)!.index)));
      const spec = group.map(({ earlier, later, shifts }) => ({ earlier: [blocks.indexOf(earlier.block), earlier.part], later: [blocks.indexOf(later.block), later.part], shape: earlier.layer.shape, shifts }));
      const labels = labelsEstimate(group.reduce((sum, { earlier, later }) => sum + earlier.layer.cells + later.layer.cells, 0));
      const key = `${self.name}-diagonal-${index.join(".")}`;
      ctx.addTask(key, { fn: functionRefOf(diagonalLabels), args: [rimRefs, spec] }, { array: input, outputBytes: 8 * labels + 64 * group.length, scratchBytes: 48 * labels });
      for (const { later } of group) contacts.push(block, later.block);
      pairs.push(new TaskRef(key));
    }
    return { contacts, pairs };
  }
}

/** What a contact reads of one block: [start, stop) of one of its faces, and the layer's shape along the uncrossed axes. */
interface LayerCut {
  face: number;
  start: number[];
  stop: number[];
  cells: number;
  shape: number[];
}

/**
 * Labels expected in `cells` cells, for memory estimates: one per 8 cells (a checkerboard of
 * single cells, the worst case, has one per 2; real objects far fewer).
 */
const labelsEstimate = (cells: number): number => Math.ceil(cells / 8);

const stepTag = (step: readonly number[]): string => step.map((d) => (d < 0 ? "m" : d > 0 ? "p" : "0")).join("");

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
