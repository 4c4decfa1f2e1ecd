/**
 * The steps of dask.array's topk / argtopk (Dask 2022.12, chunk.py) along one axis: each block
 * keeps the |k| largest (k > 0) or smallest (k < 0) values of every lane along the axis, with their
 * indices in the whole array for argtopk; partials are joined along the axis and reduced the same
 * way; the last step sorts: largest first for k > 0 (NumPy's ascending sort reversed), smallest
 * first for k < 0. NaN orders above every number, as in NumPy's partition and sort, so it comes
 * first among the largest. The values kept are Dask's whatever the grouping; among equal values
 * (−0 and 0 too) which one, and which index, is kept may differ from NumPy's introselect.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { ascontiguousarray } from "./copy.js";
import { dtypeInfo } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";

export interface TopkStepOptions {
  k: number;
  axis: number;
  /** argtopk: carry the indices along. */
  arg: boolean;
}

export interface TopkPartial {
  topk: true;
  values: NDArray;
  /** Indices along the axis in the whole array (int64), for argtopk. */
  indices: NDArray | null;
}

type Element = number | bigint;

/** Ascending, NaN last (NumPy's sort order). */
function ascending(x: Element, y: Element): number {
  const xNaN = typeof x === "number" && Number.isNaN(x);
  const yNaN = typeof y === "number" && Number.isNaN(y);
  if (xNaN || yNaN) return xNaN === yNaN ? 0 : xNaN ? 1 : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The |k| kept entries of every lane along `axis`, in the final order (largest first for k > 0). */
function select(partial: TopkPartial, options: TopkStepOptions): TopkPartial {
  const { k, axis } = options;
  const values = ascontiguousarray(partial.values);
  const indices = partial.indices ? ascontiguousarray(partial.indices) : null;
  const shape = values.shape;
  const length = shape[axis];
  const kept = Math.min(Math.abs(k), length);
  const outer = shape.slice(0, axis).reduce((p, n) => p * n, 1);
  const inner = shape.slice(axis + 1).reduce((p, n) => p * n, 1);
  const outShape = shape.map((n, d) => (d === axis ? kept : n));
  const outValues = empty(outShape, values.dtype);
  const outIndices = indices ? empty(outShape, "int64") : null;
  const source = values.data as unknown as ArrayLike<Element>;
  const sourceIndices = indices?.data as unknown as ArrayLike<bigint> | undefined;
  const target = outValues.data as unknown as Element[];
  const targetIndices = outIndices?.data as unknown as bigint[] | undefined;
  const order = new Array<number>(length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number) => (o * length + j) * inner + i;
      for (let j = 0; j < length; j++) order[j] = j;
      order.sort((a, b) => ascending(source[at(a)], source[at(b)]));
      for (let r = 0; r < kept; r++) {
        const j = k > 0 ? order[length - 1 - r] : order[r];
        const out = (o * kept + r) * inner + i;
        target[out] = source[at(j)];
        if (targetIndices && sourceIndices) targetIndices[out] = sourceIndices[at(j)];
      }
    }
  }
  return { topk: true, values: outValues, indices: outIndices };
}

/** Partials joined along the axis in block order (Dask's _concatenate2). */
function join(partials: readonly TopkPartial[], axis: number): TopkPartial {
  if (partials.length === 1) return partials[0];
  const joinOne = (arrays: NDArray[]): NDArray => {
    const shape = arrays[0].shape.map((n, d) => (d === axis ? arrays.reduce((sum, a) => sum + a.shape[axis], 0) : n));
    const out = empty(shape, arrays[0].dtype);
    const outer = shape.slice(0, axis).reduce((p, n) => p * n, 1);
    const inner = shape.slice(axis + 1).reduce((p, n) => p * n, 1);
    const target = out.data as unknown as { set(values: ArrayLike<unknown>, offset: number): void };
    let offset = 0;
    for (const array of arrays) {
      const data = ascontiguousarray(array).toTypedArray() as unknown as { subarray(a: number, b: number): ArrayLike<unknown> };
      const run = array.shape[axis] * inner;
      for (let o = 0; o < outer; o++) target.set(data.subarray(o * run, (o + 1) * run), o * shape[axis] * inner + offset * inner);
      offset += array.shape[axis];
    }
    return out;
  };
  const withIndices = partials[0].indices !== null;
  return { topk: true, values: joinOne(partials.map((p) => p.values)), indices: withIndices ? joinOne(partials.map((p) => p.indices as NDArray)) : null };
}

/** Dask's chunk.topk / chunk.argtopk on one block (`start`: the block's first index along the axis). */
export const topkPartial = defineBuiltin("ndarray.topkPartial", function topkPartial(block: NDArray, options: TopkStepOptions, start: number): TopkPartial {
  if (dtypeInfo(block.dtype).kind === "b") throw new InvalidOptionError("topk: bool arrays have no order here; cast to an integer dtype first");
  let indices: NDArray | null = null;
  if (options.arg) {
    indices = empty(block.shape, "int64");
    const data = indices.data as BigInt64Array;
    const length = block.shape[options.axis];
    const inner = block.shape.slice(options.axis + 1).reduce((p, n) => p * n, 1);
    for (let flat = 0; flat < data.length; flat++) data[flat] = BigInt(start + (Math.floor(flat / inner) % length));
  }
  return select({ topk: true, values: block, indices }, options);
});

/** Dask's combine: the partials joined along the axis, then reduced to |k| again. */
export const topkCombine = defineBuiltin("ndarray.topkCombine", function topkCombine(partials: TopkPartial[], options: TopkStepOptions): TopkPartial {
  return select(join(partials, options.axis), options);
});

/** Dask's topk_aggregate / argtopk_aggregate: the sorted values, or their indices. */
export const topkFinish = defineBuiltin("ndarray.topkFinish", function topkFinish(partial: TopkPartial, options: TopkStepOptions): NDArray {
  const done = select(partial, options);
  return options.arg ? (done.indices as NDArray) : done.values;
});
