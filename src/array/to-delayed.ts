/**
 * x.toDelayed() (Dask's Array.to_delayed): one Delayed per block, nested as the block grid
 * (a 0-d array gives its one Delayed). The array is lowered once, fused as compute would
 * (Dask's optimize_graph=True), and every block's Delayed holds that one graph, culled to
 * what is asked when it is computed. Results a persisted array holds stay outside the graph:
 * toDelayed does not know the executor, so every key the lowering did not add is taken as one.
 */
import { Delayed } from "../delayed/delayed.js";
import { blockCounts } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { lowerArrays } from "./lower.js";

export type NestedDelayed = Delayed | NestedDelayed[];

export function toDelayedBlocks(array: ArrayNode, blockKeys: readonly string[]): NestedDelayed {
  const { graph } = lowerArrays([array], () => true, () => [...blockKeys]);
  const blocks = blockKeys.map((key) => new Delayed(key, null, [], undefined, graph));
  const counts = blockCounts(array.chunks);
  // C order of blocks, nested axis by axis.
  const nest = (axis: number, offset: number, stride: number): NestedDelayed => {
    if (axis === counts.length) return blocks[offset];
    const inner = stride / counts[axis];
    return Array.from({ length: counts[axis] }, (_, i) => nest(axis + 1, offset + i * inner, inner));
  };
  return nest(0, 0, blocks.length);
}
