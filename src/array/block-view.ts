/**
 * dask.array's `x.blocks` (and `x.partitions`): the array's blocks as an array of their own,
 * of shape `x.numblocks`, indexed NumPy's way — `x.blocks.get(0, ":", [2, 0])` in tessera's
 * spelling of `x.blocks[0, :, [2, 0]]` — giving a new array made of the chosen blocks, each
 * whole and unchanged. As in Dask (2022.12), an integer keeps its axis (one block along it),
 * at most one list of block indices may be given, and `null` (np.newaxis) is refused; an
 * index out of range is refused by name. Each block of the result is its source block: no
 * copy, no task of its own after fusion.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { resolveSlice, type SliceSpec } from "../ndarray/slice.js";
import { LazyArray } from "./array.js";
import { PerBlockExpr } from "./per-block.js";

/** A block index along one axis, a slice of them, `":"`, `"..."`, or (once) a list of block indices. */
export type BlockIndexItem = number | ":" | "..." | SliceSpec | readonly number[];

const identityRef = { builtin: "graph.identity" };

function isSliceSpec(item: unknown): item is SliceSpec {
  return typeof item === "object" && item !== null && !Array.isArray(item) && Object.keys(item).every((key) => key === "start" || key === "stop" || key === "step");
}

/** The chosen block positions along one axis of `count` blocks. */
function positions(item: BlockIndexItem, count: number, axis: number): number[] {
  const one = (value: unknown): number => {
    if (typeof value !== "number" || !Number.isInteger(value)) throw new InvalidOptionError(`blocks: ${JSON.stringify(value)} along axis ${axis} is not a block index (an integer)`);
    if (value < -count || value >= count) throw new InvalidOptionError(`blocks: index ${value} is out of bounds for axis ${axis} with ${count} blocks`);
    return value < 0 ? value + count : value;
  };
  if (item === ":") return Array.from({ length: count }, (_, i) => i);
  if (Array.isArray(item)) return item.map(one);
  if (isSliceSpec(item)) {
    const { start, step, count: length } = resolveSlice(item, count, axis);
    return Array.from({ length }, (_, i) => start + i * step);
  }
  return [one(item)];
}

/** The blocks of an array as an array of blocks (Dask's BlockView). */
export class BlockView {
  constructor(private readonly array: LazyArray) {}

  /** The number of blocks along each axis (Dask's x.blocks.shape, x.numblocks). */
  get shape(): number[] {
    return this.array.numblocks;
  }

  get ndim(): number {
    return this.array.ndim;
  }

  /** The number of blocks. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** The chosen blocks, as an array (see the module comment). */
  get(...index: BlockIndexItem[]): LazyArray {
    const x = this.array;
    if (index.some((item) => item === null)) throw new InvalidOptionError("blocks: slicing with null (np.newaxis) is not supported");
    if (index.filter((item) => Array.isArray(item)).length > 1) throw new InvalidOptionError("blocks: can only slice with a single list");
    const ellipses = index.filter((item) => item === "...").length;
    if (ellipses > 1) throw new InvalidOptionError("blocks: an index can only have a single ellipsis ('...')");
    const given = index.length - ellipses;
    if (given > x.ndim) throw new InvalidOptionError(`blocks: too many indices for an array of ${x.ndim} axes: ${given} were given`);
    const at = index.indexOf("...");
    const fill = new Array<BlockIndexItem>(x.ndim - given).fill(":");
    const items = at < 0 ? [...index, ...fill] : [...index.slice(0, at), ...fill, ...index.slice(at + 1)];
    const chosen = items.map((item, axis) => positions(item, x.chunks[axis].length, axis));
    const chunks = chosen.map((blocks, axis) => blocks.map((b) => x.chunks[axis][b]));
    const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
    const expr = new PerBlockExpr(identityRef, [x], (out) => ({ blocks: [{ node: x, index: out.map((i, axis) => chosen[axis][i]) }], args: [] }));
    return new LazyArray(`blocks-${tokenize(x.name, chosen)}`, shape, chunks, x.dtype, expr);
  }

  /** Every block as an array of one block, in C order (Dask's x.blocks.ravel()). */
  ravel(): LazyArray[] {
    const counts = this.shape;
    const total = this.size;
    return Array.from({ length: total }, (_, flat) => {
      const index = counts.map(() => 0);
      for (let axis = counts.length - 1, rest = flat; axis >= 0; axis--) {
        index[axis] = rest % counts[axis];
        rest = Math.floor(rest / counts[axis]);
      }
      return this.get(...index);
    });
  }
}
