/**
 * A masked array computed or persisted as ONE task result per block: the masked block
 * [data, mask] (ndarray/masked-kernels.ts maskedBlock), as Dask's np.ma.MaskedArray chunks.
 *
 * Why here, at the edge, and not in every step: a masked step is built from ordinary lazy
 * steps on the data and the mask (elementwise.ts), and those are blockwise tasks that fuse
 * (graph/fuse.ts) into whatever single reader they have. What kept a step at two tasks or
 * more per block was only that the data and the mask were two outputs: everything both of
 * them read (the mask of masked_greater, m − 0.5, a division's mask) had two readers in two
 * groups and stayed a task of its own. Made outputs of one bundling task per block, data
 * and mask are one reader, and the whole blockwise chain above fuses into it: m / (m − 0.5)
 * on 16 blocks is 16 tasks (Dask's optimized graph 33, its graph 65; it was 80 here).
 * Carrying masked blocks through every step instead would have needed a masked variant of
 * each view, rechunk, concatenation and reduction; the parts stay ordinary arrays for those.
 *
 * The masked block is a plain two-element array of NDArrays: the wire (protocol/payload.ts),
 * the thread codec, spill files and the stored-size count carry any array of NDArrays, so no
 * block kind is added to the engine. A persisted masked array holds masked blocks, and its
 * data and mask are the parts of them (maskedBlockPart, a blockwise task that fuses into its
 * reader), so the two can never come from different runs. Unknown chunk sizes (after a lazy
 * boolean index) take the two-output path: blocks of unknown shape cannot be bundled by index.
 */
import type { Delayed } from "../../delayed/delayed.js";
import { type FillValue, defaultFillValue } from "../../ndarray/masked-fill-value.js";
import { maskedBlock, maskedBlockPart } from "../../ndarray/masked-kernels.js";
import { MaskedNDArray } from "../../ndarray/masked-ndarray.js";
import type { NDArray } from "../../ndarray/ndarray.js";
import { type ExecuteOptions, LazyArray, persistArrays, planArrays } from "../array.js";
import { assembleBlocks } from "../assemble-blocks.js";
import { elementwiseNode } from "../elementwise.js";
import { hasUnknownChunks } from "../unknown-chunks.js";
import type { MaskedParts } from "./parts.js";

/**
 * Data parts made from masked blocks (a persisted masked array, a masked reduction), with the
 * blocks and the mask part: bundling such parts again is the blocks themselves.
 */
const blocksBehind = new WeakMap<LazyArray, { blocks: LazyArray; mask: LazyArray }>();

/** A masked array's blocks as masked blocks (its dtype is the data's; each block is [data, mask]); null where chunk sizes are unknown. */
export function maskedBlocksOf(a: MaskedParts): LazyArray | null {
  const behind = blocksBehind.get(a.data);
  if (behind !== undefined && behind.mask === a.mask) return behind.blocks;
  if (hasUnknownChunks(a.data.chunks) || hasUnknownChunks(a.mask.chunks)) return null;
  return LazyArray.of(elementwiseNode(maskedBlock, [a.data, a.mask], a.data.dtype));
}

/** The data and mask of an array of masked blocks. */
export function partsOfMaskedBlocks(blocks: LazyArray, fill: FillValue | null): MaskedParts {
  const part = (index: 0 | 1) => LazyArray.of(elementwiseNode(maskedBlockPart, [blocks], index === 0 ? blocks.dtype : "bool", { part: index }));
  const [data, mask] = [part(0), part(1)];
  blocksBehind.set(data, { blocks, mask });
  return { data, mask, fill };
}

type Item = MaskedParts | LazyArray;
const isParts = (item: Item): item is MaskedParts => !(item instanceof LazyArray);

/** The node an item is computed as: its masked blocks, or the array itself. */
function plannedNode(item: Item): LazyArray | [LazyArray, LazyArray] {
  if (!isParts(item)) return item;
  return maskedBlocksOf(item) ?? [item.data, item.mask];
}

/**
 * Computes masked and plain arrays (and Delayed) in one graph: a masked one as one task per
 * block, joined here into a MaskedNDArray (its fill value: the set one or the dtype's).
 */
export async function computeMixed(items: readonly Item[], options: ExecuteOptions = {}, alongside: readonly Delayed[] = []): Promise<Array<MaskedNDArray | NDArray | unknown>> {
  const nodes = items.map(plannedNode);
  const flat = nodes.flat();
  const { executor, graph, keys, counts, options: runOptions } = await planArrays(flat, alongside, options, "compute");
  const values = await executor.compute(graph, keys, runOptions);
  let position = 0;
  const results: unknown[] = [];
  let node = 0;
  for (const [i, item] of items.entries()) {
    const planned = nodes[i];
    const take = () => values.slice(position, (position += counts[node++]));
    if (!isParts(item)) {
      results.push(assembleBlocks(item, take() as NDArray[]));
    } else if (Array.isArray(planned)) {
      const [data, mask] = [assembleBlocks(planned[0], take() as NDArray[]), assembleBlocks(planned[1], take() as NDArray[])];
      results.push(new MaskedNDArray(data, mask, item.fill ?? defaultFillValue(item.data.dtype)));
    } else {
      const blocks = take() as Array<[NDArray, NDArray]>;
      const data = assembleBlocks(planned, blocks.map((b) => b[0]));
      const mask = assembleBlocks({ name: planned.name, shape: planned.shape, chunks: planned.chunks, dtype: "bool", expr: planned.expr }, blocks.map((b) => b[1]));
      results.push(new MaskedNDArray(data, mask, item.fill ?? defaultFillValue(item.data.dtype)));
    }
  }
  return [...results, ...values.slice(position)];
}

/** Persists masked and plain arrays (and Delayed) in one graph: a masked one as its masked blocks, read back through their parts. */
export async function persistMixed(items: readonly Item[], options: ExecuteOptions = {}, alongside: readonly Delayed[] = []): Promise<Array<MaskedParts | LazyArray | Delayed>> {
  const nodes = items.map(plannedNode);
  const persisted = await persistArrays(nodes.flat(), options, alongside);
  let position = 0;
  const results: Array<MaskedParts | LazyArray | Delayed> = [];
  for (const [i, item] of items.entries()) {
    const planned = nodes[i];
    if (!isParts(item)) results.push(persisted[position++]);
    else if (Array.isArray(planned)) results.push({ data: persisted[position++], mask: persisted[position++], fill: item.fill });
    else results.push(partsOfMaskedBlocks(persisted[position++], item.fill));
  }
  return [...results, ...(persisted.slice(position) as unknown as Delayed[])];
}
