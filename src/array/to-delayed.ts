/**
 * x.toDelayed() (Dask's Array.to_delayed): one Delayed per block, nested as the block grid
 * (a 0-d array gives its one Delayed). The array is lowered once, fused as compute would
 * (Dask's optimize_graph=True), and every block's Delayed holds that one graph, culled to
 * what is asked when it is computed. Results a persisted array holds stay outside the graph:
 * toDelayed does not know the executor, so every key the lowering did not add is taken as one.
 *
 * An array among a delayed call's arguments stands for its whole value, as Dask computes a
 * dask array passed to a delayed function and passes the NumPy array: the array rechunked to
 * one block, whose Delayed the argument becomes (delayed.ts asDelayedValue).
 */
import { Delayed, keepAlive } from "../delayed/delayed.js";
import { blockCounts } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { lowerArrays } from "./lower.js";
import { hasUnknownChunks } from "./unknown-chunks.js";
import { UnknownChunksError, unknownChunksMessage } from "./unknown-chunks-error.js";

export type NestedDelayed = Delayed | NestedDelayed[];

/** A Delayed for each block, in C order, all holding the array's one lowered graph. */
function blockDelayed(array: ArrayNode, blockKeys: readonly string[]): Delayed[] {
  const { graph } = lowerArrays([array], () => true, () => [...blockKeys]);
  // Each holds the array too: persisted arrays below it hold the results its graph reads.
  return blockKeys.map((key) => keepAlive(new Delayed(key, null, [], undefined, graph), array));
}

export function toDelayedBlocks(array: ArrayNode, blockKeys: readonly string[]): NestedDelayed {
  const blocks = blockDelayed(array, blockKeys);
  const counts = blockCounts(array.chunks);
  // C order of blocks, nested axis by axis.
  const nest = (axis: number, offset: number, stride: number): NestedDelayed => {
    if (axis === counts.length) return blocks[offset];
    const inner = stride / counts[axis];
    return Array.from({ length: counts[axis] }, (_, i) => nest(axis + 1, offset + i * inner, inner));
  };
  return nest(0, 0, blocks.length);
}

type Blocked = ArrayNode & { blockKeys(): string[] };

/** The Delayed of an array's whole value: its one block, else the one block `oneBlock` rechunks it into. */
export function wholeArrayDelayed(array: Blocked, oneBlock: () => Blocked): Delayed {
  const keys = array.blockKeys();
  if (keys.length === 1) return blockDelayed(array, keys)[0];
  // The rechunk is ours, not the caller's: its refusal of unknown sizes would name an operation the caller never asked for.
  if (hasUnknownChunks(array.chunks)) throw new UnknownChunksError(`${unknownChunksMessage("delayed", array.name)}: an array among a delayed call's arguments is its whole value, joined from its blocks`);
  const whole = oneBlock();
  return blockDelayed(whole, whole.blockKeys())[0];
}
