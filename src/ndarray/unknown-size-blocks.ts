/**
 * The per-block tasks of the lazy operations whose sizes depend on the values (Dask's
 * unknown chunk sizes, src/array/unknown-chunks.ts): they travel by name as every builtin
 * does. They check what the lazy layer could not know when it built the graph (that blocks
 * paired by index have one shape), and keep empty blocks out of the reductions that have no
 * identity (min of an empty block is no value, not an error, unless every block is empty).
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import * as nd from "./index.js";
import { NDArray } from "./ndarray.js";
import { combinePartials, finishReduction, reducePartial, type TreeOptions } from "./tree-reduction.js";
import { bincountSum } from "./bincount.js";
import { isMomentPartial } from "./moment-partials.js";
import { uniqueMerge } from "./unique.js";

/** NumPy's names of the reductions without identity, for its message. */
const numpyNames: Record<string, string> = { min: "minimum", max: "maximum", nanmin: "fmin", nanmax: "fmax" };

/**
 * `ndarray.<name>` over blocks that must have one shape: blocks of unknown size are paired by
 * their index, and a block of size 1 facing a larger one would broadcast into a wrong answer.
 */
export const sameShapeElementwise = defineBuiltin("ndarray.sameShapeElementwise", function sameShapeElementwise(name: string, ...operands: unknown[]): NDArray {
  const fn = (nd as unknown as Record<string, unknown>)[name];
  if (typeof fn !== "function") throw new InvalidOptionError(`elementwise: ${JSON.stringify(name)} is not a tessera/ndarray function`);
  const arrays = operands.filter((op): op is NDArray => op instanceof NDArray);
  const first = arrays[0];
  for (const other of arrays) {
    if (other.ndim !== first.ndim || other.shape.some((n, a) => n !== first.shape[a])) {
      throw new InvalidOptionError(
        `${name}: blocks of unknown size paired by index have different shapes ([${first.shape.join(", ")}] and [${other.shape.join(", ")}]): ` +
          "the arrays have the same block grid but not the same sizes; call computeChunkSizes() on both and rechunk one to the other",
      );
    }
  }
  return (fn as (...args: unknown[]) => NDArray)(...operands);
});

/**
 * reducePartial, with no partial (null) for a block with nothing along a reduced axis, for a
 * reduction without identity. A block empty only along a kept axis (x[:, m].max(axis=0) with m
 * all false) reduces to an empty partial, as NumPy reduces it: skipping it would refuse a
 * reduction NumPy computes.
 */
export const reducePartialSkippingEmpty = defineBuiltin("ndarray.reducePartialSkippingEmpty", function reducePartialSkippingEmpty(block: NDArray, options: TreeOptions): unknown {
  return options.axes.some((axis) => block.shape[axis] === 0) ? null : reducePartial(block, options);
});

/** A partial of an empty block: none (a reduction without identity), or moments of no element. */
function isEmptyPartial(partial: unknown): boolean {
  if (partial === null || partial === undefined) return true;
  return isMomentPartial(partial) && Array.from(partial.n.toTypedArray() as ArrayLike<number | bigint>).every((n) => Number(n) === 0);
}

/**
 * combinePartials over the partials of non-empty blocks (null when none has any), the grid
 * becoming one row along the first reduced axis. Moments of empty blocks are left out too:
 * their mean is NaN, which would spread into the variance (Dask's var gives NaN there, NumPy
 * the variance of the elements there are); all empty, the first stays, so var is NumPy's NaN.
 */
export const combinePartialsSkippingEmpty = defineBuiltin("ndarray.combinePartialsSkippingEmpty", function combinePartialsSkippingEmpty(partials: unknown[], options: TreeOptions, grid?: number[], aggregate?: boolean): unknown {
  let present = partials.filter((p) => !isEmptyPartial(p));
  if (present.length === 0) {
    if (partials.every((p) => p === null || p === undefined)) return null;
    present = [partials[0]];
  }
  if (grid === undefined) return combinePartials(present as NDArray[], options);
  const row = grid.map(() => 1);
  row[options.axes[0]] = present.length;
  return combinePartials(present as NDArray[], options, row, aggregate);
});

export const finishReductionSkippingEmpty = defineBuiltin("ndarray.finishReductionSkippingEmpty", function finishReductionSkippingEmpty(partial: unknown, options: TreeOptions): NDArray {
  if (partial === null || partial === undefined) {
    throw new InvalidOptionError(`${options.op}: zero-size array to reduction operation ${numpyNames[options.op] ?? options.op} which has no identity (every block is empty)`);
  }
  return finishReduction(partial as NDArray, options);
});

/** The elements of `block` where `mask` is true, in C order within the block (one axis). */
export const maskSelectBlock = defineBuiltin("ndarray.maskSelectBlock", function maskSelectBlock(block: NDArray, mask: NDArray): NDArray {
  if (block.ndim !== mask.ndim || block.shape.some((n, a) => n !== mask.shape[a])) {
    throw new InvalidOptionError(`getitem: a block of shape [${block.shape.join(", ")}] and its mask block of shape [${mask.shape.join(", ")}] differ: the lazy mask must have the array's sizes`);
  }
  if (block.ndim === 0) return nd.maskSelect(nd.reshape(block, [1]), nd.reshape(mask, [1]));
  return nd.maskSelect(block, mask);
});

/** The block's shape as int64 (computeChunkSizes). */
export const blockShape = defineBuiltin("ndarray.blockShape", function blockShape(block: NDArray): NDArray {
  return nd.array(block.shape.map((n) => BigInt(n)), { dtype: "int64" });
});

/** One block's [values, first flat index (global), counts]. */
export const uniquePartial = defineBuiltin("ndarray.uniquePartial", function uniquePartial(block: NDArray, offset: number): NDArray[] {
  const [values, first, counts] = nd.unique(block, { returnIndex: true, returnCounts: true }) as NDArray[];
  return [values, nd.add(first, BigInt(offset)), counts];
});

/** The whole's [values, first index, counts] from the blocks' (in block order). */
export const uniqueAggregate = defineBuiltin("ndarray.uniqueAggregate", function uniqueAggregate(...parts: NDArray[][]): NDArray[] {
  return uniqueMerge(parts);
});

/** Item `i` of a list a task gave (one output of a multi-output step). */
export const pickItem = defineBuiltin("ndarray.pickItem", function pickItem(list: unknown[], i: number): unknown {
  return list[i];
});

/** For each element of `block`, the position of its value among the sorted unique `values` (NaN finds the NaN). */
export const uniqueInverse = defineBuiltin("ndarray.uniqueInverse", function uniqueInverse(block: NDArray, values: NDArray): NDArray {
  const sorted = values.toTypedArray() as unknown as ArrayLike<number | bigint>;
  const flat = block.toTypedArray() as unknown as ArrayLike<number | bigint>;
  const out = nd.empty([flat.length], "int64");
  const data = out.data as BigInt64Array;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    let lo = 0;
    let hi = sorted.length - 1;
    if (v !== v) lo = hi;
    else {
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < v) lo = mid + 1;
        else hi = mid;
      }
    }
    data[i] = BigInt(lo);
  }
  return out;
});

/** Per-block bincounts summed; `length` when minlength made the length known. */
export const bincountAggregate = defineBuiltin("ndarray.bincountAggregate", function bincountAggregate(parts: NDArray[], length: number | null): NDArray {
  return bincountSum(parts, length ?? undefined);
});
export { nonzeroCoordinates } from "./nonzero.js";

/** np.bincount of one block, with its weights block or null. */
export const bincountBlock = defineBuiltin("ndarray.bincountBlock", function bincountBlock(x: NDArray, weights: NDArray | null, minlength: number): NDArray {
  return nd.bincount(x, { weights, minlength });
});

/** A block with 1-d masks applied along some of its axes (Dask's getitem_variadic of a lazy mask per axis). */
export const maskAxesBlock = defineBuiltin("ndarray.maskAxesBlock", function maskAxesBlock(block: NDArray, ...rest: unknown[]): NDArray {
  const { axes } = rest[rest.length - 1] as { axes: number[] };
  let out = block;
  axes.forEach((axis, i) => {
    const mask = rest[i] as NDArray;
    if (mask.size !== out.shape[axis]) throw new InvalidOptionError(`getitem: a mask block of ${mask.size} elements faces a block of ${out.shape[axis]} along axis ${axis}: the lazy mask must have the axis's sizes`);
    out = nd.maskSelect(out, mask, { axis });
  });
  return out;
});
