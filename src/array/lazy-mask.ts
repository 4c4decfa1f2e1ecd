/**
 * Indexing with a lazy boolean mask (`x.get(x.gt(t))`), as Dask's slice_with_bool_dask_array:
 * the result is 1-d with one block of unknown size per block, its values in C order within
 * each block and the blocks in C order. Where both x and the mask have known sizes, both are
 * first ravelled (Dask's reshape chunks) and their chunks unified, so the result is NumPy's
 * C order over the whole array; where either has unknown sizes they are paired block by block
 * as they are (same block grid), and with several blocks along an axis other than the last the
 * order is the blocks' C order, not NumPy's (Dask warns of the same).
 *
 * 1-d lazy masks along axes (`x.get(":", m)`, each other item ":") are Dask's blockwise
 * getitem: each mask is aligned with its axis's chunks (the common refinement, as Dask unifies
 * them), each block keeps the trues of its piece of the mask, and those axes get unknown sizes.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { maskAxesBlock, maskSelectBlock } from "../ndarray/unknown-size-blocks.js";
import { BlockwiseExpr, type BlockwiseArg } from "./blockwise.js";
import { isArrayNode, refineChunks, unifyOperands } from "./broadcasting.js";
import { rechunkNode } from "./rechunk.js";
import type { ArrayNode } from "./expr.js";
import { insertAxes } from "./getitem.js";
import { flatBlocksNode } from "./per-block.js";
import { reshapeNode } from "./reshape.js";
import { hasUnknownChunks, refuseUnknownSizes } from "./unknown-chunks.js";

/**
 * Where `items` are only ":", one "..." and new axes (null), the output positions of the new
 * axes: such an index needs no offsets, so an array of unknown sizes takes it block by block
 * (Dask's x[None]); null for any other index.
 */
function newAxisPositions(ndim: number, items: readonly unknown[]): number[] | null {
  if (!items.every((item) => item === null || item === ":" || item === "...")) return null;
  const whole = items.filter((item) => item === ":").length;
  if (items.filter((item) => item === "...").length > 1 || whole > ndim) return null;
  const expanded = items.flatMap((item) => (item === "..." ? new Array<string>(ndim - whole).fill(":") : [item]));
  const trailing = new Array<string>(ndim - expanded.filter((item) => item === ":").length).fill(":");
  return [...expanded, ...trailing].flatMap((item, position) => (item === null ? [position] : []));
}

/** x indexed by items among which a lazy array is, or x of unknown sizes indexed at all. */
export function lazyIndexNode(x: ArrayNode, items: readonly unknown[]): ArrayNode {
  const lazy = items.filter(isArrayNode);
  if (lazy.length === 0) {
    const axes = newAxisPositions(x.shape.length, items);
    if (axes !== null) return insertAxes(x, axes);
    refuseUnknownSizes(x, "getitem");
    throw new InvalidOptionError("getitem: no lazy index"); // unreachable: the caller routes only these here
  }
  const mask = lazy[0];
  if (items.length !== 1 || (mask.shape.length === 1 && x.shape.length > 1)) return maskAxesNode(x, items);
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

/** 1-d lazy boolean masks along axes, ":" elsewhere (Dask's blockwise getitem_variadic). */
function maskAxesNode(x: ArrayNode, given: readonly unknown[]): ArrayNode {
  // Missing trailing items are ":", as NumPy reads x[m] on several axes.
  const items = given.length < x.shape.length ? [...given, ...new Array<string>(x.shape.length - given.length).fill(":")] : given;
  if (items.length !== x.shape.length || !items.every((item) => item === ":" || (isArrayNode(item) && item.shape.length === 1 && item.dtype === "bool"))) {
    throw new InvalidOptionError(
      "getitem: lazy masks are taken as one boolean mask of the array's shape (x.get(mask)), or as 1-d boolean masks along axes with \":\" for every other axis (x.get(\":\", m)); compute the mask first (m.compute()) for other combinations",
    );
  }
  let input = x;
  const args: BlockwiseArg[] = [];
  const axes: number[] = [];
  items.forEach((item, axis) => {
    if (!isArrayNode(item)) return;
    let mask = item;
    if (hasUnknownChunks(x.chunks) || hasUnknownChunks(mask.chunks)) {
      // Unknown sizes: paired block by block (same number of blocks along the axis).
      if (mask.chunks[0].length !== x.chunks[axis].length) throw new InvalidOptionError(`getitem: the lazy mask for axis ${axis} has ${mask.chunks[0].length} blocks, the axis ${x.chunks[axis].length}, and one has unknown sizes; call computeChunkSizes() first`);
    } else {
      if (mask.shape[0] !== x.shape[axis]) throw new InvalidOptionError(`getitem: boolean index did not match indexed array along axis ${axis}; the axis has ${x.shape[axis]} elements but the mask ${mask.shape[0]}`);
      const common = refineChunks([input.chunks[axis], mask.chunks[0]]);
      input = rechunkNode(input, input.chunks.map((sizes, a) => (a === axis ? common : sizes)));
      mask = rechunkNode(mask, [common]);
    }
    args.push({ array: mask, axes: [axis] });
    axes.push(axis);
  });
  const chunks = input.chunks.map((sizes, axis) => (axes.includes(axis) ? sizes.map(() => NaN) : [...sizes]));
  const options = { axes };
  const expr = new BlockwiseExpr(functionRefOf(maskAxesBlock), [{ array: input, axes: input.shape.map((_, a) => a) }, ...args], options);
  const name = `getitem-${tokenize(input.name, args.map((arg) => ("array" in arg ? arg.array.name : null)), axes)}`;
  return { name, shape: chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0)), chunks, dtype: x.dtype, expr };
}
