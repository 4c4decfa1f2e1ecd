/**
 * The tasks of chunked labelling (label.ts) that find which labels touch across chunk
 * boundaries, and the names of the per-block tasks they read.
 *
 * Large blocks: a face contact gets a boundary task of its own, reading the facing layer of
 * each block (a task of its own on that block's worker, cut from the block's face). Edges and
 * corners read thin layers (lines and cells in 3-D): each block's are cut in one rim task, and
 * one diagonal task per block pairs them with its later neighbours' rims — so their count of
 * tasks does not grow with the 3^ndim directions. Only the layers a contact reads travel.
 *
 * Small blocks (all faces of the largest block within `smallFaceBytes`): a task per layer costs
 * far more than the layer (512 blocks of 12³ made ~12 tasks a block). Each block sends all its
 * faces in one task, and one contacts task per block pairs them with its later neighbours'
 * faces across every face, edge and corner: 5 tasks a block in all (label, summary, faces,
 * contacts, relabel).
 */
import { functionRefOf } from "../graph/function-travel.js";
import { cStrides } from "../ndarray/ndarray.js";
import { TaskRef } from "../protocol/payload.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, largestOf } from "./chunks.js";
import type { ArrayNode, LowerContext } from "./expr.js";
import { type ContactKind, type FaceLayer, contactLayer, diagonalLabels, faceContactLabels, touchingLabels } from "./label-boundary.js";
import { labelFaces, labelLayer, labelRim } from "./label-tasks.js";

/** Blocks whose faces together hold at most this many bytes (int32 labels) send them in one task. */
export const smallFaceBytes = 16 * 1024;

/**
 * Labels expected in `cells` cells, for memory estimates: one per 8 cells (a checkerboard of
 * single cells, the worst case, has one per 2; real objects far fewer).
 */
export const labelsEstimate = (cells: number): number => Math.ceil(cells / 8);

/**
 * Labels expected in `cells` cells where they add up over the whole array: the summaries that
 * travel to the merge, the merge's union-find and numbering (~36 bytes a label) and the table
 * every relabel task reads. One per 64 cells (objects of 4³ cells on average). The per-block
 * bound of `labelsEstimate` summed over a whole array asked 444 MiB of the merge for a 330 MB
 * volume of 30 000 objects (1 per 2 750 cells), so any volume over ~60 M cells was refused on
 * 256 MiB workers, with advice to rechunk that could not help: the merge's size is the number
 * of block labels, whatever the chunks. Denser label images than this need workers with more
 * memory than the plan asked for.
 */
export const mergedLabelsEstimate = (cells: number): number => Math.ceil(cells / 64);

/** The key of block `index`'s labelling task (its labels stay on its worker). */
export const localKey = (mergeName: string, index: readonly number[]): string => `${mergeName}-local-${index.join(".")}`;

const stepTag = (step: readonly number[]): string => step.map((d) => (d < 0 ? "m" : d > 0 ? "p" : "0")).join("");

/** What a contact reads of one block: [start, stop) of one of its faces, and the layer's shape along the uncrossed axes. */
interface LayerCut {
  face: number;
  start: number[];
  stop: number[];
  cells: number;
  /** The layer's shape along the uncrossed axes. */
  shape: number[];
  /** The face's shape (the block's axes but the face's). */
  faceShape: number[];
}

/** One contact: the blocks (C order), the layer each reads, and the offsets across it along the uncrossed axes. */
interface Contact {
  index: readonly number[];
  other: number[];
  step: number[];
  shifts: number[][];
}

/** Bytes of all faces of the largest block: decides between a task per layer and one per block. */
function largestFaceBytes(chunks: number[][]): number {
  const largest = chunks.map((sizes) => largestOf(sizes));
  const cells = largest.reduce((p, n) => p * n, 1);
  return largest.reduce((sum, n) => sum + (n > 0 ? (2 * cells) / n : 0), 0) * 4;
}

/**
 * The tasks that reduce the contacts between blocks (label-boundary.ts) to label pairs. Returns
 * the contacts (block positions, earlier first) and the tasks, whose pair lists come in the
 * same order.
 */
export function lowerContacts(mergeName: string, input: ArrayNode, ctx: LowerContext, kinds: ContactKind[]): { contacts: number[]; pairs: TaskRef[] } {
  const starts = chunkOffsets(input.chunks);
  const grid = blockCounts(input.chunks);
  const blockStrides = cStrides(grid);
  const blockAt = (index: readonly number[]): number => index.reduce((p, i, a) => p + i * blockStrides[a], 0);
  const cut = (index: readonly number[], step: number[], later: boolean): LayerCut => {
    const { start, stop } = blockRegion(starts, index);
    const shape = stop.map((s, a) => s - start[a]);
    const box = contactLayer(shape, step, later);
    const axis = step.findIndex((d) => d !== 0);
    const cells = box.stop.reduce((p, s, a) => p * (s - box.start[a]), 1);
    const face = 2 * axis + (later ? 0 : 1);
    const drop = <T>(values: T[]): T[] => values.filter((_, a) => a !== axis);
    return { face, start: drop(box.start), stop: drop(box.stop), cells, shape: shape.filter((_, a) => step[a] === 0), faceShape: drop(shape) };
  };
  const contacts = allContacts(input, kinds);
  if (largestFaceBytes(input.chunks) <= smallFaceBytes) return lowerSmallContacts(mergeName, input, ctx, contacts, blockAt, cut);
  const blockContacts: number[] = [];
  const pairs: TaskRef[] = [];
  const layerTask = (index: readonly number[], step: number[], later: boolean): { ref: TaskRef; layer: LayerCut } => {
    const layer = cut(index, step, later);
    const key = `${mergeName}-layer-${index.join(".")}-${stepTag(step)}-${later ? "later" : "earlier"}`;
    ctx.addTask(key, { fn: functionRefOf(labelLayer), args: [new TaskRef(localKey(mergeName, index)), layer.face, layer.start, layer.stop] }, { array: input, outputBytes: 4 * layer.cells });
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
  const diagonals = new Map<number, { index: readonly number[]; contacts: Array<{ earlier: ReturnType<typeof rimPart>; later: ReturnType<typeof rimPart>; shifts: number[][] }> }>();
  for (const { index, other, step, shifts } of contacts) {
    if (step.filter((d) => d !== 0).length > 1) {
      const group = diagonals.get(blockAt(index)) ?? { index, contacts: [] };
      diagonals.set(blockAt(index), group);
      group.contacts.push({ earlier: rimPart(index, step, false), later: rimPart(other, step, true), shifts });
      continue;
    }
    const earlier = layerTask(index, step, false);
    const later = layerTask(other, step, true);
    const key = `${mergeName}-boundary-${index.join(".")}-${stepTag(step)}`;
    // At most one pair per label on the two layers (a spanning forest), 8 bytes a pair; the
    // labels met are numbered through a Map (about 48 bytes a label) while pairing.
    const labels = labelsEstimate(earlier.layer.cells + later.layer.cells);
    const spec = { shape: earlier.layer.shape, shifts };
    ctx.addTask(key, { fn: functionRefOf(touchingLabels), args: [earlier.ref, later.ref, spec] }, { array: input, outputBytes: 8 * labels, scratchBytes: 48 * labels });
    blockContacts.push(blockAt(index), blockAt(other));
    pairs.push(new TaskRef(key));
  }
  const rimKey = (index: readonly number[]): string => `${mergeName}-rim-${index.join(".")}`;
  for (const { index, parts } of rims.values()) {
    const args = [new TaskRef(localKey(mergeName, index)), parts.map(({ face, start, stop }) => ({ face, start, stop }))];
    ctx.addTask(rimKey(index), { fn: functionRefOf(labelRim), args }, { array: input, outputBytes: parts.reduce((sum, part) => sum + 4 * part.cells + 64, 0) });
  }
  for (const [block, { index, contacts: group }] of diagonals) {
    const blocks = [...new Set(group.flatMap(({ earlier, later }) => [earlier.block, later.block]))];
    const rimRefs = blocks.map((b) => new TaskRef(rimKey(rims.get(b)!.index)));
    const spec = group.map(({ earlier, later, shifts }) => ({ earlier: [blocks.indexOf(earlier.block), earlier.part], later: [blocks.indexOf(later.block), later.part], shape: earlier.layer.shape, shifts }));
    const labels = labelsEstimate(group.reduce((sum, { earlier, later }) => sum + earlier.layer.cells + later.layer.cells, 0));
    const key = `${mergeName}-diagonal-${index.join(".")}`;
    ctx.addTask(key, { fn: functionRefOf(diagonalLabels), args: [rimRefs, spec] }, { array: input, outputBytes: 8 * labels + 64 * group.length, scratchBytes: 48 * labels });
    for (const { later } of group) blockContacts.push(block, later.block);
    pairs.push(new TaskRef(key));
  }
  return { contacts: blockContacts, pairs };
}

/** Every contact between two non-empty blocks, the earlier block's first (blocks in C order). */
function allContacts(input: ArrayNode, kinds: ContactKind[]): Contact[] {
  // Empty chunks hold no cells: a contact steps to the next non-empty chunk along each axis.
  const nonEmpty = input.chunks.map((sizes) => sizes.flatMap((n, i) => (n > 0 ? [i] : [])));
  const contacts: Contact[] = [];
  for (const index of blockIndices(blockCounts(input.chunks))) {
    if (index.some((i, a) => input.chunks[a][i] === 0)) continue;
    for (const { step, offsets } of kinds) {
      const other = index.map((i, a) => {
        if (step[a] === 0) return i;
        const at = nonEmpty[a].indexOf(i) + step[a];
        return at >= 0 && at < nonEmpty[a].length ? nonEmpty[a][at] : -1;
      });
      if (other.includes(-1)) continue;
      const free = step.flatMap((d, a) => (d === 0 ? [a] : []));
      contacts.push({ index, other, step, shifts: offsets.map((o) => free.map((a) => o[a])) });
    }
  }
  return contacts;
}

/** Small blocks: one faces task per block, one contacts task per block with later neighbours. */
function lowerSmallContacts(
  mergeName: string, input: ArrayNode, ctx: LowerContext, contacts: Contact[],
  blockAt: (index: readonly number[]) => number, cut: (index: readonly number[], step: number[], later: boolean) => LayerCut,
): { contacts: number[]; pairs: TaskRef[] } {
  const facesKey = (index: readonly number[]): string => `${mergeName}-faces-${index.join(".")}`;
  const facesAdded = new Set<number>();
  const addFaces = (index: readonly number[]): void => {
    if (facesAdded.has(blockAt(index))) return;
    facesAdded.add(blockAt(index));
    const starts = chunkOffsets(input.chunks);
    const { start, stop } = blockRegion(starts, index);
    const cells = stop.reduce((p, s, a) => p * (s - start[a]), 1);
    const faceCells = stop.reduce((sum, s, a) => sum + (s > start[a] ? (2 * cells) / (s - start[a]) : 0), 0);
    ctx.addTask(facesKey(index), { fn: functionRefOf(labelFaces), args: [new TaskRef(localKey(mergeName, index))] }, { array: input, outputBytes: 4 * faceCells + 64 * 2 * stop.length });
  };
  const byBlock = new Map<number, Contact[]>();
  for (const contact of contacts) {
    const block = blockAt(contact.index);
    byBlock.set(block, [...(byBlock.get(block) ?? []), contact]);
  }
  const blockContacts: number[] = [];
  const pairs: TaskRef[] = [];
  for (const [block, group] of byBlock) {
    const blocks: number[] = [];
    const refs: TaskRef[] = [];
    const layerOf = (index: readonly number[], step: number[], later: boolean): { layer: LayerCut; at: FaceLayer } => {
      const b = blockAt(index);
      if (!blocks.includes(b)) {
        addFaces(index);
        blocks.push(b);
        refs.push(new TaskRef(facesKey(index)));
      }
      const layer = cut(index, step, later);
      return { layer, at: { block: blocks.indexOf(b), face: layer.face, faceShape: layer.faceShape, start: layer.start, stop: layer.stop } };
    };
    let cells = 0;
    const spec = group.map(({ index, other, step, shifts }) => {
      const earlier = layerOf(index, step, false);
      const later = layerOf(other, step, true);
      cells += earlier.layer.cells + later.layer.cells;
      blockContacts.push(block, blockAt(other));
      return { earlier: earlier.at, later: later.at, shape: earlier.layer.shape, shifts };
    });
    // As a boundary task: a pair per label at most (8 bytes), a Map entry per label met (48).
    const labels = labelsEstimate(cells);
    const key = `${mergeName}-contacts-${group[0].index.join(".")}`;
    ctx.addTask(key, { fn: functionRefOf(faceContactLabels), args: [refs, spec] }, { array: input, outputBytes: 8 * labels + 64 * group.length, scratchBytes: 48 * labels + 4 * cells });
    pairs.push(new TaskRef(key));
  }
  return { contacts: blockContacts, pairs };
}
