/**
 * Indexing with a lazy boolean mask (`x.get(x.gt(t))`), as Dask's slice_with_bool_dask_array:
 * the result is 1-d with one block of unknown size per block, its values in C order within
 * each block and the blocks in C order. Where both x and the mask have known sizes, both are
 * first ravelled (Dask's reshape chunks) and their chunks unified, so the result is NumPy's
 * C order over the whole array; where either has unknown sizes they are paired block by block
 * as they are (same block grid), and with several blocks along an axis other than the last the
 * order is the blocks' C order, not NumPy's (Dask warns of the same).
 *
 * A lazy mask along one axis (`x.get(":", m)`) is not supported: compute the mask first.
 */
import { InvalidOptionError } from "../core/errors.js";
import { maskSelectBlock } from "../ndarray/unknown-size-blocks.js";
import { isArrayNode, unifyOperands } from "./broadcasting.js";
import type { ArrayNode } from "./expr.js";
import { flatBlocksNode } from "./per-block.js";
import { reshapeNode } from "./reshape.js";
import { hasUnknownChunks, refuseUnknownSizes } from "./unknown-chunks.js";

/** x indexed by items among which a lazy array is, or x of unknown sizes indexed at all. */
export function lazyIndexNode(x: ArrayNode, items: readonly unknown[]): ArrayNode {
  const lazy = items.filter(isArrayNode);
  if (lazy.length === 0) {
    refuseUnknownSizes(x, "getitem");
    throw new InvalidOptionError("getitem: no lazy index"); // unreachable: the caller routes only these here
  }
  const mask = lazy[0];
  if (items.length !== 1) {
    throw new InvalidOptionError(
      "getitem: a lazy array is taken as an index only alone, as a boolean mask of the array's shape (x.get(mask)); a lazy mask along one axis (x.get(\":\", m)) or mixed with other indices is not supported: compute the mask first (m.compute())",
    );
  }
  if (mask.dtype !== "bool") throw new InvalidOptionError(`getitem: a lazy index must be a boolean mask (dtype bool), got dtype ${mask.dtype}; integer lazy indices are not supported: compute them first`);
  if (mask.shape.length !== x.shape.length) {
    throw new InvalidOptionError(`getitem: the lazy mask has ${mask.shape.length} axes, the array ${x.shape.length}; a lazy mask must have the array's shape (along one axis: compute it first)`);
  }
  if (x.shape.length === 0) throw new InvalidOptionError("getitem: a 0-d array takes no lazy mask; compute it first");
  if (!hasUnknownChunks(x.chunks) && !hasUnknownChunks(mask.chunks)) {
    if (x.shape.some((n, a) => n !== mask.shape[a])) {
      throw new InvalidOptionError(`getitem: boolean index did not match indexed array: the array has shape [${x.shape.join(", ")}], the mask [${mask.shape.join(", ")}]`);
    }
    const flat = (node: ArrayNode) => (node.shape.length === 1 ? node : reshapeNode(node, [-1]));
    const unified = unifyOperands([flat(x), flat(mask)], "getitem");
    return flatBlocksNode("getitem", maskSelectBlock, unified.operands as ArrayNode[], x.dtype);
  }
  // Unknown sizes: the operands are checked to share the block grid and paired by index.
  unifyOperands([x, mask], "getitem");
  return flatBlocksNode("getitem", maskSelectBlock, [x, mask], x.dtype);
}
